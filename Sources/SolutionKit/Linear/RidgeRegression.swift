/// Ridge regression: least squares with an L2 penalty α‖w‖² on the coefficients, never on the intercept.
///
/// Matches scikit-learn's `Ridge(alpha:)` (`fit_intercept=True`): X and y are centred by their (weighted)
/// means, (XcᵀSXc + αI)·w = XcᵀS·yc is solved in Double by Cholesky, and b = ȳ − x̄ᵀw. The Gram matrix is
/// accumulated over row blocks on both cores, so memory stays at features² per worker.
public struct RidgeRegression: Codable, Sendable, Equatable {
    /// The penalty strength α ≥ 0 (0 is ordinary least squares, which needs linearly independent columns).
    public var alpha: Double
    public var fitsIntercept: Bool

    public init(alpha: Double = 1.0, fitsIntercept: Bool = true) {
        self.alpha = alpha
        self.fitsIntercept = fitsIntercept
    }

    /// Fits on `x` (rows × features) and `targets`, optionally weighting each row.
    public func fit(_ x: Tensor, targets: [Double], sampleWeights: [Double]? = nil) throws -> RidgeRegressionModel {
        try LinearInput.checkPositive(alpha, name: "alpha", allowZero: true)
        let (rows, features) = try LinearInput.checkFeatures(x)
        try LinearInput.checkValues(targets, field: "targets", rows: rows)
        if let sampleWeights {
            try LinearInput.checkValues(sampleWeights, field: "sampleWeights", rows: rows, nonNegative: true)
        }
        let totalWeight = sampleWeights?.reduce(0, +) ?? Double(rows)
        guard totalWeight > 0 else {
            throw LinearModelError.invalidHyperparameter(name: "sampleWeights", value: 0, requirement: "must not all be zero")
        }

        var featureMeans = [Double](repeating: 0, count: features)
        var targetMean = 0.0
        if fitsIntercept {
            x.scalars.withUnsafeBufferPointer { xs in
                for i in 0..<rows {
                    let s = sampleWeights?[i] ?? 1
                    let base = i * features
                    for j in 0..<features { featureMeans[j] += s * Double(xs[base + j]) }
                    targetMean += s * targets[i]
                }
            }
            for j in 0..<features { featureMeans[j] /= totalWeight }
            targetMean /= totalWeight
        }
        let centredTargets = fitsIntercept ? targets.map { $0 - targetMean } : targets
        var (gram, rhs) = NormalEquations.weightedGram(
            x, center: fitsIntercept ? featureMeans : nil, weights: sampleWeights,
            targets: centredTargets, appendingOne: false)
        for j in 0..<features { gram[j * features + j] += alpha }
        guard let coefficients = NormalEquations.choleskySolve(gram, rhs, dimension: features) else {
            throw LinearModelError.singularSystem(
                model: "ridge regression",
                hint: "columns are linearly dependent or constant; use alpha > 0")
        }
        var intercept = 0.0
        if fitsIntercept {
            intercept = targetMean
            for j in 0..<features { intercept -= featureMeans[j] * coefficients[j] }
        }
        return RidgeRegressionModel(coefficients: coefficients, intercept: intercept)
    }
}

/// A fitted ridge (or any linear) regression: ŷ = x·w + b.
public struct RidgeRegressionModel: Codable, Sendable, Equatable {
    public var coefficients: [Double]
    public var intercept: Double

    public init(coefficients: [Double], intercept: Double) {
        self.coefficients = coefficients
        self.intercept = intercept
    }

    public var featureCount: Int { coefficients.count }

    /// Predictions for every row of `x`, which must have `featureCount` columns.
    public func predict(_ x: Tensor) throws -> [Double] {
        try LinearPrediction.decisionValues(x, coefficients: coefficients, intercept: intercept)
    }
}
