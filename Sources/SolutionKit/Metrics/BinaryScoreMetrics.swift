import Foundation

/// Area under the ROC curve: the probability that a random positive scores above a random negative.
/// Ties count one half (midranks), equal to the trapezoidal area and to scikit-learn's `roc_auc_score`.
public struct AreaUnderROC: BinaryScoreMetric {
    public let name = "roc_auc"
    public let higherIsBetter = true
    public init() {}

    public func evaluate(scores: [Double], labels: [Bool]) throws -> Double {
        try ScoreRanking(metric: name, scores: scores, labels: labels).areaUnderROC
    }
}

/// The Gini coefficient used in credit scoring, 2·AUC − 1.
public struct GiniCoefficient: BinaryScoreMetric {
    public let name = "gini"
    public let higherIsBetter = true
    public init() {}

    public func evaluate(scores: [Double], labels: [Bool]) throws -> Double {
        2 * (try ScoreRanking(metric: name, scores: scores, labels: labels).areaUnderROC) - 1
    }
}

/// The Kolmogorov–Smirnov statistic: the largest gap between the score distributions of positives and
/// negatives (equal to max |TPR − FPR| over thresholds, and to SciPy's two-sample `ks_2samp` statistic).
public struct KolmogorovSmirnovStatistic: BinaryScoreMetric {
    public let name = "ks"
    public let higherIsBetter = true
    public init() {}

    public func evaluate(scores: [Double], labels: [Bool]) throws -> Double {
        try KSCurve(scores: scores, labels: labels).statistic
    }
}

/// Binary cross-entropy of probabilities, with probabilities clipped to [ε, 1 − ε] so a confident mistake
/// costs a large finite amount. The default ε is the float64 machine epsilon, as scikit-learn's `log_loss`
/// (`eps="auto"`) uses for float64 input.
public struct LogLoss: BinaryScoreMetric {
    public let name = "log_loss"
    public let higherIsBetter = false
    public var epsilon: Double
    public init(epsilon: Double = Double.ulpOfOne) { self.epsilon = epsilon }

    public func evaluate(scores: [Double], labels: [Bool]) throws -> Double {
        try ProbabilityInput.check(name, scores, labels)
        var sum = 0.0
        for i in 0..<scores.count {
            let p = min(max(scores[i], epsilon), 1 - epsilon)
            sum -= labels[i] ? log(p) : log(1 - p)
        }
        return sum / Double(scores.count)
    }
}

/// The Brier score: the mean squared difference between the probability and the 0/1 outcome.
public struct BrierScore: BinaryScoreMetric {
    public let name = "brier"
    public let higherIsBetter = false
    public init() {}

    public func evaluate(scores: [Double], labels: [Bool]) throws -> Double {
        try ProbabilityInput.check(name, scores, labels)
        var sum = 0.0
        for i in 0..<scores.count {
            let d = scores[i] - (labels[i] ? 1 : 0)
            sum += d * d
        }
        return sum / Double(scores.count)
    }
}

enum ProbabilityInput {
    static func check(_ metric: String, _ scores: [Double], _ labels: [Bool]) throws {
        try MetricValidation.checkPaired(metric, scores.count, labels.count)
        try MetricValidation.checkFinite(metric, "scores", scores)
        for (index, p) in scores.enumerated() where p < 0 || p > 1 {
            throw MetricError.undefined(metric: metric, reason: "scores[\(index)] = \(p) is not a probability in [0, 1]")
        }
    }
}
