/// The baseline predictor b_ui = μ + b_u + b_i: the global mean plus regularised user and item offsets.
///
/// Fitted by alternating least squares as in Koren (2010) and Surprise's `BaselineOnly(method="als")`:
/// b_i = Σ_u (r_ui − μ − b_u) / (λ_i + |U_i|), then b_u = Σ_i (r_ui − μ − b_i) / (λ_u + |I_u|), repeated.
/// Unknown users or items (index < 0) get a zero offset, so the baseline is also the cold-start fallback.
public struct BaselineBiases: Codable, Equatable, Sendable {
    public var mean: Float
    public var userBias: [Float]
    public var itemBias: [Float]

    public init(mean: Float, userBias: [Float], itemBias: [Float]) {
        self.mean = mean
        self.userBias = userBias
        self.itemBias = itemBias
    }

    /// Surprise's defaults: reg_u = 15, reg_i = 10, 10 sweeps.
    public static func fit(_ matrix: RatingMatrix, userRegularization: Float = 15, itemRegularization: Float = 10,
                           sweeps: Int = 10) -> BaselineBiases {
        let mean = Float(matrix.mean)
        var bu = [Float](repeating: 0, count: matrix.userCount)
        var bi = [Float](repeating: 0, count: matrix.itemCount)
        for _ in 0..<max(1, sweeps) {
            for i in 0..<matrix.itemCount {
                var sum: Float = 0
                for q in matrix.itemStarts[i]..<matrix.itemStarts[i + 1] {
                    sum += matrix.itemValues[q] - mean - bu[Int(matrix.itemUsers[q])]
                }
                bi[i] = sum / (itemRegularization + Float(matrix.itemDegree(i)))
            }
            for u in 0..<matrix.userCount {
                var sum: Float = 0
                for p in matrix.userStarts[u]..<matrix.userStarts[u + 1] {
                    sum += matrix.userValues[p] - mean - bi[Int(matrix.userItems[p])]
                }
                bu[u] = sum / (userRegularization + Float(matrix.userDegree(u)))
            }
        }
        return BaselineBiases(mean: mean, userBias: bu, itemBias: bi)
    }

    /// μ + b_u + b_i, with a zero offset for an unknown (negative) index.
    @inlinable
    public func predict(user u: Int, item i: Int) -> Float {
        mean + (u >= 0 ? userBias[u] : 0) + (i >= 0 ? itemBias[i] : 0)
    }
}
