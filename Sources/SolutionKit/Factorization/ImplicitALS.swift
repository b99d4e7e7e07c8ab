/// Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky 2008; the
/// `implicit` library's `AlternatingLeastSquares`): every (user, item) cell is a target, 1 where the user
/// rated the item and 0 elsewhere, with confidence c_ui = 1 + alpha · x_ui for rated cells (x_ui from the
/// relevance weights) and 1 for the rest:
///
///     min Σ_ui c_ui (p_ui − x_u·y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²).
///
/// Each half-sweep solves one f × f system per user (or item) exactly, in double precision, with the shared
/// YᵀY computed once. Rows are independent given the other side, so the result is the same at any thread
/// count. Scores are x_u·y_i (a `FactorModel` with zero biases).
public struct ImplicitALS: Sendable {
    public var factors = 16
    public var sweeps = 15
    public var regularization: Double = 1
    public var alpha: Double = 5
    public var initStd: Float = 0.01
    public var input: RelevanceWeights = .binary
    public var seed: UInt64 = 0

    public init() {}

    public func fit(_ matrix: RatingMatrix) -> FactorModel {
        let k = factors, U = matrix.userCount, I = matrix.itemCount
        var generator = SeededGenerator(seed: seed)
        var P = [Float](repeating: 0, count: U * k), Q = [Float](repeating: 0, count: I * k)
        for j in Q.indices { Q[j] = Float(generator.nextGaussian()) * initStd }
        let confidence = matrix.userValues.map { Double(alpha) * Double(input.weight($0)) }
        let itemConfidence = matrix.cscToCSR.map { confidence[Int($0)] }
        for _ in 0..<max(1, sweeps) {
            Self.solveSide(rows: U, starts: matrix.userStarts, others: matrix.userItems, confidence: confidence,
                           fixed: Q, fixedCount: I, into: &P, k: k, lambda: regularization)
            Self.solveSide(rows: I, starts: matrix.itemStarts, others: matrix.itemUsers, confidence: itemConfidence,
                           fixed: P, fixedCount: U, into: &Q, k: k, lambda: regularization)
        }
        let zeros = BaselineBiases(mean: 0, userBias: [Float](repeating: 0, count: U), itemBias: [Float](repeating: 0, count: I))
        return FactorModel(biases: zeros, factors: k, userFactors: P, itemFactors: Q)
    }

    /// Solves (YᵀY + Σ_{j∈row} (c_j − 1) y_j y_jᵀ + λI) x = Σ_j c_j y_j for every row (preference 1 on rated
    /// cells, 0 elsewhere); `confidence` holds c − 1 = alpha · x_ui per entry.
    static func solveSide(rows: Int, starts: [Int], others: [Int32], confidence: [Double], fixed: [Float],
                          fixedCount: Int, into target: inout [Float], k: Int, lambda: Double) {
        // YᵀY in double, summed in index order.
        var yty = [Double](repeating: 0, count: k * k)
        for j in 0..<fixedCount {
            for a in 0..<k {
                let ya = Double(fixed[j * k + a])
                if ya == 0 { continue }
                for b in a..<k { yty[a * k + b] += ya * Double(fixed[j * k + b]) }
            }
        }
        for a in 0..<k { for b in 0..<a { yty[a * k + b] = yty[b * k + a] } }
        target.withUnsafeMutableBufferPointer { out in
            fixed.withUnsafeBufferPointer { fixedBuffer in
                confidence.withUnsafeBufferPointer { confidenceBuffer in
                    others.withUnsafeBufferPointer { othersBuffer in
                        let y = fixedBuffer.baseAddress!, extras = confidenceBuffer.baseAddress!, columns = othersBuffer.baseAddress!
                        parallelFor(rows, minimumChunkSize: 32) { _, range in
                            let A = UnsafeMutablePointer<Double>.allocate(capacity: k * k)
                            let rhs = UnsafeMutablePointer<Double>.allocate(capacity: k)
                            let row = UnsafeMutablePointer<Double>.allocate(capacity: k)
                            defer { A.deallocate(); rhs.deallocate(); row.deallocate() }
                            for r in range {
                                let start = starts[r], end = starts[r + 1]
                                if end == start {
                                    for a in 0..<k { out[r * k + a] = 0 }
                                    continue
                                }
                                for e in 0..<(k * k) { A[e] = yty[e] }
                                for a in 0..<k { A[a * k + a] += lambda; rhs[a] = 0 }
                                for p in start..<end {
                                    let base = y + Int(columns[p]) * k
                                    for a in 0..<k { row[a] = Double(base[a]) }
                                    let extra = extras[p]           // c − 1
                                    let c = 1 + extra
                                    for a in 0..<k { rhs[a] += c * row[a] }
                                    if extra == 0 { continue }
                                    for a in 0..<k {
                                        let scaled = extra * row[a]
                                        let line = A + a * k
                                        for b in 0..<k { line[b] += scaled * row[b] }
                                    }
                                }
                                let solved = ALSFactorization.choleskySolve(A, rhs, dimension: k)
                                for a in 0..<k { out[r * k + a] = solved ? Float(rhs[a]) : 0 }
                            }
                        }
                    }
                }
            }
        }
    }
}
