import Foundation

/// An optional transform of a regression target, fitted on nothing and saved beside the model.
///
/// `log1p` suits skewed positive targets such as prices: the model learns log(1 + y) and predictions are
/// mapped back with expm1, so relative errors weigh the same across the range.
public enum TargetTransform: String, Codable, Sendable, CaseIterable {
    case identity
    case log1p

    /// The value the model learns for target `y`.
    public func forward(_ y: Double) -> Double {
        switch self {
        case .identity: return y
        case .log1p: return Foundation.log1p(y)
        }
    }

    /// The target for a model output `z` (the inverse of `forward`).
    public func inverse(_ z: Double) -> Double {
        switch self {
        case .identity: return z
        case .log1p: return Foundation.expm1(z)
        }
    }

    /// Transforms a whole target column, refusing values outside the domain (log1p needs y > -1).
    public func forward(_ targets: [Double]) throws -> [Double] {
        if self == .log1p, let bad = targets.firstIndex(where: { !($0 > -1) || !$0.isFinite }) {
            throw PreprocessingError.targetOutOfDomain(index: bad, value: targets[bad], transform: rawValue)
        }
        return targets.map(forward)
    }

    /// Maps model outputs back to targets.
    public func inverse(_ outputs: [Float]) -> [Double] {
        outputs.map { inverse(Double($0)) }
    }
}
