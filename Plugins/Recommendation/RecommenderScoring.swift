import SolutionKit

/// A blend of top-N learners: each component's scores are standardised per user (mean 0, standard deviation
/// 1 over the catalogue) so that scales as different as EASE weights and factor dot products add up, then
/// summed with `weights`. Ratings come from a stack of rating learners.
struct TopNBlend {
    var names: [String]
    var components: [Recommender]
    var weights: [Float]
    var ratings: RatingStack
}

extension Recommender {
    /// The unclipped rating prediction; an unknown user or item (index < 0) falls back to the biases.
    func predictRating(user u: Int, item i: Int, seen: RatingMatrix) -> Float {
        switch self {
        case .popularity(let b), .baseline(let b), .ease(_, let b), .itemWeights(_, let b), .implicitFactors(_, let b):
            return b.predict(user: u, item: i)
        case .factors(let f):
            return f.predict(user: u, item: i)
        case .neighbors(let n):
            guard u >= 0, i >= 0 else { return n.baseline.predict(user: u, item: i) }
            return Self.withRatings(of: u, in: seen) { n.predict(user: u, item: i, ratings: $0) }
        case .blend(let blend):
            return blend.ratings.predict(user: u, item: i, seen: seen)
        }
    }

    /// Ranking scores of every item for a known user u (higher is better; seen items are excluded later).
    func rankingScores(user u: Int, seen: RatingMatrix, popularity: [Float], into s: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .popularity: for i in 0..<s.count { s[i] = popularity[i] }
        case .baseline(let b): for i in 0..<s.count { s[i] = b.predict(user: u, item: i) }
        case .factors(let f), .implicitFactors(let f, _): f.scoreAllItems(user: u, into: s)
        case .neighbors(let n): Self.withRatings(of: u, in: seen) { n.rankingScores(rated: $0, into: s) }
        case .ease(let e, _): e.scores(user: u, in: seen, into: s)
        case .itemWeights(let w, _): w.scores(user: u, in: seen, into: s)
        case .blend(let blend):
            for i in 0..<s.count { s[i] = 0 }
            var buffer = [Float](repeating: 0, count: s.count)
            for (component, weight) in zip(blend.components, blend.weights) where weight != 0 {
                buffer.withUnsafeMutableBufferPointer { b in
                    component.rankingScores(user: u, seen: seen, popularity: popularity, into: b)
                    Self.standardize(b)
                    for i in 0..<s.count { s[i] += weight * b[i] }
                }
            }
        }
    }

    /// Rescales scores to mean 0 and standard deviation 1 (all zero when they are constant).
    static func standardize(_ s: UnsafeMutableBufferPointer<Float>) {
        guard !s.isEmpty else { return }
        var sum = 0.0, squares = 0.0
        for v in s { sum += Double(v) }
        let mean = sum / Double(s.count)
        for v in s { let d = Double(v) - mean; squares += d * d }
        let sd = (squares / Double(s.count)).squareRoot()
        let inverse = sd > 0 ? 1 / sd : 0
        for i in 0..<s.count { s[i] = Float((Double(s[i]) - mean) * inverse) }
    }

    /// Calls `body` with u's ratings in `seen` as a dense array over items (NaN where not rated).
    static func withRatings<T>(of u: Int, in seen: RatingMatrix, _ body: (UnsafeBufferPointer<Float>) -> T) -> T {
        var dense = [Float](repeating: .nan, count: seen.itemCount)
        for p in seen.userStarts[u]..<seen.userStarts[u + 1] { dense[Int(seen.userItems[p])] = seen.userValues[p] }
        return dense.withUnsafeBufferPointer(body)
    }
}
