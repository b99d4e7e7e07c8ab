import Foundation
import SolutionKit

/// What fitting one learner gives: the learner, its training curves and what inner CV chose (if anything).
struct LearnerFit {
    var learner: Recommender
    var history: TrainingCurves?
    var selection: String?
    /// Settings the fit chose itself (EASE's λ), to reuse when the same recipe is refitted on inner folds.
    var chosen: [String: HyperparameterValue] = [:]
}

extension RecommendationModel {
    /// Fits the learner a configuration names on a built rating matrix (dense ids). Used for whole models and
    /// for the components of a blend on inner folds.
    static func fitLearner(_ configuration: RecipeConfiguration, on matrix: RatingMatrix, scale: RatingScale,
                           context: RunContext) throws -> LearnerFit {
        func biases() throws -> BaselineBiases {
            BaselineBiases.fit(matrix, userRegularization: Float(try configuration.real("user_reg")),
                               itemRegularization: Float(try configuration.real("item_reg")),
                               sweeps: try configuration.integer("bias_sweeps"))
        }
        let relevance = RecommendationEvaluation.relevanceThreshold(scale)
        func weights() throws -> RelevanceWeights {
            RelevanceWeights(threshold: relevance, lowWeight: Float(try configuration.real("low_rating_weight")))
        }
        func checkCatalogue() throws {
            guard ItemGram.fits(itemCount: matrix.itemCount) else {
                throw DataRequestError("recipe \(configuration.recipe) keeps dense item × item matrices and accepts at most "
                                       + "\(ItemGram.maximumItems) items; the training ratings hold \(matrix.itemCount)")
            }
        }
        let progress = context.progress
        switch configuration.recipe {
        case "popularity":
            return LearnerFit(learner: .popularity(try biases()))
        case "baseline":
            return LearnerFit(learner: .baseline(try biases()))
        case "mf":
            var sgd = SGDFactorization()
            sgd.factors = try configuration.integer("factors")
            sgd.epochs = try configuration.integer("epochs")
            sgd.learningRate = Float(try configuration.real("learning_rate"))
            sgd.regularization = Float(try configuration.real("regularization"))
            sgd.biasLearningRate = Float(try configuration.real("bias_learning_rate"))
            sgd.biasRegularization = Float(try configuration.real("bias_regularization"))
            sgd.initStd = Float(try configuration.real("init_std"))
            sgd.decay = Float(try configuration.real("decay"))
            sgd.seed = context.generator(stream: 71).seedValue
            var curve: [Double] = []
            progress.begin("mf", total: sgd.epochs, unit: "epoch")
            let model = sgd.fit(matrix) { _, rmse in curve.append(rmse); progress.advance() }
            progress.finish()
            return LearnerFit(learner: .factors(model), history: TrainingCurves(series: [.init(name: "train_rmse", values: curve)]))
        case "bayes-mf":
            var gibbs = GibbsFactorization()
            gibbs.factors = try configuration.integer("factors")
            gibbs.sweeps = try configuration.integer("sweeps")
            gibbs.burnIn = try configuration.integer("burn_in")
            gibbs.thin = try configuration.integer("thin")
            gibbs.initStd = Float(try configuration.real("init_std"))
            gibbs.seed = context.generator(stream: 72).seedValue
            var curve: [Double] = []
            progress.begin("bayes-mf", total: gibbs.sweeps, unit: "sweep")
            let model = gibbs.fit(matrix) { _, rmse in curve.append(rmse); progress.advance() }
            progress.finish()
            return LearnerFit(learner: .factors(model),
                              history: TrainingCurves(series: [.init(name: "train_rmse (current sample)", values: curve)]))
        case "als":
            var als = ALSFactorization()
            als.factors = try configuration.integer("factors")
            als.sweeps = try configuration.integer("sweeps")
            als.regularization = Float(try configuration.real("regularization"))
            als.biasRegularization = Float(try configuration.real("bias_regularization"))
            als.initStd = Float(try configuration.real("init_std"))
            als.seed = context.generator(stream: 73).seedValue
            var curve: [Double] = []
            progress.begin("als", total: als.sweeps, unit: "sweep")
            let model = als.fit(matrix) { _, rmse in curve.append(rmse); progress.advance() }
            progress.finish()
            return LearnerFit(learner: .factors(model), history: TrainingCurves(series: [.init(name: "train_rmse", values: curve)]))
        case "item-knn":
            progress.begin("item-knn", total: nil, unit: "item")
            defer { progress.finish() }
            return LearnerFit(learner: .neighbors(ItemNeighbors.fit(matrix, baseline: try biases(), k: try configuration.integer("k"),
                                                                    shrinkage: Float(try configuration.real("shrinkage")),
                                                                    stored: try configuration.integer("stored_neighbors"))))
        case "ease":
            try checkCatalogue()
            progress.begin("ease", total: nil, unit: "solve")
            defer { progress.finish() }
            var options = EASE.Options(lambda: try configuration.real("lambda"),
                                       popularityPenalty: try configuration.real("popularity_penalty"),
                                       input: try weights(), relevanceTarget: try configuration.text("target") == "relevant")
            var selection: String?
            var chosen: [String: HyperparameterValue] = [:]
            let folds = try configuration.integer("cv_folds")
            if folds > 0 {
                let grid = [1.0 / 3, 1, 3].map { $0 * options.lambda }
                let search = try EASE.selectLambda(matrix, options: options, grid: grid, folds: folds,
                                                   seed: context.generator(stream: 74).seedValue)
                options.lambda = search.best
                chosen = ["lambda": .real(search.best), "cv_folds": .integer(0)]
                selection = "EASE lambda \(format(search.best)) chosen by \(folds)-fold inner CV (user-stratified) of the training ratings; "
                    + "mean held-out NDCG@10: " + zip(search.grid, search.meanNDCG).map { "\(format($0)): \(String(format: "%.4f", $1))" }.joined(separator: ", ")
            }
            return LearnerFit(learner: .ease(try EASE.fit(matrix, options: options), try biases()), selection: selection,
                              chosen: chosen)
        case "ials":
            var als = ImplicitALS()
            als.factors = try configuration.integer("factors")
            als.sweeps = try configuration.integer("sweeps")
            als.regularization = try configuration.real("regularization")
            als.alpha = try configuration.real("alpha")
            als.input = try weights()
            als.initStd = Float(try configuration.real("init_std"))
            als.seed = context.generator(stream: 75).seedValue
            progress.begin("ials", total: nil, unit: "sweep")
            defer { progress.finish() }
            return LearnerFit(learner: .implicitFactors(als.fit(matrix), try biases()))
        case "rp3beta":
            let walk = RP3beta(alpha: try configuration.real("alpha"), beta: try configuration.real("beta"),
                               neighbors: try configuration.integer("neighbors"))
            return LearnerFit(learner: .itemWeights(walk.fit(matrix), try biases()))
        case "slim":
            try checkCatalogue()
            let input = try weights()
            let options = EASE.Options(lambda: 0, input: input, relevanceTarget: try configuration.text("target") == "relevant")
            let slim = SLIM(alpha: try configuration.real("alpha"), l1Ratio: try configuration.real("l1_ratio"),
                            neighbors: try configuration.integer("neighbors"), maxSweeps: try configuration.integer("max_sweeps"),
                            tolerance: try configuration.real("tolerance"))
            progress.begin("slim", total: nil, unit: "item")
            defer { progress.finish() }
            return LearnerFit(learner: .itemWeights(slim.fit(EASE.Products(matrix, options: options), users: matrix.userCount,
                                                             input: input), try biases()))
        case "blend":
            return try fitBlend(configuration, on: matrix, scale: scale, context: context)
        default:
            throw ConfigurationError.unknownRecipe(configuration.recipe, plugin: "recommendation",
                                                   known: RecommendationRecipes.all.map(\.name))
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%g", value)
    }
}
