import COpenBLAS

/// EASE^R (Steck 2019): a shallow item–item autoencoder with a closed form, a strong top-N baseline.
///
/// With X the user × item matrix and G = XᵀX + λI, P = G⁻¹, the weights are B_ij = −P_ij / P_jj
/// (B_jj = 0), and a user's scores are x_u B. G is accumulated from the sparse rows (Σ_u n_u² work), inverted
/// through a blocked Cholesky factorisation in double precision (BLAS level 3 for the bulk), and B is kept
/// as float32, item-major: row j of B holds how much having item j adds to each item's score.
///
/// `EASE.Options` opens the variants that inner cross-validation picks between (see `fit(_:options:)`):
/// rating-dependent input weights, a relevance target and a per-item penalty that grows with popularity.
public struct EASE: Sendable, Equatable {
    public var itemCount: Int
    public var weights: [Float]
    /// How a user's ratings become the input row x_u when scoring (the same as in training).
    public var input: RelevanceWeights

    public init(itemCount: Int, weights: [Float], input: RelevanceWeights = .binary) {
        precondition(weights.count == itemCount * itemCount, "EASE needs an item × item weight matrix")
        self.itemCount = itemCount
        self.weights = weights
        self.input = input
    }

    public static func fit(_ matrix: RatingMatrix, lambda: Double = 500) throws -> EASE {
        try fit(matrix, options: Options(lambda: lambda))
    }

    /// Scores of every item for a user with the given rated items (x_u B, x binary).
    public func scores(ratedItems: UnsafeBufferPointer<Int32>, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == itemCount)
        for i in 0..<itemCount { scores[i] = 0 }
        weights.withUnsafeBufferPointer { w in
            for item in ratedItems {
                cblas_saxpy(Int32(itemCount), 1, w.baseAddress! + Int(item) * itemCount, 1, scores.baseAddress!, 1)
            }
        }
    }

    /// Scores of every item for a user with the given rated items and ratings (x_u B, x weighted by `input`).
    public func scores(ratedItems: UnsafeBufferPointer<Int32>, ratings: UnsafeBufferPointer<Float>,
                       into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == itemCount && ratings.count == ratedItems.count)
        for i in 0..<itemCount { scores[i] = 0 }
        weights.withUnsafeBufferPointer { w in
            for (n, item) in ratedItems.enumerated() {
                let x = input.weight(ratings[n])
                if x == 0 { continue }
                cblas_saxpy(Int32(itemCount), x, w.baseAddress! + Int(item) * itemCount, 1, scores.baseAddress!, 1)
            }
        }
    }
}

/// Inverse of a symmetric positive definite matrix by Cholesky factorisation.
public enum DenseCholesky {
    public struct NotPositiveDefinite: Error, CustomStringConvertible {
        public var column: Int
        public var description: String { "matrix is not positive definite (pivot \(column) ≤ 0)" }
    }

    /// Replaces the row-major n × n SPD matrix `a` by its inverse.
    public static func invertInPlace(_ a: inout [Double], n: Int) throws {
        try factor(&a, n: n)
        // a now holds L in its lower triangle. inverse = L⁻ᵀ L⁻¹: solve L Y = I, then Lᵀ X = Y.
        var identity = [Double](repeating: 0, count: n * n)
        for i in 0..<n { identity[i * n + i] = 1 }
        a.withUnsafeBufferPointer { l in
            identity.withUnsafeMutableBufferPointer { x in
                cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, Int32(n), Int32(n), 1,
                            l.baseAddress!, Int32(n), x.baseAddress!, Int32(n))
                cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, Int32(n), Int32(n), 1,
                            l.baseAddress!, Int32(n), x.baseAddress!, Int32(n))
            }
        }
        a = identity
    }

    /// Blocked right-looking Cholesky: a = L Lᵀ, L written into the lower triangle (row-major).
    public static func factor(_ a: inout [Double], n: Int, block: Int = 96) throws {
        try a.withUnsafeMutableBufferPointer { buffer in
            let m = buffer.baseAddress!
            var j = 0
            while j < n {
                let b = min(block, n - j)
                // Unblocked factorisation of the diagonal block.
                for c in j..<(j + b) {
                    var d = m[c * n + c]
                    for t in j..<c { d -= m[c * n + t] * m[c * n + t] }
                    guard d > 0 else { throw NotPositiveDefinite(column: c) }
                    let pivot = d.squareRoot()
                    m[c * n + c] = pivot
                    for r in (c + 1)..<(j + b) {
                        var s = m[r * n + c]
                        for t in j..<c { s -= m[r * n + t] * m[c * n + t] }
                        m[r * n + c] = s / pivot
                    }
                }
                let below = n - j - b
                if below > 0 {
                    // Panel: L21 = A21 L11⁻ᵀ.
                    cblas_dtrsm(CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, Int32(below), Int32(b), 1,
                                m + j * n + j, Int32(n), m + (j + b) * n + j, Int32(n))
                    // Trailing update: A22 −= L21 L21ᵀ (lower triangle is all that is read later).
                    cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, Int32(below), Int32(b), -1,
                                m + (j + b) * n + j, Int32(n), 1, m + (j + b) * n + j + b, Int32(n))
                }
                j += b
            }
            // Zero the strict upper triangle so the buffer is exactly L.
            for r in 0..<n { for c in (r + 1)..<n { m[r * n + c] = 0 } }
        }
    }
}
