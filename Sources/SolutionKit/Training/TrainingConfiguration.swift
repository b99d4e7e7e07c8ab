/// A quantity computed from predictions and targets that training watches (for example R² or ROC AUC).
///
/// Supplied by the caller as a closure because metrics live elsewhere in the kit (and in plugins); the trainer
/// only needs its value and which direction is better.
public struct MonitoredMetric {
    public var name: String
    public var higherIsBetter: Bool
    public var evaluate: (_ predictions: Tensor, _ targets: Tensor) -> Double

    public init(name: String, higherIsBetter: Bool,
                evaluate: @escaping (_ predictions: Tensor, _ targets: Tensor) -> Double) {
        self.name = name
        self.higherIsBetter = higherIsBetter
        self.evaluate = evaluate
    }
}

/// What decides the best epoch: the validation loss (lower is better) or a caller-supplied metric.
public enum TrainingMonitor {
    case validationLoss
    case metric(MonitoredMetric)

    var name: String {
        switch self {
        case .validationLoss: return "validation_loss"
        case let .metric(metric): return metric.name
        }
    }

    var higherIsBetter: Bool {
        switch self {
        case .validationLoss: return false
        case let .metric(metric): return metric.higherIsBetter
        }
    }
}

/// Stop when the monitored quantity has not improved by more than `minDelta` for `patience` epochs.
public struct EarlyStopping: Sendable {
    public var patience: Int
    public var minDelta: Double
    /// Put back the parameters of the best epoch when training ends (early or not).
    public var restoreBestWeights: Bool

    public init(patience: Int = 10, minDelta: Double = 0, restoreBestWeights: Bool = true) {
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBestWeights = restoreBestWeights
    }
}

/// Everything that shapes a training run besides the network, the loss and the optimizer.
public struct TrainingConfiguration {
    public var epochs: Int
    public var batchSize: Int
    /// Reshuffle the training rows every epoch (seeded).
    public var shuffle: Bool
    /// Seeds the shuffling and the validation split; the network's own seed is set when it is built.
    public var seed: UInt64
    /// Fraction of the training rows held out (seeded random choice) for validation, when no explicit
    /// validation set is passed to `fit`. Zero means no validation.
    public var validationFraction: Double
    public var monitor: TrainingMonitor
    public var earlyStopping: EarlyStopping?
    public var schedule: LearningRateSchedule
    /// When set, gradients are scaled down to this global L2 norm before each update.
    public var gradientClipNorm: Float?
    /// OpenBLAS threads used while training (restored afterwards). The default 1 suits mini-batches, whose
    /// products are too small to gain from threads, and makes the trained weights independent of the machine's
    /// core count (OpenBLAS's threaded kernels round differently from its single-threaded ones).
    public var blasThreads: Int

    public init(epochs: Int = 100, batchSize: Int = 200, shuffle: Bool = true, seed: UInt64 = 0,
                validationFraction: Double = 0, monitor: TrainingMonitor = .validationLoss,
                earlyStopping: EarlyStopping? = nil, schedule: LearningRateSchedule = .constant,
                gradientClipNorm: Float? = nil, blasThreads: Int = 1) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.validationFraction = validationFraction
        self.monitor = monitor
        self.earlyStopping = earlyStopping
        self.schedule = schedule
        self.gradientClipNorm = gradientClipNorm
        self.blasThreads = blasThreads
    }
}
