/// A trained gradient-boosted tree ensemble: `raw(x) = initialScore + Σ tree(x)`.
///
/// `Codable` to JSON for model bundles (see `GradientBoostedModel+Serialization`). For scoring many rows,
/// `forestScorer()` flattens the trees into a branch-free layout.
public struct GradientBoostedModel: Codable, Sendable, Equatable {
    /// Bumped whenever the JSON layout changes; loading refuses other versions.
    public static let currentFormatVersion = 1

    public var formatVersion: Int = GradientBoostedModel.currentFormatVersion
    public var objective: BoostingObjective
    public var parameters: GradientBoostingParameters
    public var featureCount: Int
    public var featureNames: [String]
    public var categoricalFeatures: [Int]
    public var initialScore: Double
    public var trees: [DecisionTree] = []
    /// The number of trees kept by early stopping (`nil` when it was off).
    public var bestIteration: Int? = nil
    /// Metrics per round, for training-curve charts.
    public var history: [BoostingRecord] = []

    public init(objective: BoostingObjective, parameters: GradientBoostingParameters, featureCount: Int,
                featureNames: [String], categoricalFeatures: [Int], initialScore: Double) {
        self.objective = objective
        self.parameters = parameters
        self.featureCount = featureCount
        self.featureNames = featureNames
        self.categoricalFeatures = categoricalFeatures
        self.initialScore = initialScore
    }

    func checkWidth(_ features: Tensor) throws {
        if features.rows == 0 { return }
        guard features.columns == featureCount else {
            throw BoostingError.featureCountMismatch(expected: featureCount, got: features.columns)
        }
    }

    /// Raw scores (log-odds for the binary objective) of every row.
    ///
    /// Scored by the branch-free `ForestScorer`; trees are summed in order from `initialScore`, exactly as during
    /// training, so the numbers are bit-identical to the training-time scores.
    public func rawPredictions(for features: Tensor) throws -> [Double] {
        try checkWidth(features)
        return try forestScorer().rawPredictions(for: features)
    }

    /// Predictions on the label scale: probabilities of the positive class for the binary objective.
    public func predictions(for features: Tensor) throws -> [Double] {
        try rawPredictions(for: features).map(objective.transform)
    }

    /// Per-feature importance summed over all trees.
    public func featureImportance(_ kind: FeatureImportanceKind = .gain) -> [Double] {
        var importance = [Double](repeating: 0, count: featureCount)
        for tree in trees {
            for node in 0..<tree.internalNodeCount {
                importance[Int(tree.splitFeature[node])] += kind == .gain ? tree.splitGain[node] : 1
            }
        }
        return importance
    }

    /// The mean raw prediction over the training rows (by leaf cover): the base of TreeSHAP explanations.
    public var expectedValue: Double {
        var total = initialScore
        for tree in trees {
            let count = tree.leafCount.reduce(0, +)
            guard count > 0 else { continue }
            var sum = 0.0
            for (value, n) in zip(tree.leafValue, tree.leafCount) { sum += value * Double(n) }
            total += sum / Double(count)
        }
        return total
    }
}
