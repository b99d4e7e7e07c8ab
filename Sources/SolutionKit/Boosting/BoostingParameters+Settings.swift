/// Hyperparameters as data: recipes and `--set key=value` speak LightGBM's parameter names, which this maps
/// onto `GradientBoostingParameters`, refusing unknown keys and bad values with the allowed ones.
extension GradientBoostingParameters {
    /// Every key `set(_:to:)` accepts, in LightGBM's spelling.
    public static let settingKeys: [String] = [
        "objective", "alpha", "huber_delta", "scale_pos_weight", "num_iterations", "learning_rate", "num_leaves",
        "max_depth", "min_data_in_leaf", "min_sum_hessian_in_leaf", "lambda_l1", "lambda_l2", "min_gain_to_split",
        "feature_fraction", "bagging_fraction", "bagging_freq", "max_bin", "min_data_in_bin", "max_cat_to_onehot",
        "max_cat_threshold", "cat_smooth", "cat_l2", "min_data_per_group", "early_stopping_rounds", "metric", "seed",
    ]

    /// Sets one hyperparameter from its text form, e.g. `set("num_leaves", to: "63")`.
    ///
    /// `objective` takes `regression`, `regression_l1`, `huber`, `quantile` or `binary`; `alpha`,
    /// `huber_delta` and `scale_pos_weight` then adjust it (set the objective first). `max_depth` and
    /// `early_stopping_rounds` take `-1` or `none` to disable. The result is validated as a whole.
    /// On error the parameters are left unchanged.
    public mutating func set(_ key: String, to text: String) throws {
        var updated = self
        try updated.apply(key, text)
        try updated.validate()
        self = updated
    }

    private mutating func apply(_ key: String, _ text: String) throws {
        func bad(_ allowed: String) -> BoostingError { .invalidParameter(name: key, value: text, allowed: allowed) }
        func int() throws -> Int { guard let v = Int(text) else { throw bad("an integer") }; return v }
        func double() throws -> Double {
            guard let v = Double(text), v.isFinite else { throw bad("a finite number") }
            return v
        }
        func optionalInt() throws -> Int? {
            if text == "none" || text == "-1" { return nil }
            return try int()
        }
        switch key {
        case "objective":
            switch text {
            case "regression", "l2": objective = .squaredError
            case "regression_l1", "l1": objective = .absoluteError
            case "huber": objective = .huber(delta: 1)
            case "quantile": objective = .quantile(alpha: 0.9)
            case "binary": objective = .binary
            default: throw bad("regression, regression_l1, huber, quantile, binary")
            }
        case "alpha":
            guard case .quantile = objective else { throw bad("only with objective=quantile") }
            objective = .quantile(alpha: try double())
        case "huber_delta":
            guard case .huber = objective else { throw bad("only with objective=huber") }
            objective = .huber(delta: try double())
        case "scale_pos_weight":
            guard case .binaryLogLoss = objective else { throw bad("only with objective=binary") }
            objective = .binaryLogLoss(scalePositiveWeight: try double())
        case "num_iterations": numberOfRounds = try int()
        case "learning_rate": learningRate = try double()
        case "num_leaves": numberOfLeaves = try int()
        case "max_depth": maxDepth = try optionalInt()
        case "min_data_in_leaf": minDataInLeaf = try int()
        case "min_sum_hessian_in_leaf": minSumHessianInLeaf = try double()
        case "lambda_l1": lambdaL1 = try double()
        case "lambda_l2": lambdaL2 = try double()
        case "min_gain_to_split": minGainToSplit = try double()
        case "feature_fraction": featureFraction = try double()
        case "bagging_fraction": baggingFraction = try double()
        case "bagging_freq": baggingFrequency = try int()
        case "max_bin": maxBin = try int()
        case "min_data_in_bin": minDataInBin = try int()
        case "max_cat_to_onehot": maxCategoriesForOneHot = try int()
        case "max_cat_threshold": maxCategoryThreshold = try int()
        case "cat_smooth": categorySmoothing = try double()
        case "cat_l2": categoryL2 = try double()
        case "min_data_per_group": minDataPerCategoryGroup = try int()
        case "early_stopping_rounds": earlyStoppingRounds = try optionalInt()
        case "metric":
            let names: [String: BoostingMetric] = ["rmse": .rmse, "l2": .rmse, "l1": .meanAbsoluteError,
                                                   "mae": .meanAbsoluteError, "huber": .huber, "quantile": .quantile,
                                                   "binary_logloss": .logLoss, "auc": .auc]
            guard let metric = names[text] else { throw bad(names.keys.sorted().joined(separator: ", ")) }
            self.metric = metric
        case "seed":
            guard let v = UInt64(text) else { throw bad("a non-negative integer") }
            seed = v
        default:
            throw BoostingError.invalidParameter(name: key, value: text,
                                                 allowed: "a known key: " + Self.settingKeys.joined(separator: ", "))
        }
    }
}
