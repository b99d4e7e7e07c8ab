import Foundation
import SolutionKit

/// The recipes and their documented hyperparameters. The first recipe is the default of `run`.
enum CreditRecipes {
    static let all: [Recipe] = [scorecard, logistic, gbdt, mlp]

    /// Decision and score settings every recipe shares.
    static let shared: [HyperparameterSpec] = [
        .real("cost_fn", default: 5, in: 0...1e6, "cost of accepting a bad applicant (German credit's cost matrix: 5)"),
        .real("cost_fp", default: 1, in: 0...1e6, "cost of declining a good applicant (German credit's cost matrix: 1)"),
        .choice("threshold_rule", default: "training_cost", from: ["training_cost", "bayes"],
                "decline threshold: the one minimising the cost on the training rows, or the Bayes rule cost_fp/(cost_fp+cost_fn)"),
        .real("base_score", default: 600, in: 0...1e6, "points at the base odds"),
        .real("base_odds", default: 50, in: 1e-6...1e6, "odds good:bad that score base_score points"),
        .real("pdo", default: 20, in: 1e-3...1e4, "points to double the odds"),
        .choice("unseen_categories", default: "reject", from: ["reject", "ignore"],
                "a category never seen in training: reject the row when scoring, or score it as the average applicant"),
    ]

    static let scorecard = Recipe(
        name: "scorecard",
        summary: "points scorecard: optimal WoE binning (monotonic numeric bins, grouped categories, a missing bin), "
            + "feature selection by information value, L2 logistic regression on WoE, points by base score and PDO",
        hyperparameters: [
            .choice("monotonic_trend", default: "auto", from: ["auto", "auto_asc_desc", "ascending", "descending", "peak", "valley", "none"],
                    "bad rate along numeric bins: auto_asc_desc picks ascending or descending by information value; auto also "
                        + "allows a peak or valley when the information value it adds is statistically significant"),
            .integer("max_bins", default: 10, in: 2...20, "bins per feature at most (the missing bin not counted)"),
            .integer("max_prebins", default: 20, in: 2...100, "pre-bins before merging"),
            .choice("prebinning", default: "tree", from: ["tree", "quantile"],
                    "pre-bins by best-first Gini splits of the feature (as a classification tree) or at quantiles"),
            .real("min_bin_fraction", default: 0, in: 0...0.5,
                  "smallest bin as a share of the training rows (0: auto, 40 rows kept between 2% and 5% of the rows: "
                    + "small files get wide, stable bins, large ones finer bins)"),
            .real("min_iv", default: 0.02, in: 0...10,
                  "features below this information value are left out (0.02: the conventional cut-off for a useless predictor)"),
            .real("C", default: 1.0, in: 1e-6...1e6, "inverse L2 strength of the logistic regression on WoE"),
        ] + shared,
        searchSpace: SearchSpace([
            .real("C", 1e-3...10, log: true),
            .integer("max_bins", 3...12),
            .real("min_iv", 0...0.1),
            .choice("monotonic_trend", [.text("auto"), .text("auto_asc_desc"), .text("none")]),
        ]))

    static let logistic = Recipe(
        name: "logistic",
        summary: "L2 logistic regression (Newton) on standardised numeric and one-hot categorical features",
        hyperparameters: [
            .real("C", default: 0.1, in: 1e-6...1e6, "inverse L2 strength, as scikit-learn's LogisticRegression(C)"),
            .boolean("log_skewed_features", default: true, "model non-negative columns with skewness above 2 as log(1 + x)"),
        ] + shared,
        searchSpace: SearchSpace([
            .real("C", 1e-4...10, log: true),
            .choice("log_skewed_features", [.boolean(true), .boolean(false)]),
        ]))

    static let gbdt = Recipe(
        name: "gbdt",
        summary: "gradient-boosted trees (LightGBM's algorithm) on raw values with native missing values and categories; "
            + "TreeSHAP reason codes",
        hyperparameters: [
            .integer("rounds", default: 400, in: 1...20_000, "boosting rounds"),
            .real("learning_rate", default: 0.03, in: 1e-4...1, "shrinkage"),
            .integer("num_leaves", default: 15, in: 2...1024, "leaves per tree at most"),
            .integer("max_depth", default: 0, in: 0...64, "depth limit (0: none)"),
            .integer("min_data_in_leaf", default: 200, in: 1...100_000, "rows per leaf at least"),
            .real("lambda_l1", default: 5, in: 0...1e6, "L1 penalty on leaf values (gradient sums shrink toward zero by it)"),
            .real("lambda_l2", default: 5, in: 0...1e6, "L2 penalty on leaf values"),
            .real("feature_fraction", default: 0.6, in: 0.01...1, "share of features per tree"),
            .real("bagging_fraction", default: 0.8, in: 0.01...1, "share of rows per tree"),
            .integer("bags", default: 1, in: 1...50,
                     "models grown with different seeds and averaged (more stable, slower to score; early stopping uses one)"),
            .integer("early_stopping_rounds", default: 0, in: 0...10_000,
                     "stop when AUC on a held-out tenth of the training rows has not improved for this many rounds (0: off)"),
            .choice("credit_features", default: "auto", from: ["auto", "none"],
                    "auto: when the table has Give Me Some Credit's three past-due counts, add WeightedDaysLate "
                        + "(30-59 + 2 x 60-89 + 3 x 90+ days; unknown for the codes 96/98) and AnyDaysLate, and read "
                        + "revolving utilisation above 10 as missing; none: the table's columns only"),
        ] + shared,
        searchSpace: SearchSpace([
            // Credit tables are noisy and imbalanced: small leaves and strong penalties win more often than deep trees.
            .real("learning_rate", 0.01...0.1, log: true),
            .integer("num_leaves", 4...64, log: true),
            .integer("min_data_in_leaf", 5...200, log: true),
            .real("lambda_l2", 0.1...30, log: true),
            .real("lambda_l1", 0.01...10, log: true),
            .real("feature_fraction", 0.3...1),
            .real("bagging_fraction", 0.6...1),
        ], stagesKey: "rounds"))

    static let mlp = Recipe(
        name: "mlp",
        summary: "the classic network: Dense 64 ReLU, sigmoid output, Adam on binary cross-entropy, early stopping",
        hyperparameters: [
            .text("hidden_layers", default: "64", "hidden layer widths, comma-separated"),
            .integer("epochs", default: 60, in: 1...10_000, "maximum passes over the training rows"),
            .integer("batch_size", default: 64, in: 1...65_536, "rows per gradient step"),
            .real("learning_rate", default: 0.001, in: 1e-6...1, "Adam's step size"),
            .real("weight_decay", default: 0.01, in: 0...1, "AdamW's decoupled weight decay (0: plain Adam)"),
            .real("validation_fraction", default: 0.1, in: 0.01...0.5, "share of training rows held out for early stopping"),
            .integer("patience", default: 10, in: 1...10_000, "epochs without validation improvement before stopping"),
            .boolean("log_skewed_features", default: true, "model non-negative columns with skewness above 2 as log(1 + x)"),
        ] + shared,
        searchSpace: SearchSpace([
            .real("learning_rate", 1e-4...1e-2, log: true),
            .real("weight_decay", 1e-3...0.3, log: true),
            .choice("hidden_layers", [.text("32"), .text("64"), .text("128,64")]),
        ]))

    static func hiddenLayers(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let widths = parts.compactMap { Int($0) }
        guard !parts.isEmpty, widths.count == parts.count, widths.allSatisfy({ (1...4096).contains($0) }) else {
            throw ConfigurationError.badValue(key: "hidden_layers", value: text, source: "recipe mlp",
                                              allowed: "comma-separated widths in 1...4096, e.g. 64")
        }
        return widths
    }
}
