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
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var positives = 0.0, negatives = 0.0, rankSum = 0.0
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
        let averageRank = Double(i + j) / 2 + 1
        for k in i...j where labels[order[k]] > 0.5 { rankSum += averageRank; positives += 1 }
        i = j + 1
    }
    negatives = Double(order.count) - positives
    guard positives > 0, negatives > 0 else { return .nan }
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
}
