import SolutionKit

/// Price prediction: regression of a numeric target (a house price, by default) from tabular features.
///
/// Datasets: `sample` (a slice of California housing shipped in `samples/`), `california` (the whole file from the
/// shared datasets folder) and any CSV with `--data FILE --target COLUMN`. Recipes: `mlp`, `ridge`.
public struct PricePredictionPlugin: DomainPlugin {
    public init() {}

    public let id = "price-prediction"
    public let version = "1.0.0"
    public let summary = "Predicts a numeric price from tabular features (California housing by default)."

    public var datasets: [DatasetDescriptor] { PriceDatasets.descriptors }
    public var dataOptions: [DataOptionDescriptor] { DataOptionDescriptor.split + DataOptionDescriptor.columns }
    public var recipes: [Recipe] { PriceRecipes.all }

    public var metrics: [MetricDescriptor] {
        [
            MetricDescriptor(name: "rmse", summary: "root mean squared error, in target units", higherIsBetter: false, isPrimary: true),
            MetricDescriptor(name: "mae", summary: "mean absolute error, in target units", higherIsBetter: false),
            MetricDescriptor(name: "r2", summary: "coefficient of determination", higherIsBetter: true),
            MetricDescriptor(name: "mape", summary: "mean absolute percentage error (rows with a zero target left out)", higherIsBetter: false),
        ]
    }

    public func load(_ request: DataRequest) throws -> any DomainDataset {
        try PriceDatasets.load(request, plugin: self)
    }

    public func train(_ configuration: RecipeConfiguration, on data: any DomainDataset,
                      context: RunContext) throws -> any TrainedModel {
        try PriceModel.train(configuration, on: try PriceDataset.cast(data), context: context)
    }

    public func evaluate(_ model: any TrainedModel, on data: any DomainDataset,
                         context: RunContext) throws -> MetricReport {
        try PriceEvaluation.evaluate(try PriceModel.cast(model), on: try PriceDataset.cast(data), context: context)
    }

    public func model(from bundle: ModelBundle) throws -> any TrainedModel {
        try PriceModel(bundle: bundle, plugin: self)
    }

    public func scorer(for bundle: ModelBundle) throws -> any BatchScorer {
        let model = try PriceModel(bundle: bundle, plugin: self)
        return TabularBatchScorer(preprocessor: model.preprocessor, predictor: model)
    }
}
