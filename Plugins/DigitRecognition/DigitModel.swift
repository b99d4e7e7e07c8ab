import Foundation
import SolutionKit

/// A trained digit classifier: the network, the class names and how raw images reach its input.
final class DigitModel: TrainedModel {
    let configuration: RecipeConfiguration
    let network: Sequential
    let classNames: [String]
    let inputHeight: Int
    let inputWidth: Int
    let normalizer: DigitNormalizer
    let history: TrainingCurves?
    /// Seconds per epoch, for benchmarks and the report.
    let epochSeconds: [Double]

    init(configuration: RecipeConfiguration, network: Sequential, classNames: [String], inputHeight: Int, inputWidth: Int,
         normalizer: DigitNormalizer, history: TrainingCurves?, epochSeconds: [Double] = []) {
        self.configuration = configuration
        self.network = network
        self.classNames = classNames
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.normalizer = normalizer
        self.history = history
        self.epochSeconds = epochSeconds
    }

    static func cast(_ model: any TrainedModel) throws -> DigitModel {
        guard let model = model as? DigitModel else {
            throw InternalError("digit-recognition was handed a model of type \(type(of: model))")
        }
        return model
    }

    /// Class probabilities `[count, classes]` for `[count, 1, height, width]` images (softmax of the logits).
    func probabilities(_ images: Tensor, batchSize: Int = 256) -> Tensor {
        var logits = network.predict(images, batchSize: batchSize)
        let classes = logits.columns
        logits.scalars.withUnsafeMutableBufferPointer { z in
            for row in 0..<(classes == 0 ? 0 : z.count / classes) {
                let base = row * classes
                var maximum = z[base]
                for c in 1..<classes { maximum = max(maximum, z[base + c]) }
                var sum: Float = 0
                for c in 0..<classes { z[base + c] = Foundation.exp(z[base + c] - maximum); sum += z[base + c] }
                for c in 0..<classes { z[base + c] /= sum }
            }
        }
        return logits
    }

    // MARK: Training

    static func train(_ configuration: RecipeConfiguration, on data: DigitDataset, context: RunContext) throws -> DigitModel {
        guard !data.split.train.isEmpty else {
            throw DataRequestError("\(data.source): this dataset holds evaluation images only; it cannot be trained on")
        }
        let specs = try DigitRecipes.layers(configuration, height: data.height, width: data.width, classes: data.classNames.count)
        let network = try Sequential(spec: NetworkSpec(layers: specs), seed: context.seed)
        // Nothing consumes the gradient with respect to the images themselves.
        (network.layers.first as? Conv2D)?.computesInputGradient = false
        let (images, labels) = data.subset(data.split.train)
        let targets = SoftmaxCrossEntropy.targets(classes: labels)
        let epochs = try configuration.integer("epochs")
        let baseRate = Float(try configuration.real("learning_rate"))
        let schedule: LearningRateSchedule = try configuration.text("schedule") == "cosine"
            ? .cosine(epochs: epochs, minimum: baseRate * 0.01) : .constant
        let shift = try configuration.integer("shift")
        let optimizer = Adam(learningRate: baseRate)
        let trainer = Trainer(network: network, loss: SoftmaxCrossEntropy(), optimizer: optimizer,
                              configuration: TrainingConfiguration(epochs: 1, batchSize: try configuration.integer("batch_size"),
                                                                   shuffle: true, seed: context.seed,
                                                                   blasThreads: max(1, context.threads)))
        var losses: [Double] = [], seconds: [Double] = [], rates: [Double] = []
        // The evaluation curve beside the training curve: up to 2,000 evaluation images (evenly spaced, so the same
        // every run), scored after each epoch. For the report only: nothing in training looks at them.
        let monitored = data.split.test.count <= 2_000 ? data.split.test
            : (0..<2_000).map { data.split.test[$0 * data.split.test.count / 2_000] }
        let (monitorImages, monitorLabels) = data.subset(monitored)
        let monitorTargets = SoftmaxCrossEntropy.targets(classes: monitorLabels)
        var evaluationLosses: [Double] = []
        var augmented = images
        context.progress.begin("training \(configuration.recipe)", total: epochs, unit: "epoch")
        for epoch in 0..<epochs {
            // One epoch per `fit`: each epoch gets its own shuffle seed and, with `shift`, freshly shifted images.
            optimizer.learningRate = schedule.rate(base: baseRate, epoch: epoch)
            trainer.configuration.seed = context.seed &+ UInt64(epoch) &* 0x9E37_79B9
            if shift > 0 {
                var generator = context.generator(stream: 0x5_41F7 &+ UInt64(epoch))
                ImageAugmentation.randomShift(images, maximum: shift, into: &augmented, using: &generator)
            }
            let started = Date()
            let history = try trainer.fit(inputs: augmented, targets: targets)
            seconds.append(Date().timeIntervalSince(started))
            losses.append(history.trainLoss.last ?? .nan)
            rates.append(Double(optimizer.learningRate))
            if !monitored.isEmpty {
                let logits = network.predict(monitorImages, batchSize: 256)
                evaluationLosses.append(SoftmaxCrossEntropy().value(predictions: logits, targets: monitorTargets))
            }
            context.progress.advance()
        }
        context.progress.finish()
        var series: [TrainingCurves.Series] = [.init(name: "train_softmax_cross_entropy", values: losses)]
        if !evaluationLosses.isEmpty {
            series.append(.init(name: "evaluation_softmax_cross_entropy (\(monitored.count) images)", values: evaluationLosses))
        }
        return DigitModel(configuration: configuration, network: network, classNames: data.classNames,
                          inputHeight: data.height, inputWidth: data.width, normalizer: data.normalizer,
                          history: TrainingCurves(series: series, learningRates: rates),
                          epochSeconds: seconds)
    }

    // MARK: Bundles

    struct InputDescription: Codable, Equatable {
        var height: Int
        var width: Int
        var classes: [String]
        var normalizer: DigitNormalizer
    }

    func bundleContents() throws -> BundleContents {
        let input = InputDescription(height: inputHeight, width: inputWidth, classes: classNames, normalizer: normalizer)
        var contents = BundleContents(
            inputSchema: try JSONValue(encoding: input),
            manifestFields: ["classes": .array(classNames.map { .string($0) })])
        try contents.addJSONFile("input.json", input)
        try contents.addJSONFile("network.json", network.networkSpec)
        contents.arrays = network.namedState().map {
            NamedArray(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.scalars)
        }
        return contents
    }

    /// Reads a bundle: the image size, classes and normalisation are checked before the network is rebuilt from
    /// them, and the network only once its stored weights back every layer size (`ModelBundle.network`).
    convenience init(bundle: ModelBundle, plugin: DigitRecognitionPlugin) throws {
        let configuration = try bundle.configuration(for: plugin)
        let input = try bundle.decodeJSONFile("input.json", as: InputDescription.self)
        try input.check(bundle.check("input.json"))
        let network = try bundle.network(inputShape: [1, 1, input.height, input.width],
                                         outputShape: [1, input.classes.count], includingBuffers: true)
        self.init(configuration: configuration, network: network, classNames: input.classes, inputHeight: input.height,
                  inputWidth: input.width, normalizer: input.normalizer, history: nil)
    }
}

extension DigitModel.InputDescription {
    func check(_ check: BundleCheck) throws {
        let side = BundleLimits.maximumImageSide
        try check.at("height").within(height, 1...side)
        try check.at("width").within(width, 1...side)
        try check.at("classes").require(classes.count >= 2, "a classifier needs at least 2 classes, found \(classes.count)")
        try check.at("classes").unique(classes)
        let normalizer = check.at("normalizer")
        try normalizer.at("fieldSize").within(self.normalizer.fieldSize, 1...side)
        try normalizer.at("boxSize").within(self.normalizer.boxSize, 1...self.normalizer.fieldSize)
        try normalizer.at("inkThreshold").within(self.normalizer.inkThreshold, 0...1)
        // The scorer hands the network fieldSize² normalised pixels per image.
        try normalizer.at("fieldSize").require(self.normalizer.fieldSize * self.normalizer.fieldSize == height * width,
                                               "\(self.normalizer.fieldSize)² pixels do not fill the model's \(height)×\(width) input")
    }
}
