import Foundation
import SolutionKit

/// Fitting a blend: every component on the whole training matrix, the weights by inner cross-validation
/// (user-stratified folds of the training ratings; test ratings are never seen), and the rating recipe.
extension RecommendationModel {
    /// The weights tried for each component after the first (whose weight is 1).
    static let blendWeightGrid: [Float] = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4]

    static func blendComponents(_ configuration: RecipeConfiguration) throws -> [String] {
        let text = try configuration.text("components")
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }) else {
            throw ConfigurationError.badValue(key: "components", value: text, source: "blend",
                                              allowed: "a comma-separated list of: \(RecommendationRecipes.topNComponentNames.joined(separator: ", "))")
        }
        for name in names where !RecommendationRecipes.topNComponentNames.contains(name) {
            throw ConfigurationError.badValue(key: "components", value: name, source: "blend",
                                              allowed: "one of: \(RecommendationRecipes.topNComponentNames.joined(separator: ", "))")
        }
        guard Set(names).count == names.count else {
            throw ConfigurationError.badValue(key: "components", value: text, source: "blend", allowed: "each recipe at most once")
        }
        return names
    }

    static func blendWeights(_ configuration: RecipeConfiguration, count: Int) throws -> [Float]? {
        let text = try configuration.text("weights").trimmingCharacters(in: .whitespaces)
        if text == "auto" { return nil }
        let values = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == count, values.allSatisfy({ $0 != nil && $0!.isFinite && $0! >= 0 }) else {
            throw ConfigurationError.badValue(key: "weights", value: text, source: "blend",
                                              allowed: "auto, or \(count) non-negative numbers separated by commas (one per component)")
        }
        return values.map { $0! }
    }

    static func fitBlend(_ configuration: RecipeConfiguration, on matrix: RatingMatrix, scale: RatingScale,
                         context: RunContext) throws -> LearnerFit {
        let names = try blendComponents(configuration)
        let fixedWeights = try blendWeights(configuration, count: names.count)
        let ratingNames = try RatingStack.names(configuration)
        let ratingConfigurations = try ratingNames.map { try RecommendationRecipes.componentConfiguration($0, of: configuration) }
        var configurations = try names.map { try RecommendationRecipes.componentConfiguration($0, of: configuration) }
        let progress = context.progress
        var notes: [String] = []
        // Whole-matrix fits first: a component's own selection (EASE's λ) is then reused on the inner folds
        // instead of being searched again inside each of them.
        var components: [Recommender] = []
        for (n, name) in names.enumerated() {
            progress.note("blend: fitting \(name)")
            let fit = try fitLearner(configurations[n], on: matrix, scale: scale, context: context)
            components.append(fit.learner)
            if let selection = fit.selection { notes.append(selection) }
            for (key, value) in fit.chosen { configurations[n].values[key] = value }
        }
        let weights: [Float]
        if let fixedWeights {
            weights = fixedWeights
        } else if names.count == 1 {
            weights = [1]
        } else {
            let folds = try configuration.integer("cv_folds")
            progress.note("blend: choosing weights by \(folds)-fold inner CV")
            let search = try searchBlendWeights(configurations, on: matrix, scale: scale, folds: folds, context: context)
            weights = search.weights
            notes.append("blend weights \(zip(names, weights).map { "\($0)=\(format(Double($1)))" }.joined(separator: ", ")) chosen by "
                         + "\(folds)-fold inner CV (user-stratified) of the training ratings: mean held-out NDCG@10 \(String(format: "%.4f", search.ndcg)) "
                         + "(equal weights: \(String(format: "%.4f", search.equalWeightsNDCG)))")
        }
        var ratingLearners: [Recommender] = []
        var history: TrainingCurves?
        for (name, ratingConfiguration) in zip(ratingNames, ratingConfigurations) {
            progress.note("blend: fitting \(name) for ratings")
            let fit = try fitLearner(ratingConfiguration, on: matrix, scale: scale, context: context)
            ratingLearners.append(fit.learner)
            history = history ?? fit.history
        }
        var coefficients: [Float] = [0, 1]
        if ratingNames.count > 1 {
            let folds = try configuration.integer("cv_folds")
            progress.note("blend: stacking \(ratingNames.joined(separator: "+")) by \(folds)-fold inner CV")
            let stack = try stackRatings(ratingConfigurations, on: matrix, scale: scale, folds: folds, context: context)
            coefficients = stack.coefficients
            notes.append("rating stack \(String(format: "%.4f", coefficients[0])) + " + zip(ratingNames, coefficients.dropFirst())
                            .map { "\(String(format: "%.4f", $1))·\($0)" }.joined(separator: " + ")
                         + " fitted by least squares on \(folds)-fold inner CV predictions; held-out RMSE \(String(format: "%.4f", stack.rmse)) "
                         + "(best single learner: \(String(format: "%.4f", stack.bestSingleRMSE)))")
        }
        let blend = TopNBlend(names: names, components: components, weights: weights,
                              ratings: RatingStack(names: ratingNames, learners: ratingLearners, coefficients: coefficients))
        return LearnerFit(learner: .blend(blend), history: history, selection: notes.joined(separator: "\n"))
    }

    /// Inner-fold predictions of every rating learner on the held-out ratings, and the least-squares stack.
    static func stackRatings(_ configurations: [RecipeConfiguration], on matrix: RatingMatrix, scale: RatingScale,
                             folds: Int, context: RunContext) throws -> (coefficients: [Float], rmse: Double, bestSingleRMSE: Double) {
        let assignment = UserStratifiedFolds(matrix, k: folds, seed: context.generator(stream: 76).seedValue)
        let silent = RunContext(seed: context.seed, threads: context.threads, progress: SilentProgress(), isQuiet: true)
        var predictions = [[Float]](repeating: [], count: configurations.count)
        var targets: [Float] = []
        for f in 0..<folds {
            let (train, heldOut) = try assignment.split(matrix, holdingOut: f)
            for (c, configuration) in configurations.enumerated() {
                let learner = try fitLearner(configuration, on: train, scale: scale, context: silent).learner
                for u in 0..<heldOut.userCount {
                    for p in heldOut.userStarts[u]..<heldOut.userStarts[u + 1] {
                        predictions[c].append(learner.predictRating(user: u, item: Int(heldOut.userItems[p]), seen: train))
                    }
                }
            }
            targets.append(contentsOf: heldOut.userValues)
        }
        func rmse(_ predict: (Int) -> Float) -> Double {
            var sum = 0.0
            for n in 0..<targets.count { let e = Double(scale.clamp(predict(n)) - targets[n]); sum += e * e }
            return (sum / Double(max(targets.count, 1))).squareRoot()
        }
        let singles = predictions.map { p in rmse { p[$0] } }
        let bestIndex = singles.indices.min { singles[$0] < singles[$1] }!
        guard let coefficients = RatingStack.fitCoefficients(predictions: predictions, targets: targets) else {
            var fallback = [Float](repeating: 0, count: configurations.count + 1)
            fallback[bestIndex + 1] = 1
            return (fallback, singles[bestIndex], singles[bestIndex])
        }
        let stacked = rmse { n in coefficients[0] + (0..<predictions.count).reduce(Float(0)) { $0 + coefficients[$1 + 1] * predictions[$1][n] } }
        return (coefficients, stacked, singles[bestIndex])
    }

    /// Coordinate search of the weights (the first fixed at 1), two rounds over the grid, each candidate
    /// judged by mean NDCG@10 over the inner folds; a change must strictly improve it (so ties keep the
    /// earlier, simpler weights).
    static func searchBlendWeights(_ configurations: [RecipeConfiguration], on matrix: RatingMatrix, scale: RatingScale,
                                   folds: Int, context: RunContext) throws -> (weights: [Float], ndcg: Double, equalWeightsNDCG: Double) {
        let threshold = RecommendationEvaluation.relevanceThreshold(scale)
        let assignment = UserStratifiedFolds(matrix, k: folds, seed: context.generator(stream: 76).seedValue)
        let silent = RunContext(seed: context.seed, threads: context.threads, progress: SilentProgress(), isQuiet: true)
        let m = configurations.count, n = matrix.itemCount
        struct Fold {
            var train: RatingMatrix
            var users: [(user: Int, items: Set<Int>)]
            /// Standardised scores: user j, component c at [(j * m + c) * n ..< +n].
            var scores: [Float]
        }
        var cached: [Fold] = []
        for f in 0..<folds {
            let (train, heldOut) = try assignment.split(matrix, holdingOut: f)
            let users = HeldOutRanking.relevantItems(heldOut, isRelevant: { $0 >= threshold })
            let popularity = (0..<n).map { Float(train.itemDegree($0)) }
            var scores = [Float](repeating: 0, count: users.count * m * n)
            for (c, configuration) in configurations.enumerated() {
                let learner = try fitLearner(configuration, on: train, scale: scale, context: silent).learner
                scores.withUnsafeMutableBufferPointer { all in
                    parallelFor(users.count, minimumChunkSize: 16) { _, range in
                        for j in range {
                            let s = UnsafeMutableBufferPointer(rebasing: all[((j * m + c) * n)..<((j * m + c + 1) * n)])
                            learner.rankingScores(user: users[j].user, seen: train, popularity: popularity, into: s)
                            Recommender.standardize(s)
                        }
                    }
                }
            }
            cached.append(Fold(train: train, users: users, scores: scores))
        }
        func meanNDCG(_ weights: [Float]) -> Double {
            var total = 0.0
            for fold in cached {
                var index: [Int: Int] = [:]
                for (j, entry) in fold.users.enumerated() { index[entry.user] = j }
                total += fold.scores.withUnsafeBufferPointer { all in
                    HeldOutRanking.ndcg(train: fold.train, users: fold.users) { u, s in
                        let j = index[u]!
                        for i in 0..<n { s[i] = 0 }
                        for c in 0..<m where weights[c] != 0 {
                            let base = (j * m + c) * n, w = weights[c]
                            for i in 0..<n { s[i] += w * all[base + i] }
                        }
                    }
                }
            }
            return total / Double(cached.count)
        }
        var weights = [Float](repeating: 1, count: m)
        let equal = meanNDCG(weights)
        var best = equal
        for _ in 0..<2 {
            for c in 1..<m {
                for candidate in blendWeightGrid where candidate != weights[c] {
                    var trial = weights
                    trial[c] = candidate
                    let value = meanNDCG(trial)
                    if value > best { best = value; weights = trial }
                }
            }
        }
        return (weights, best, equal)
    }
}
