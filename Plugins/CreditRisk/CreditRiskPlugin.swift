import SolutionKit

/// Credit risk: the probability that an applicant goes bad, a points score, a cost-based decision and the reasons.
///
/// Datasets: `sample` and `german` (UCI German credit, shipped in `samples/`), `give-me-some-credit` (the shared
/// datasets folder) and any CSV with `--data FILE --target COLUMN [--option positive=VALUE]`. Recipes: `scorecard`,
/// `logistic`, `gbdt`, `mlp`. Bad (the positive class) is the outcome whose probability is predicted.
public struct CreditRiskPlugin: DomainPlugin {
    public init() {}

    public let id = "credit-risk"
    public let version = "1.0.0"
    public let summary = "Credit scoring: probability of default, points scorecards, cost-based decisions and reason codes."

    public var datasets: [DatasetDescriptor] { CreditDatasets.descriptors }
    public var dataOptions: [DataOptionDescriptor] { DataOptionDescriptor.split + DataOptionDescriptor.columns }
    public var recipes: [Recipe] { CreditRecipes.all }

    public var metrics: [MetricDescriptor] {
        [
            MetricDescriptor(name: "roc_auc", summary: "area under the ROC curve of the probability of default", higherIsBetter: true, isPrimary: true),
            MetricDescriptor(name: "gini", summary: "2 * AUC - 1", higherIsBetter: true),
            MetricDescriptor(name: "ks", summary: "Kolmogorov-Smirnov distance between the score distributions of goods and bads", higherIsBetter: true),
            MetricDescriptor(name: "brier", summary: "mean squared error of the probability of default", higherIsBetter: false),
            MetricDescriptor(name: "log_loss", summary: "binary cross-entropy of the probability of default", higherIsBetter: false),
            MetricDescriptor(name: "expected_cost", summary: "mean cost per applicant of the decisions (cost_fn per bad accepted, cost_fp per good declined)", higherIsBetter: false),
            MetricDescriptor(name: "threshold", summary: "the decline threshold on the probability of default, set on the training rows", higherIsBetter: false),
            MetricDescriptor(name: "decline_rate", summary: "share of applicants declined", higherIsBetter: false),
        ]
    }

    public func load(_ request: DataRequest) throws -> any DomainDataset {
        try CreditDatasets.load(request, plugin: self)
    }

    public func train(_ configuration: RecipeConfiguration, on data: any DomainDataset,
                      context: RunContext) throws -> any TrainedModel {
        try CreditTraining.train(configuration, on: try CreditDataset.cast(data), context: context)
    }

    public func evaluate(_ model: any TrainedModel, on data: any DomainDataset,
                         context: RunContext) throws -> MetricReport {
        try CreditEvaluation.evaluate(try CreditModel.cast(model), on: try CreditDataset.cast(data), context: context)
    }

    public func model(from bundle: ModelBundle) throws -> any TrainedModel {
        try CreditModel(bundle: bundle, plugin: self)
    }

    public func scorer(for bundle: ModelBundle) throws -> any BatchScorer {
        return CreditScorer(model: try CreditModel(bundle: bundle, plugin: self))
    }
}

/// The tabular batch scorer with the plugin's option `reasons=all|declined|none` (default all): reason codes for
/// every applicant, only for declined ones (faster on large files), or none.
struct CreditScorer: BatchScorer {
    let model: CreditModel

    func score(_ input: any ByteSource, into output: OutputSink, rejects: OutputSink?,
               options: ScoringOptions) throws -> ScoringSummary {
        let text = options.values["reasons"] ?? "all"
        guard let rows = CreditModel.ReasonRows(rawValue: text) else {
            throw ConfigurationError.badValue(key: "reasons", value: text, source: "--option", allowed: "one of: all, declined, none")
        }
        var tabularOptions = options
        tabularOptions.values["reasons"] = nil
        return try TabularBatchScorer(preprocessor: model.preprocessor, predictor: model.with(reasonRows: rows))
            .score(input, into: output, rejects: rejects, options: tabularOptions)
    }
}
