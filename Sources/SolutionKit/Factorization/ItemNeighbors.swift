/// Item–item collaborative filtering on baseline-centred ratings (Koren 2010; Surprise's `KNNBaseline` with
/// `pearson_baseline` similarity, item-based).
///
/// Similarity: s_ij = Σ_u e_ui e_uj / √(Σ_u e_ui² Σ_u e_uj²) over the users who rated both, with e = r − b_ui,
/// shrunk by (n_ij − 1)/(n_ij − 1 + shrinkage) towards zero for pairs with few common users.
/// Each item keeps its `stored` most similar items with positive similarity (sparse, so large catalogues fit).
/// Rating prediction: r̂_ui = b_ui + Σ_j s_ij (r_uj − b_uj) / Σ_j s_ij over the k most similar items j that u
/// rated. Top-N score: Σ_j s_ij over the same neighbours (the item-based top-N of Deshpande & Karypis 2004),
/// which ranks items close to many of the user's items first.
public struct ItemNeighbors: Sendable, Equatable {
    public var baseline: BaselineBiases
    /// Neighbours of item i: `neighborStarts[i]..<neighborStarts[i+1]` in `neighborItems`/`neighborWeights`,
    /// sorted by decreasing similarity.
    public var neighborStarts: [Int]
    public var neighborItems: [Int32]
    public var neighborWeights: [Float]
    public var k: Int

    public init(baseline: BaselineBiases, neighborStarts: [Int], neighborItems: [Int32], neighborWeights: [Float], k: Int) {
        self.baseline = baseline
        self.neighborStarts = neighborStarts
        self.neighborItems = neighborItems
        self.neighborWeights = neighborWeights
        self.k = k
    }

    public static func fit(_ matrix: RatingMatrix, baseline: BaselineBiases, k: Int = 40, shrinkage: Float = 100,
                           stored: Int = 200) -> ItemNeighbors {
        let I = matrix.itemCount
        // Residuals in CSR order.
        var residual = [Float](repeating: 0, count: matrix.count)
        for u in 0..<matrix.userCount {
            for p in matrix.userStarts[u]..<matrix.userStarts[u + 1] {
                residual[p] = matrix.userValues[p] - baseline.predict(user: u, item: Int(matrix.userItems[p]))
            }
        }
        var lists = [[(Int32, Float)]](repeating: [], count: I)
        let keep = max(stored, k)
        lists.withUnsafeMutableBufferPointer { out in
            residual.withUnsafeBufferPointer { e in
                parallelFor(I, minimumChunkSize: 16) { _, range in
                    var numerator = [Float](repeating: 0, count: I), left = numerator, right = numerator
                    var common = [Int32](repeating: 0, count: I)
                    var touched: [Int32] = []
                    for i in range {
                        touched.removeAll(keepingCapacity: true)
                        for q in matrix.itemStarts[i]..<matrix.itemStarts[i + 1] {
                            let u = Int(matrix.itemUsers[q])
                            let ei = e[Int(matrix.cscToCSR[q])]
                            for p in matrix.userStarts[u]..<matrix.userStarts[u + 1] {
                                let j = Int(matrix.userItems[p])
                                if j == i { continue }
                                let ej = e[p]
                                if common[j] == 0 { touched.append(Int32(j)) }
                                common[j] += 1
                                numerator[j] += ei * ej
                                left[j] += ei * ei
                                right[j] += ej * ej
                            }
                        }
                        var candidates: [(Int32, Float)] = []
                        candidates.reserveCapacity(touched.count)
                        for j32 in touched {
                            let j = Int(j32)
                            let n = Float(common[j])
                            let denominator = (left[j] * right[j]).squareRoot()
                            if denominator > 0 {
                                let s = numerator[j] / denominator * (n - 1) / (n - 1 + shrinkage)
                                if s > 0 { candidates.append((j32, s)) }
                            }
                            common[j] = 0; numerator[j] = 0; left[j] = 0; right[j] = 0
                        }
                        candidates.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
                        out[i] = Array(candidates.prefix(keep))
                    }
                }
            }
        }
        var starts = [0]
        var items: [Int32] = [], weights: [Float] = []
        for list in lists {
            for (j, s) in list { items.append(j); weights.append(s) }
            starts.append(items.count)
        }
        return ItemNeighbors(baseline: baseline, neighborStarts: starts, neighborItems: items, neighborWeights: weights, k: k)
    }

    /// The predicted rating of item i for user u, given u's ratings as a dense lookup (NaN = not rated).
    public func predict(user u: Int, item i: Int, ratings: UnsafeBufferPointer<Float>) -> Float {
        let base = baseline.predict(user: u, item: i)
        guard u >= 0, i >= 0 else { return base }
        var used = 0
        var sum: Float = 0, weight: Float = 0
        for n in neighborStarts[i]..<neighborStarts[i + 1] where used < k {
            let j = Int(neighborItems[n])
            let r = ratings[j]
            if r.isNaN { continue }
            let s = neighborWeights[n]
            sum += s * (r - baseline.predict(user: u, item: j))
            weight += s
            used += 1
        }
        return weight > 0 ? base + sum / weight : base
    }

    /// Top-N scores of every item for a user whose rated items are marked in `rated`.
    public func rankingScores(rated: UnsafeBufferPointer<Float>, into scores: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<scores.count {
            var used = 0
            var sum: Float = 0
            for n in neighborStarts[i]..<neighborStarts[i + 1] where used < k {
                if rated[Int(neighborItems[n])].isNaN { continue }
                sum += neighborWeights[n]
                used += 1
            }
            scores[i] = sum
        }
    }
}
