import Foundation

/// The learning rate as a function of the epoch (0-based), relative to the optimizer's base rate.
public enum LearningRateSchedule: Codable, Equatable, Sendable {
    /// The base rate throughout.
    case constant
    /// Multiplied by `factor` every `every` epochs.
    case stepDecay(every: Int, factor: Float)
    /// Multiplied by `factor` every epoch.
    case exponential(factor: Float)
    /// Cosine annealing from the base rate to `minimum` over `epochs` epochs, then held at `minimum`.
    case cosine(epochs: Int, minimum: Float)

    /// The rate for `epoch` given the base rate.
    public func rate(base: Float, epoch: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .stepDecay(every, factor):
            return base * Float(Foundation.pow(Double(factor), Double(epoch / max(every, 1))))
        case let .exponential(factor):
            return base * Float(Foundation.pow(Double(factor), Double(epoch)))
        case let .cosine(epochs, minimum):
            guard epochs > 0, epoch < epochs else { return epochs > 0 ? minimum : base }
            let progress = Double(epoch) / Double(epochs)
            return minimum + (base - minimum) * Float(0.5 * (1 + Foundation.cos(Double.pi * progress)))
        }
    }
}
