/// A multi-class confusion matrix: `count(actual:predicted:)` is how many samples of class `actual` were
/// predicted as `predicted`. Rows are actual classes, columns predicted, as in scikit-learn's `confusion_matrix`.
public struct ConfusionMatrix: Equatable, Sendable, Codable {
    public let classCount: Int
    /// Counts, row-major: `counts[actual * classCount + predicted]`.
    public private(set) var counts: [Int]

    /// Tallies `predicted` against `actual`. Class indices must lie in `0..<classCount`; when `classCount` is
    /// nil it is one more than the largest index seen.
    public init(predicted: [Int], actual: [Int], classCount: Int? = nil) throws {
        let metric = "confusion_matrix"
        try MetricValidation.checkPaired(metric, predicted.count, actual.count)
        let inferred = max(predicted.max() ?? 0, actual.max() ?? 0) + 1
        let classes = classCount ?? inferred
        guard classes > 0 else { throw MetricError.undefined(metric: metric, reason: "classCount must be positive") }
        for (field, values) in [("predicted", predicted), ("actual", actual)] {
            for (index, value) in values.enumerated() where value < 0 || value >= classes {
                throw MetricError.undefined(
                    metric: metric, reason: "\(field)[\(index)] = \(value) is not a class in 0..<\(classes)")
            }
        }
        self.classCount = classes
        var counts = [Int](repeating: 0, count: classes * classes)
        for i in 0..<predicted.count { counts[actual[i] * classes + predicted[i]] += 1 }
        self.counts = counts
    }

    public func count(actual: Int, predicted: Int) -> Int { counts[actual * classCount + predicted] }

    public var total: Int { counts.reduce(0, +) }
    public var correct: Int { (0..<classCount).reduce(0) { $0 + count(actual: $1, predicted: $1) } }
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Samples whose actual class is `c` (the row sum).
    public func support(of c: Int) -> Int { (0..<classCount).reduce(0) { $0 + count(actual: c, predicted: $1) } }
    /// Samples predicted as class `c` (the column sum).
    public func predictedCount(of c: Int) -> Int {
        (0..<classCount).reduce(0) { $0 + count(actual: $1, predicted: c) }
    }

    /// Precision of class `c`; 0 when nothing was predicted as `c` (scikit-learn's default).
    public func precision(of c: Int) -> Double { ratio(count(actual: c, predicted: c), predictedCount(of: c)) }
    /// Recall of class `c`; 0 when `c` never occurs.
    public func recall(of c: Int) -> Double { ratio(count(actual: c, predicted: c), support(of: c)) }
    public func f1(of c: Int) -> Double {
        ratio(2 * count(actual: c, predicted: c), support(of: c) + predictedCount(of: c))
    }

    /// Classes that occur among the actual or the predicted labels: the ones scikit-learn averages over when
    /// no explicit label list is given.
    public var presentClasses: [Int] {
        (0..<classCount).filter { support(of: $0) > 0 || predictedCount(of: $0) > 0 }
    }

    /// The unweighted mean over present classes of precision, recall or F1 (scikit-learn's `average="macro"`).
    public var macroPrecision: Double { macro(precision(of:)) }
    public var macroRecall: Double { macro(recall(of:)) }
    public var macroF1: Double { macro(f1(of:)) }

    private func macro(_ perClass: (Int) -> Double) -> Double {
        let classes = presentClasses
        guard !classes.isEmpty else { return 0 }
        return classes.reduce(0.0) { $0 + perClass($1) } / Double(classes.count)
    }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}

/// Accuracy or macro-averaged precision, recall or F1 of class indices.
public struct ClassificationMetric: ClassLabelMetric {
    public enum Kind: String, Sendable, CaseIterable {
        case accuracy
        case macroPrecision = "macro_precision"
        case macroRecall = "macro_recall"
        case macroF1 = "macro_f1"
    }
    public var kind: Kind
    public var name: String { kind.rawValue }
    public let higherIsBetter = true

    public init(_ kind: Kind) { self.kind = kind }

    public func evaluate(predicted: [Int], actual: [Int]) throws -> Double {
        let matrix = try ConfusionMatrix(predicted: predicted, actual: actual)
        switch kind {
        case .accuracy: return matrix.accuracy
        case .macroPrecision: return matrix.macroPrecision
        case .macroRecall: return matrix.macroRecall
        case .macroF1: return matrix.macroF1
        }
    }
}
