/// The loss a boosted model minimises.
///
/// The names and defaults follow LightGBM so that settings carry over from it unchanged.
public enum BoostingObjective: Codable, Sendable, Equatable {
    /// L2 regression (LightGBM `regression`).
    case squaredError
    /// L1 regression (LightGBM `regression_l1`); leaf values are refitted to the median residual.
    case absoluteError
    /// Huber regression: quadratic within `delta` of the target, linear beyond it.
    case huber(delta: Double)
    /// Quantile (pinball) regression at level `alpha` in (0, 1); leaf values are refitted to the residual quantile.
    case quantile(alpha: Double)
    /// Binary log loss on labels 0/1; positive rows are weighted by `scalePositiveWeight`.
    case binaryLogLoss(scalePositiveWeight: Double)

    /// Binary log loss with unweighted classes.
    public static var binary: BoostingObjective { .binaryLogLoss(scalePositiveWeight: 1) }
}

/// Hyperparameters of gradient-boosted decision trees, with LightGBM's names and defaults.
///
/// A value type so a recipe can record exactly what it trained with (it is `Codable`).
public struct GradientBoostingParameters: Codable, Sendable, Equatable {
    public var objective: BoostingObjective = .squaredError
    /// Boosting rounds (trees); early stopping may keep fewer.
    public var numberOfRounds: Int = 100
    public var learningRate: Double = 0.1
    /// Maximum leaves per tree (leaf-wise growth stops there).
    public var numberOfLeaves: Int = 31
    /// Maximum depth of a tree; `nil` means unlimited.
    public var maxDepth: Int? = nil
    /// Fewest rows per leaf. As in LightGBM, split search counts a bin's rows as `hessian × rows / Σ hessian`
    /// (exact for regression; approximate for the binary objective, whose hessians differ per row).
    public var minDataInLeaf: Int = 20
    public var minSumHessianInLeaf: Double = 1e-3
    public var lambdaL1: Double = 0
    public var lambdaL2: Double = 0
    public var minGainToSplit: Double = 0
    /// Fraction of features considered by each tree, drawn with the seed.
    public var featureFraction: Double = 1
    /// Fraction of rows each tree is grown on, redrawn every `baggingFrequency` rounds (0 disables bagging).
    public var baggingFraction: Double = 1
    public var baggingFrequency: Int = 0
    /// Bins per feature for numeric values, missing values excluded (they always get a bin of their own). 2...255.
    public var maxBin: Int = 255
    /// Smallest number of sampled rows a numeric bin may hold.
    public var minDataInBin: Int = 3
    /// Rows sampled (with the seed) to place the bin boundaries.
    public var binSampleCount: Int = 200_000
    /// LightGBM's `max_cat_to_onehot`: a categorical feature is split one-versus-rest when its categories plus
    /// the bin for missing / rare categories number at most this (so at most 3 categories by default), otherwise
    /// many-versus-many.
    public var maxCategoriesForOneHot: Int = 4
    /// The most categories that can go to one side of a categorical split.
    public var maxCategoryThreshold: Int = 32
    /// Added to the hessian when ordering categories by gradient statistics (LightGBM `cat_smooth`).
    public var categorySmoothing: Double = 10
    /// Extra L2 regularisation for categorical splits (LightGBM `cat_l2`).
    public var categoryL2: Double = 10
    /// LightGBM's `min_data_per_group`: a many-vs-many split is only tried after at least this many more rows
    /// joined the left side, and only if at least this many stay on the right.
    public var minDataPerCategoryGroup: Int = 100
    /// Stop when the validation metric has not improved for this many rounds; `nil` disables early stopping.
    public var earlyStoppingRounds: Int? = nil
    /// The validation metric; `nil` picks the objective's natural metric.
    public var metric: BoostingMetric? = nil
    public var seed: UInt64 = 0

    public init() {}

    /// Throws `BoostingError.invalidParameter` naming the first setting out of range.
    public func validate() throws {
        func fail(_ name: String, _ value: Any, _ allowed: String) -> BoostingError {
            .invalidParameter(name: name, value: "\(value)", allowed: allowed)
        }
        if numberOfRounds < 1 { throw fail("numberOfRounds", numberOfRounds, ">= 1") }
        if !(learningRate > 0) || !learningRate.isFinite { throw fail("learningRate", learningRate, "> 0") }
        if numberOfLeaves < 2 { throw fail("numberOfLeaves", numberOfLeaves, ">= 2") }
        if let depth = maxDepth, depth < 1 { throw fail("maxDepth", depth, ">= 1 or nil") }
        if minDataInLeaf < 1 { throw fail("minDataInLeaf", minDataInLeaf, ">= 1") }
        if !(minSumHessianInLeaf >= 0) { throw fail("minSumHessianInLeaf", minSumHessianInLeaf, ">= 0") }
        if !(lambdaL1 >= 0) { throw fail("lambdaL1", lambdaL1, ">= 0") }
        if !(lambdaL2 >= 0) { throw fail("lambdaL2", lambdaL2, ">= 0") }
        if !(minGainToSplit >= 0) { throw fail("minGainToSplit", minGainToSplit, ">= 0") }
        if !(featureFraction > 0 && featureFraction <= 1) { throw fail("featureFraction", featureFraction, "(0, 1]") }
        if !(baggingFraction > 0 && baggingFraction <= 1) { throw fail("baggingFraction", baggingFraction, "(0, 1]") }
        if baggingFrequency < 0 { throw fail("baggingFrequency", baggingFrequency, ">= 0") }
        if !(2...255).contains(maxBin) { throw fail("maxBin", maxBin, "2...255") }
        if minDataInBin < 1 { throw fail("minDataInBin", minDataInBin, ">= 1") }
        if binSampleCount < 1 { throw fail("binSampleCount", binSampleCount, ">= 1") }
        if maxCategoryThreshold < 1 { throw fail("maxCategoryThreshold", maxCategoryThreshold, ">= 1") }
        if !(categorySmoothing >= 0) { throw fail("categorySmoothing", categorySmoothing, ">= 0") }
        if !(categoryL2 >= 0) { throw fail("categoryL2", categoryL2, ">= 0") }
        if let rounds = earlyStoppingRounds, rounds < 1 { throw fail("earlyStoppingRounds", rounds, ">= 1 or nil") }
        switch objective {
        case .huber(let delta) where !(delta > 0):
            throw fail("objective.huber.delta", delta, "> 0")
        case .quantile(let alpha) where !(alpha > 0 && alpha < 1):
            throw fail("objective.quantile.alpha", alpha, "(0, 1)")
        case .binaryLogLoss(let weight) where !(weight > 0) || !weight.isFinite:
            throw fail("objective.binaryLogLoss.scalePositiveWeight", weight, "> 0")
        default: break
        }
    }
}
