import Foundation

/// Gradients, hessians, starting score and output transform of each objective.
///
/// Kept apart from the learner so that the tree code never branches on the loss: it only sees the
/// per-row gradient and hessian arrays filled here.
extension BoostingObjective {
    /// The per-row loss of a raw score against a label (used by tests and by metrics).
    public func loss(score: Double, label: Double) -> Double {
        switch self {
        case .squaredError:
            let d = score - label
            return 0.5 * d * d
        case .absoluteError:
            return abs(score - label)
        case .huber(let delta):
            let d = abs(score - label)
            return d <= delta ? 0.5 * d * d : delta * (d - 0.5 * delta)
        case .quantile(let alpha):
            let d = label - score
            return d >= 0 ? alpha * d : (alpha - 1) * d
        case .binaryLogLoss(let weight):
            // log(1 + exp(-s)) for y = 1 and log(1 + exp(s)) for y = 0, written stably.
            let w = label > 0.5 ? weight : 1
            let z = label > 0.5 ? -score : score
            return w * (max(z, 0) + log1p(exp(-abs(z))))
        }
    }

    /// First and second derivative of `loss` with respect to the score.
    ///
    /// For L1 and quantile the true second derivative is zero almost everywhere; like LightGBM we use 1 and
    /// refit the leaf values afterwards (see `refitsLeaves`).
    @inline(__always)
    public func derivatives(score: Double, label: Double) -> (gradient: Double, hessian: Double) {
        switch self {
        case .squaredError:
            return (score - label, 1)
        case .absoluteError:
            let d = score - label
            return (d > 0 ? 1 : (d < 0 ? -1 : 0), 1)
        case .huber(let delta):
            let d = score - label
            if abs(d) <= delta { return (d, 1) }
            return (d > 0 ? delta : -delta, 1)
        case .quantile(let alpha):
            let d = score - label
            return (d >= 0 ? 1 - alpha : -alpha, 1)
        case .binaryLogLoss(let weight):
            // LightGBM's `BinaryLogloss::GetGradients` with labels as ±1: the same values as `p - y` and
            // `p (1 - p)`, written as LightGBM rounds them.
            let sign: Double = label > 0.5 ? 1 : -1
            let w = label > 0.5 ? weight : 1
            let response = -sign / (1 + exp(sign * score))
            let magnitude = abs(response)
            return (response * w, magnitude * (1 - magnitude) * w)
        }
    }

    /// Fills `gradients` and `hessians` for every row; parallel, element-wise, so deterministic.
    func computeDerivatives(scores: UnsafePointer<Double>, labels: UnsafePointer<Double>, count: Int,
                            gradients: UnsafeMutablePointer<Float>, hessians: UnsafeMutablePointer<Float>) {
        parallelFor(count, minimumChunkSize: 8192) { _, range in
            for i in range {
                let (g, h) = derivatives(score: scores[i], label: labels[i])
                gradients[i] = Float(g)
                hessians[i] = Float(h)
            }
        }
    }

    /// Whether leaf values are replaced after growth by a quantile of the residuals (L1 and quantile loss).
    var refitQuantile: Double? {
        switch self {
        case .absoluteError: return 0.5
        case .quantile(let alpha): return alpha
        default: return nil
        }
    }

    /// The constant score that minimises the loss on the labels (LightGBM's `boost_from_average`).
    func initialScore(labels: [Double]) -> Double {
        switch self {
        case .squaredError, .huber:
            return labels.reduce(0, +) / Double(labels.count)
        case .absoluteError:
            return weightedQuantile(labels, 0.5)
        case .quantile(let alpha):
            return weightedQuantile(labels, alpha)
        case .binaryLogLoss(let weight):
            var positive = 0.0
            for y in labels where y > 0.5 { positive += 1 }
            let negative = Double(labels.count) - positive
            let p = (positive * weight) / (positive * weight + negative)
            let clamped = min(max(p, 1e-15), 1 - 1e-15)
            return log(clamped / (1 - clamped))
        }
    }

    /// Maps a raw score to the prediction scale: a probability for the binary objective, the identity otherwise.
    @inline(__always)
    public func transform(_ raw: Double) -> Double {
        if case .binaryLogLoss = self { return 1 / (1 + exp(-raw)) }
        return raw
    }

    /// The validation metric used when the parameters name none.
    var defaultMetric: BoostingMetric {
        switch self {
        case .squaredError: return .rmse
        case .absoluteError: return .meanAbsoluteError
        case .huber: return .huber
        case .quantile: return .quantile
        case .binaryLogLoss: return .logLoss
        }
    }
}

/// The `q`-quantile of `values` (the lower of the two middle values for even counts at q = 0.5 is avoided by
/// interpolating, as LightGBM's `PercentileFun` does).
func weightedQuantile(_ values: [Double], _ q: Double) -> Double {
    precondition(!values.isEmpty)
    var sorted = values
    sorted.sort()
    return quantileOfSorted(sorted, q)
}

func quantileOfSorted(_ sorted: [Double], _ q: Double) -> Double {
    let n = sorted.count
    if n == 1 { return sorted[0] }
    let position = q * Double(n - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, n - 1)
    let fraction = position - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
}
