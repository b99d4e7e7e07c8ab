import Foundation

/// One domain solution (credit risk, digits, prices, ...) as the launcher sees it.
///
/// The contract is deliberately small and uniform, like scikit-learn's estimator contract: a plugin declares
/// what it offers as data (datasets, recipes, metrics) and implements five verbs. The launcher and the
/// conformance suite drive every plugin through exactly these, so a new domain needs nothing else.
public protocol DomainPlugin: Sendable {
    /// The name on the command line, e.g. "price-prediction".
    var id: String { get }
    /// The plugin's own version, recorded in every bundle it writes.
    var version: String { get }
    /// One line saying what the plugin solves.
    var summary: String { get }
    /// Named datasets (`sample` first by convention) and the formats `--data` accepts.
    var datasets: [DatasetDescriptor] { get }
    /// Named model recipes; the first is the default.
    var recipes: [Recipe] { get }
    /// The metrics `evaluate` reports; exactly one is primary.
    var metrics: [MetricDescriptor] { get }
    /// The data options shared by every plugin that apply to this one (`describe` and `run --help` show them).
    var dataOptions: [DataOptionDescriptor] { get }
    /// The recipes `run --recipe auto` chooses among (the default recipe first): those the primary metric judges fairly.
    var selectionRecipes: [String] { get }

    /// Loads a named dataset or a file. Throws `DatasetNotFound` when a named dataset's files are absent.
    func load(_ request: DataRequest) throws -> any DomainDataset
    /// Trains the recipe on the dataset's training part.
    func train(_ configuration: RecipeConfiguration, on data: any DomainDataset,
               context: RunContext) throws -> any TrainedModel
    /// Measures a model on the dataset's evaluation part (the whole of it for evaluation-only data).
    func evaluate(_ model: any TrainedModel, on data: any DomainDataset,
                  context: RunContext) throws -> MetricReport
    /// Rebuilds a model from a verified bundle (used by `evaluate --model`).
    func model(from bundle: ModelBundle) throws -> any TrainedModel
    /// A streaming scorer for a verified bundle (used by `score`).
    func scorer(for bundle: ModelBundle) throws -> any BatchScorer
}

extension DomainPlugin {
    /// By default the split options (`--test`, `split=`, `test_fraction=`); tabular plugins add the column options.
    public var dataOptions: [DataOptionDescriptor] { DataOptionDescriptor.split }

    /// The dataset `run` uses when neither `--dataset` nor `--data` is given: `sample` if declared, else the first.
    public var defaultDatasetName: String? {
        datasets.first(where: { $0.name == "sample" })?.name ?? datasets.first?.name
    }

    /// The recipe `run` uses when `--recipe` is not given.
    public var defaultRecipe: Recipe? { recipes.first }

    /// Every recipe, by default.
    public var selectionRecipes: [String] { recipes.map(\.name) }

    /// The recipe with this name, or an error listing the known ones.
    public func recipe(named name: String) throws -> Recipe {
        guard let recipe = recipes.first(where: { $0.name == name }) else {
            throw ConfigurationError.unknownRecipe(name, plugin: id, known: recipes.map(\.name))
        }
        return recipe
    }

    /// The declared primary metric, if any.
    public var primaryMetric: MetricDescriptor? { metrics.first(where: \.isPrimary) }
}

/// What a dataset loader returns. Plugins downcast to their own concrete type in `train` and `evaluate`.
public protocol DomainDataset {
    /// The dataset's name ("sample", "california", or the file name for `--data`).
    var name: String { get }
    /// Where it came from: a folder or file path, or "generated".
    var source: String { get }
    /// SHA-256 of the input files (see `DatasetFingerprint`), recorded in bundles.
    var fingerprint: String { get }
    /// Rows used for training (0 for evaluation-only data).
    var trainingCount: Int { get }
    /// Rows used for evaluation.
    var evaluationCount: Int { get }
    /// A short description for the report: columns, target, split.
    var summary: String { get }
    /// What loading noticed that the user should read (cells read as missing, ignored test-file columns).
    var notes: [String] { get }
    /// Rows, columns, missing shares and category counts for the report's data section.
    var profile: DataProfile { get }
    /// The training part as cross-validation folds it (its rows, images or ratings, with their classes or users);
    /// nil when this dataset cannot be cross-validated.
    var foldingUnits: FoldingUnits? { get }
    /// This dataset with `training` as its training part and `evaluation` as its evaluation part, both positions
    /// (`0..<trainingCount`) into this dataset's training part: one cross-validation fold. The evaluation part of
    /// `self` is never reached, so selection by folds never sees a test row.
    func refolded(training: [Int], evaluation: [Int]) throws -> any DomainDataset
}

extension DomainDataset {
    public var notes: [String] { [] }
    /// No profile: the report's data section shows the summary alone.
    public var profile: DataProfile { DataProfile() }
    public var foldingUnits: FoldingUnits? { nil }
    public func refolded(training: [Int], evaluation: [Int]) throws -> any DomainDataset {
        throw CrossValidationError("\(name): this dataset cannot be cross-validated")
    }
}

extension TrainTestSplit {
    /// One cross-validation fold of this split's training part: `training` and `evaluation` are positions into
    /// `train`. Every plugin whose dataset keeps a row split refolds it this way.
    public func refolded(training: [Int], evaluation: [Int]) throws -> TrainTestSplit {
        guard training.allSatisfy({ train.indices.contains($0) }), evaluation.allSatisfy({ train.indices.contains($0) }) else {
            throw InternalError("a cross-validation fold names a position outside the training part")
        }
        return TrainTestSplit(train: training.map { train[$0] }, test: evaluation.map { train[$0] })
    }
}

/// A model produced by `train` or rebuilt by `model(from:)`.
public protocol TrainedModel {
    /// The resolved recipe and hyperparameters it was trained with.
    var configuration: RecipeConfiguration { get }
    /// Per-epoch or per-round curves for the report; nil when training has no iterations.
    var history: TrainingCurves? { get }
    /// What goes into a bundle: arrays, JSON files, the input schema and extra manifest fields.
    func bundleContents() throws -> BundleContents
}

/// Named curves recorded during training (e.g. "train_loss", "validation_rmse"), in a stable order.
public struct TrainingCurves: Codable, Equatable, Sendable {
    public struct Series: Codable, Equatable, Sendable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var series: [Series]
    /// The iteration whose weights were kept (early stopping), if not the last.
    public var bestIteration: Int?
    /// The learning rate in force at each epoch, for networks trained with a schedule (empty otherwise).
    public var learningRates: [Double]

    public init(series: [Series] = [], bestIteration: Int? = nil, learningRates: [Double] = []) {
        self.series = series
        self.bestIteration = bestIteration
        self.learningRates = learningRates
    }

    enum CodingKeys: String, CodingKey { case series, bestIteration, learningRates }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        series = try container.decode([Series].self, forKey: .series)
        bestIteration = try container.decodeIfPresent(Int.self, forKey: .bestIteration)
        // history.json files written before learning rates were recorded have none.
        learningRates = try container.decodeIfPresent([Double].self, forKey: .learningRates) ?? []
    }

    public subscript(name: String) -> [Double]? { series.first(where: { $0.name == name })?.values }
}

/// A failure that is the kit's fault, not the input's: the launcher exits with status 2 for it.
public struct InternalError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "internal error: \(message)" }
}
