import SolutionKit

/// Recommendation: predicted ratings and top-N lists from a ratings log (user, item, rating, time).
///
/// Datasets: `sample` (synthetic ratings shipped in `samples/`), `movielens-100k` (the shared folder, official
/// folds) and any ratings file with `--data`. Recipes: `bayes-mf` (default), `mf`, `als`, `baseline`, `popularity`,
/// `item-knn`, `ease`, `ials`, `rp3beta`, `slim`, `blend`. Scoring takes user ids and returns top-k unseen items, or ratings for (user, item) pairs.
public struct RecommendationPlugin: DomainPlugin {
    public init() {}

    public let id = "recommendation"
    public let version = "1.0.0"
    public let summary = "Predicts ratings and recommends unseen items from a ratings log (MovieLens by default)."

    public var datasets: [DatasetDescriptor] { RecommendationDatasets.descriptors }
    public var recipes: [Recipe] { RecommendationRecipes.all }
    /// `--recipe auto` is judged on RMSE, the primary metric: the rating predictors only (top-N recipes rate through
    /// the baseline and would be judged on what they do not optimise).
    public var selectionRecipes: [String] { ["bayes-mf", "mf", "als", "baseline", "item-knn"] }

    public var metrics: [MetricDescriptor] {
        [
            MetricDescriptor(name: "rmse", summary: "root mean squared error of the predicted evaluation ratings", higherIsBetter: false, isPrimary: true),
            MetricDescriptor(name: "mae", summary: "mean absolute error of the predicted evaluation ratings", higherIsBetter: false),
            MetricDescriptor(name: "precision@10", summary: "relevant (rating ≥ 4) evaluation items among the top 10 unseen, / 10", higherIsBetter: true),
            MetricDescriptor(name: "recall@10", summary: "relevant evaluation items found in the top 10, / relevant items", higherIsBetter: true),
            MetricDescriptor(name: "ndcg@10", summary: "normalised discounted cumulative gain of the top 10, binary relevance", higherIsBetter: true),
            MetricDescriptor(name: "coverage@10", summary: "share of the catalogue appearing in some user's top 10", higherIsBetter: true),
            MetricDescriptor(name: "novelty@10", summary: "mean self-information log2(users / raters) of the recommended items, in bits", higherIsBetter: true),
        ]
    }

    public func load(_ request: DataRequest) throws -> any DomainDataset {
        try RecommendationDatasets.load(request, plugin: self)
    }

    public func train(_ configuration: RecipeConfiguration, on data: any DomainDataset,
                      context: RunContext) throws -> any TrainedModel {
        try RecommendationModel.train(configuration, on: try RecommendationDataset.cast(data), context: context)
    }

    public func evaluate(_ model: any TrainedModel, on data: any DomainDataset,
                         context: RunContext) throws -> MetricReport {
        try RecommendationEvaluation.evaluate(try RecommendationModel.cast(model), on: try RecommendationDataset.cast(data))
    }

    public func model(from bundle: ModelBundle) throws -> any TrainedModel {
        try RecommendationModel(bundle: bundle, plugin: self)
    }

    public func scorer(for bundle: ModelBundle) throws -> any BatchScorer {
        RecommendationScorer(model: try RecommendationModel(bundle: bundle, plugin: self))
    }
}
