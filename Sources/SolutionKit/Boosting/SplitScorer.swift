/// The best way found to split one leaf.
///
/// The sums follow LightGBM's `SplitInfo`: the hessian sums carry no `kEpsilon`, the counts are the ones the
/// split search derived from hessians (exact when every hessian is 1).
struct SplitCandidate {
    var feature = -1
    var gain = -Double.infinity
    /// Numeric: rows with bin `<= thresholdBin` go left.
    var thresholdBin = 0
    var missingGoesLeft = false
    var isCategorical = false
    /// Categorical: the bins sent left.
    var leftBins: [Int] = []
    var leftGradient = 0.0, leftHessian = 0.0, leftCount = 0
    var rightGradient = 0.0, rightHessian = 0.0, rightCount = 0
    var leftOutput = 0.0, rightOutput = 0.0

    var isValid: Bool { feature >= 0 && gain > 0 }

    /// LightGBM's `SplitInfo::operator>`: the larger gain, and on equal gains the lower feature index.
    func isBetter(than other: SplitCandidate) -> Bool {
        if gain != other.gain { return gain > other.gain }
        let mine = feature < 0 ? Int.max : feature, theirs = other.feature < 0 ? Int.max : other.feature
        return mine < theirs
    }
}

/// Leaf values and split gains of the regularised second-order objective, with LightGBM's numerics.
///
/// LightGBM adds `kEpsilon` to hessian sums in several places (`FindBestThreshold` passes
/// `sum_hessian + 2 * kEpsilon`, scans start their accumulated hessian at `kEpsilon`). Those additions
/// change the last bits of gains, and the last bits decide between near-equal candidate splits, so they are
/// reproduced exactly rather than dropped as negligible.
struct SplitScorer {
    /// LightGBM's `kEpsilon`.
    static let epsilon = 1e-15

    let lambdaL1: Double
    let lambdaL2: Double
    let minDataInLeaf: Int
    let minSumHessian: Double

    @inline(__always)
    func thresholdL1(_ g: Double) -> Double {
        lambdaL1 == 0 ? g : (g > 0 ? max(g - lambdaL1, 0) : min(g + lambdaL1, 0))
    }

    /// The leaf value minimising the loss: `-T(G) / (H + λ2)` (`CalculateSplittedLeafOutput`).
    @inline(__always)
    func output(gradient g: Double, hessian h: Double, extraL2: Double = 0) -> Double {
        -thresholdL1(g) / (h + (lambdaL2 + extraL2))
    }

    /// The loss reduction a leaf with these sums achieves against no leaf: `T(G)² / (H + λ2)` (`GetLeafGain`).
    @inline(__always)
    func gain(gradient g: Double, hessian h: Double, extraL2: Double = 0) -> Double {
        let t = thresholdL1(g)
        return (t * t) / (h + (lambdaL2 + extraL2))
    }

    /// LightGBM's row count of a histogram bin: `RoundInt(hessian * cnt_factor)` with
    /// `cnt_factor = num_data / sum_hessian`. Histograms keep no counts; with unit hessians this is exact.
    @inline(__always)
    static func count(hessian: Double, factor: Double) -> Int { Int(hessian * factor + 0.5) }
}
