/// Predicted probabilities against observed outcome rates in equal-count score bins (deciles by default).
///
/// Samples are sorted by score and cut into `binCount` groups of (almost) equal size: sample at sorted position
/// i goes to bin ⌊i·binCount/n⌋. Equal scores on a cut may therefore fall in two adjacent bins; the
/// order among ties is the input order, so the table is deterministic. A well-calibrated model has
/// `meanPredicted ≈ observedRate` in every bin.
public struct CalibrationTable: Equatable, Sendable, Codable {
    public struct Bin: Equatable, Sendable, Codable {
        public var lowestScore: Double
        public var highestScore: Double
        public var count: Int
        public var positives: Int
        public var meanPredicted: Double
        public var observedRate: Double { count == 0 ? 0 : Double(positives) / Double(count) }
    }

    public var bins: [Bin]

    public init(scores: [Double], labels: [Bool], binCount: Int = 10) throws {
        let metric = "calibration"
        try MetricValidation.checkPaired(metric, scores.count, labels.count)
        try MetricValidation.checkFinite(metric, "scores", scores)
        guard binCount > 0 else { throw MetricError.undefined(metric: metric, reason: "binCount must be positive") }
        let n = scores.count
        let bins = min(binCount, n)
        // A stable sort (ties by index) keeps the table independent of the sorting algorithm.
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] < scores[$1] : $0 < $1 }
        var result: [Bin] = []
        result.reserveCapacity(bins)
        for b in 0..<bins {
            let lower = n * b / bins, upper = n * (b + 1) / bins
            var sum = 0.0, positives = 0
            for position in lower..<upper {
                let i = order[position]
                sum += scores[i]
                if labels[i] { positives += 1 }
            }
            result.append(Bin(lowestScore: scores[order[lower]], highestScore: scores[order[upper - 1]],
                              count: upper - lower, positives: positives,
                              meanPredicted: sum / Double(upper - lower)))
        }
        self.bins = result
    }

    /// The expected calibration error: the count-weighted mean of |meanPredicted − observedRate|.
    public var expectedCalibrationError: Double {
        let total = bins.reduce(0) { $0 + $1.count }
        guard total > 0 else { return 0 }
        return bins.reduce(0.0) { $0 + Double($1.count) * abs($1.meanPredicted - $1.observedRate) } / Double(total)
    }
}
