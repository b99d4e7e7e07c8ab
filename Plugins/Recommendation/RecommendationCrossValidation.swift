import Foundation
import SolutionKit

/// PROTOCOL's MovieLens evaluation: train on each official uK.base, measure on uK.test, K = 1...5.
/// Used by the benchmark and the release tests; the figures are the same the launcher reports for one fold.
public enum RecommendationCrossValidation {
    public struct FoldResult: Codable, Sendable {
        public var fold: Int
        public var rmse: Double
        public var mae: Double
        public var precision10: Double
        public var recall10: Double
        public var ndcg10: Double
        public var coverage10: Double
        public var novelty10: Double
        /// Seconds to train from the in-memory ratings: id mapping, sparse matrix, learner.
        public var fitSeconds: Double
        /// Seconds of the learner alone (what Surprise's `fit` on a built trainset covers).
        public var learnerSeconds: Double
        /// Seconds to compute top-10 lists for every training user.
        public var topTenSeconds: Double
        public var users: Int
    }

    /// Runs `recipe` with `overrides` (`key=value`) on the given folds of a MovieLens 100K folder.
    /// `options` are data options (e.g. `scale=0.5-5` for a MovieLens-shaped folder of half-star ratings).
    public static func run(folder: String, recipe: String, overrides: [String] = [], folds: [Int] = [1, 2, 3, 4, 5],
                           seed: UInt64 = 42, options: [String: String] = [:]) throws -> [FoldResult] {
        let plugin = RecommendationPlugin()
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: recipe, overrides: overrides)
        return try folds.map { fold in
            let data = try RecommendationDatasets.loadMovieLens(folder: folder, options: options.merging(["fold": String(fold)]) { $1 },
                                                                 evaluationOnly: false)
            let started = Date()
            let model = try RecommendationModel.train(configuration, on: data, context: RunContext(seed: seed))
            let fit = Date().timeIntervalSince(started)
            let listStart = Date()
            var lists = [[(item: Int, score: Float)]](repeating: [], count: model.users.count)
            lists.withUnsafeMutableBufferPointer { out in
                parallelFor(model.users.count, minimumChunkSize: 32) { _, range in
                    for u in range { out[u] = model.recommend(user: u, k: 10) }
                }
            }
            let topTen = Date().timeIntervalSince(listStart)
            let result = try RecommendationEvaluation.measure(model, on: data, relevantThreshold: 4)
            let r = result.ranking
            return FoldResult(fold: fold, rmse: result.rmse, mae: result.mae, precision10: r.precision(at: 10),
                              recall10: r.recall(at: 10), ndcg10: r.ndcg(at: 10), coverage10: r.coverage, novelty10: result.novelty.novelty,
                              fitSeconds: fit, learnerSeconds: model.learnerSeconds, topTenSeconds: topTen, users: r.users)
        }
    }
}
