import Foundation

/// RP3beta (Paudel et al. 2017; the graph baseline Ferrari Dacrema et al. 2019 found hard to beat): a
/// three-step random walk user → item → user → item on the bipartite rating graph, its transition
/// probabilities raised to `alpha`, and the arrival item's score divided by its popularity to the power
/// `beta` (β = 0 is P³α, larger β favours less popular items).
///
/// W_ij = (1/deg i)^α Σ_{u rated i and j} (1/deg u)^α / (deg j)^β, each row i keeping its `neighbors` largest
/// weights. Binary feedback (every rating is an edge). Rows are independent, so the fit is parallel over items
/// and the same at any thread count.
public struct RP3beta: Sendable {
    public var alpha: Double = 1
    public var beta: Double = 0.5
    public var neighbors = 200

    public init(alpha: Double = 1, beta: Double = 0.5, neighbors: Int = 200) {
        self.alpha = alpha
        self.beta = beta
        self.neighbors = neighbors
    }

    public func fit(_ matrix: RatingMatrix) -> SparseItemWeights {
        let n = matrix.itemCount
        let userStep = (0..<matrix.userCount).map { u in
            matrix.userDegree(u) > 0 ? pow(1 / Double(matrix.userDegree(u)), alpha) : 0
        }
        let itemStep = (0..<n).map { i in matrix.itemDegree(i) > 0 ? pow(1 / Double(matrix.itemDegree(i)), alpha) : 0 }
        let arrival = (0..<n).map { j in matrix.itemDegree(j) > 0 ? 1 / pow(Double(matrix.itemDegree(j)), beta) : 0 }
        var rows = [[(Int32, Float)]](repeating: [], count: n)
        let keep = max(1, neighbors)
        rows.withUnsafeMutableBufferPointer { out in
            parallelFor(n, minimumChunkSize: 16) { _, range in
                var acc = [Double](repeating: 0, count: n)
                for i in range {
                    for j in 0..<n { acc[j] = 0 }
                    for q in matrix.itemStarts[i]..<matrix.itemStarts[i + 1] {
                        let u = Int(matrix.itemUsers[q])
                        let step = userStep[u]
                        for p in matrix.userStarts[u]..<matrix.userStarts[u + 1] { acc[Int(matrix.userItems[p])] += step }
                    }
                    for j in 0..<n { acc[j] *= itemStep[i] * arrival[j] }
                    out[i] = acc.withUnsafeBufferPointer { SparseItemWeights.largest($0, count: keep, skipping: i) }
                }
            }
        }
        return SparseItemWeights(itemCount: n, rows: rows)
    }
}
