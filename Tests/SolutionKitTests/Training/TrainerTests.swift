import XCTest
@testable import SolutionKit

final class TrainerTests: XCTestCase {
    private func makeMLP(seed: UInt64, hidden: [Int] = [32, 32]) throws -> Sequential {
        try Sequential(spec: .multilayerPerceptron(inputs: 2, hidden: hidden, outputs: 1), seed: seed)
    }

    func testMLPLearnsASmallNonlinearFunction() throws {
        let train = TrainingTestSupport.nonlinearRegression(rows: 2000, seed: 1)
        let test = TrainingTestSupport.nonlinearRegression(rows: 500, seed: 2)
        let network = try makeMLP(seed: 7)
        let trainer = Trainer(network: network, loss: SquaredErrorLoss(), optimizer: Adam(learningRate: 0.01),
                              configuration: TrainingConfiguration(epochs: 60, batchSize: 64, seed: 3,
                                                                   validationFraction: 0.1,
                                                                   earlyStopping: EarlyStopping(patience: 15),
                                                                   schedule: .cosine(epochs: 60, minimum: 0.001)))
        let history = try trainer.fit(inputs: train.inputs, targets: train.targets)
        let r2 = TrainingTestSupport.rSquared(network.predict(test.inputs), test.targets)
        print("sin(x1) + x2² MLP: held-out R² \(r2) after \(history.epochs.count) epochs")
        XCTAssertGreaterThan(r2, 0.95, "held-out R² \(r2)")
        XCTAssertLessThan(history.trainLoss.last!, history.trainLoss.first!)
        XCTAssertNotNil(history.bestEpoch)
    }

    /// Training on y = x while validating on y = −x: validation only gets worse after the first epoch, so the
    /// run must stop after `patience` more epochs and put back the weights of epoch 1.
    func testEarlyStoppingRestoresTheBestWeights() throws {
        var generator = SeededGenerator(seed: 4)
        let xs = (0..<256).map { _ in Float(generator.nextUnitDouble() * 2 - 1) }
        let inputs = Tensor(shape: [256, 1], scalars: xs)
        let network = try Sequential(specs: [.dense(inputs: 1, outputs: 1, initializer: .glorotUniform)], seed: 1)
        network.parameters[0].value = Tensor(shape: [1, 1], scalars: [0])
        let trainer = Trainer(network: network, loss: SquaredErrorLoss(), optimizer: SGD(learningRate: 0.05),
                              configuration: TrainingConfiguration(epochs: 50, batchSize: 32, seed: 2,
                                                                   earlyStopping: EarlyStopping(patience: 3)))
        var weightsAfterEpoch: [Int: [Tensor]] = [:]
        let history = try trainer.fit(inputs: inputs, targets: inputs, validation: (inputs, -inputs)) { event in
            if case let .epochEnded(record, _) = event {
                weightsAfterEpoch[record.epoch] = network.namedParameters().map(\.tensor)
            }
        }
        XCTAssertEqual(history.bestEpoch, 1)
        XCTAssertEqual(history.epochs.count, 4, "1 best epoch + patience 3")
        XCTAssertTrue(history.stoppedEarly)
        XCTAssertTrue(history.restoredBestWeights)
        XCTAssertEqual(network.namedParameters().map(\.tensor), weightsAfterEpoch[1])
        XCTAssertNotEqual(weightsAfterEpoch[4], weightsAfterEpoch[1])
        let restoredLoss = SquaredErrorLoss().value(predictions: network.predict(inputs), targets: -inputs)
        XCTAssertEqual(restoredLoss, history.best!.validationLoss!, accuracy: 1e-9)
    }

    func testACallerMetricWhereHigherIsBetterPicksTheBestEpoch() throws {
        let data = TrainingTestSupport.nonlinearRegression(rows: 600, seed: 5)
        let network = try makeMLP(seed: 2, hidden: [16])
        let r2 = MonitoredMetric(name: "r2", higherIsBetter: true) { TrainingTestSupport.rSquared($0, $1) }
        let trainer = Trainer(network: network, loss: SquaredErrorLoss(), optimizer: Adam(learningRate: 0.02),
                              configuration: TrainingConfiguration(epochs: 12, batchSize: 50, seed: 1,
                                                                   validationFraction: 0.25, monitor: .metric(r2),
                                                                   earlyStopping: EarlyStopping(patience: 20)))
        let history = try trainer.fit(inputs: data.inputs, targets: data.targets)
        XCTAssertEqual(history.monitorName, "r2")
        XCTAssertTrue(history.higherIsBetter)
        let values = history.monitoredValues.map { $0! }
        XCTAssertEqual(history.bestEpoch, values.firstIndex(of: values.max()!)! + 1)
        XCTAssertEqual(history.epochs.count, 12)
        // The history goes into reports as JSON.
        let decoded = try JSONDecoder().decode(TrainingHistory.self, from: JSONEncoder().encode(history))
        XCTAssertEqual(decoded, history)
    }

    func testTheSameSeedGivesByteIdenticalWeights() throws {
        func train(seed: UInt64) throws -> [[UInt32]] {
            let data = TrainingTestSupport.nonlinearRegression(rows: 500, seed: 9)
            let network = try Sequential(spec: .multilayerPerceptron(inputs: 2, hidden: [16, 16], outputs: 1,
                                                                     dropout: 0.1), seed: seed)
            let trainer = Trainer(network: network, loss: SquaredErrorLoss(), optimizer: Adam.adamW(learningRate: 0.01),
                                  configuration: TrainingConfiguration(epochs: 5, batchSize: 32, seed: seed,
                                                                       validationFraction: 0.2, gradientClipNorm: 1))
            _ = try trainer.fit(inputs: data.inputs, targets: data.targets)
            return network.namedParameters().map { $0.tensor.scalars.map(\.bitPattern) }
        }
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        Parallelism.threadCount = 2
        let first = try train(seed: 11)
        XCTAssertEqual(first, try train(seed: 11))
        Parallelism.threadCount = 1
        XCTAssertEqual(first, try train(seed: 11), "the thread count must not change the trained weights")
        XCTAssertNotEqual(first, try train(seed: 12))
    }

    func testProgressReportsEveryBatchAndEpoch() throws {
        let data = TrainingTestSupport.nonlinearRegression(rows: 105, seed: 1)
        let trainer = Trainer(network: try makeMLP(seed: 1, hidden: [4]), loss: SquaredErrorLoss(),
                              optimizer: SGD(learningRate: 0.01, momentum: 0.9),
                              configuration: TrainingConfiguration(epochs: 3, batchSize: 10,
                                                                   schedule: .stepDecay(every: 2, factor: 0.5)))
        var batches = 0, epochs: [Int] = []
        let history = try trainer.fit(inputs: data.inputs, targets: data.targets) { event in
            switch event {
            case let .batchEnded(_, _, batchCount, loss):
                XCTAssertEqual(batchCount, 11)
                XCTAssertTrue(loss.isFinite)
                batches += 1
            case let .epochEnded(record, total):
                XCTAssertEqual(total, 3)
                epochs.append(record.epoch)
            }
        }
        XCTAssertEqual(batches, 33)
        XCTAssertEqual(epochs, [1, 2, 3])
        XCTAssertEqual(history.epochs.map(\.learningRate), [0.01, 0.01, 0.005])
        XCTAssertNil(history.bestEpoch, "no validation data, no best epoch")
        XCTAssertEqual(trainer.optimizer.learningRate, 0.01, "the base rate is restored after training")
    }

    func testSoftmaxClassifierTrains() throws {
        // Three Gaussian blobs; a small network must separate them almost perfectly.
        var generator = SeededGenerator(seed: 3)
        let centres: [(Float, Float)] = [(-2, 0), (2, 0), (0, 2.5)]
        var xs = [Float](), labels = [Int]()
        for index in 0..<300 {
            let label = index % 3
            xs += [centres[label].0 + Float(generator.nextGaussian()) * 0.5,
                   centres[label].1 + Float(generator.nextGaussian()) * 0.5]
            labels.append(label)
        }
        let inputs = Tensor(shape: [300, 2], scalars: xs)
        let network = try Sequential(spec: .multilayerPerceptron(inputs: 2, hidden: [16], outputs: 3,
                                                                 activation: .tanh), seed: 5)
        let trainer = Trainer(network: network, loss: SoftmaxCrossEntropy(), optimizer: Adam(learningRate: 0.05),
                              configuration: TrainingConfiguration(epochs: 30, batchSize: 32, seed: 1))
        _ = try trainer.fit(inputs: inputs, targets: SoftmaxCrossEntropy.targets(classes: labels))
        let predicted = network.predict(inputs).argmaxOfRows()
        let accuracy = Double(zip(predicted, labels).filter { $0 == $1 }.count) / 300
        XCTAssertGreaterThan(accuracy, 0.97)
    }

    func testBadInputsGiveClearErrors() throws {
        let data = TrainingTestSupport.nonlinearRegression(rows: 20, seed: 1)
        let trainer = Trainer(network: try makeMLP(seed: 1, hidden: [4]), loss: SquaredErrorLoss(), optimizer: Adam(),
                              configuration: TrainingConfiguration(epochs: 1, batchSize: 8))
        XCTAssertThrowsError(try trainer.fit(inputs: data.inputs, targets: data.targets.rows(in: 0..<19))) {
            XCTAssertEqual("\($0)", "training set: 20 input rows but 19 target rows")
        }
        var poisoned = data.inputs
        poisoned.scalars[13] = .infinity
        XCTAssertThrowsError(try trainer.fit(inputs: poisoned, targets: data.targets)) {
            XCTAssertEqual($0 as? TrainingError, .nonFiniteInput(set: "training", row: 6))
        }
        XCTAssertThrowsError(try trainer.fit(inputs: Tensor(zeros: [20, 3]), targets: data.targets)) {
            XCTAssertEqual("\($0)", "layer 0: Dense(2 → 4) expects input [batch, 2], got shape [20, 3]")
        }
        trainer.configuration.earlyStopping = EarlyStopping()
        XCTAssertThrowsError(try trainer.fit(inputs: data.inputs, targets: data.targets)) {
            XCTAssertTrue("\($0)".contains("validation data is required"), "\($0)")
        }
        trainer.configuration.earlyStopping = nil
        trainer.configuration.batchSize = 0
        XCTAssertThrowsError(try trainer.fit(inputs: data.inputs, targets: data.targets)) {
            XCTAssertEqual("\($0)", "training configuration 'batchSize': must be positive, got 0")
        }
        trainer.configuration.batchSize = 8
        trainer.configuration.validationFraction = 0.5
        XCTAssertThrowsError(try trainer.fit(inputs: data.inputs, targets: data.targets,
                                             validation: (data.inputs, data.targets))) {
            XCTAssertEqual($0 as? TrainingError, .conflictingValidation)
        }
        let diverging = Trainer(network: try makeMLP(seed: 1, hidden: [4]), loss: SquaredErrorLoss(),
                                optimizer: SGD(learningRate: 1e6), configuration: TrainingConfiguration(epochs: 50, batchSize: 4))
        XCTAssertThrowsError(try diverging.fit(inputs: data.inputs, targets: data.targets * 1000)) {
            XCTAssertTrue("\($0)".hasPrefix("training diverged"), "\($0)")
        }
    }
}
