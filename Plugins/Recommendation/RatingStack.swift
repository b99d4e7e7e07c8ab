import SolutionKit

/// The rating side of a blend: a linear stack r̂ = c₀ + Σ_k c_k r̂_k of rating learners, the coefficients fitted
/// by least squares on held-out predictions of inner folds (stacking, Wolpert 1992; the blends that won the
/// Netflix prize were of this kind). One learner alone is used as it is (c = [0, 1]).
struct RatingStack {
    var names: [String]
    var learners: [Recommender]
    /// Intercept first, then one coefficient per learner.
    var coefficients: [Float]

    func predict(user u: Int, item i: Int, seen: RatingMatrix) -> Float {
        var value = coefficients[0]
        for (k, learner) in learners.enumerated() { value += coefficients[k + 1] * learner.predictRating(user: u, item: i, seen: seen) }
        return value
    }

    /// The rating recipes a blend can stack.
    static let recipeNames = ["bayes-mf", "mf", "als", "baseline", "item-knn"]

    static func names(_ configuration: RecipeConfiguration) throws -> [String] {
        let text = try configuration.text("ratings")
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.allSatisfy({ recipeNames.contains($0) }), Set(names).count == names.count else {
            throw ConfigurationError.badValue(key: "ratings", value: text, source: "blend",
                                              allowed: "distinct rating recipes separated by commas, from: \(recipeNames.joined(separator: ", "))")
        }
        return names
    }

    /// Least squares of held-out ratings on [1, predictions…], with a tiny ridge so that collinear
    /// learners still give a finite answer; nil when the system cannot be solved.
    static func fitCoefficients(predictions: [[Float]], targets: [Float]) -> [Float]? {
        let k = predictions.count + 1
        var a = [Double](repeating: 0, count: k * k), b = [Double](repeating: 0, count: k)
        var row = [Double](repeating: 1, count: k)
        for n in 0..<targets.count {
            for c in 1..<k { row[c] = Double(predictions[c - 1][n]) }
            for r in 0..<k {
                b[r] += row[r] * Double(targets[n])
                for c in 0..<k { a[r * k + c] += row[r] * row[c] }
            }
        }
        for r in 1..<k { a[r * k + r] += 1e-6 * Double(targets.count) }
        let solved = a.withUnsafeMutableBufferPointer { ab in
            b.withUnsafeMutableBufferPointer { bb in ALSFactorization.choleskySolve(ab.baseAddress!, bb.baseAddress!, dimension: k) }
        }
        guard solved, b.allSatisfy({ $0.isFinite }) else { return nil }
        return b.map(Float.init)
    }
}
