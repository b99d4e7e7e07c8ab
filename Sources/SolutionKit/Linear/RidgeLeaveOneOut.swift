import COpenBLAS
import Foundation

/// Ridge's penalty chosen by exact leave-one-out over a grid, as scikit-learn's `RidgeCV` (gcv_mode "eigen",
/// `fit_intercept=True`, squared error) does.
///
/// With the centred design Xc = Q Λ^½ Vᵀ (eigenvectors V of XcᵀXc), the fitted values and the hat matrix's diagonal
/// for any α cost O(n·p): ŷ = Q' diag(1/(λ+α)) Q'ᵀ yc with Q' = Xc V, and h_ii = 1/n + Σ_k Q'_ik² / (λ_k + α) (the
/// 1/n is the unpenalised intercept). The leave-one-out residual is (y_i − ŷ_i) / (1 − h_ii), exactly, so every
/// α of the grid is scored from one eigendecomposition instead of n refits.
public struct RidgeLeaveOneOut: Sendable {
    /// The penalties tried: 10^-3 … 10^5 in quarter decades by default (33 values).
    public var alphas: [Double]

    public static let defaultAlphas: [Double] = (0...32).map { pow(10, -3 + 0.25 * Double($0)) }

    public init(alphas: [Double] = RidgeLeaveOneOut.defaultAlphas) {
        self.alphas = alphas
    }

    public struct Selection: Sendable {
        public var alpha: Double
        /// Mean squared leave-one-out error of each alpha, in grid order.
        public var meanSquaredErrors: [Double]
    }

    public func select(_ x: Tensor, targets: [Double]) throws -> Selection {
        let (rows, features) = try LinearInput.checkFeatures(x)
        try LinearInput.checkValues(targets, field: "targets", rows: rows)
        guard !alphas.isEmpty, alphas.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw LinearModelError.invalidHyperparameter(name: "alphas", value: alphas.first ?? 0, requirement: "positive and finite")
        }
        guard rows >= 2 else {
            throw LinearModelError.invalidHyperparameter(name: "rows", value: Double(rows), requirement: "at least 2 rows")
        }
        var means = [Double](repeating: 0, count: features)
        x.scalars.withUnsafeBufferPointer { xs in
            for i in 0..<rows { for j in 0..<features { means[j] += Double(xs[i * features + j]) } }
        }
        for j in 0..<features { means[j] /= Double(rows) }
        let targetMean = targets.reduce(0, +) / Double(rows)
        let centred = targets.map { $0 - targetMean }
        var (gram, _) = NormalEquations.weightedGram(x, center: means, weights: nil, targets: centred, appendingOne: false)
        // Eigendecomposition of the symmetric Gram matrix (row-major equals column-major for a symmetric matrix).
        var eigenvalues = [Double](repeating: 0, count: features)
        var n = Int32(features), lwork = Int32(-1), info = Int32(0)
        var query = 0.0
        dsyev_("V", "U", &n, &gram, &n, &eigenvalues, &query, &lwork, &info, 1, 1)
        lwork = Int32(max(1, Int(query)))
        var work = [Double](repeating: 0, count: Int(lwork))
        dsyev_("V", "U", &n, &gram, &n, &eigenvalues, &work, &lwork, &info, 1, 1)
        guard info == 0 else { throw LinearModelError.singularSystem(model: "ridge leave-one-out", hint: "the eigensolver failed (info \(info))") }
        // Column-major output: eigenvector k is gram[k*p ..< (k+1)*p].
        var q = [Double](repeating: 0, count: rows * features)
        x.scalars.withUnsafeBufferPointer { xs in
            for i in 0..<rows {
                for k in 0..<features {
                    var s = 0.0
                    for j in 0..<features { s += (Double(xs[i * features + j]) - means[j]) * gram[k * features + j] }
                    q[i * features + k] = s
                }
            }
        }
        var qty = [Double](repeating: 0, count: features)
        for i in 0..<rows { for k in 0..<features { qty[k] += q[i * features + k] * centred[i] } }
        let lambdas = eigenvalues.map { max($0, 0) }
        var errors: [Double] = []
        for alpha in alphas {
            let inverse = lambdas.map { 1 / ($0 + alpha) }
            var sum = 0.0
            for i in 0..<rows {
                var fitted = 0.0, leverage = 1 / Double(rows)
                for k in 0..<features {
                    let v = q[i * features + k]
                    fitted += v * inverse[k] * qty[k]
                    leverage += v * v * inverse[k]
                }
                let residual = (centred[i] - fitted) / max(1 - leverage, 1e-12)
                sum += residual * residual
            }
            errors.append(sum / Double(rows))
        }
        // The first smallest error, as RidgeCV's argmin.
        var best = 0
        for (index, error) in errors.enumerated() where error < errors[best] { best = index }
        return Selection(alpha: alphas[best], meanSquaredErrors: errors)
    }
}
