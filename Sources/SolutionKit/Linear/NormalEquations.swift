import COpenBLAS
import Foundation

/// Dense Double algebra for the linear models: weighted Gram matrices accumulated over row blocks, and a
/// Cholesky solve. The Gram matrix is formed in Double from Float features so that ill-conditioned problems
/// (large means, very different scales) keep the accuracy scikit-learn's float64 solvers have.
enum NormalEquations {
    /// Rows per block converted to Double before a `dsyrk` update: small enough to stay in cache.
    static let blockRows = 256
    /// A fixed chunk count makes the summation order (hence the result, bit for bit) independent of the thread count.
    static let reductionChunks = 8

    /// G = Σᵢ sᵢ·aᵢaᵢᵀ and r = Σᵢ sᵢ·tᵢ·aᵢ, with aᵢ = (xᵢ − center) followed by a 1 when `appendingOne`.
    ///
    /// `weights` nil means sᵢ = 1; `targets` nil skips r. G is returned full (both triangles), k × k with
    /// k = features (+ 1). Rows are scaled by √sᵢ so a single `dsyrk` per block does the weighting.
    static func weightedGram(
        _ x: Tensor, center: [Double]?, weights: [Double]?, targets: [Double]?, appendingOne: Bool
    ) -> (gram: [Double], rhs: [Double]) {
        let rows = x.shape[0], features = x.shape[1]
        let k = features + (appendingOne ? 1 : 0)
        let chunks = min(reductionChunks, max(1, rows / blockRows))
        var partialGrams = [[Double]](repeating: [], count: chunks)
        var partialRHS = [[Double]](repeating: [], count: chunks)
        let centre = center ?? [Double](repeating: 0, count: features)
        x.scalars.withUnsafeBufferPointer { xs in
            let lock = NSLock()
            parallelFor(rows, chunks: chunks) { chunk, range in
                var gram = [Double](repeating: 0, count: k * k)
                var rhs = [Double](repeating: 0, count: k)
                var block = [Double](repeating: 0, count: blockRows * k)
                var scaledTargets = [Double](repeating: 0, count: blockRows)
                block.withUnsafeMutableBufferPointer { a in
                    scaledTargets.withUnsafeMutableBufferPointer { st in
                        var start = range.lowerBound
                        while start < range.upperBound {
                            let end = min(start + blockRows, range.upperBound)
                            let m = end - start
                            for r in 0..<m {
                                let i = start + r
                                let s = weights.map { $0[i] } ?? 1
                                let root = s.squareRoot()
                                let rowBase = i * features
                                let out = r * k
                                for j in 0..<features {
                                    a[out + j] = root * (Double(xs[rowBase + j]) - centre[j])
                                }
                                if appendingOne { a[out + features] = root }
                                if let targets { st[r] = root * targets[i] }
                            }
                            gram.withUnsafeMutableBufferPointer { g in
                                cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(k), Int32(m),
                                            1, a.baseAddress, Int32(k), 1, g.baseAddress, Int32(k))
                            }
                            if targets != nil {
                                rhs.withUnsafeMutableBufferPointer { r in
                                    cblas_dgemv(CblasRowMajor, CblasTrans, Int32(m), Int32(k), 1,
                                                a.baseAddress, Int32(k), st.baseAddress, 1, 1, r.baseAddress, 1)
                                }
                            }
                            start = end
                        }
                    }
                }
                lock.withLock {
                    partialGrams[chunk] = gram
                    partialRHS[chunk] = rhs
                }
            }
        }
        var gram = [Double](repeating: 0, count: k * k)
        var rhs = [Double](repeating: 0, count: k)
        for chunk in 0..<chunks {
            for i in 0..<(k * k) { gram[i] += partialGrams[chunk][i] }
            for i in 0..<k { rhs[i] += partialRHS[chunk][i] }
        }
        for i in 0..<k { for j in 0..<i { gram[i * k + j] = gram[j * k + i] } }
        return (gram, rhs)
    }

    /// Solves A·x = b for symmetric positive-definite A (k × k, row-major) by Cholesky factorisation.
    /// Returns nil when A is not numerically positive definite (a pivot falls to rounding level).
    static func choleskySolve(_ matrix: [Double], _ b: [Double], dimension k: Int) -> [Double]? {
        var l = matrix
        for j in 0..<k {
            var diagonal = l[j * k + j]
            for p in 0..<j { diagonal -= l[j * k + p] * l[j * k + p] }
            // A pivot that has lost all but rounding noise of its original size means a (numerically)
            // dependent column: refuse rather than return huge meaningless coefficients.
            guard diagonal.isFinite, diagonal > 1e-13 * matrix[j * k + j] else { return nil }
            let root = diagonal.squareRoot()
            l[j * k + j] = root
            for i in (j + 1)..<max(j + 1, k) {
                var value = l[i * k + j]
                for p in 0..<j { value -= l[i * k + p] * l[j * k + p] }
                l[i * k + j] = value / root
            }
        }
        var y = b
        for i in 0..<k {                       // L·y = b
            var value = y[i]
            for p in 0..<i { value -= l[i * k + p] * y[p] }
            y[i] = value / l[i * k + i]
        }
        for i in stride(from: k - 1, through: 0, by: -1) {   // Lᵀ·x = y
            var value = y[i]
            for p in (i + 1)..<max(i + 1, k) { value -= l[p * k + i] * y[p] }
            y[i] = value / l[i * k + i]
        }
        return y
    }
}
