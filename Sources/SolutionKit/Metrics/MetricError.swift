/// Why a metric could not be computed; each case names the metric and, where it applies, the offending position.
public enum MetricError: Error, CustomStringConvertible, Equatable, Sendable {
    case countMismatch(metric: String, predictions: Int, targets: Int)
    case empty(metric: String)
    case nonFinite(metric: String, field: String, index: Int)
    case invalidLabel(metric: String, index: Int, value: Int)
    /// The metric is mathematically undefined for this input (one class only, constant targets, ...).
    case undefined(metric: String, reason: String)

    public var description: String {
        switch self {
        case let .countMismatch(metric, predictions, targets):
            return "\(metric): \(predictions) predictions but \(targets) targets; the counts must match"
        case let .empty(metric):
            return "\(metric): no values to evaluate"
        case let .nonFinite(metric, field, index):
            return "\(metric): \(field)[\(index)] is NaN or infinite"
        case let .invalidLabel(metric, index, value):
            return "\(metric): label[\(index)] is \(value); binary labels must be 0 or 1"
        case let .undefined(metric, reason):
            return "\(metric): undefined because \(reason)"
        }
    }
}

/// Shared input checks, so every metric rejects bad input with the same messages.
enum MetricValidation {
    static func checkPaired(_ metric: String, _ first: Int, _ second: Int) throws {
        guard first == second else {
            throw MetricError.countMismatch(metric: metric, predictions: first, targets: second)
        }
        guard first > 0 else { throw MetricError.empty(metric: metric) }
    }

    static func checkFinite(_ metric: String, _ field: String, _ values: [Double]) throws {
        try values.withUnsafeBufferPointer { buffer in
            for index in 0..<buffer.count where !buffer[index].isFinite {
                throw MetricError.nonFinite(metric: metric, field: field, index: index)
            }
        }
    }

    static func checkBothClasses(_ metric: String, _ labels: [Bool]) throws -> (positives: Int, negatives: Int) {
        var positives = 0
        for label in labels where label { positives += 1 }
        let negatives = labels.count - positives
        guard positives > 0 else { throw MetricError.undefined(metric: metric, reason: "there are no positive labels") }
        guard negatives > 0 else { throw MetricError.undefined(metric: metric, reason: "there are no negative labels") }
        return (positives, negatives)
    }
}
