import Foundation

/// A metric tracked on the validation set during boosting (and used for early stopping).
public enum BoostingMetric: String, Codable, Sendable, Equatable, CaseIterable {
    case rmse
    case meanAbsoluteError
    case huber
    case quantile
    case logLoss
    case auc

    /// Whether a larger value is better (only AUC).
    public var higherIsBetter: Bool { self == .auc }

    /// The metric of raw scores against labels for the given objective.
    func evaluate(rawScores: [Double], labels: [Double], objective: BoostingObjective) -> Double {
        let n = labels.count
        guard n > 0 else { return .nan }
        switch self {
        case .rmse:
            var sum = 0.0
            for i in 0..<n { let d = objective.transform(rawScores[i]) - labels[i]; sum += d * d }
            return (sum / Double(n)).squareRoot()
        case .meanAbsoluteError:
            var sum = 0.0
            for i in 0..<n { sum += abs(objective.transform(rawScores[i]) - labels[i]) }
            return sum / Double(n)
        case .huber, .quantile:
            var sum = 0.0
            for i in 0..<n { sum += objective.loss(score: rawScores[i], label: labels[i]) }
            return sum / Double(n)
        case .logLoss:
            var sum = 0.0
            for i in 0..<n {
                let p = min(max(1 / (1 + exp(-rawScores[i])), 1e-15), 1 - 1e-15)
                sum -= labels[i] > 0.5 ? log(p) : log(1 - p)
            }
            return sum / Double(n)
        case .auc:
            return areaUnderROC(scores: rawScores, labels: labels)
        }
    }
}

/// ROC AUC by the rank-sum formula, ties given half credit; deterministic.
func areaUnderROC(scores: [Double], labels: [Double]) -> Double {
    // The Metrics concern owns the definition (ties by midranks); a single-class set has no AUC.
    (try? AreaUnderROC().evaluate(scores: scores, labels: labels.map { $0 > 0.5 })) ?? .nan
}
