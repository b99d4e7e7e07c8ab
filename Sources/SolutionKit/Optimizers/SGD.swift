/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, in the
/// PyTorch formulation: g ← g + λp; v ← μv + g; p ← p − η·(Nesterov ? g + μv : v).
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: Float
    private var velocity = OptimizerSlots()

    public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        precondition(learningRate >= 0 && momentum >= 0 && momentum < 1 && weightDecay >= 0,
                     "SGD: learning rate and weight decay must be ≥ 0 and momentum in [0, 1)")
        precondition(!nesterov || momentum > 0, "SGD: Nesterov needs a positive momentum")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public func update(_ parameters: [Parameter]) {
        velocity.prepare(for: parameters)
        let eta = learningRate, mu = momentum, decay = weightDecay, nesterov = nesterov
        for (index, parameter) in parameters.enumerated() {
            velocity.withBuffer(index) { v in
                parameter.withValueAndGradient { p, g in
                    if mu == 0 {
                        for i in p.indices { p[i] -= eta * (g[i] + decay * p[i]) }
                    } else if nesterov {
                        for i in p.indices {
                            let gradient = g[i] + decay * p[i]
                            v[i] = mu * v[i] + gradient
                            p[i] -= eta * (gradient + mu * v[i])
                        }
                    } else {
                        for i in p.indices {
                            v[i] = mu * v[i] + g[i] + decay * p[i]
                            p[i] -= eta * v[i]
                        }
                    }
                }
            }
        }
    }

    public func reset() { velocity.reset() }
}
