/// A prediction interval from two quantile models around a point model, e.g. the 5% and 95% quantiles of a
/// price around its L2 estimate.
///
/// Quantile models trained separately can cross on some rows; `intervals(for:)` reorders the three numbers
/// of each row so that `lower <= point <= upper` always holds (the rearrangement of Chernozhukov et al.).
public struct QuantileIntervalModel: Codable, Sendable, Equatable {
    public var lower: GradientBoostedModel
    public var point: GradientBoostedModel
    public var upper: GradientBoostedModel

    /// The nominal coverage, `upperAlpha - lowerAlpha`.
    public var coverage: Double {
        guard case .quantile(let lo) = lower.objective, case .quantile(let hi) = upper.objective else { return .nan }
        return hi - lo
    }

    /// Trains the point model with `parameters` and the two bounds with the same settings but quantile loss.
    public init(parameters: GradientBoostingParameters, lowerAlpha: Double = 0.05, upperAlpha: Double = 0.95,
                features: Tensor, labels: [Double], categoricalFeatures: Set<Int> = [],
                featureNames: [String]? = nil) throws {
        guard lowerAlpha < upperAlpha else {
            throw BoostingError.invalidParameter(name: "lowerAlpha", value: "\(lowerAlpha)",
                                                 allowed: "less than upperAlpha (\(upperAlpha))")
        }
        func fit(_ objective: BoostingObjective?) throws -> GradientBoostedModel {
            var p = parameters
            if let objective { p.objective = objective }
            return try GradientBoostingTrainer(parameters: p).fit(
                features: features, labels: labels, categoricalFeatures: categoricalFeatures, featureNames: featureNames)
        }
        lower = try fit(.quantile(alpha: lowerAlpha))
        point = try fit(nil)
        upper = try fit(.quantile(alpha: upperAlpha))
    }

    /// `(lower, point, upper)` for every row, ordered.
    public func intervals(for features: Tensor) throws -> [(lower: Double, point: Double, upper: Double)] {
        let lo = try lower.predictions(for: features)
        let mid = try point.predictions(for: features)
        let hi = try upper.predictions(for: features)
        return (0..<features.rows).map { r in
            let a = lo[r], b = mid[r], c = hi[r]
            let low = min(a, b, c), high = max(a, b, c)
            return (low, max(min(a, b), min(max(a, b), c)), high)
        }
    }
}
