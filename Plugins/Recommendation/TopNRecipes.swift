import SolutionKit

/// The top-N recipes built on ratings read as implicit feedback (EASE, RP3beta, SLIM, implicit ALS) and the
/// blend of several of them. Their rating predictions come from the baseline (the blend names its own rating
/// model). Defaults were chosen by inner cross-validation on MovieLens training folds: see
/// bench/recommendation/TUNING.md.
extension RecommendationRecipes {
    /// Recipes whose lists come from an item–item or implicit model (the blend's possible components).
    static let topNComponentNames = ["ease", "ials", "rp3beta", "slim", "item-knn", "popularity", "bayes-mf", "als", "mf"]

    static func lowRatingWeight(default value: Double) -> HyperparameterSpec {
        .real("low_rating_weight", default: value, in: 0...1,
              "input weight of a rating below the relevance threshold (4 on 1–5): 1 counts every rating alike, 0 drops them")
    }

    static func target(default value: String) -> HyperparameterSpec {
        .choice("target", default: value, from: ["rated", "relevant"],
                "what the item–item weights reconstruct: every rated item, or only the relevant (≥ threshold) ones")
    }

    static let easeKeys: [HyperparameterSpec] = [
        .real("lambda", default: 500, in: 1e-3...1e9, "L2 penalty of the item–item weights; with cv_folds > 0 the centre of the search (×⅓, ×1, ×3)"),
        .integer("cv_folds", default: 3, in: 0...10, "inner folds of the training ratings (grouped by user) that choose lambda; 0 uses lambda as given"),
        .real("popularity_penalty", default: 0, in: 0...100, "extra penalty of item j: this × its rating count (Steck 2020's dropout emphasis)"),
        lowRatingWeight(default: 0.5),
        target(default: "rated"),
    ]

    static let ials = Recipe(
        name: "ials",
        summary: "implicit-feedback ALS (Hu, Koren & Volinsky 2008; the `implicit` library's model) for top-N lists; ratings from the baseline",
        hyperparameters: [
            .integer("factors", default: 16, in: 1...512, "latent dimensions"),
            .integer("sweeps", default: 15, in: 1...1000, "alternations (users then items)"),
            .real("regularization", default: 1, in: 0...1e6, "L2 penalty of the factors"),
            .real("alpha", default: 5, in: 0...1e6, "confidence of a rated cell: 1 + alpha × its weight"),
            lowRatingWeight(default: 0.25),
            .real("init_std", default: 0.01, in: 1e-6...10, "standard deviation of the initial item factors"),
        ] + baselineKeys)

    static let rp3beta = Recipe(
        name: "rp3beta",
        summary: "RP3beta (Paudel et al. 2017): a 3-step random walk on the user–item graph, divided by popularity^beta; ratings from the baseline",
        hyperparameters: [
            .real("alpha", default: 0.8, in: 0...10, "exponent of the transition probabilities"),
            .real("beta", default: 0.5, in: 0...10, "the arrival item's score is divided by its rating count to this power"),
            .integer("neighbors", default: 200, in: 1...100_000, "largest weights kept per item"),
        ] + baselineKeys)

    static let slim = Recipe(
        name: "slim",
        summary: "SLIM (Ning & Karypis 2011): sparse non-negative item–item weights by elastic-net coordinate descent; ratings from the baseline",
        hyperparameters: [
            .real("alpha", default: 1e-2, in: 0...1e3, "elastic-net penalty strength (scikit-learn's alpha, squared error divided by 2 × users)"),
            .real("l1_ratio", default: 0.1, in: 0...1, "share of the penalty that is L1 (scikit-learn's l1_ratio)"),
            .integer("neighbors", default: 200, in: 1...100_000, "largest weights kept per item"),
            .integer("max_sweeps", default: 100, in: 1...10_000, "coordinate-descent sweeps per item at most"),
            .real("tolerance", default: 1e-4, in: 0...1, "stop when a sweep changes no weight by more than this × the largest weight"),
            lowRatingWeight(default: 1),
            target(default: "rated"),
        ] + baselineKeys)

    /// Keys of the blend itself; component hyperparameters follow as `component.key` (e.g. `ease.lambda`).
    static let blendOwnKeys: [HyperparameterSpec] = [
        .text("components", default: "ease,ials",
              "comma-separated top-N recipes whose per-user standardised scores are summed (any of: \(topNComponentNames.joined(separator: ", ")))"),
        .text("weights", default: "auto", "component weights, comma-separated (the first is 1), or auto: chosen by inner cross-validation"),
        .integer("cv_folds", default: 3, in: 2...10, "inner folds of the training ratings (grouped by user) for weights=auto"),
        .text("ratings", default: "bayes-mf,item-knn",
              "rating recipes that predict ratings (RMSE), comma-separated; several are stacked by least squares on inner-CV predictions (from: bayes-mf, mf, als, baseline, item-knn)"),
    ]

    static var blendComponentRecipes: [Recipe] {
        [ease, ials, rp3beta, slim, itemKNN, popularity, bayesMF, als, mf, baseline]
    }

    static let blend = Recipe(
        name: "blend",
        summary: "top-N lists from a weighted sum of standardised scores of several recipes (weights by inner CV); ratings from a rating recipe",
        hyperparameters: blendOwnKeys + blendComponentRecipes.flatMap { recipe in
            recipe.hyperparameters.map { spec in
                var prefixed = spec
                prefixed.name = "\(recipe.name).\(spec.name)"
                prefixed.summary = "\(recipe.name): \(spec.summary)"
                return prefixed
            }
        })

    /// The configuration of one component (or the rating recipe) of a blend: its recipe's defaults, overridden
    /// by the blend's `component.key` values.
    static func componentConfiguration(_ name: String, of blend: RecipeConfiguration) throws -> RecipeConfiguration {
        guard let recipe = blendComponentRecipes.first(where: { $0.name == name }) else {
            throw ConfigurationError.unknownRecipe(name, plugin: "recommendation", known: blendComponentRecipes.map(\.name))
        }
        var configuration = recipe.defaultConfiguration
        for spec in recipe.hyperparameters {
            if let value = blend.values["\(name).\(spec.name)"] { configuration.values[spec.name] = value }
        }
        return configuration
    }
}
