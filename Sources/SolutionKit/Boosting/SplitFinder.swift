/// The best way found to split one leaf.
struct SplitCandidate {
    var feature = -1
    var gain = -Double.infinity
    /// Numeric: rows with bin `<= thresholdBin` go left.
    var thresholdBin = 0
    var missingGoesLeft = false
    var isCategorical = false
    /// Categorical: the bins sent left.
    var leftBins: [Int] = []
    var leftGradient = 0.0, leftHessian = 0.0, leftCount = 0.0
    var rightGradient = 0.0, rightHessian = 0.0, rightCount = 0.0
    var leftOutput = 0.0, rightOutput = 0.0

    var isValid: Bool { feature >= 0 && gain > 0 }
}

/// Leaf values and split gains of the regularised second-order objective (LightGBM's formulas).
struct SplitScorer {
    let lambdaL1: Double
    let lambdaL2: Double
    let minDataInLeaf: Double
    let minSumHessian: Double

    @inline(__always)
    func thresholdL1(_ g: Double) -> Double {
        lambdaL1 == 0 ? g : (g > 0 ? max(g - lambdaL1, 0) : min(g + lambdaL1, 0))
    }

    /// The leaf value minimising the loss: `-T(G) / (H + λ2)`.
    @inline(__always)
    func output(gradient g: Double, hessian h: Double, extraL2: Double = 0) -> Double {
        -thresholdL1(g) / (h + lambdaL2 + extraL2)
    }

    /// The loss reduction a leaf with these sums achieves against no leaf: `T(G)² / (H + λ2)`.
    @inline(__always)
    func gain(gradient g: Double, hessian h: Double, extraL2: Double = 0) -> Double {
        let t = thresholdL1(g)
        return t * t / (h + lambdaL2 + extraL2)
    }
}

/// Finds the best split of one feature from its histogram.
enum SplitFinder {
    /// Numeric feature: every bin boundary, with missing values tried on both sides.
    static func numeric(feature: Int, histogram hist: UnsafePointer<Double>, binCount: Int,
                        total: (g: Double, h: Double, c: Double), scorer: SplitScorer,
                        minGainShift: Double, best: inout SplitCandidate) {
        let missing = binCount - 1
        let mg = hist[missing * 3], mh = hist[missing * 3 + 1], mc = hist[missing * 3 + 2]
        var lg = 0.0, lh = 0.0, lc = 0.0
        // Threshold t sends value bins 0...t left; t = missing - 1 separates "any value" from "missing".
        for t in 0..<missing {
            lg += hist[t * 3]; lh += hist[t * 3 + 1]; lc += hist[t * 3 + 2]
            for side in 0..<(mc > 0 ? 2 : 1) {
                let missingLeft = side == 1
                let cg = missingLeft ? lg + mg : lg
                let ch = missingLeft ? lh + mh : lh
                let cc = missingLeft ? lc + mc : lc
                let rg = total.g - cg, rh = total.h - ch, rc = total.c - cc
                if cc < scorer.minDataInLeaf || ch < scorer.minSumHessian { continue }
                if rc < scorer.minDataInLeaf || rh < scorer.minSumHessian { continue }
                let gain = scorer.gain(gradient: cg, hessian: ch) + scorer.gain(gradient: rg, hessian: rh)
                if gain > minGainShift && gain - minGainShift > best.gain {
                    best.feature = feature
                    best.gain = gain - minGainShift
                    best.thresholdBin = t
                    // With no missing value in training, missing rows follow the bigger side.
                    best.missingGoesLeft = mc > 0 ? missingLeft : cc >= rc
                    best.isCategorical = false
                    best.leftBins = []
                    best.leftGradient = cg; best.leftHessian = ch; best.leftCount = cc
                    best.rightGradient = rg; best.rightHessian = rh; best.rightCount = rc
                    best.leftOutput = scorer.output(gradient: cg, hessian: ch)
                    best.rightOutput = scorer.output(gradient: rg, hessian: rh)
                }
            }
        }
    }

    /// Categorical feature: one category against the rest when there are few categories, otherwise
    /// categories sorted by `G / (H + smoothing)` and a prefix of that order from either end sent left.
    /// The missing / rare-category bin always goes right.
    static func categorical(feature: Int, histogram hist: UnsafePointer<Double>, binCount: Int,
                            total: (g: Double, h: Double, c: Double), scorer: SplitScorer,
                            parameters: GradientBoostingParameters, parentGain: Double,
                            best: inout SplitCandidate) {
        let categories = binCount - 1
        func consider(_ left: [Int], _ cg: Double, _ ch: Double, _ cc: Double, extraL2: Double) {
            let rg = total.g - cg, rh = total.h - ch, rc = total.c - cc
            let shift = parentGain + parameters.minGainToSplit
            let gain = scorer.gain(gradient: cg, hessian: ch, extraL2: extraL2)
                + scorer.gain(gradient: rg, hessian: rh, extraL2: extraL2)
            if gain > shift && gain - shift > best.gain {
                best.feature = feature
                best.gain = gain - shift
                best.isCategorical = true
                best.leftBins = left.sorted()
                best.missingGoesLeft = false
                best.thresholdBin = 0
                best.leftGradient = cg; best.leftHessian = ch; best.leftCount = cc
                best.rightGradient = rg; best.rightHessian = rh; best.rightCount = rc
                best.leftOutput = scorer.output(gradient: cg, hessian: ch, extraL2: extraL2)
                best.rightOutput = scorer.output(gradient: rg, hessian: rh, extraL2: extraL2)
            }
        }
        if categories <= parameters.maxCategoriesForOneHot {
            for b in 0..<categories {
                let cg = hist[b * 3], ch = hist[b * 3 + 1], cc = hist[b * 3 + 2]
                if cc < scorer.minDataInLeaf || ch < scorer.minSumHessian { continue }
                if total.c - cc < scorer.minDataInLeaf || total.h - ch < scorer.minSumHessian { continue }
                consider([b], cg, ch, cc, extraL2: 0)
            }
            return
        }
        let smoothing = parameters.categorySmoothing
        var used: [Int] = []
        for b in 0..<categories where hist[b * 3 + 2] >= smoothing && hist[b * 3 + 2] > 0 { used.append(b) }
        used.sort { a, b in
            let ka = hist[a * 3] / (hist[a * 3 + 1] + smoothing), kb = hist[b * 3] / (hist[b * 3 + 1] + smoothing)
            return ka != kb ? ka < kb : a < b
        }
        let maxCategories = min(parameters.maxCategoryThreshold, (used.count + 1) / 2)
        // Like LightGBM, children carry the extra `categoryL2` while the parent's gain uses plain L2.
        for forward in [true, false] {
            var cg = 0.0, ch = 0.0, cc = 0.0, group = 0.0
            var left: [Int] = []
            for i in 0..<min(used.count, maxCategories) {
                let b = forward ? used[i] : used[used.count - 1 - i]
                cg += hist[b * 3]; ch += hist[b * 3 + 1]; cc += hist[b * 3 + 2]; group += hist[b * 3 + 2]
                left.append(b)
                if cc < scorer.minDataInLeaf || ch < scorer.minSumHessian { continue }
                if total.c - cc < scorer.minDataInLeaf || total.h - ch < scorer.minSumHessian { break }
                if total.c - cc < Double(parameters.minDataPerCategoryGroup) { break }
                if group < Double(parameters.minDataPerCategoryGroup) { continue }
                group = 0
                consider(left, cg, ch, cc, extraL2: parameters.categoryL2)
            }
        }
    }
}
