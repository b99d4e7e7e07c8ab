/// Finds the best split of one categorical feature from its histogram, as LightGBM's
/// `FeatureHistogram::FindBestThresholdCategoricalInner` does.
///
/// Bins `0..<binCount - 1` are categories (most frequent first), the last bin holds missing values and rare or
/// unseen categories and always goes right. LightGBM's histogram has one more bin than categories as well
/// (its bin 0 is that "other" bin), which is why one-versus-rest applies when `binCount <= max_cat_to_onehot`:
/// at most `max_cat_to_onehot - 1` categories.
enum CategoricalSplitFinder {
    /// - Parameters:
    ///   - sumHessian: the leaf's hessian sum plus `2 * kEpsilon`.
    ///   - minGainShift: the parent's gain (plain `lambdaL2`) plus `minGainToSplit`.
    /// - Returns: LightGBM's `is_splittable()`: whether any candidate passed the count, hessian and gain checks.
    @discardableResult
    static func split(feature: Int, histogram hist: UnsafePointer<Double>, binCount: Int,
                      sumGradient: Double, sumHessian: Double, rows: Int, scorer: SplitScorer,
                      parameters: GradientBoostingParameters, minGainShift: Double,
                      best: inout SplitCandidate) -> Bool {
        let categories = binCount - 1
        let factor = Double(rows) / sumHessian
        let epsilon = SplitScorer.epsilon
        var bestGain = -Double.infinity, bestLeftGradient = 0.0, bestLeftHessian = 0.0, bestLeftCount = 0
        var bestLeft: [Int] = []
        var extraL2 = 0.0
        var splittable = false
        if binCount <= parameters.maxCategoriesForOneHot {
            // One category left, the rest right; the category's hessian carries the kEpsilon.
            for b in 0..<categories {
                let g = hist[b * 2], h = hist[b * 2 + 1]
                let count = SplitScorer.count(hessian: h, factor: factor)
                if count < scorer.minDataInLeaf || h < scorer.minSumHessian { continue }
                if rows - count < scorer.minDataInLeaf { continue }
                let otherHessian = sumHessian - h - epsilon
                if otherHessian < scorer.minSumHessian { continue }
                let otherGradient = sumGradient - g
                let gain = scorer.gain(gradient: otherGradient, hessian: otherHessian)
                    + scorer.gain(gradient: g, hessian: h + epsilon)
                if gain <= minGainShift { continue }
                splittable = true
                if gain > bestGain {
                    bestGain = gain; bestLeft = [b]
                    bestLeftGradient = g; bestLeftHessian = h + epsilon; bestLeftCount = count
                }
            }
        } else {
            // Categories with enough rows, ordered by G / (H + cat_smooth); prefixes of that order taken from
            // either end, groups of at least min_data_per_group rows at a time, with cat_l2 added.
            let smoothing = parameters.categorySmoothing
            var used: [Int] = []
            for b in 0..<categories
            where Double(SplitScorer.count(hessian: hist[b * 2 + 1], factor: factor)) >= smoothing {
                used.append(b)
            }
            // std::sort on so few elements is an insertion sort, so ties keep bin order.
            used.sort { a, b in
                let ka = hist[a * 2] / (hist[a * 2 + 1] + smoothing), kb = hist[b * 2] / (hist[b * 2 + 1] + smoothing)
                return ka != kb ? ka < kb : a < b
            }
            extraL2 = parameters.categoryL2
            let maxCategories = min(parameters.maxCategoryThreshold, (used.count + 1) / 2)
            let minGroup = parameters.minDataPerCategoryGroup
            for forward in [true, false] {
                var leftGradient = 0.0, leftHessian = epsilon, leftCount = 0, groupCount = 0
                for i in 0..<min(used.count, maxCategories) {
                    let b = forward ? used[i] : used[used.count - 1 - i]
                    let h = hist[b * 2 + 1]
                    let count = SplitScorer.count(hessian: h, factor: factor)
                    leftGradient += hist[b * 2]
                    leftHessian += h
                    leftCount += count
                    groupCount += count
                    if leftCount < scorer.minDataInLeaf || leftHessian < scorer.minSumHessian { continue }
                    let rightCount = rows - leftCount
                    if rightCount < scorer.minDataInLeaf || rightCount < minGroup { break }
                    let rightHessian = sumHessian - leftHessian
                    if rightHessian < scorer.minSumHessian { break }
                    if groupCount < minGroup { continue }
                    groupCount = 0
                    let rightGradient = sumGradient - leftGradient
                    let gain = scorer.gain(gradient: leftGradient, hessian: leftHessian, extraL2: extraL2)
                        + scorer.gain(gradient: rightGradient, hessian: rightHessian, extraL2: extraL2)
                    if gain <= minGainShift { continue }
                    splittable = true
                    if gain > bestGain {
                        bestGain = gain
                        bestLeft = forward ? Array(used[0...i]) : Array(used[(used.count - 1 - i)...])
                        bestLeftGradient = leftGradient; bestLeftHessian = leftHessian; bestLeftCount = leftCount
                    }
                }
            }
        }
        guard !bestLeft.isEmpty, bestGain - minGainShift > best.gain else { return splittable }
        best.feature = feature
        best.gain = bestGain - minGainShift
        best.isCategorical = true
        best.leftBins = bestLeft.sorted()
        best.missingGoesLeft = false
        best.thresholdBin = 0
        best.leftOutput = scorer.output(gradient: bestLeftGradient, hessian: bestLeftHessian, extraL2: extraL2)
        best.leftCount = bestLeftCount
        best.leftGradient = bestLeftGradient
        best.leftHessian = bestLeftHessian - epsilon
        best.rightOutput = scorer.output(gradient: sumGradient - bestLeftGradient,
                                         hessian: sumHessian - bestLeftHessian, extraL2: extraL2)
        best.rightCount = rows - bestLeftCount
        best.rightGradient = sumGradient - bestLeftGradient
        best.rightHessian = sumHessian - bestLeftHessian - epsilon
        return splittable
    }
}
