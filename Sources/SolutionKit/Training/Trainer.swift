import COpenBLAS
import Foundation

/// Mini-batch training of a `Sequential` network: seeded shuffling, validation, learning-rate schedule,
/// gradient clipping, early stopping with best-weight restoration, and a history.
///
/// All batch buffers (inputs, targets, activations, gradients, optimizer state) are owned by the run and reused;
/// they are reallocated only when the batch size changes (around an epoch's last, shorter batch). The same seeds
/// give byte-identical weights, whatever `Parallelism.threadCount` is (see `TrainingConfiguration.blasThreads`).
public final class Trainer {
    public let network: Sequential
    public let loss: any Loss
    public let optimizer: any Optimizer
    public var configuration: TrainingConfiguration

    public init(network: Sequential, loss: any Loss, optimizer: any Optimizer,
                configuration: TrainingConfiguration = TrainingConfiguration()) {
        self.network = network
        self.loss = loss
        self.optimizer = optimizer
        self.configuration = configuration
    }

    /// Trains on `inputs`/`targets` (one target row per input row).
    ///
    /// Validation data is `validation` when given, otherwise `configuration.validationFraction` of the rows,
    /// held out by a seeded random choice. Early stopping needs one of the two.
    public func fit(inputs: Tensor, targets: Tensor, validation: (inputs: Tensor, targets: Tensor)? = nil,
                    progress: ((TrainingEvent) -> Void)? = nil) throws -> TrainingHistory {
        let config = configuration
        try checkConfiguration(config, hasExplicitValidation: validation != nil)
        try Trainer.checkRows(inputs, targets, set: "training")

        // Choose training and validation rows.
        var trainRows = Array(0..<inputs.rows)
        var validationSet = validation
        if let explicit = validation {
            try Trainer.checkRows(explicit.inputs, explicit.targets, set: "validation")
        } else if config.validationFraction > 0 {
            var generator = SeededGenerator.derived(from: config.seed, stream: 0x5_7A11D)
            Trainer.shuffle(&trainRows, using: &generator)
            let held = Int((Double(inputs.rows) * config.validationFraction).rounded())
            guard held >= 1, held < inputs.rows else {
                throw TrainingError.invalidConfiguration(
                    field: "validationFraction",
                    reason: "\(config.validationFraction) of \(inputs.rows) rows leaves \(held) validation rows")
            }
            let heldRows = Array(trainRows[..<held]).sorted()
            trainRows = Array(trainRows[held...]).sorted()
            validationSet = (inputs.gatheringRows(heldRows), targets.gatheringRows(heldRows))
        }
        if config.earlyStopping != nil && validationSet == nil {
            throw TrainingError.validationRequired(reason: "early stopping watches '\(config.monitor.name)'")
        }

        // Shapes through the network, then targets against the loss.
        let outputShape = try network.outputShape(forInputShape: inputs.shape)
        try loss.validate(targets: targets, predictionShape: outputShape)
        if let validationSet {
            try loss.validate(targets: validationSet.targets,
                              predictionShape: try network.outputShape(forInputShape: validationSet.inputs.shape))
        }

        return try run(inputs: inputs, targets: targets, trainRows: trainRows, validation: validationSet,
                       config: config, progress: progress)
    }

    private func run(inputs: Tensor, targets: Tensor, trainRows: [Int],
                     validation: (inputs: Tensor, targets: Tensor)?, config: TrainingConfiguration,
                     progress: ((TrainingEvent) -> Void)?) throws -> TrainingHistory {
        let parameters = network.parameters
        let baseRate = optimizer.learningRate
        let previousBLASThreads = openblas_get_num_threads()
        openblas_set_num_threads(Int32(config.blasThreads))
        defer {
            optimizer.learningRate = baseRate
            openblas_set_num_threads(previousBLASThreads)
        }
        var history = TrainingHistory(lossName: loss.name, monitorName: config.monitor.name,
                                      higherIsBetter: config.monitor.higherIsBetter)
        var order = trainRows
        var shuffler = SeededGenerator.derived(from: config.seed, stream: 0xB_A7C4)
        let batchCount = (order.count + config.batchSize - 1) / config.batchSize

        var batchInputs = Tensor(zeros: [0]), batchTargets = Tensor(zeros: [0])
        var outputs = Tensor(zeros: [0]), outputGradient = Tensor(zeros: [0]), inputGradient = Tensor(zeros: [0])
        var bestValue: Double?
        var bestWeights: [Tensor] = []
        var epochsWithoutImprovement = 0

        for epoch in 1...config.epochs {
            let started = Date()
            optimizer.learningRate = config.schedule.rate(base: baseRate, epoch: epoch - 1)
            if config.shuffle { Trainer.shuffle(&order, using: &shuffler) }
            var lossSum = 0.0
            for batch in 0..<batchCount {
                let lower = batch * config.batchSize, upper = min(lower + config.batchSize, order.count)
                batchInputs.assignRows(of: inputs, at: order[lower..<upper])
                batchTargets.assignRows(of: targets, at: order[lower..<upper])
                network.forward(batchInputs, into: &outputs, training: true)
                let batchLoss = loss.evaluate(predictions: outputs, targets: batchTargets, gradient: &outputGradient)
                guard batchLoss.isFinite else { throw TrainingError.diverged(epoch: epoch, batch: batch + 1) }
                network.backward(input: batchInputs, output: outputs, outputGradient: outputGradient,
                                 inputGradient: &inputGradient)
                if let maxNorm = config.gradientClipNorm { clipGradients(parameters, maxGlobalNorm: maxNorm) }
                optimizer.update(parameters)
                lossSum += batchLoss * Double(upper - lower)
                progress?(.batchEnded(epoch: epoch, batch: batch + 1, batchCount: batchCount, loss: batchLoss))
            }

            var record = TrainingHistory.Epoch(epoch: epoch, trainLoss: lossSum / Double(order.count),
                                               validationLoss: nil, monitoredValue: nil,
                                               learningRate: optimizer.learningRate, seconds: 0)
            var improved = false
            if let validation {
                let predictions = network.predict(validation.inputs, batchSize: max(config.batchSize, 1024))
                let validationLoss = loss.value(predictions: predictions, targets: validation.targets)
                let monitored: Double
                switch config.monitor {
                case .validationLoss: monitored = validationLoss
                case let .metric(metric): monitored = metric.evaluate(predictions, validation.targets)
                }
                record.validationLoss = validationLoss
                record.monitoredValue = monitored
                let minDelta = config.earlyStopping?.minDelta ?? 0
                if let best = bestValue {
                    improved = config.monitor.higherIsBetter ? monitored > best + minDelta : monitored < best - minDelta
                } else {
                    improved = monitored.isFinite
                }
                if improved {
                    bestValue = monitored
                    history.bestEpoch = epoch
                    epochsWithoutImprovement = 0
                    if config.earlyStopping?.restoreBestWeights == true {
                        if bestWeights.count != parameters.count {
                            bestWeights = Array(repeating: Tensor(zeros: [0]), count: parameters.count)
                        }
                        for (index, parameter) in parameters.enumerated() { bestWeights[index].assign(parameter.value) }
                    }
                } else {
                    epochsWithoutImprovement += 1
                }
            }
            record.seconds = Date().timeIntervalSince(started)
            history.epochs.append(record)
            progress?(.epochEnded(record, totalEpochs: config.epochs))
            if let stopping = config.earlyStopping, epochsWithoutImprovement >= stopping.patience {
                history.stoppedEarly = epoch < config.epochs
                break
            }
        }

        if config.earlyStopping?.restoreBestWeights == true, bestWeights.count == parameters.count,
           history.bestEpoch != history.epochs.last?.epoch {
            for (index, parameter) in parameters.enumerated() { parameter.value.assign(bestWeights[index]) }
            history.restoredBestWeights = true
        }
        return history
    }

    // MARK: Checks

    private func checkConfiguration(_ config: TrainingConfiguration, hasExplicitValidation: Bool) throws {
        guard config.epochs > 0 else {
            throw TrainingError.invalidConfiguration(field: "epochs", reason: "must be positive, got \(config.epochs)")
        }
        guard config.batchSize > 0 else {
            throw TrainingError.invalidConfiguration(field: "batchSize", reason: "must be positive, got \(config.batchSize)")
        }
        guard config.validationFraction >= 0, config.validationFraction < 1 else {
            throw TrainingError.invalidConfiguration(field: "validationFraction",
                                                     reason: "must be in [0, 1), got \(config.validationFraction)")
        }
        if hasExplicitValidation && config.validationFraction > 0 { throw TrainingError.conflictingValidation }
        if let stopping = config.earlyStopping {
            guard stopping.patience >= 1 else {
                throw TrainingError.invalidConfiguration(field: "earlyStopping.patience",
                                                         reason: "must be at least 1, got \(stopping.patience)")
            }
            guard stopping.minDelta >= 0 else {
                throw TrainingError.invalidConfiguration(field: "earlyStopping.minDelta",
                                                         reason: "must be ≥ 0, got \(stopping.minDelta)")
            }
        }
        guard config.blasThreads >= 1 else {
            throw TrainingError.invalidConfiguration(field: "blasThreads", reason: "must be at least 1, got \(config.blasThreads)")
        }
        if let clip = config.gradientClipNorm, !(clip > 0) {
            throw TrainingError.invalidConfiguration(field: "gradientClipNorm", reason: "must be positive, got \(clip)")
        }
    }

    private static func checkRows(_ inputs: Tensor, _ targets: Tensor, set: String) throws {
        guard inputs.rows > 0, inputs.rank >= 1, !inputs.shape.isEmpty else { throw TrainingError.emptySet(set: set) }
        guard inputs.rows == targets.rows else {
            throw TrainingError.rowCountMismatch(set: set, inputs: inputs.rows, targets: targets.rows)
        }
        let width = max(inputs.columns, 1)
        try inputs.scalars.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where !buffer[index].isFinite {
                throw TrainingError.nonFiniteInput(set: set, row: index / width)
            }
        }
    }

    /// Fisher–Yates with the kit's generator, written out so the order never depends on the standard library's
    /// shuffle algorithm.
    static func shuffle(_ values: inout [Int], using generator: inout SeededGenerator) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            let other = Int(generator.next() % UInt64(index + 1))
            values.swapAt(index, other)
        }
    }
}
