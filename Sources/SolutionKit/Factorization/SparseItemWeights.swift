/// A sparse item → item weight matrix W for neighbourhood top-N models (RP3beta, SLIM): a user's score of
/// item j is Σ_i x_ui W_ij over the items i the user rated, x_ui from `input`.
///
/// Rows are source items: row i lists `(target, weight)` pairs in `starts[i]..<starts[i+1]`, targets
/// ascending. Only the `neighbors` largest weights of each row (RP3beta) or column (SLIM) are kept.
public struct SparseItemWeights: Sendable, Equatable {
    public var itemCount: Int
    public var starts: [Int]
    public var targets: [Int32]
    public var weights: [Float]
    public var input: RelevanceWeights

    public init(itemCount: Int, starts: [Int], targets: [Int32], weights: [Float], input: RelevanceWeights = .binary) {
        precondition(starts.count == itemCount + 1 && targets.count == weights.count, "malformed sparse item weights")
        self.itemCount = itemCount
        self.starts = starts
        self.targets = targets
        self.weights = weights
        self.input = input
    }

    /// Builds the rows from per-row lists of (target, weight); each list is sorted by target here.
    public init(itemCount: Int, rows: [[(Int32, Float)]], input: RelevanceWeights = .binary) {
        var starts = [0], targets: [Int32] = [], weights: [Float] = []
        starts.reserveCapacity(itemCount + 1)
        for row in rows {
            for (j, w) in row.sorted(by: { $0.0 < $1.0 }) { targets.append(j); weights.append(w) }
            starts.append(targets.count)
        }
        self.init(itemCount: itemCount, starts: starts, targets: targets, weights: weights, input: input)
    }

    /// Scores of every item for a user of `matrix`.
    public func scores(user u: Int, in matrix: RatingMatrix, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == itemCount)
        for j in 0..<itemCount { scores[j] = 0 }
        targets.withUnsafeBufferPointer { t in
            weights.withUnsafeBufferPointer { w in
                for p in matrix.userStarts[u]..<matrix.userStarts[u + 1] {
                    let x = input.weight(matrix.userValues[p])
                    if x == 0 { continue }
                    let i = Int(matrix.userItems[p])
                    for e in starts[i]..<starts[i + 1] { scores[Int(t[e])] += x * w[e] }
                }
            }
        }
    }

    /// The `count` largest positive entries of a dense row (ties to the smaller index), as (index, value).
    static func largest(_ row: UnsafeBufferPointer<Double>, count: Int, skipping self: Int) -> [(Int32, Float)] {
        let values = row.map { Float($0) }
        let top = values.withUnsafeBufferPointer { v in TopK.select(v, k: count) { $0 == self || v[$0] <= 0 } }
        return top.map { (Int32($0), values[$0]) }
    }
}
