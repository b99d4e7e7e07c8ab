import Foundation
import SolutionKit

/// How the target is transformed before learning and back after predicting.
struct TargetEncoding: Codable, Equatable {
    var name: String
    var transform: TargetTransform
    /// Standardisation after the transform (networks learn better on a unit-scale target); identity for ridge.
    var mean: Double
    var scale: Double

    func encode(_ targets: [Double]) throws -> [Double] {
        try transform.forward(targets).map { ($0 - mean) / scale }
    }

    func decode(_ output: Double) -> Double {
        transform.inverse(output * scale + mean)
    }
}

/// The learner behind a price model.
enum PriceEstimator {
    case ridge(RidgeRegressionModel)
    case mlp(Sequential)
    /// Boosted trees, with the flattened predictor used for scoring.
    case gbdt(GradientBoostedModel, ForestScorer)
    /// Boosted trees with a prediction interval from two quantile models.
    case gbdtInterval(QuantileIntervalModel)

    func predictEncoded(_ features: Tensor) throws -> [Double] {
        switch self {
        case .ridge(let model):
            return try model.predict(features)
        case .mlp(let network):
            return network.predict(features, batchSize: 4096).scalars.map(Double.init)
        case .gbdt(_, let predictor):
            return try predictor.predictions(for: features)
        case .gbdtInterval(let interval):
            return try interval.intervals(for: features).map(\.point)
        }
    }
}

/// A trained price model: the fitted preprocessing, the target encoding and the estimator.
final class PriceModel: TrainedModel, TabularPredictor {
    let configuration: RecipeConfiguration
    let preprocessor: TabularPreprocessor
    let target: TargetEncoding
    let estimator: PriceEstimator
    let history: TrainingCurves?

    init(configuration: RecipeConfiguration, preprocessor: TabularPreprocessor, target: TargetEncoding,
         estimator: PriceEstimator, history: TrainingCurves?) {
        self.configuration = configuration
        self.preprocessor = preprocessor
        self.target = target
        self.estimator = estimator
        self.history = history
    }

    static func cast(_ model: any TrainedModel) throws -> PriceModel {
        guard let model = model as? PriceModel else {
            throw InternalError("price-prediction was handed a model of type \(type(of: model))")
        }
        return model
    }

    // MARK: Prediction

    var outputColumns: [String] {
        if case .gbdtInterval = estimator { return ["prediction", "lower", "upper"] }
        return ["prediction"]
    }

    /// Predictions in target units for preprocessed feature rows.
    func predictTargets(_ features: Tensor) throws -> [Double] {
        try estimator.predictEncoded(features).map(target.decode)
    }

    func predict(features: Tensor) throws -> TabularPredictions {
        guard case .gbdtInterval(let interval) = estimator else {
            return TabularPredictions(columns: [(name: "prediction", values: .numbers(try predictTargets(features)))])
        }
        let rows = try interval.intervals(for: features)
        return TabularPredictions(columns: [
            (name: "prediction", values: .numbers(rows.map { target.decode($0.point) })),
            (name: "lower", values: .numbers(rows.map { target.decode($0.lower) })),
            (name: "upper", values: .numbers(rows.map { target.decode($0.upper) })),
        ])
    }

    /// `(lower, upper)` in target units when the model has a prediction interval.
    func intervals(_ features: Tensor) throws -> [(lower: Double, upper: Double)]? {
        guard case .gbdtInterval(let interval) = estimator else { return nil }
        return try interval.intervals(for: features).map { (target.decode($0.lower), target.decode($0.upper)) }
    }

    // MARK: Training

    static func train(_ configuration: RecipeConfiguration, on data: PriceDataset,
                      context: RunContext) throws -> PriceModel {
        guard !data.split.train.isEmpty else {
            throw DataRequestError("\(data.source): this dataset holds evaluation rows only; it cannot be trained on")
        }
        let transform: TargetTransform = try configuration.boolean("log_target") ? .log1p : .identity
        if transform == .log1p, let bad = data.split.train.first(where: { !(data.targets[$0] > -1) }) {
            throw DataRequestError("\(data.features.location(ofRow: bad)): the target '\(data.targetName)' is \(data.targets[bad]); "
                                   + "log_target=true learns log(1 + target), which needs targets above -1")
        }
        if configuration.recipe == "gbdt" {
            return try PriceBoosting.train(configuration, data: data, transform: transform, context: context)
        }
        let policy = UnseenCategoryPolicy(rawValue: try configuration.text("unseen_categories")) ?? .reject
        let preprocessor = try TabularPreprocessor(fittingOn: data.features, rows: data.split.train,
                                                   unseenCategories: policy,
                                                   compressingSkew: try configuration.boolean("log_skewed_features"))
        let features = try preprocessor.transform(try data.features.selectingRows(data.split.train))
        let rawTargets = data.split.train.map { data.targets[$0] }

        switch configuration.recipe {
        case "ridge":
            let encoding = TargetEncoding(name: data.targetName, transform: transform, mean: 0, scale: 1)
            let targets = try encoding.encode(rawTargets)
            var configuration = configuration
            if try configuration.text("alpha_selection") == "loo" {
                let selection = try RidgeLeaveOneOut().select(features, targets: targets)
                context.progress.note("ridge: alpha \(selection.alpha) chosen by exact leave-one-out on the training rows")
                configuration.values["alpha"] = .real(selection.alpha)
            }
            context.progress.note("ridge: exact solve on \(features.rows) rows × \(features.columns) features")
            let model = try RidgeRegression(alpha: try configuration.real("alpha")).fit(features, targets: targets)
            return PriceModel(configuration: configuration, preprocessor: preprocessor, target: encoding,
                              estimator: .ridge(model), history: nil)
        case "mlp":
            return try trainNetwork(configuration, features: features, rawTargets: rawTargets, transform: transform,
                                    targetName: data.targetName, preprocessor: preprocessor, context: context)
        default:
            throw ConfigurationError.unknownRecipe(configuration.recipe, plugin: "price-prediction",
                                                   known: PriceRecipes.all.map(\.name))
        }
    }

    private static func trainNetwork(_ configuration: RecipeConfiguration, features: Tensor, rawTargets: [Double],
                                     transform: TargetTransform, targetName: String,
                                     preprocessor: TabularPreprocessor, context: RunContext) throws -> PriceModel {
        let transformed = try transform.forward(rawTargets)
        let mean = transformed.reduce(0, +) / Double(transformed.count)
        let variance = transformed.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(transformed.count)
        let encoding = TargetEncoding(name: targetName, transform: transform, mean: mean,
                                      scale: variance > 0 ? variance.squareRoot() : 1)
        let encoded = try encoding.encode(rawTargets)

        let hidden = try PriceRecipes.hiddenLayers(try configuration.text("hidden_layers"))
        let spec = NetworkSpec.multilayerPerceptron(inputs: features.columns, hidden: hidden, outputs: 1)
        let network = try Sequential(spec: spec, seed: context.seed)
        let weightDecay = try configuration.real("weight_decay")
        let learningRate = Float(try configuration.real("learning_rate"))
        let optimizer: Adam = weightDecay > 0
            ? Adam.adamW(learningRate: learningRate, weightDecay: Float(weightDecay))
            : Adam(learningRate: learningRate)
        let epochs = try configuration.integer("epochs")
        let trainer = Trainer(
            network: network, loss: SquaredErrorLoss(), optimizer: optimizer,
            configuration: TrainingConfiguration(
                epochs: epochs, batchSize: try configuration.integer("batch_size"), shuffle: true,
                seed: context.seed, validationFraction: try configuration.real("validation_fraction"),
                earlyStopping: EarlyStopping(patience: try configuration.integer("patience"), restoreBestWeights: true),
                schedule: try configuration.text("schedule") == "cosine" ? .cosine(epochs: epochs, minimum: learningRate * 0.01) : .constant))

        context.progress.begin("training mlp", total: epochs, unit: "epoch")
        let history = try trainer.fit(
            inputs: features, targets: Tensor(shape: [encoded.count, 1], scalars: encoded.map(Float.init)),
            progress: { event in
                if case .epochEnded = event { context.progress.advance() }
            })
        if history.stoppedEarly, let best = history.bestEpoch {
            context.progress.note("early stopping after epoch \(history.epochs.count); kept epoch \(best)")
        }
        context.progress.finish()
        return PriceModel(configuration: configuration, preprocessor: preprocessor, target: encoding,
                          estimator: .mlp(network), history: history.curves)
    }

    // MARK: Bundles

    func bundleContents() throws -> BundleContents {
        var contents = BundleContents(inputSchema: try JSONValue(encoding: preprocessor.inputSchema),
                                      manifestFields: ["target": .string(target.name)])
        try contents.addJSONFile("preprocessing.json", preprocessor)
        try contents.addJSONFile("target.json", target)
        switch estimator {
        case .ridge(let model):
            try contents.addJSONFile("ridge.json", model)
        case .mlp(let network):
            try contents.addJSONFile("network.json", network.networkSpec)
            contents.arrays = network.namedParameters().map {
                NamedArray(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.scalars)
            }
        case .gbdt(let model, _):
            contents.jsonFiles["trees.json"] = try model.jsonData()
        case .gbdtInterval(let interval):
            try contents.addJSONFile("interval.json", interval)
        }
        return contents
    }

    /// Reads a bundle, checking every part against the others before anything is built (see `BundleCheck`).
    convenience init(bundle: ModelBundle, plugin: PricePredictionPlugin) throws {
        let configuration = try bundle.configuration(for: plugin)
        let preprocessor = try bundle.decodeJSONFile("preprocessing.json", as: TabularPreprocessor.self)
        try preprocessor.check(bundle.check("preprocessing.json"))
        let width = preprocessor.featureCount
        let target = try bundle.decodeJSONFile("target.json", as: TargetEncoding.self)
        try bundle.check("target.json").at("mean").finite(target.mean)
        try bundle.check("target.json").at("scale").positive(target.scale)
        let estimator: PriceEstimator
        switch configuration.recipe {
        case "ridge":
            let model = try bundle.decodeJSONFile("ridge.json", as: RidgeRegressionModel.self)
            let check = bundle.check("ridge.json")
            try check.at("coefficients").count(model.coefficients.count, expected: width, of: "coefficients for the preprocessing's features")
            try check.at("coefficients").allFinite(model.coefficients)
            try check.at("intercept").finite(model.intercept)
            estimator = .ridge(model)
        case "mlp":
            estimator = .mlp(try bundle.network(inputShape: [1, width], outputShape: [1, 1], includingBuffers: false))
        case "gbdt":
            if bundle.jsonFiles["interval.json"] != nil {
                let interval = try bundle.intervalModel("interval.json")
                try bundle.check("interval.json").at("point").at("featureCount").require(
                    interval.point.featureCount == width, "\(interval.point.featureCount) features; the preprocessing gives \(width)")
                estimator = .gbdtInterval(interval)
            } else {
                let model = try bundle.boostedModel("trees.json")
                try bundle.check("trees.json").at("featureCount").require(
                    model.featureCount == width, "\(model.featureCount) features; the preprocessing gives \(width)")
                estimator = .gbdt(model, try model.forestScorer())
            }
        default:
            throw ConfigurationError.unknownRecipe(configuration.recipe, plugin: plugin.id,
                                                   known: PriceRecipes.all.map(\.name))
        }
        self.init(configuration: configuration, preprocessor: preprocessor, target: target,
                  estimator: estimator, history: nil)
    }
}
