/// The uniform contract every metric honours, so reports, early stopping and the launcher can list, compare
/// and rank metrics without knowing what each one computes.
public protocol Metric: Sendable {
    /// A short stable name used in tables and `metrics.json` ("rmse", "roc_auc").
    var name: String { get }
    /// Whether a larger value is a better model (true for AUC, false for RMSE).
    var higherIsBetter: Bool { get }
}

extension Metric {
    /// Whether `candidate` is strictly better than `incumbent` under this metric's direction.
    public func isImprovement(_ candidate: Double, over incumbent: Double) -> Bool {
        higherIsBetter ? candidate > incumbent : candidate < incumbent
    }
}

/// A metric of real-valued predictions against real-valued targets.
public protocol RegressionMetric: Metric {
    func evaluate(predictions: [Double], targets: [Double]) throws -> Double
}

/// A metric of probabilistic (or ranking) scores for a binary outcome; `true` is the positive class.
public protocol BinaryScoreMetric: Metric {
    func evaluate(scores: [Double], labels: [Bool]) throws -> Double
}

extension BinaryScoreMetric {
    /// Evaluates with 0/1 integer labels; any other value is an error naming its position.
    public func evaluate(scores: [Double], labels: [Int]) throws -> Double {
        try evaluate(scores: scores, labels: BinaryLabels.fromIntegers(labels, metric: name))
    }
}

/// A metric of predicted class indices against actual class indices (multi-class, or binary as 0/1).
public protocol ClassLabelMetric: Metric {
    func evaluate(predicted: [Int], actual: [Int]) throws -> Double
}

/// Converting and checking label arrays, shared by the binary metrics.
public enum BinaryLabels {
    /// `labels` as booleans; every value must be 0 or 1.
    public static func fromIntegers(_ labels: [Int], metric: String) throws -> [Bool] {
        var result = [Bool](repeating: false, count: labels.count)
        for (index, value) in labels.enumerated() {
            switch value {
            case 0: result[index] = false
            case 1: result[index] = true
            default: throw MetricError.invalidLabel(metric: metric, index: index, value: value)
            }
        }
        return result
    }
}
