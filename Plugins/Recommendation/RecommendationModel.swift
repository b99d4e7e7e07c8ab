import Foundation
import SolutionKit

/// The learner behind a recommendation model.
enum Recommender {
    case popularity(BaselineBiases)
    case baseline(BaselineBiases)
    case factors(FactorModel)
    case neighbors(ItemNeighbors)
    case ease(EASE, BaselineBiases)
    /// RP3beta and SLIM: sparse item → item weights.
    case itemWeights(SparseItemWeights, BaselineBiases)
    /// Implicit ALS: factors whose dot products rank items.
    case implicitFactors(FactorModel, BaselineBiases)
    indirect case blend(TopNBlend)
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
    /// What inner cross-validation chose while training (λ of EASE, blend weights), for the run report.
    var selectionSummary: String?

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
        scale.clamp(learner.predictRating(user: u, item: i, seen: seen))
    }

    /// The top-k unseen items for a known user (best first) with their scores; the popular items for an
    /// unknown one (u < 0).
    func recommend(user u: Int, k: Int) -> [(item: Int, score: Float)] {
        var scores = [Float](repeating: 0, count: itemCount)
        scores.withUnsafeMutableBufferPointer { s in
            if u < 0 {
                for i in 0..<itemCount { s[i] = popularity[i] }
            } else {
                learner.rankingScores(user: u, seen: seen, popularity: popularity, into: s)
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
        let learnStart = DispatchTime.now().uptimeNanoseconds
        let fit = try fitLearner(configuration, on: matrix, scale: data.scale, context: context)
        let learnEnd = DispatchTime.now().uptimeNanoseconds
        let model = RecommendationModel(configuration: configuration, users: users, items: items, titles: titles,
                                        scale: data.scale, seen: matrix, learner: fit.learner, history: fit.history)
        model.learnerSeconds = Double(learnEnd - learnStart) / 1e9
        model.selectionSummary = fit.selection
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
