import Foundation
import SolutionKit

/// The learner behind a recommendation model.
enum Recommender {
    case popularity(BaselineBiases)
    case baseline(BaselineBiases)
    case factors(FactorModel)
    case neighbors(ItemNeighbors)
    case ease(EASE, BaselineBiases)
}

/// A trained recommender: id maps, the training ratings (to exclude seen items and to feed neighbour models),
/// item popularity (the cold-start list) and the learner.
final class RecommendationModel: TrainedModel {
    let configuration: RecipeConfiguration
    let users: [String]
    let items: [String]
    let titles: [String]
    let scale: RatingScale
    let seen: RatingMatrix
    let popularity: [Float]
    let learner: Recommender
    let history: TrainingCurves?
    let userIndex: [String: Int]
    let itemIndex: [String: Int]
    /// Seconds the learner itself took (ids already mapped, sparse matrix built); for benchmarks, not persisted.
    var learnerSeconds: Double = 0

    init(configuration: RecipeConfiguration, users: [String], items: [String], titles: [String], scale: RatingScale,
         seen: RatingMatrix, learner: Recommender, history: TrainingCurves?) {
        self.configuration = configuration
        self.users = users
        self.items = items
        self.titles = titles
        self.scale = scale
        self.seen = seen
        self.learner = learner
        self.history = history
        popularity = (0..<seen.itemCount).map { Float(seen.itemDegree($0)) }
        userIndex = Dictionary(uniqueKeysWithValues: users.enumerated().map { ($1, $0) })
        itemIndex = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1, $0) })
    }

    static func cast(_ model: any TrainedModel) throws -> RecommendationModel {
        guard let model = model as? RecommendationModel else {
            throw InternalError("recommendation was handed a model of type \(type(of: model))")
        }
        return model
    }

    var itemCount: Int { items.count }

    // MARK: Prediction

    /// The predicted rating of (u, i), clipped to the scale; −1 for an unknown user or item.
    func predictRating(user u: Int, item i: Int) -> Float {
        let raw: Float
        switch learner {
        case .popularity(let b), .baseline(let b), .ease(_, let b): raw = b.predict(user: u, item: i)
        case .factors(let f): raw = f.predict(user: u, item: i)
        case .neighbors(let n):
            raw = u < 0 || i < 0 ? n.baseline.predict(user: u, item: i) : withRatings(of: u) { n.predict(user: u, item: i, ratings: $0) }
        }
        return scale.clamp(raw)
    }

    /// Calls `body` with u's training ratings as a dense array over items (NaN where not rated).
    func withRatings<T>(of u: Int, _ body: (UnsafeBufferPointer<Float>) -> T) -> T {
        var dense = [Float](repeating: .nan, count: itemCount)
        for p in seen.userStarts[u]..<seen.userStarts[u + 1] { dense[Int(seen.userItems[p])] = seen.userValues[p] }
        return dense.withUnsafeBufferPointer(body)
    }

    /// The top-k unseen items for a known user (best first) with their scores; the popular items for an
    /// unknown one (u < 0).
    func recommend(user u: Int, k: Int) -> [(item: Int, score: Float)] {
        var scores = [Float](repeating: 0, count: itemCount)
        scores.withUnsafeMutableBufferPointer { s in
            if u < 0 {
                for i in 0..<itemCount { s[i] = popularity[i] }
                return
            }
            switch learner {
            case .popularity: for i in 0..<itemCount { s[i] = popularity[i] }
            case .baseline(let b): for i in 0..<itemCount { s[i] = b.predict(user: u, item: i) }
            case .factors(let f): f.scoreAllItems(user: u, into: s)
            case .neighbors(let n): withRatings(of: u) { n.rankingScores(rated: $0, into: s) }
            case .ease(let e, _):
                seen.userItems.withUnsafeBufferPointer { items in
                    e.scores(ratedItems: UnsafeBufferPointer(rebasing: items[seen.userStarts[u]..<seen.userStarts[u + 1]]), into: s)
                }
            }
        }
        let start = u >= 0 ? seen.userStarts[u] : 0, end = u >= 0 ? seen.userStarts[u + 1] : 0
        let top = scores.withUnsafeBufferPointer { s in
            seen.userItems.withUnsafeBufferPointer { rated in
                TopK.select(s, k: k) { i in
                    // Binary search in the user's sorted items.
                    var lo = start, hi = end
                    while lo < hi { let mid = (lo + hi) / 2; if Int(rated[mid]) < i { lo = mid + 1 } else { hi = mid } }
                    return lo < end && Int(rated[lo]) == i
                }
            }
        }
        return top.map { (item: $0, score: scores[$0]) }
    }

    // MARK: Training

    static func train(_ configuration: RecipeConfiguration, on data: RecommendationDataset,
                      context: RunContext) throws -> RecommendationModel {
        guard data.train.count > 0 else {
            throw DataRequestError("\(data.source): this dataset holds evaluation ratings only; it cannot be trained on")
        }
        // Dense ids in order of first appearance.
        var userIndex: [String: Int] = [:], itemIndex: [String: Int] = [:]
        userIndex.reserveCapacity(data.train.count / 8)
        itemIndex.reserveCapacity(data.train.count / 8)
        var users: [String] = [], items: [String] = []
        var u32 = [Int32](repeating: 0, count: data.train.count), i32 = u32
        for r in 0..<data.train.count {
            let user = data.train.users[r], item = data.train.items[r]
            let ui = userIndex[user, default: users.count]
            if ui == users.count { userIndex[user] = ui; users.append(user) }
            let ii = itemIndex[item, default: items.count]
            if ii == items.count { itemIndex[item] = ii; items.append(item) }
            u32[r] = Int32(ui)
            i32[r] = Int32(ii)
        }
        let matrix = try RatingMatrix(userCount: users.count, itemCount: items.count, users: u32, items: i32,
                                      values: data.train.ratings)
        let titles = items.map { data.titles[$0] ?? "" }
        func biases() throws -> BaselineBiases {
            BaselineBiases.fit(matrix, userRegularization: Float(try configuration.real("user_reg")),
                               itemRegularization: Float(try configuration.real("item_reg")),
                               sweeps: try configuration.integer("bias_sweeps"))
        }
        var history: TrainingCurves?
        let learner: Recommender
        let progress = context.progress
        let learnStart = DispatchTime.now().uptimeNanoseconds
        switch configuration.recipe {
        case "popularity":
            learner = .popularity(try biases())
        case "baseline":
            learner = .baseline(try biases())
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
            history = TrainingCurves(series: [.init(name: "train_rmse", values: curve)])
            learner = .factors(model)
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
            history = TrainingCurves(series: [.init(name: "train_rmse (current sample)", values: curve)])
            learner = .factors(model)
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
            history = TrainingCurves(series: [.init(name: "train_rmse", values: curve)])
            learner = .factors(model)
        case "item-knn":
            progress.begin("item-knn", total: nil, unit: "item")
            learner = .neighbors(ItemNeighbors.fit(matrix, baseline: try biases(), k: try configuration.integer("k"),
                                                   shrinkage: Float(try configuration.real("shrinkage")),
                                                   stored: try configuration.integer("stored_neighbors")))
            progress.finish()
        case "ease":
            progress.begin("ease", total: nil, unit: "solve")
            learner = .ease(try EASE.fit(matrix, lambda: try configuration.real("lambda")), try biases())
            progress.finish()
        default:
            throw ConfigurationError.unknownRecipe(configuration.recipe, plugin: "recommendation",
                                                   known: RecommendationRecipes.all.map(\.name))
        }
        let learnEnd = DispatchTime.now().uptimeNanoseconds
        let model = RecommendationModel(configuration: configuration, users: users, items: items, titles: titles,
                                        scale: data.scale, seen: matrix, learner: learner, history: history)
        model.learnerSeconds = Double(learnEnd - learnStart) / 1e9
        return model
    }
}

extension SeededGenerator {
    /// A seed drawn from this generator, for a component that takes a plain seed.
    var seedValue: UInt64 {
        var copy = self
        return copy.next()
    }
}
