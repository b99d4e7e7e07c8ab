import Foundation
import SolutionKit

/// The arrays of each learner in a bundle. A blend stores its components under `c<n>.` prefixes and its
/// rating learner under `ratings.`; a single learner uses no prefix (the names bundles have always had).
extension RecommendationModel {
    static func addArrays(of learner: Recommender, prefix: String, to arrays: inout [NamedArray]) throws {
        func add(_ name: String, _ shape: [Int], _ values: [Float]) {
            arrays.append(NamedArray(name: prefix + name, shape: shape, values: values))
        }
        func add(_ b: BaselineBiases) {
            add("mean", [1], [b.mean])
            add("user_bias", [b.userBias.count], b.userBias)
            add("item_bias", [b.itemBias.count], b.itemBias)
        }
        func add(input: RelevanceWeights, name: String) {
            if input != .binary { add(name, [2], [input.threshold, input.lowWeight]) }
        }
        func addFactors(_ f: FactorModel) {
            add("user_factors", [f.userCount, f.factors], f.userFactors)
            add("item_factors", [f.itemCount, f.factors], f.itemFactors)
        }
        switch learner {
        case .popularity(let b), .baseline(let b):
            add(b)
        case .factors(let f):
            add(f.biases)
            addFactors(f)
        case .neighbors(let n):
            add(n.baseline)
            guard n.neighborItems.count < exactLimit else { throw InternalError("too many stored neighbours for float32 indices") }
            add("neighbor_starts", [n.neighborStarts.count], n.neighborStarts.map(Float.init))
            add("neighbor_items", [n.neighborItems.count], n.neighborItems.map(Float.init))
            add("neighbor_weights", [n.neighborWeights.count], n.neighborWeights)
        case .ease(let e, let b):
            add(b)
            add("ease_weights", [e.itemCount, e.itemCount], e.weights)
            add(input: e.input, name: "ease_input")
        case .itemWeights(let w, let b):
            add(b)
            guard w.targets.count < exactLimit else { throw InternalError("too many item weights for float32 indices") }
            add("item_weight_starts", [w.starts.count], w.starts.map(Float.init))
            add("item_weight_targets", [w.targets.count], w.targets.map(Float.init))
            add("item_weight_values", [w.weights.count], w.weights)
            add(input: w.input, name: "item_weight_input")
        case .implicitFactors(let f, let b):
            add(b)
            addFactors(f)
        case .blend(let blend):
            add("blend_weights", [blend.weights.count], blend.weights)
            for (n, component) in blend.components.enumerated() {
                try addArrays(of: component, prefix: prefix + "c\(n).", to: &arrays)
            }
            add("rating_coefficients", [blend.ratings.coefficients.count], blend.ratings.coefficients)
            for (n, learner) in blend.ratings.learners.enumerated() {
                try addArrays(of: learner, prefix: prefix + "r\(n).", to: &arrays)
            }
        }
    }
}

/// Reads learners back, checking every size and index before use.
struct LearnerArrays {
    let bundle: ModelBundle
    let users: Int
    let items: Int

    func malformed(_ reason: String) -> BundleError {
        .malformed(path: bundle.path, file: "weights.bin", reason: reason)
    }

    /// A stored array of `count` values, every one finite unless `finite` is false (the caller checks them).
    func values(_ name: String, count: Int? = nil, finite: Bool = true) throws -> [Float] {
        let array = try bundle.array(name)
        if let count, array.values.count != count {
            throw malformed("\(name) holds \(array.values.count) values, expected \(count)")
        }
        if finite { try bundle.check("weights.bin").at(name).allFinite(array.values) }
        return array.values
    }

    func indices(_ name: String, count: Int? = nil, below limit: Int) throws -> [Int32] {
        try values(name, count: count, finite: false).map { v in
            guard v >= 0, v < Float(limit), v == v.rounded() else {
                throw malformed("\(name) holds an index \(v) outside 0..<\(limit)")
            }
            return Int32(v)
        }
    }

    /// Row starts: count + 1 non-decreasing offsets from 0 to `total`.
    func starts(_ name: String, rows: Int, total: Int) throws -> [Int] {
        let starts = try indices(name, count: rows + 1, below: RecommendationModel.exactLimit).map(Int.init)
        guard starts.first == 0, starts.last == total, zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw malformed("\(name) is not a valid row index")
        }
        return starts
    }

    func biases(_ prefix: String) throws -> BaselineBiases {
        BaselineBiases(mean: try values(prefix + "mean", count: 1)[0], userBias: try values(prefix + "user_bias", count: users),
                       itemBias: try values(prefix + "item_bias", count: items))
    }

    /// Relevance weights stored as [threshold, low weight]; binary when the array is absent (older bundles).
    func input(_ name: String) throws -> RelevanceWeights {
        guard bundle.arrays[name] != nil else { return .binary }
        let v = try values(name, count: 2, finite: false)
        guard v[0].isFinite || v[0] == -.infinity, v[1].isFinite, v[1] >= 0, v[1] <= 1 else {
            throw malformed("\(name) holds \(v), expected a threshold and a weight in 0...1")
        }
        return RelevanceWeights(threshold: v[0], lowWeight: v[1])
    }

    func factors(_ prefix: String, biases: BaselineBiases) throws -> FactorModel {
        let userFactors = try bundle.array(prefix + "user_factors")
        guard userFactors.shape.count == 2, userFactors.shape[0] == users,
              (1...BundleLimits.maximumElements).contains(userFactors.shape[1]) else {
            throw malformed("\(prefix)user_factors has shape \(userFactors.shape), expected [\(users), factors]")
        }
        let k = userFactors.shape[1]
        let (itemValues, overflow) = items.multipliedReportingOverflow(by: k)
        guard !overflow else { throw malformed("\(prefix)item_factors would hold \(items) × \(k) values") }
        return FactorModel(biases: biases, factors: k, userFactors: try values(prefix + "user_factors"),
                           itemFactors: try values(prefix + "item_factors", count: itemValues))
    }

    func learner(recipe: String, configuration: RecipeConfiguration, prefix: String, plugin: RecommendationPlugin) throws -> Recommender {
        switch recipe {
        case "popularity": return .popularity(try biases(prefix))
        case "baseline": return .baseline(try biases(prefix))
        case "mf", "bayes-mf", "als": return .factors(try factors(prefix, biases: try biases(prefix)))
        case "ials":
            // The factors alone rank items; the stored biases are the baseline that predicts ratings.
            let zeros = BaselineBiases(mean: 0, userBias: [Float](repeating: 0, count: users), itemBias: [Float](repeating: 0, count: items))
            return .implicitFactors(try factors(prefix, biases: zeros), try biases(prefix))
        case "item-knn":
            let neighborItems = try indices(prefix + "neighbor_items", below: items)
            let nStarts = try starts(prefix + "neighbor_starts", rows: items, total: neighborItems.count)
            return .neighbors(ItemNeighbors(baseline: try biases(prefix), neighborStarts: nStarts, neighborItems: neighborItems,
                                            neighborWeights: try values(prefix + "neighbor_weights", count: neighborItems.count),
                                            k: try configuration.integer("k")))
        case "ease":
            return .ease(EASE(itemCount: items, weights: try values(prefix + "ease_weights", count: items * items),
                              input: try input(prefix + "ease_input")), try biases(prefix))
        case "rp3beta", "slim":
            let targets = try indices(prefix + "item_weight_targets", below: items)
            let rowStarts = try starts(prefix + "item_weight_starts", rows: items, total: targets.count)
            return .itemWeights(SparseItemWeights(itemCount: items, starts: rowStarts, targets: targets,
                                                  weights: try values(prefix + "item_weight_values", count: targets.count),
                                                  input: try input(prefix + "item_weight_input")), try biases(prefix))
        case "blend":
            guard prefix.isEmpty else { throw malformed("a blend inside a blend (\(prefix))") }
            let names = try RecommendationModel.blendComponents(configuration)
            let weights = try values("blend_weights", count: names.count)
            guard weights.allSatisfy({ $0.isFinite }) else { throw malformed("blend_weights holds a non-finite value") }
            let components = try names.enumerated().map { n, name in
                try learner(recipe: name, configuration: try RecommendationRecipes.componentConfiguration(name, of: configuration),
                            prefix: "c\(n).", plugin: plugin)
            }
            let ratingNames = try RatingStack.names(configuration)
            let coefficients = try values("rating_coefficients", count: ratingNames.count + 1)
            guard coefficients.allSatisfy({ $0.isFinite }) else { throw malformed("rating_coefficients holds a non-finite value") }
            let ratingLearners = try ratingNames.enumerated().map { n, name in
                try learner(recipe: name, configuration: try RecommendationRecipes.componentConfiguration(name, of: configuration),
                            prefix: "r\(n).", plugin: plugin)
            }
            return .blend(TopNBlend(names: names, components: components, weights: weights,
                                    ratings: RatingStack(names: ratingNames, learners: ratingLearners, coefficients: coefficients)))
        default:
            throw ConfigurationError.unknownRecipe(recipe, plugin: plugin.id, known: RecommendationRecipes.all.map(\.name))
        }
    }
}
