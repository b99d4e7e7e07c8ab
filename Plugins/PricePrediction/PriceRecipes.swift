import Foundation
import SolutionKit

/// The recipes and their documented hyperparameters. The first recipe is the default of `run`.
enum PriceRecipes {
    static let all: [Recipe] = [gbdt, mlp, ridge]

    static let sharedPreprocessing: [HyperparameterSpec] = [
        .boolean("log_target", default: false, "learn log(1 + target) and predict its inverse (for skewed prices)"),
        .boolean("log_skewed_features", default: true,
                 "model non-negative numeric columns with skewness above 2 (counts, areas) as log(1 + x)"),
        .choice("unseen_categories", default: "reject", from: ["reject", "ignore"],
                "a category never seen in training: reject the row when scoring, or ignore it (all-zero one-hot)"),
    ]

    /// Boosted-tree settings use LightGBM's names, so tuned LightGBM settings carry over unchanged.
    static let gbdt = Recipe(
        name: "gbdt",
        summary: "gradient-boosted trees (leaf-wise, histogram-based, LightGBM's settings); native categories and missing values",
        hyperparameters: [
            .choice("objective", default: "regression", from: ["regression", "regression_l1", "huber", "quantile"],
                    "loss: squared error, absolute error, Huber, or a quantile (see alpha)"),
            .real("alpha", default: 0.5, in: 0.001...0.999, "the quantile level, with objective=quantile"),
            .real("huber_delta", default: 1.0, in: 1e-9...1e12, "where Huber loss turns linear, with objective=huber"),
            .integer("num_iterations", default: 1500, in: 1...100_000, "boosting rounds (trees)"),
            .real("learning_rate", default: 0.05, in: 1e-6...1, "shrinkage of each tree"),
            .integer("num_leaves", default: 31, in: 2...131_072, "maximum leaves per tree (leaf-wise growth)"),
            .integer("max_depth", default: -1, in: -1...64, "maximum tree depth (-1: unlimited)"),
            .integer("min_data_in_leaf", default: 20, in: 1...1_000_000, "minimum rows in a leaf"),
            .real("lambda_l1", default: 0, in: 0...1e9, "L1 penalty on leaf values"),
            .real("lambda_l2", default: 0, in: 0...1e9, "L2 penalty on leaf values"),
            .real("min_gain_to_split", default: 0, in: 0...1e18, "minimum loss reduction to split"),
            .real("feature_fraction", default: 0.8, in: 0.01...1, "share of features each tree may use"),
            .real("bagging_fraction", default: 0.8, in: 0.01...1, "share of rows each bagging round uses"),
            .integer("bagging_freq", default: 1, in: 0...1000, "re-sample rows every k rounds (0: no bagging)"),
            .integer("max_bin", default: 255, in: 2...65_535, "histogram bins per feature"),
            .integer("early_stopping_rounds", default: 0, in: 0...100_000,
                     "stop when the validation part has not improved for this many rounds (0: off, all rounds run)"),
            .real("validation_fraction", default: 0.1, in: 0.01...0.5, "share of training rows held out when early stopping"),
            .real("interval", default: 0, in: 0...0.99,
                  "coverage of a prediction interval from two extra quantile models, e.g. 0.9 (0: no interval)"),
            .boolean("log_target", default: false, "learn log(1 + target) and predict its inverse (for skewed prices)"),
            .choice("unseen_categories", default: "ignore", from: ["reject", "ignore"],
                    "a category never seen in training: reject the row when scoring, or treat it as missing"),
        ],
        searchSpace: SearchSpace([
            // Ranges chosen to cover what lgb.cv / Optuna searches settle on across tabular regression sets (wide on a
            // log scale where the useful value moves with the data's size); rounds come from CV early stopping.
            .real("learning_rate", 0.01...0.15, log: true),
            .integer("num_leaves", 8...128, log: true),
            .integer("min_data_in_leaf", 5...100, log: true),
            .real("feature_fraction", 0.5...1),
            .real("bagging_fraction", 0.6...1),
            .real("lambda_l2", 1e-3...30, log: true),
        ], stagesKey: "num_iterations", stagesScaleWith: "learning_rate"))

    /// The recipe keys that are LightGBM settings, passed to `GradientBoostingParameters.set(_:to:)` in this order.
    static let boostingKeys = [
        "objective", "alpha", "huber_delta", "num_iterations", "learning_rate", "num_leaves", "max_depth",
        "min_data_in_leaf", "lambda_l1", "lambda_l2", "min_gain_to_split", "feature_fraction", "bagging_fraction",
        "bagging_freq", "max_bin",
    ]

    static let mlp = Recipe(
        name: "mlp",
        summary: "the classic 64-64 ReLU network: AdamW on squared error, cosine schedule, standardised inputs and target, best epoch kept",
        hyperparameters: [
            .text("hidden_layers", default: "64,64", "hidden layer widths, comma-separated"),
            .integer("epochs", default: 100, in: 1...10_000, "maximum passes over the training rows"),
            .integer("batch_size", default: 128, in: 1...65_536, "rows per gradient step"),
            .real("learning_rate", default: 0.005, in: 1e-6...1, "Adam's step size"),
            .choice("schedule", default: "cosine", from: ["constant", "cosine"],
                    "learning rate over the epochs: constant, or cosine decay from learning_rate to 1% of it"),
            .real("weight_decay", default: 0.1, in: 0...1, "AdamW's decoupled weight decay (0: plain Adam)"),
            .real("validation_fraction", default: 0.1, in: 0.01...0.5, "share of training rows held out for early stopping"),
            .integer("patience", default: 50, in: 1...10_000, "epochs without validation improvement before stopping"),
        ] + sharedPreprocessing,
        searchSpace: SearchSpace([
            .real("learning_rate", 5e-4...2e-2, log: true),
            .real("weight_decay", 1e-3...0.3, log: true),
            .choice("hidden_layers", [.text("64,64"), .text("128,64"), .text("256,128")]),
            .choice("batch_size", [.integer(64), .integer(128), .integer(256)]),
            .choice("log_target", [.boolean(false), .boolean(true)]),
        ]))

    static let ridge = Recipe(
        name: "ridge",
        summary: "ridge regression (L2-penalised least squares, exact solve) on standardised and one-hot features",
        hyperparameters: [
            .real("alpha", default: 1.0, in: 0...1e9, "L2 penalty strength, as scikit-learn's Ridge(alpha)"),
            .choice("alpha_selection", default: "fixed", from: ["fixed", "loo"],
                    "fixed: use alpha; loo: choose alpha on the training rows by exact leave-one-out over 10^-3...10^5 in "
                        + "quarter decades (scikit-learn's RidgeCV), recorded in the bundle"),
        ] + sharedPreprocessing,
        // alpha itself is chosen exactly by leave-one-out in every trial; the search compares the preprocessing.
        searchSpace: SearchSpace([
            .choice("log_target", [.boolean(false), .boolean(true)]),
            .choice("log_skewed_features", [.boolean(true), .boolean(false)]),
        ], pinned: ["alpha_selection": .text("loo")]))

    /// Parses `hidden_layers` ("64,64") into widths.
    static func hiddenLayers(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let widths = parts.compactMap { Int($0) }
        guard !parts.isEmpty, widths.count == parts.count, widths.allSatisfy({ (1...4096).contains($0) }) else {
            throw ConfigurationError.badValue(key: "hidden_layers", value: text, source: "recipe mlp",
                                              allowed: "comma-separated widths in 1...4096, e.g. 64,64")
        }
        return widths
    }
}
