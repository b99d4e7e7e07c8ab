import SolutionKit

/// The recipes and their documented hyperparameters. The first recipe is the default of `run`.
enum DigitRecipes {
    static let all: [Recipe] = [cnn, cnnDeep, mlp]

    static func shared(epochs: Int) -> [HyperparameterSpec] {
        [
            .integer("epochs", default: epochs, in: 1...1000, "passes over the training images"),
            .integer("batch_size", default: 128, in: 1...8192, "images per gradient step"),
            .real("learning_rate", default: 0.001, in: 1e-6...1, "Adam's step size"),
            .choice("schedule", default: "constant", from: ["constant", "cosine"],
                    "learning rate over the epochs: constant, or cosine decay to 1% of learning_rate"),
            .integer("shift", default: 0, in: 0...4,
                     "random-shift augmentation: each training image moved by up to this many pixels per epoch (0: off)"),
        ]
    }

    /// What `tune` searches for every digit recipe: the optimiser's step and schedule, augmentation and length.
    static let sharedSpace: [SearchDimension] = [
        .real("learning_rate", 3e-4...3e-3, log: true),
        .choice("schedule", [.text("constant"), .text("cosine")]),
        .integer("shift", 0...2),
        .choice("batch_size", [.integer(32), .integer(64), .integer(128)]),
    ]

    static let cnn = Recipe(
        name: "cnn",
        summary: "Conv 32 3×3 ReLU, MaxPool 2, Dense 128 ReLU, Dense 10; Adam on softmax cross-entropy",
        hyperparameters: shared(epochs: 12) + [
            .boolean("batch_norm", default: false, "batch normalisation after each convolution"),
        ],
        searchSpace: SearchSpace(sharedSpace + [.choice("batch_norm", [.boolean(false), .boolean(true)])]))

    static let cnnDeep = Recipe(
        name: "cnn-deep",
        summary: "Conv 32 3×3, Conv 64 3×3, MaxPool 2, Dropout 0.25, Dense 128, Dropout 0.5, Dense 10 (ReLU); Adam",
        hyperparameters: shared(epochs: 12) + [
            .boolean("batch_norm", default: false, "batch normalisation after each convolution"),
            .real("dropout", default: 0.25, in: 0...0.9, "dropout after the pooling (the dense dropout is twice this, at most 0.9)"),
        ],
        searchSpace: SearchSpace(sharedSpace + [.real("dropout", 0...0.5)]))

    static let mlp = Recipe(
        name: "mlp",
        summary: "pixels → Dense 256 ReLU → Dense 128 ReLU → Dense 10; Adam on softmax cross-entropy",
        hyperparameters: shared(epochs: 20), searchSpace: SearchSpace(sharedSpace))

    /// The layers of a recipe for images of `height × width` and `classes` outputs.
    static func layers(_ configuration: RecipeConfiguration, height: Int, width: Int, classes: Int) throws -> [LayerSpec] {
        func convBlock(_ input: Int, _ filters: Int, _ batchNorm: Bool) -> [LayerSpec] {
            [.conv2D(inputChannels: input, filters: filters, kernelSize: 3, padding: 0, initializer: .heNormal)]
                + (batchNorm ? [.batchNorm(features: filters, momentum: 0.1, epsilon: 1e-5)] : []) + [.relu]
        }
        switch configuration.recipe {
        case "cnn":
            guard height >= 4, width >= 4 else { throw tooSmall(height, width, minimum: 4) }
            let flat = 32 * ((height - 2) / 2) * ((width - 2) / 2)
            return convBlock(1, 32, try configuration.boolean("batch_norm")) + [
                .maxPool2D(size: 2), .flatten,
                .dense(inputs: flat, outputs: 128, initializer: .heNormal), .relu,
                .dense(inputs: 128, outputs: classes, initializer: .glorotUniform),
            ]
        case "cnn-deep":
            guard height >= 6, width >= 6 else { throw tooSmall(height, width, minimum: 6) }
            let batchNorm = try configuration.boolean("batch_norm")
            let rate = Float(try configuration.real("dropout"))
            let flat = 64 * ((height - 4) / 2) * ((width - 4) / 2)
            return convBlock(1, 32, batchNorm) + convBlock(32, 64, batchNorm) + [
                .maxPool2D(size: 2), .dropout(rate: rate), .flatten,
                .dense(inputs: flat, outputs: 128, initializer: .heNormal), .relu, .dropout(rate: min(0.9, 2 * rate)),
                .dense(inputs: 128, outputs: classes, initializer: .glorotUniform),
            ]
        case "mlp":
            return [.flatten] + NetworkSpec.multilayerPerceptron(inputs: height * width, hidden: [256, 128], outputs: classes).layers
        default:
            throw ConfigurationError.unknownRecipe(configuration.recipe, plugin: "digit-recognition", known: all.map(\.name))
        }
    }

    static func tooSmall(_ height: Int, _ width: Int, minimum: Int) -> DataRequestError {
        DataRequestError("images of \(height)×\(width) are too small for this recipe (at least \(minimum)×\(minimum))")
    }
}
