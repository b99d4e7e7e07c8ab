/// Counts of a binary decision: true/false positives and negatives.
///
/// Built from labels, or from scores and a threshold, where a score ≥ the threshold predicts positive.
/// Ratios whose denominator is zero (precision with no predicted positives, ...) are 0, as scikit-learn's
/// default `zero_division` gives (after its warning).
public struct BinaryConfusion: Equatable, Sendable, Codable {
    public var truePositives = 0
    public var falsePositives = 0
    public var trueNegatives = 0
    public var falseNegatives = 0

    public init(truePositives: Int, falsePositives: Int, trueNegatives: Int, falseNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    public init(predicted: [Bool], actual: [Bool]) throws {
        try MetricValidation.checkPaired("binary_confusion", predicted.count, actual.count)
        for i in 0..<predicted.count {
            switch (predicted[i], actual[i]) {
            case (true, true): truePositives += 1
            case (true, false): falsePositives += 1
            case (false, false): trueNegatives += 1
            case (false, true): falseNegatives += 1
            }
        }
    }

    public init(scores: [Double], labels: [Bool], threshold: Double = 0.5) throws {
        try MetricValidation.checkPaired("binary_confusion", scores.count, labels.count)
        try MetricValidation.checkFinite("binary_confusion", "scores", scores)
        try self.init(predicted: scores.map { $0 >= threshold }, actual: labels)
    }

    public var total: Int { truePositives + falsePositives + trueNegatives + falseNegatives }
    public var accuracy: Double { ratio(truePositives + trueNegatives, total) }
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    /// Recall, also the true-positive rate or sensitivity.
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    public var specificity: Double { ratio(trueNegatives, trueNegatives + falsePositives) }
    public var f1: Double {
        ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives)
    }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}

/// Accuracy, precision, recall or F1 of scores turned into decisions at a threshold.
public struct ThresholdMetric: BinaryScoreMetric {
    public enum Kind: String, Sendable, CaseIterable { case accuracy, precision, recall, f1 }
    public var kind: Kind
    public var threshold: Double
    public var name: String { kind.rawValue }
    public let higherIsBetter = true

    public init(_ kind: Kind, threshold: Double = 0.5) {
        self.kind = kind
        self.threshold = threshold
    }

    public func evaluate(scores: [Double], labels: [Bool]) throws -> Double {
        let counts = try BinaryConfusion(scores: scores, labels: labels, threshold: threshold)
        switch kind {
        case .accuracy: return counts.accuracy
        case .precision: return counts.precision
        case .recall: return counts.recall
        case .f1: return counts.f1
        }
    }
}
