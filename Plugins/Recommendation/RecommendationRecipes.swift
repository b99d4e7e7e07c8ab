import SolutionKit

/// The recipes and their documented hyperparameters. The first recipe is the default of `run`.
enum RecommendationRecipes {
    static let all: [Recipe] = [bayesMF, mf, als, baseline, popularity, itemKNN, ease, ials, rp3beta, slim, blend]

    static let baselineKeys: [HyperparameterSpec] = [
        .real("user_reg", default: 15, in: 0...1e6, "shrinkage of user biases towards zero (Surprise's reg_u)"),
        .real("item_reg", default: 10, in: 0...1e6, "shrinkage of item biases towards zero (Surprise's reg_i)"),
        .integer("bias_sweeps", default: 10, in: 1...1000, "alternating least-squares sweeps for the biases"),
    ]

    static let popularity = Recipe(
        name: "popularity",
        summary: "top-N by number of training ratings (the non-personalised reference); ratings from the baseline",
        hyperparameters: baselineKeys)

    static let baseline = Recipe(
        name: "baseline",
        summary: "global mean plus regularised user and item biases (Koren 2010), fitted by alternating least squares",
        hyperparameters: baselineKeys,
        searchSpace: SearchSpace([.real("user_reg", 0.5...50, log: true), .real("item_reg", 0.5...50, log: true)]))

    static let mf = Recipe(
        name: "mf",
        summary: "biased matrix factorisation (Funk SVD) by SGD: r̂ = μ + b_u + b_i + p_u·q_i",
        hyperparameters: [
            .integer("factors", default: 100, in: 1...1024, "latent dimensions"),
            .integer("epochs", default: 60, in: 1...10_000, "passes over the training ratings (shuffled each pass)"),
            .real("learning_rate", default: 0.007, in: 1e-6...1, "SGD step for the factors"),
            .real("regularization", default: 0.06, in: 0...10, "L2 penalty on the factors"),
            .real("bias_learning_rate", default: 0.007, in: 1e-6...1, "SGD step for the biases"),
            .real("bias_regularization", default: 0.02, in: 0...10, "L2 penalty on the biases"),
            .real("init_std", default: 0.1, in: 0...10, "standard deviation of the initial factors"),
            .real("decay", default: 0.97, in: 0.5...1, "learning rates are multiplied by this after each epoch (1: constant)"),
        ],
        searchSpace: SearchSpace([
            .integer("factors", 10...200, log: true),
            .real("regularization", 0.01...0.2, log: true),
            .real("learning_rate", 2e-3...2e-2, log: true),
        ]))

    static let als = Recipe(
        name: "als",
        summary: "biased matrix factorisation by alternating least squares (ALS-WR with biases): exact ridge solves per user, then per item",
        hyperparameters: [
            .integer("factors", default: 50, in: 1...512, "latent dimensions"),
            .integer("sweeps", default: 15, in: 1...1000, "alternations (users then items)"),
            .real("regularization", default: 0.12, in: 0...100, "factor penalty per rating of the user or item (weighted-λ)"),
            .real("bias_regularization", default: 2, in: 0...1e6, "penalty on each user's or item's bias"),
            .real("init_std", default: 0.1, in: 1e-6...10, "standard deviation of the initial item factors"),
        ],
        searchSpace: SearchSpace([
            .integer("factors", 5...100, log: true),
            .real("regularization", 0.02...0.5, log: true),
            .real("bias_regularization", 0.2...20, log: true),
        ]))

    static let bayesMF = Recipe(
        name: "bayes-mf",
        summary: "Bayesian biased matrix factorisation by Gibbs sampling (libFM's MCMC): regularisation is learned, predictions average the posterior",
        hyperparameters: [
            .integer("factors", default: 12, in: 1...512, "latent dimensions per sample"),
            .integer("sweeps", default: 400, in: 1...10_000, "Gibbs sweeps over all parameters"),
            .integer("burn_in", default: 50, in: 0...10_000, "sweeps discarded before samples are kept"),
            .integer("thin", default: 10, in: 1...1000, "keep every thin-th sweep after burn-in (the model averages the kept ones)"),
            .real("init_std", default: 0.1, in: 0...10, "standard deviation of the initial factors"),
        ],
        searchSpace: SearchSpace([.integer("factors", 4...32, log: true)]))

    static let itemKNN = Recipe(
        name: "item-knn",
        summary: "item-based neighbours on baseline-centred ratings with shrunk Pearson similarity (Surprise's KNNBaseline)",
        hyperparameters: [
            .integer("k", default: 40, in: 1...10_000, "neighbours used per prediction"),
            .real("shrinkage", default: 100, in: 0...1e6, "pulls similarities of pairs with few common users towards zero"),
            .integer("stored_neighbors", default: 200, in: 1...100_000, "most similar items kept per item in the model"),
        ] + baselineKeys,
        searchSpace: SearchSpace([.integer("k", 10...100, log: true), .real("shrinkage", 10...300, log: true)]))

    static let ease = Recipe(
        name: "ease",
        summary: "EASE (Steck 2019): closed-form item-item autoencoder for top-N lists, lambda by inner CV; ratings from the baseline",
        hyperparameters: easeKeys + baselineKeys)

    /// Recipes that predict ratings with more than the baseline (the ones judged on RMSE).
    static let ratingRecipes: Set<String> = ["bayes-mf", "mf", "als", "baseline", "item-knn"]
}
