import COpenBLAS

/// Biased matrix factorisation of explicit ratings by alternating least squares (Zhou et al. 2008, "ALS-WR",
/// with a bias column as in Koren, Bell & Volinsky 2009).
///
/// Model r̂_ui = μ + b_u + b_i + p_u·q_i. With the items fixed, each user's (b_u, p_u) is the exact minimiser of
///   Σ_{i ∈ I_u} (r_ui − μ − b_i − b_u − p_u·q_i)² + λ_b b_u² + λ |I_u| ‖p_u‖²
/// — a ridge regression of the residuals r_ui − μ − b_i on the features x_i = (1, q_i); then the items are solved
/// the same way with the users fixed, and so on. The factor penalty grows with the row's rating count
/// (weighted-λ regularisation), which is what lets ALS-WR use one λ for users with 20 and with 700 ratings.
///
/// Why ALS next to SGD: no learning rate or epoch count to tune, every half-sweep can only lower the objective,
/// and every row's solve is independent, so each half-sweep runs in parallel over users (then items) with no
/// races and a result that does not depend on the thread count. Gram matrices come from `cblas_ssyrk` on the
/// gathered feature rows; the (k+1)×(k+1) systems are solved by Cholesky in Double.
public struct ALSFactorization: Sendable {
    public var factors = 50
    public var sweeps = 15
    /// λ: the factor penalty per rating of the row (ALS-WR).
    public var regularization: Float = 0.12
    /// λ_b: the bias penalty (not scaled by the count, like the baseline's shrinkage).
    public var biasRegularization: Float = 2
    public var initStd: Float = 0.1
    public var seed: UInt64 = 0

    public init() {}

    /// Fits the model: item factors start from N(0, initStd²) and biases at zero, the first half-sweep solves the
    /// users. `onSweep(sweep, trainRMSE)` is called after each full sweep.
    public func fit(_ matrix: RatingMatrix, onSweep: (Int, Double) -> Void = { _, _ in }) -> FactorModel {
        let k = factors, U = matrix.userCount, I = matrix.itemCount
        var generator = SeededGenerator(seed: seed)
        var P = [Float](repeating: 0, count: U * k), Q = [Float](repeating: 0, count: I * k)
        for j in Q.indices { Q[j] = Float(generator.nextGaussian()) * initStd }
        var bu = [Float](repeating: 0, count: U), bi = [Float](repeating: 0, count: I)
        let mean = Float(matrix.mean)
        var squares = [Double](repeating: 0, count: U)
        withSingleThreadedBLAS {
            for sweep in 0..<sweeps {
                // Users given items.
                matrix.userItems.withUnsafeBufferPointer { others in
                    matrix.userValues.withUnsafeBufferPointer { values in
                        Self.halfSweep(rows: U, starts: matrix.userStarts, others: others.baseAddress!,
                                       values: values.baseAddress!, mean: mean, k: k, own: &P, ownBias: &bu,
                                       fixed: Q, fixedBias: bi, regularization: regularization,
                                       biasRegularization: biasRegularization)
                    }
                }
                // Items given users.
                matrix.itemUsers.withUnsafeBufferPointer { others in
                    matrix.itemValues.withUnsafeBufferPointer { values in
                        Self.halfSweep(rows: I, starts: matrix.itemStarts, others: others.baseAddress!,
                                       values: values.baseAddress!, mean: mean, k: k, own: &Q, ownBias: &bi,
                                       fixed: P, fixedBias: bu, regularization: regularization,
                                       biasRegularization: biasRegularization)
                    }
                }
                // Training RMSE: per-user sums, added in user order (deterministic whatever the threads).
                let model = FactorModel(biases: BaselineBiases(mean: mean, userBias: bu, itemBias: bi), factors: k,
                                        userFactors: P, itemFactors: Q)
                squares.withUnsafeMutableBufferPointer { S in
                    parallelFor(U, minimumChunkSize: 32) { _, range in
                        for u in range {
                            var sum = 0.0
                            for p in matrix.userStarts[u]..<matrix.userStarts[u + 1] {
                                let e = Double(matrix.userValues[p] - model.predict(user: u, item: Int(matrix.userItems[p])))
                                sum += e * e
                            }
                            S[u] = sum
                        }
                    }
                }
                let total = squares.reduce(0, +)
                onSweep(sweep, matrix.count > 0 ? (total / Double(matrix.count)).squareRoot() : 0)
            }
        }
        return FactorModel(biases: BaselineBiases(mean: mean, userBias: bu, itemBias: bi), factors: k,
                           userFactors: P, itemFactors: Q)
    }

    /// Solves every row of one side (users or items) given the other side, in parallel over rows.
    static func halfSweep(rows: Int, starts: [Int], others: UnsafePointer<Int32>, values: UnsafePointer<Float>,
                          mean: Float, k: Int, own: inout [Float], ownBias: inout [Float], fixed: [Float],
                          fixedBias: [Float], regularization: Float, biasRegularization: Float) {
        var maxDegree = 0
        for r in 0..<rows { maxDegree = max(maxDegree, starts[r + 1] - starts[r]) }
        let width = k + 1
        own.withUnsafeMutableBufferPointer { ownBuffer in
            ownBias.withUnsafeMutableBufferPointer { biasBuffer in
                fixed.withUnsafeBufferPointer { fixedBuffer in
                    fixedBias.withUnsafeBufferPointer { fixedBiasBuffer in
                        let ownF = ownBuffer.baseAddress!, ownB = biasBuffer.baseAddress!
                        let fixedF = fixedBuffer.baseAddress!, fixedB = fixedBiasBuffer.baseAddress!
                        // Many small chunks: row degrees vary a lot, and concurrentPerform hands chunks out as
                        // workers free up. Each chunk owns its scratch, allocated once.
                        parallelFor(rows, chunks: min(rows, 64)) { _, range in
                            let features = UnsafeMutablePointer<Float>.allocate(capacity: max(1, maxDegree * width))
                            let targets = UnsafeMutablePointer<Float>.allocate(capacity: max(1, maxDegree))
                            let gram = UnsafeMutablePointer<Float>.allocate(capacity: width * width)
                            let rhs = UnsafeMutablePointer<Float>.allocate(capacity: width)
                            let system = UnsafeMutablePointer<Double>.allocate(capacity: width * width)
                            let solution = UnsafeMutablePointer<Double>.allocate(capacity: width)
                            defer {
                                features.deallocate(); targets.deallocate(); gram.deallocate(); rhs.deallocate()
                                system.deallocate(); solution.deallocate()
                            }
                            for r in range {
                                let start = starts[r], n = starts[r + 1] - start
                                guard n > 0 else {
                                    ownB[r] = 0
                                    (ownF + r * k).update(repeating: 0, count: k)
                                    continue
                                }
                                for j in 0..<n {
                                    let o = Int(others[start + j])
                                    let row = features + j * width
                                    row[0] = 1
                                    (row + 1).update(from: fixedF + o * k, count: k)
                                    targets[j] = values[start + j] - mean - fixedB[o]
                                }
                                Self.solveRow(features: features, targets: targets, count: n, k: k,
                                              regularization: regularization, biasRegularization: biasRegularization,
                                              gram: gram, rhs: rhs, system: system, solution: solution)
                                ownB[r] = Float(solution[0])
                                for f in 0..<k { ownF[r * k + f] = Float(solution[1 + f]) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One row's ridge solve: minimises Σ_j (t_j − x_j·w)² + λ_b w₀² + λ n ‖w₁…w_k‖² over w = (bias, factors),
    /// where `features` holds the n rows x_j = (1, q_j) (row-major, k+1 wide). The result is in `solution`.
    /// Exposed (with caller-owned scratch) so tests can check a hand-solved system.
    public static func solveRow(features: UnsafePointer<Float>, targets: UnsafePointer<Float>, count n: Int, k: Int,
                                regularization: Float, biasRegularization: Float,
                                gram: UnsafeMutablePointer<Float>, rhs: UnsafeMutablePointer<Float>,
                                system: UnsafeMutablePointer<Double>, solution: UnsafeMutablePointer<Double>) {
        let w = k + 1
        // Upper triangle of XᵀX and Xᵀt.
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(w), Int32(n), 1, features, Int32(w), 0, gram, Int32(w))
        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(n), Int32(w), 1, features, Int32(w), targets, 1, 0, rhs, 1)
        let factorPenalty = Double(regularization) * Double(n)
        for a in 0..<w {
            for b in a..<w {
                let value = Double(gram[a * w + b])
                system[a * w + b] = value
                system[b * w + a] = value
            }
            system[a * w + a] += a == 0 ? Double(biasRegularization) : factorPenalty
            solution[a] = Double(rhs[a])
        }
        if !choleskySolve(system, solution, dimension: w) {
            // Only when both penalties are zero and the features are dependent: the row falls back to the
            // baseline (zero bias and factors) rather than NaNs.
            solution.update(repeating: 0, count: w)
        }
    }

    /// In place: factors the symmetric positive-definite `matrix` (n×n, row-major, both triangles) into its
    /// Cholesky factor L (lower triangle) and overwrites `b` with the solution of A·x = b.
    /// Returns false when a pivot is not positive (A not numerically positive definite).
    public static func choleskySolve(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>,
                                     dimension n: Int) -> Bool {
        for j in 0..<n {
            var diagonal = a[j * n + j]
            for p in 0..<j { diagonal -= a[j * n + p] * a[j * n + p] }
            guard diagonal.isFinite, diagonal > 0 else { return false }
            let root = diagonal.squareRoot()
            a[j * n + j] = root
            var i = j + 1
            while i < n {
                var value = a[i * n + j]
                for p in 0..<j { value -= a[i * n + p] * a[j * n + p] }
                a[i * n + j] = value / root
                i += 1
            }
        }
        for i in 0..<n {                                  // L·y = b
            var value = b[i]
            for p in 0..<i { value -= a[i * n + p] * b[p] }
            b[i] = value / a[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) { // Lᵀ·x = y
            var value = b[i]
            for p in (i + 1)..<max(i + 1, n) { value -= a[p * n + i] * b[p] }
            b[i] = value / a[i * n + i]
        }
        return true
    }
}
