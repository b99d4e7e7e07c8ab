import Foundation

/// L2-regularised binary logistic regression, matching scikit-learn's `LogisticRegression(C:)`.
///
/// Minimises Σᵢ sᵢ·[log(1 + e^{zᵢ}) − yᵢzᵢ] + ‖w‖²/(2C), zᵢ = xᵢ·w + b, with the intercept b unpenalised and
/// sᵢ the product of the sample weight and the class weight. The problem is strictly convex, so Newton's
/// method (IRLS: a Cholesky solve of the weighted normal equations each step, with a backtracking line
/// search) reaches the unique optimum in a few iterations, to far tighter tolerance than L-BFGS' default.
/// Each step costs one pass over the data for the Hessian (`dsyrk` on row blocks, both cores).
public struct LogisticRegression: Codable, Sendable, Equatable {
    /// How the two classes are weighted.
    public enum ClassWeighting: Codable, Sendable, Equatable {
        case uniform
        /// n / (2·count(class)), as scikit-learn's `class_weight="balanced"`.
        case balanced
        case custom(negative: Double, positive: Double)
    }

    /// The inverse regularisation strength C > 0; smaller C means a stronger penalty.
    public var inverseRegularization: Double
    public var classWeighting: ClassWeighting
    /// Newton iterations at most.
    public var maximumIterations: Int
    /// Stop when the largest gradient component, divided by the total sample weight, is below this.
    public var tolerance: Double

    public init(inverseRegularization: Double = 1.0, classWeighting: ClassWeighting = .uniform,
                maximumIterations: Int = 100, tolerance: Double = 1e-10) {
        self.inverseRegularization = inverseRegularization
        self.classWeighting = classWeighting
        self.maximumIterations = maximumIterations
        self.tolerance = tolerance
    }

    /// Fits with 0/1 integer labels (1 = positive).
    public func fit(_ x: Tensor, labels: [Int], sampleWeights: [Double]? = nil) throws -> LogisticRegressionModel {
        var booleans = [Bool](repeating: false, count: labels.count)
        for (row, value) in labels.enumerated() {
            guard value == 0 || value == 1 else { throw LinearModelError.invalidLabel(row: row, value: value) }
            booleans[row] = value == 1
        }
        return try fit(x, labels: booleans, sampleWeights: sampleWeights)
    }

    /// Fits on `x` (rows × features) with `labels` (true = positive), optionally weighting each row.
    public func fit(_ x: Tensor, labels: [Bool], sampleWeights: [Double]? = nil) throws -> LogisticRegressionModel {
        try LinearInput.checkPositive(inverseRegularization, name: "C", allowZero: false)
        guard maximumIterations > 0 else {
            throw LinearModelError.invalidHyperparameter(
                name: "maximumIterations", value: Double(maximumIterations), requirement: "must be > 0")
        }
        let (rows, features) = try LinearInput.checkFeatures(x)
        guard labels.count == rows else {
            throw LinearModelError.countMismatch(field: "labels", expected: rows, got: labels.count)
        }
        if let sampleWeights {
            try LinearInput.checkValues(sampleWeights, field: "sampleWeights", rows: rows, nonNegative: true)
        }
        let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        if positives == 0 || positives == rows { throw LinearModelError.singleClass(label: positives > 0) }

        let (negativeWeight, positiveWeight): (Double, Double)
        switch classWeighting {
        case .uniform: (negativeWeight, positiveWeight) = (1, 1)
        case .balanced:
            (negativeWeight, positiveWeight) = (Double(rows) / (2 * Double(rows - positives)),
                                                Double(rows) / (2 * Double(positives)))
        case let .custom(negative, positive):
            try LinearInput.checkPositive(negative, name: "classWeight.negative", allowZero: true)
            try LinearInput.checkPositive(positive, name: "classWeight.positive", allowZero: true)
            (negativeWeight, positiveWeight) = (negative, positive)
        }
        var weights = [Double](repeating: 0, count: rows)
        var targets = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
            weights[i] = (labels[i] ? positiveWeight : negativeWeight) * (sampleWeights?[i] ?? 1)
            targets[i] = labels[i] ? 1 : 0
        }
        let totalWeight = weights.reduce(0, +)
        guard totalWeight > 0 else {
            throw LinearModelError.invalidHyperparameter(name: "sampleWeights", value: 0, requirement: "must not all be zero")
        }

        let problem = LogisticObjective(x: x, targets: targets, weights: weights,
                                        penalty: 1 / inverseRegularization)
        let k = features + 1
        var theta = [Double](repeating: 0, count: k)      // coefficients, then the intercept
        var state = problem.evaluate(theta)
        var iterations = 0
        var converged = false
        while iterations < maximumIterations {
            let gradientNorm = state.gradient.reduce(0) { max($0, abs($1)) } / totalWeight
            if gradientNorm <= tolerance { converged = true; break }
            iterations += 1
            var hessian = problem.hessian(probabilities: state.probabilities)
            var step = NormalEquations.choleskySolve(hessian, state.gradient.map { -$0 }, dimension: k)
            if step == nil {
                // Saturated probabilities can make XᵀWX lose rank in the intercept direction; a small ridge
                // keeps the step a descent direction.
                for j in 0..<k { hessian[j * k + j] += 1e-8 * max(1, hessian[j * k + j]) }
                step = NormalEquations.choleskySolve(hessian, state.gradient.map { -$0 }, dimension: k)
            }
            guard let direction = step else {
                throw LinearModelError.singularSystem(model: "logistic regression", hint: "the Hessian is not positive definite")
            }
            let slope = zip(direction, state.gradient).reduce(0) { $0 + $1.0 * $1.1 }
            var length = 1.0
            var accepted = false
            for _ in 0..<50 {
                let candidate = zip(theta, direction).map { $0 + length * $1 }
                let next = problem.evaluate(candidate)
                if next.loss <= state.loss + 1e-4 * length * slope {
                    theta = candidate
                    state = next
                    accepted = true
                    break
                }
                length /= 2
            }
            // No decrease possible at machine precision: we are at the optimum as closely as Double allows.
            if !accepted { converged = true; break }
        }
        return LogisticRegressionModel(coefficients: Array(theta[0..<features]), intercept: theta[features],
                                       iterations: iterations, converged: converged)
    }
}

/// The penalised, weighted logistic loss with its gradient and Hessian, θ = (w, b).
struct LogisticObjective {
    let x: Tensor
    let targets: [Double]
    let weights: [Double]
    let penalty: Double

    struct State {
        var loss: Double
        var gradient: [Double]
        var probabilities: [Double]
    }

    func evaluate(_ theta: [Double]) -> State {
        let features = x.shape[1]
        let coefficients = Array(theta[0..<features])
        let z = (try? LinearPrediction.decisionValues(x, coefficients: coefficients, intercept: theta[features]))
            ?? []
        let rows = z.count
        var probabilities = [Double](repeating: 0, count: rows)
        let chunks = NormalEquations.reductionChunks
        var partialLoss = [Double](repeating: 0, count: chunks)
        var partialGradient = [[Double]](repeating: [], count: chunks)
        let lock = NSLock()
        x.scalars.withUnsafeBufferPointer { xs in
            probabilities.withUnsafeMutableBufferPointer { probabilityBuffer in
                let p = probabilityBuffer.baseAddress!
                parallelFor(rows, chunks: chunks) { chunk, range in
                    var loss = 0.0
                    var gradient = [Double](repeating: 0, count: features + 1)
                    for i in range {
                        let zi = z[i]
                        // softplus(z) − y·z, stable for large |z|
                        loss += weights[i] * (max(zi, 0) + log1p(exp(-abs(zi))) - targets[i] * zi)
                        let probability = zi >= 0 ? 1 / (1 + exp(-zi)) : exp(zi) / (1 + exp(zi))
                        p[i] = probability
                        let residual = weights[i] * (probability - targets[i])
                        let base = i * features
                        for j in 0..<features { gradient[j] += residual * Double(xs[base + j]) }
                        gradient[features] += residual
                    }
                    lock.withLock {
                        partialLoss[chunk] = loss
                        partialGradient[chunk] = gradient
                    }
                }
            }
        }
        var loss = 0.0
        var gradient = [Double](repeating: 0, count: features + 1)
        for chunk in 0..<chunks where !partialGradient[chunk].isEmpty {
            loss += partialLoss[chunk]
            for j in 0...features { gradient[j] += partialGradient[chunk][j] }
        }
        for j in 0..<features {
            loss += 0.5 * penalty * theta[j] * theta[j]
            gradient[j] += penalty * theta[j]
        }
        return State(loss: loss, gradient: gradient, probabilities: probabilities)
    }

    /// Xₐᵀ·diag(sᵢpᵢ(1 − pᵢ))·Xₐ + penalty on the coefficient diagonal (Xₐ = X with a column of ones).
    func hessian(probabilities: [Double]) -> [Double] {
        let features = x.shape[1]
        var curvature = [Double](repeating: 0, count: probabilities.count)
        for i in 0..<probabilities.count {
            curvature[i] = weights[i] * probabilities[i] * (1 - probabilities[i])
        }
        var (hessian, _) = NormalEquations.weightedGram(x, center: nil, weights: curvature, targets: nil,
                                                        appendingOne: true)
        let k = features + 1
        for j in 0..<features { hessian[j * k + j] += penalty }
        return hessian
    }
}

/// A fitted logistic regression: P(positive | x) = σ(x·w + b).
public struct LogisticRegressionModel: Codable, Sendable, Equatable {
    public var coefficients: [Double]
    public var intercept: Double
    /// Newton iterations the fit took, and whether it met its tolerance (kept for the run record).
    public var iterations: Int
    public var converged: Bool

    public init(coefficients: [Double], intercept: Double, iterations: Int = 0, converged: Bool = true) {
        self.coefficients = coefficients
        self.intercept = intercept
        self.iterations = iterations
        self.converged = converged
    }

    public var featureCount: Int { coefficients.count }

    /// The log-odds x·w + b of every row.
    public func decisionFunction(_ x: Tensor) throws -> [Double] {
        try LinearPrediction.decisionValues(x, coefficients: coefficients, intercept: intercept)
    }

    /// The probability of the positive class for every row.
    public func predictProbabilities(_ x: Tensor) throws -> [Double] {
        try decisionFunction(x).map { z in z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)) }
    }

    /// The predicted class of every row: positive when its probability is ≥ `threshold`.
    public func predict(_ x: Tensor, threshold: Double = 0.5) throws -> [Bool] {
        try predictProbabilities(x).map { $0 >= threshold }
    }
}
