/// Root mean squared error: √(Σ(ŷ − y)² / n). In the units of the target; penalises large errors.
public struct RootMeanSquaredError: RegressionMetric {
    public let name = "rmse"
    public let higherIsBetter = false
    public init() {}

    public func evaluate(predictions: [Double], targets: [Double]) throws -> Double {
        try MeanSquaredError.sumOfSquares(name, predictions, targets).squareRoot()
    }
}

/// Mean squared error: Σ(ŷ − y)² / n.
public struct MeanSquaredError: RegressionMetric {
    public let name = "mse"
    public let higherIsBetter = false
    public init() {}

    public func evaluate(predictions: [Double], targets: [Double]) throws -> Double {
        try Self.sumOfSquares(name, predictions, targets)
    }

    /// The mean of squared errors, after validating the inputs for `metric`.
    static func sumOfSquares(_ metric: String, _ predictions: [Double], _ targets: [Double]) throws -> Double {
        try RegressionInput.check(metric, predictions, targets)
        var sum = 0.0
        predictions.withUnsafeBufferPointer { p in
            targets.withUnsafeBufferPointer { t in
                for i in 0..<p.count {
                    let d = p[i] - t[i]
                    sum += d * d
                }
            }
        }
        return sum / Double(predictions.count)
    }
}

/// Mean absolute error: Σ|ŷ − y| / n. In the units of the target; robust to a few large errors.
public struct MeanAbsoluteError: RegressionMetric {
    public let name = "mae"
    public let higherIsBetter = false
    public init() {}

    public func evaluate(predictions: [Double], targets: [Double]) throws -> Double {
        try RegressionInput.check(name, predictions, targets)
        var sum = 0.0
        predictions.withUnsafeBufferPointer { p in
            targets.withUnsafeBufferPointer { t in
                for i in 0..<p.count { sum += abs(p[i] - t[i]) }
            }
        }
        return sum / Double(predictions.count)
    }
}

/// The coefficient of determination R² = 1 − SS_res / SS_tot, as scikit-learn's `r2_score`.
///
/// Constant targets make SS_tot zero; scikit-learn then returns 1 for a perfect fit and 0 otherwise, and so
/// does this, so a degenerate fold does not abort a whole evaluation.
public struct CoefficientOfDetermination: RegressionMetric {
    public let name = "r2"
    public let higherIsBetter = true
    public init() {}

    public func evaluate(predictions: [Double], targets: [Double]) throws -> Double {
        try RegressionInput.check(name, predictions, targets)
        var mean = 0.0
        for t in targets { mean += t }
        mean /= Double(targets.count)
        var residual = 0.0, total = 0.0
        for i in 0..<targets.count {
            let r = targets[i] - predictions[i]
            let c = targets[i] - mean
            residual += r * r
            total += c * c
        }
        if total == 0 { return residual == 0 ? 1 : 0 }
        return 1 - residual / total
    }
}

/// Mean absolute percentage error Σ|ŷ − y| / |y| / n, as a fraction (0.12 means 12%).
///
/// Rows whose target is exactly zero have no defined percentage error; they are left out of the mean (unlike
/// scikit-learn, which divides by machine epsilon and returns an astronomically large number). If every target
/// is zero the metric is undefined and an error is thrown.
public struct MeanAbsolutePercentageError: RegressionMetric {
    public let name = "mape"
    public let higherIsBetter = false
    public init() {}

    public func evaluate(predictions: [Double], targets: [Double]) throws -> Double {
        try RegressionInput.check(name, predictions, targets)
        var sum = 0.0
        var counted = 0
        for i in 0..<targets.count where targets[i] != 0 {
            sum += abs(predictions[i] - targets[i]) / abs(targets[i])
            counted += 1
        }
        guard counted > 0 else { throw MetricError.undefined(metric: name, reason: "every target is zero") }
        return sum / Double(counted)
    }
}

enum RegressionInput {
    static func check(_ metric: String, _ predictions: [Double], _ targets: [Double]) throws {
        try MetricValidation.checkPaired(metric, predictions.count, targets.count)
        try MetricValidation.checkFinite(metric, "predictions", predictions)
        try MetricValidation.checkFinite(metric, "targets", targets)
    }
}
