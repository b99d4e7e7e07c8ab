import COpenBLAS

/// A biased latent-factor model: r̂_ui = μ + b_u + b_i + p_u · q_i.
///
/// The result of every factorisation here (SGD, Gibbs sampling): the sampler's posterior mean is stored in the
/// same shape by concatenating its kept samples, scaled by 1/√S, so p_u · q_i is the average over samples.
/// Factor matrices are row-major: user u's factors are `userFactors[u*factors ..< (u+1)*factors]`.
public struct FactorModel: Equatable, Sendable {
    public var biases: BaselineBiases
    public var factors: Int
    public var userFactors: [Float]
    public var itemFactors: [Float]

    public init(biases: BaselineBiases, factors: Int, userFactors: [Float], itemFactors: [Float]) {
        precondition(userFactors.count == biases.userBias.count * factors, "user factors do not match the user count")
        precondition(itemFactors.count == biases.itemBias.count * factors, "item factors do not match the item count")
        self.biases = biases
        self.factors = factors
        self.userFactors = userFactors
        self.itemFactors = itemFactors
    }

    public var userCount: Int { biases.userBias.count }
    public var itemCount: Int { biases.itemBias.count }

    /// The predicted rating; an unknown user or item (index < 0) falls back to the baseline.
    public func predict(user u: Int, item i: Int) -> Float {
        var value = biases.predict(user: u, item: i)
        guard u >= 0, i >= 0, factors > 0 else { return value }
        userFactors.withUnsafeBufferPointer { p in
            itemFactors.withUnsafeBufferPointer { q in
                let pu = p.baseAddress! + u * factors, qi = q.baseAddress! + i * factors
                var dot: Float = 0
                for f in 0..<factors { dot += pu[f] * qi[f] }
                value += dot
            }
        }
        return value
    }

    /// Predicted ratings of every item for user u (one sgemv), written into `scores` (itemCount values).
    public func scoreAllItems(user u: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == itemCount)
        let bu = u >= 0 ? biases.userBias[u] : 0
        biases.itemBias.withUnsafeBufferPointer { bi in
            for i in 0..<itemCount { scores[i] = biases.mean + bu + bi[i] }
        }
        guard u >= 0, factors > 0, itemCount > 0 else { return }
        userFactors.withUnsafeBufferPointer { p in
            itemFactors.withUnsafeBufferPointer { q in
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(itemCount), Int32(factors), 1, q.baseAddress!,
                            Int32(factors), p.baseAddress! + u * factors, 1, 1, scores.baseAddress!, 1)
            }
        }
    }
}
