/// Finds the best threshold of one numeric feature from its histogram, as LightGBM's
/// `FeatureHistogram::FindBestThresholdSequentially` does.
///
/// Histograms hold `(gradient, hessian)` pairs per bin; the last bin is the missing bin. A feature that had
/// missing values when it was binned (LightGBM's `MissingType::NaN`) is scanned twice: from the top bin down
/// with missing rows on the left, then from the bottom up with missing rows on the right; any other feature is
/// scanned from the top down only. Reproducing the scan order matters beyond the sums' rounding: when two
/// thresholds give the same partition of a leaf (an empty bin between them), the first one met with a strictly
/// larger gain wins, which is the higher threshold for a downward scan.
enum SplitFinder {
    struct NumericFeature {
        let index: Int
        let binCount: Int
        /// LightGBM's `MissingType::NaN`.
        let hasMissingType: Bool
        /// LightGBM's `offset == 1`: the most frequent bin is bin 0, which LightGBM does not store, so an
        /// upward scan starts from "everything minus the stored bins" instead of adding bin 0.
        let firstBinImplicit: Bool
    }

    /// - Parameters:
    ///   - sumHessian: the leaf's hessian sum plus `2 * kEpsilon`, as `FindBestThreshold` passes it.
    ///   - minGainShift: the parent's gain plus `minGainToSplit`.
    /// - Returns: LightGBM's `is_splittable()`: whether any threshold passed the count, hessian and gain checks.
    @discardableResult
    static func numeric(_ feature: NumericFeature, histogram hist: UnsafePointer<Double>,
                        sumGradient: Double, sumHessian: Double, rows: Int, scorer: SplitScorer,
                        minGainShift: Double, best: inout SplitCandidate) -> Bool {
        let valueBins = feature.binCount - 1
        let missingBin = valueBins
        // LightGBM's num_bin counts a NaN bin only for MissingType::NaN.
        let lightGBMBins = valueBins + (feature.hasMissingType ? 1 : 0)
        let factor = Double(rows) / sumHessian
        var splittable = false
        if feature.hasMissingType && lightGBMBins > 2 {
            scanDown(feature, hist, from: valueBins - 1, sumGradient, sumHessian, rows, factor, scorer,
                     minGainShift, &splittable, &best, missingLeft: true)
            scanUp(feature, hist, sumGradient, sumHessian, rows, factor, scorer, minGainShift, &splittable, &best)
        } else if feature.hasMissingType {
            // Two LightGBM bins (one value bin and NaN): the downward scan starts at the NaN bin, so missing
            // rows go right.
            scanDown(feature, hist, from: missingBin, sumGradient, sumHessian, rows, factor, scorer,
                     minGainShift, &splittable, &best, missingLeft: false)
        } else {
            // No missing value when binned: LightGBM's default_left is true; with no missing row in the leaf
            // either, unseen missing values later follow the bigger side.
            let missingRows = hist[missingBin * 2 + 1] > 0
            scanDown(feature, hist, from: valueBins - 1, sumGradient, sumHessian, rows, factor, scorer,
                     minGainShift, &splittable, &best, missingLeft: true)
            if best.feature == feature.index && !missingRows { best.missingGoesLeft = best.leftCount >= best.rightCount }
        }
        return splittable
    }

    /// Right sums accumulate from bin `top` down to bin 1; the left side is the total minus them (so it
    /// holds the missing bin unless `top` is the missing bin).
    @inline(__always)
    private static func scanDown(_ feature: NumericFeature, _ hist: UnsafePointer<Double>, from top: Int,
                                 _ sumGradient: Double, _ sumHessian: Double, _ rows: Int, _ factor: Double,
                                 _ scorer: SplitScorer, _ minGainShift: Double, _ splittable: inout Bool,
                                 _ best: inout SplitCandidate, missingLeft: Bool) {
        var rightGradient = 0.0, rightHessian = SplitScorer.epsilon, rightCount = 0
        var bestGain = -Double.infinity, bestLeftGradient = Double.nan, bestLeftHessian = Double.nan
        var bestLeftCount = 0, bestThreshold = -1
        var t = top
        while t >= 1 {
            defer { t -= 1 }
            let h = hist[t * 2 + 1]
            rightGradient += hist[t * 2]
            rightHessian += h
            rightCount += SplitScorer.count(hessian: h, factor: factor)
            if rightCount < scorer.minDataInLeaf || rightHessian < scorer.minSumHessian { continue }
            let leftCount = rows - rightCount
            if leftCount < scorer.minDataInLeaf { break }
            let leftHessian = sumHessian - rightHessian
            if leftHessian < scorer.minSumHessian { break }
            let leftGradient = sumGradient - rightGradient
            let gain = scorer.gain(gradient: leftGradient, hessian: leftHessian)
                + scorer.gain(gradient: rightGradient, hessian: rightHessian)
            if gain <= minGainShift { continue }
            splittable = true
            if gain > bestGain {
                bestLeftCount = leftCount; bestLeftGradient = leftGradient; bestLeftHessian = leftHessian
                bestThreshold = t - 1; bestGain = gain
            }
        }
        record(feature, splittable: splittable, bestGain: bestGain, bestThreshold: bestThreshold,
               bestLeftGradient, bestLeftHessian, bestLeftCount, sumGradient, sumHessian, rows, scorer,
               minGainShift, missingLeft: missingLeft, &best)
    }

    /// Left sums accumulate from bin 0 up to the last value bin; missing rows stay on the right.
    @inline(__always)
    private static func scanUp(_ feature: NumericFeature, _ hist: UnsafePointer<Double>, _ sumGradient: Double,
                               _ sumHessian: Double, _ rows: Int, _ factor: Double, _ scorer: SplitScorer,
                               _ minGainShift: Double, _ splittable: inout Bool, _ best: inout SplitCandidate) {
        var leftGradient = 0.0, leftHessian = SplitScorer.epsilon, leftCount = 0
        var first = 0
        if feature.firstBinImplicit {
            leftGradient = sumGradient; leftHessian = sumHessian - SplitScorer.epsilon; leftCount = rows
            for b in 1..<feature.binCount {
                let h = hist[b * 2 + 1]
                leftGradient -= hist[b * 2]
                leftHessian -= h
                leftCount -= SplitScorer.count(hessian: h, factor: factor)
            }
            first = 1
        }
        var bestGain = -Double.infinity, bestLeftGradient = Double.nan, bestLeftHessian = Double.nan
        var bestLeftCount = 0, bestThreshold = -1
        let lastValueBin = feature.binCount - 2
        for t in 0...lastValueBin {
            if t >= first {
                let h = hist[t * 2 + 1]
                leftGradient += hist[t * 2]
                leftHessian += h
                leftCount += SplitScorer.count(hessian: h, factor: factor)
            }
            if leftCount < scorer.minDataInLeaf || leftHessian < scorer.minSumHessian { continue }
            let rightCount = rows - leftCount
            if rightCount < scorer.minDataInLeaf { break }
            let rightHessian = sumHessian - leftHessian
            if rightHessian < scorer.minSumHessian { break }
            let rightGradient = sumGradient - leftGradient
            let gain = scorer.gain(gradient: leftGradient, hessian: leftHessian)
                + scorer.gain(gradient: rightGradient, hessian: rightHessian)
            if gain <= minGainShift { continue }
            splittable = true
            if gain > bestGain {
                bestLeftCount = leftCount; bestLeftGradient = leftGradient; bestLeftHessian = leftHessian
                bestThreshold = t; bestGain = gain
            }
        }
        record(feature, splittable: splittable, bestGain: bestGain, bestThreshold: bestThreshold,
               bestLeftGradient, bestLeftHessian, bestLeftCount, sumGradient, sumHessian, rows, scorer,
               minGainShift, missingLeft: false, &best)
    }

    /// The end of `FindBestThresholdSequentially`: a scan replaces the feature's candidate only when its gain
    /// beats it strictly, compared as LightGBM writes it (`best_gain > output->gain + min_gain_shift`).
    @inline(__always)
    private static func record(_ feature: NumericFeature, splittable: Bool, bestGain: Double, bestThreshold: Int,
                               _ leftGradient: Double, _ leftHessian: Double, _ leftCount: Int,
                               _ sumGradient: Double, _ sumHessian: Double, _ rows: Int, _ scorer: SplitScorer,
                               _ minGainShift: Double, missingLeft: Bool, _ best: inout SplitCandidate) {
        guard splittable, bestGain > best.gain + minGainShift else { return }
        best.feature = feature.index
        best.thresholdBin = bestThreshold
        best.isCategorical = false
        best.leftBins = []
        best.leftOutput = scorer.output(gradient: leftGradient, hessian: leftHessian)
        best.leftCount = leftCount
        best.leftGradient = leftGradient
        best.leftHessian = leftHessian - SplitScorer.epsilon
        best.rightOutput = scorer.output(gradient: sumGradient - leftGradient, hessian: sumHessian - leftHessian)
        best.rightCount = rows - leftCount
        best.rightGradient = sumGradient - leftGradient
        best.rightHessian = sumHessian - leftHessian - SplitScorer.epsilon
        best.gain = bestGain - minGainShift
        best.missingGoesLeft = missingLeft
    }
}
