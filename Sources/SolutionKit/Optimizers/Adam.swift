import Foundation

/// How weight decay enters an Adam update.
public enum WeightDecay: Codable, Equatable, Sendable {
    case none
    /// Added to the gradient (λp) before the moment estimates: classic L2 regularisation.
    case l2(Float)
    /// Applied directly to the weights (p ← p − ηλp), outside the adaptive scaling: AdamW
    /// (Loshchilov & Hutter, "Decoupled Weight Decay Regularization").
    case decoupled(Float)
}

/// Adam (Kingma & Ba) with bias-corrected moments, in the PyTorch formulation:
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − η·m̂ / (√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
/// With `weightDecay: .decoupled(λ)` this is AdamW.
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: WeightDecay
    /// The number of updates applied so far (t in the bias corrections).
    public private(set) var step = 0
    private var firstMoments = OptimizerSlots()
    private var secondMoments = OptimizerSlots()

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: WeightDecay = .none) {
        precondition(learningRate >= 0 && (0..<1).contains(beta1) && (0..<1).contains(beta2) && epsilon > 0,
                     "Adam: needs learning rate ≥ 0, betas in [0, 1), epsilon > 0")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// AdamW: Adam with decoupled weight decay.
    public static func adamW(learningRate: Float = 1e-3, weightDecay: Float = 1e-2, beta1: Float = 0.9,
                             beta2: Float = 0.999, epsilon: Float = 1e-8) -> Adam {
        Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
             weightDecay: .decoupled(weightDecay))
    }

    public func update(_ parameters: [Parameter]) {
        if firstMoments.prepare(for: parameters) { step = 0 }
        secondMoments.prepare(for: parameters)
        step += 1
        let b1 = beta1, b2 = beta2, eps = epsilon, eta = learningRate
        let correction1 = Float(1 - Foundation.pow(Double(b1), Double(step)))
        let correction2 = Float(1 - Foundation.pow(Double(b2), Double(step)))
        let stepSize = eta / correction1
        let inverseRootCorrection2 = 1 / correction2.squareRoot()
        var l2: Float = 0, decoupled: Float = 0
        switch weightDecay {
        case .none: break
        case let .l2(lambda): l2 = lambda
        case let .decoupled(lambda): decoupled = lambda
        }
        let shrink = 1 - eta * decoupled
        for (index, parameter) in parameters.enumerated() {
            firstMoments.withBuffer(index) { m in
                secondMoments.withBuffer(index) { v in
                    parameter.withValueAndGradient { p, g in
                        // Branch-free so that the loop vectorises (sqrt and division included).
                        for i in p.indices {
                            let gradient = g[i] + l2 * p[i]
                            let mi = b1 * m[i] + (1 - b1) * gradient
                            let vi = b2 * v[i] + (1 - b2) * gradient * gradient
                            m[i] = mi
                            v[i] = vi
                            p[i] = p[i] * shrink - stepSize * mi / (vi.squareRoot() * inverseRootCorrection2 + eps)
                        }
                    }
                }
            }
        }
    }

    public func reset() {
        firstMoments.reset()
        secondMoments.reset()
        step = 0
    }
}
