/// What happened in a training run, epoch by epoch; Codable because it goes into reports and bundles.
public struct TrainingHistory: Codable, Equatable, Sendable {
    public struct Epoch: Codable, Equatable, Sendable {
        /// 1-based epoch number.
        public var epoch: Int
        /// Mean of the batch losses over the epoch (as Keras and scikit-learn report it).
        public var trainLoss: Double
        public var validationLoss: Double?
        /// The monitored quantity (equal to `validationLoss` when that is what is monitored).
        public var monitoredValue: Double?
        public var learningRate: Float
        public var seconds: Double
    }

    public var lossName: String
    public var monitorName: String
    public var higherIsBetter: Bool
    public var epochs: [Epoch] = []
    /// The 1-based number of the epoch with the best monitored value, when there was validation data.
    public var bestEpoch: Int?
    public var stoppedEarly = false
    public var restoredBestWeights = false

    public var trainLoss: [Double] { epochs.map(\.trainLoss) }
    public var validationLoss: [Double?] { epochs.map(\.validationLoss) }
    public var monitoredValues: [Double?] { epochs.map(\.monitoredValue) }

    /// The record of the best epoch, if any.
    public var best: Epoch? { bestEpoch.map { epochs[$0 - 1] } }
}

/// Progress notifications for a launcher's bar or log: one per batch (cheap: no allocation) and one per epoch.
public enum TrainingEvent {
    case batchEnded(epoch: Int, batch: Int, batchCount: Int, loss: Double)
    case epochEnded(TrainingHistory.Epoch, totalEpochs: Int)
}
