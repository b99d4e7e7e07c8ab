import COpenBLAS

/// EASE^R (Steck 2019): a shallow item–item autoencoder with a closed form, a strong top-N baseline.
///
/// With X the user × item matrix and G = XᵀX + λI, P = G⁻¹, the weights are B_ij = −P_ij / P_jj
/// (B_jj = 0), and a user's scores are x_u B. G is accumulated from the sparse rows (Σ_u n_u² work), inverted
/// through LAPACK's Cholesky routines in double precision, and B is kept
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

    /// Replaces the row-major n × n SPD matrix `a` by its inverse: LAPACK's dpotrf then dpotri (n³ flops in
    /// all). A symmetric matrix reads the same in row- and column-major order, so the Fortran routines work on
    /// it as it is; the triangle they write is mirrored into the other.
    public static func invertInPlace(_ a: inout [Double], n: Int) throws {
        guard n > 0 else { return }
        precondition(a.count == n * n, "invertInPlace needs an n × n matrix")
        var size = Int32(n), info: Int32 = 0
        a.withUnsafeMutableBufferPointer { m in
            dpotrf_("L", &size, m.baseAddress!, &size, &info, 1)
        }
        guard info == 0 else { throw NotPositiveDefinite(column: Int(max(info, 1)) - 1) }
        a.withUnsafeMutableBufferPointer { m in
            dpotri_("L", &size, m.baseAddress!, &size, &info, 1)
        }
        guard info == 0 else { throw NotPositiveDefinite(column: Int(max(info, 1)) - 1) }
        // Column-major lower = row-major upper: copy it to the row-major lower triangle.
        a.withUnsafeMutableBufferPointer { m in
            for r in 0..<n { for c in 0..<r { m[r * n + c] = m[c * n + r] } }
        }
    }
}
