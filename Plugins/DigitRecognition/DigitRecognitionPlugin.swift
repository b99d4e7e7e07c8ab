import SolutionKit

/// Digit recognition: convolutional networks (and an MLP) on MNIST-style images, trained on IDX files, image
/// folders or sklearn's 8×8 digits, and scoring PNG files of any size.
///
/// Datasets: `sample` (shipped in `samples/`), `mnist`, `sklearn-digits`, and any IDX pair, image folder or
/// digits CSV with `--data`. Recipes: `cnn`, `cnn-deep`, `mlp`.
public struct DigitRecognitionPlugin: DomainPlugin {
    public init() {}

    public let id = "digit-recognition"
    public let version = "1.0.0"
    public let summary = "Recognises handwritten digits in images with convolutional networks (MNIST, PNG folders, IDX)."

    public var datasets: [DatasetDescriptor] { DigitDatasets.descriptors }
    public var recipes: [Recipe] { DigitRecipes.all }

    public var metrics: [MetricDescriptor] {
        [
            MetricDescriptor(name: "accuracy", summary: "share of evaluation images classified correctly", higherIsBetter: true, isPrimary: true),
            MetricDescriptor(name: "macro_f1", summary: "F1 averaged over classes, unweighted", higherIsBetter: true),
            MetricDescriptor(name: "macro_precision", summary: "precision averaged over classes, unweighted", higherIsBetter: true),
            MetricDescriptor(name: "macro_recall", summary: "recall averaged over classes, unweighted", higherIsBetter: true),
        ]
    }

    public func load(_ request: DataRequest) throws -> any DomainDataset {
        try DigitDatasets.load(request, plugin: self)
    }

    public func train(_ configuration: RecipeConfiguration, on data: any DomainDataset,
                      context: RunContext) throws -> any TrainedModel {
        try DigitModel.train(configuration, on: try DigitDataset.cast(data), context: context)
    }

    public func evaluate(_ model: any TrainedModel, on data: any DomainDataset,
                         context: RunContext) throws -> MetricReport {
        try DigitEvaluation.evaluate(try DigitModel.cast(model), on: try DigitDataset.cast(data))
    }

    public func model(from bundle: ModelBundle) throws -> any TrainedModel {
        try DigitModel(bundle: bundle, plugin: self)
    }

    public func scorer(for bundle: ModelBundle) throws -> any BatchScorer {
        DigitScorer(model: try DigitModel(bundle: bundle, plugin: self))
    }
}
