/// A Codable optimizer choice with its hyperparameters, so recipes can keep it as data.
public enum OptimizerSpec: Codable, Equatable, Sendable {
    case sgd(learningRate: Float, momentum: Float, nesterov: Bool)
    case adam(learningRate: Float)
    case adamW(learningRate: Float, weightDecay: Float)

    public var learningRate: Float {
        switch self {
        case let .sgd(rate, _, _), let .adam(rate), let .adamW(rate, _): return rate
        }
    }

    /// A fresh optimizer with no accumulated state.
    public func makeOptimizer() -> any Optimizer {
        switch self {
        case let .sgd(rate, momentum, nesterov):
            return SGD(learningRate: rate, momentum: momentum, nesterov: nesterov)
        case let .adam(rate):
            return Adam(learningRate: rate)
        case let .adamW(rate, decay):
            return Adam.adamW(learningRate: rate, weightDecay: decay)
        }
    }
}
