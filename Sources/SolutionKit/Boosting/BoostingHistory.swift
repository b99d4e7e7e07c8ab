/// One boosting round's metrics, kept in the model for training-curve charts in reports.
public struct BoostingRecord: Codable, Sendable, Equatable {
    /// 1-based number of trees in the model after this round.
    public var iteration: Int
    /// The metric on the training rows, when requested (`GradientBoostingTrainer.recordsTrainingMetric`).
    public var training: Double?
    /// The metric on the validation set, when one was given.
    public var validation: Double?
}

/// Held-out rows scored after every round, for early stopping and the training history.
public struct BoostingValidationSet: Sendable {
    public var features: Tensor
    public var labels: [Double]

    public init(features: Tensor, labels: [Double]) {
        self.features = features
        self.labels = labels
    }
}

/// Which statistic `GradientBoostedModel.featureImportance` reports.
public enum FeatureImportanceKind: String, Codable, Sendable {
    /// Total loss reduction of the splits on the feature.
    case gain
    /// Number of splits on the feature.
    case splitCount
}
