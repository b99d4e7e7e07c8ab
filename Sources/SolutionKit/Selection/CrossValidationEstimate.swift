import Foundation

/// One fold's result: the primary metric, and its curve over boosting rounds or epochs when the model has stages.
public struct FoldScore: Codable, Equatable, Sendable {
    public var repetition: Int
    public var fold: Int
    public var value: Double
    public var staged: [Double]?
    public var seconds: Double

    public init(repetition: Int, fold: Int, value: Double, staged: [Double]? = nil, seconds: Double = 0) {
        self.repetition = repetition
        self.fold = fold
        self.value = value
        self.staged = staged
        self.seconds = seconds
    }
}

/// A cross-validation estimate of the primary metric: mean ± sample standard deviation over folds.
///
/// When every fold reports a curve over stages, the estimate is taken at the stage whose mean over folds is best,
/// and that stage count is recorded (`lgb.cv`'s early stopping: one round count for all folds).
public struct CrossValidationEstimate: Codable, Equatable, Sendable, CustomStringConvertible {
    public var metric: String
    public var higherIsBetter: Bool
    public var values: [Double]
    /// The stage count chosen by the mean curve (rounds, epochs), when the folds had curves.
    public var stages: Int?
    public var mean: Double
    public var standardDeviation: Double

    public init(metric: String, higherIsBetter: Bool, scores: [FoldScore]) {
        self.metric = metric
        self.higherIsBetter = higherIsBetter
        let curves = scores.compactMap(\.staged)
        if !scores.isEmpty, curves.count == scores.count, let length = curves.map(\.count).min(), length > 0 {
            var best = 0
            var bestMean = -Double.infinity
            for t in 0..<length {
                let m = curves.reduce(0) { $0 + $1[t] } / Double(curves.count)
                guard m.isFinite else { continue }
                let signed = higherIsBetter ? m : -m
                if signed > bestMean { bestMean = signed; best = t }
            }
            values = curves.map { $0[best] }
            stages = best + 1
        } else {
            values = scores.map(\.value)
            stages = nil
        }
        (mean, standardDeviation) = Self.moments(values)
    }

    /// Mean and sample standard deviation (n − 1; 0 for one value).
    public static func moments(_ values: [Double]) -> (Double, Double) {
        guard !values.isEmpty else { return (.nan, .nan) }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }

    /// The standard error of the mean, the "CV noise" selections are compared against.
    public var standardError: Double {
        values.count > 1 ? standardDeviation / Double(values.count).squareRoot() : .infinity
    }

    /// True when `self` is better than `other` (higher or lower as the metric says). NaN is worst.
    public func isBetter(than other: CrossValidationEstimate) -> Bool {
        guard mean.isFinite else { return false }
        guard other.mean.isFinite else { return true }
        return higherIsBetter ? mean > other.mean : mean < other.mean
    }

    /// "0.8012 ± 0.0231 (auc over 5 folds)".
    public var description: String {
        String(format: "%.6g ± %.3g", mean, standardDeviation) + " (\(metric) over \(values.count) fold\(values.count == 1 ? "" : "s"))"
            + (stages.map { ", \($0) stages" } ?? "")
    }
}
