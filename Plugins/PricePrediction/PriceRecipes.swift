import Foundation
import SolutionKit

/// The recipes and their documented hyperparameters. The first recipe is the default of `run`.
enum PriceRecipes {
    static let all: [Recipe] = [mlp, ridge]

    static let sharedPreprocessing: [HyperparameterSpec] = [
        .boolean("log_target", default: false, "learn log(1 + target) and predict its inverse (for skewed prices)"),
        .boolean("log_skewed_features", default: true,
                 "model non-negative numeric columns with skewness above 2 (counts, areas) as log(1 + x)"),
        .choice("unseen_categories", default: "reject", from: ["reject", "ignore"],
                "a category never seen in training: reject the row when scoring, or ignore it (all-zero one-hot)"),
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
        ] + sharedPreprocessing)

    static let ridge = Recipe(
        name: "ridge",
        summary: "ridge regression (L2-penalised least squares, exact solve) on standardised and one-hot features",
        hyperparameters: [
            .real("alpha", default: 1.0, in: 0...1e9, "L2 penalty strength, as scikit-learn's Ridge(alpha)"),
        ] + sharedPreprocessing)

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
