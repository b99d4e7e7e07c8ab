/// Grows one tree leaf-wise on binned data (LightGBM's serial tree learner).
///
/// It reproduces LightGBM 4.7's choices bit for bit, ties and rounding included (same trees on the benchmark
/// data, see bench/gbdt/RESULTS.md): sums are formed in LightGBM's order, the smaller child is built from rows
/// and its sibling by subtraction as LightGBM decides, and a feature without a valid split at a leaf is not
/// searched below it.
///
/// The leaf with the largest loss reduction is split next until `numberOfLeaves` is reached or no split
/// gains anything. Rows live in one index array in which every leaf owns a contiguous range, so a split
/// is a stable partition of that range and a leaf's rows can be read without any search.
/// Buffers are allocated once per training run and reused for every tree.
final class TreeLearner {
    let matrix: BinnedMatrix
    let parameters: GradientBoostingParameters
    let scorer: SplitScorer
    private let pool: HistogramPool
    private let indices: UnsafeMutablePointer<Int32>
    private let scratch: UnsafeMutablePointer<Int32>
    private let orderedGradients: UnsafeMutablePointer<Float>
    private let orderedHessians: UnsafeMutablePointer<Float>
    /// A private copy of the bin matrix, so hot loops hold a pointer whose lifetime the learner owns.
    private let matrixBins: UnsafeMutablePointer<UInt8>

    struct Leaf {
        var begin: Int
        var count: Int
        /// LightGBM's leaf sums: from the parent's split candidate, so they round as LightGBM's do.
        var gradient: Double
        var hessian: Double
        var depth: Int
        var slot: Int
        var best = SplitCandidate()
        /// The internal node whose child this leaf is (-1 for the root) and on which side.
        var parentNode = -1
        var isLeftChild = false
        var output = 0.0
        /// Per feature index: whether the feature had any valid split when this leaf was searched. As in
        /// LightGBM (`is_splittable()` of the parent's histogram in `FindBestSplits`), a feature with none is
        /// not searched again anywhere below this leaf.
        var splittable: [Bool] = []
    }

    /// The grown tree plus where each leaf's rows sit in `rowIndices`, for updating scores and refitting.
    struct Result {
        var tree: DecisionTree
        var leafRanges: [Range<Int>]
    }

    init(matrix: BinnedMatrix, parameters: GradientBoostingParameters) {
        self.matrix = matrix
        self.parameters = parameters
        scorer = SplitScorer(lambdaL1: parameters.lambdaL1, lambdaL2: parameters.lambdaL2,
                             minDataInLeaf: parameters.minDataInLeaf,
                             minSumHessian: parameters.minSumHessianInLeaf)
        pool = HistogramPool(totalBins: matrix.totalBins, slots: parameters.numberOfLeaves)
        let rows = max(matrix.rows, 1)
        indices = .allocate(capacity: rows)
        scratch = .allocate(capacity: rows)
        orderedGradients = .allocate(capacity: rows)
        orderedHessians = .allocate(capacity: rows)
        matrixBins = .allocate(capacity: max(matrix.bins.count, 1))
        matrix.bins.withUnsafeBufferPointer { if let base = $0.baseAddress { matrixBins.initialize(from: base, count: $0.count) } }
    }

    deinit {
        pool.free()
        indices.deallocate(); scratch.deallocate()
        orderedGradients.deallocate(); orderedHessians.deallocate()
        matrixBins.deallocate()
    }

    /// The row index array after `grow`; leaf `i` owns `rowIndices[leafRanges[i]]`.
    var rowIndices: UnsafePointer<Int32> { UnsafePointer(indices) }

    /// Grows a tree on `rows` (all rows when nil) using only `features`.
    func grow(gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>,
              rows bagged: [Int32]?, features: [Int]) -> Result {
        let rowCount = bagged?.count ?? matrix.rows
        if let bagged {
            bagged.withUnsafeBufferPointer { indices.update(from: $0.baseAddress!, count: rowCount) }
        } else {
            for r in 0..<rowCount { indices[r] = Int32(r) }
        }
        var g = 0.0, h = 0.0
        for i in 0..<rowCount {
            let r = Int(indices[i])
            g += Double(gradients[r]); h += Double(hessians[r])
        }
        var leaves = [Leaf(begin: 0, count: rowCount, gradient: g, hessian: h, depth: 0, slot: 0)]
        leaves[0].splittable = [Bool](repeating: true, count: matrix.features)
        leaves[0].output = scorer.output(gradient: g, hessian: h)
        var freeSlots = Array((1..<parameters.numberOfLeaves).reversed())
        buildHistogram(leaf: leaves[0], gradients: gradients, hessians: hessians, features: features,
                       allRows: bagged == nil)
        findBestSplit(&leaves[0], features: features)

        var tree = DecisionTree()
        while leaves.count < parameters.numberOfLeaves {
            // LightGBM's ArgMax over the leaves' best splits (ties: lower feature, then lower leaf); it stops
            // when the best gain is not positive.
            var chosen = 0
            for i in leaves.indices.dropFirst() where leaves[i].best.isBetter(than: leaves[chosen].best) { chosen = i }
            if !leaves[chosen].best.isValid { break }
            let split = leaves[chosen].best
            let parent = leaves[chosen]
            let leftCount = partition(leaf: parent, split: split)
            let node = tree.splitFeature.count
            tree.splitFeature.append(Int32(split.feature))
            let mapper = matrix.mappers[split.feature]
            tree.isCategorical.append(split.isCategorical)
            if split.isCategorical {
                tree.threshold.append(0)
                tree.leftCategories.append(split.leftBins.map { Int32(mapper.categoryOfBin[$0]) }.sorted())
            } else {
                tree.threshold.append(mapper.upperBounds[split.thresholdBin])
                tree.leftCategories.append([])
            }
            tree.missingGoesLeft.append(split.missingGoesLeft)
            let newLeaf = leaves.count
            tree.leftChild.append(Int32(~chosen))
            tree.rightChild.append(Int32(~newLeaf))
            tree.splitGain.append(split.gain)
            tree.internalCount.append(parent.count)
            tree.internalValue.append(parent.output * parameters.learningRate)
            if parent.parentNode >= 0 {
                if parent.isLeftChild { tree.leftChild[parent.parentNode] = Int32(node) }
                else { tree.rightChild[parent.parentNode] = Int32(node) }
            }
            var left = Leaf(begin: parent.begin, count: leftCount, gradient: split.leftGradient,
                            hessian: split.leftHessian, depth: parent.depth + 1,
                            slot: parent.slot, parentNode: node, isLeftChild: true, output: split.leftOutput,
                            splittable: parent.splittable)
            var right = Leaf(begin: parent.begin + leftCount, count: parent.count - leftCount,
                             gradient: split.rightGradient, hessian: split.rightHessian,
                             depth: parent.depth + 1, slot: parent.slot, parentNode: node, isLeftChild: false,
                             output: split.rightOutput, splittable: parent.splittable)
            // Build the smaller child from its rows; the larger is the parent's histogram minus it. "Smaller"
            // as LightGBM decides it (`BeforeFindBestSplit`): the right child on a tie.
            let newSlot = freeSlots.removeLast()
            let leftIsSmaller = left.count < right.count
            if leftIsSmaller { left.slot = newSlot } else { right.slot = newSlot }
            let smaller = leftIsSmaller ? left : right
            // Features without a valid split in the parent are never searched below it (see `Leaf.splittable`),
            // so their histograms are not needed.
            let active = features.filter { parent.splittable[$0] }
            buildHistogram(leaf: smaller, gradients: gradients, hessians: hessians, features: active,
                           allRows: false)
            HistogramBuilder.subtract(matrix: matrix, features: active, parent: pool.slot(parent.slot),
                                      smaller: pool.slot(smaller.slot))
            findBestSplit(&left, features: features)
            findBestSplit(&right, features: features)
            leaves[chosen] = left
            leaves.append(right)
        }
        tree.leafValue = leaves.map { $0.output * parameters.learningRate }
        tree.leafCount = leaves.map(\.count)
        return Result(tree: tree, leafRanges: leaves.map { $0.begin..<($0.begin + $0.count) })
    }

    private func buildHistogram(leaf: Leaf, gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>,
                                features: [Int], allRows: Bool) {
        defer {
            HistogramBuilder.fixMostFrequentBins(matrix: matrix, features: features, histogram: pool.slot(leaf.slot),
                                                 sumGradient: leaf.gradient, sumHessian: leaf.hessian)
        }
        if allRows {
            HistogramBuilder.build(matrix: matrix, bins: matrixBins, features: features,
                                   rowIndices: indices, count: leaf.count, allRows: true,
                                   gradients: gradients, hessians: hessians, output: pool.slot(leaf.slot))
            return
        }
        let rows = indices + leaf.begin
        for i in 0..<leaf.count {
            let r = Int(rows[i])
            orderedGradients[i] = gradients[r]
            orderedHessians[i] = hessians[r]
        }
        HistogramBuilder.build(matrix: matrix, bins: matrixBins, features: features,
                               rowIndices: rows, count: leaf.count, allRows: false,
                               gradients: orderedGradients, hessians: orderedHessians,
                               output: pool.slot(leaf.slot))
    }

    private func findBestSplit(_ leaf: inout Leaf, features: [Int]) {
        leaf.best = SplitCandidate()
        if let maxDepth = parameters.maxDepth, leaf.depth >= maxDepth { return }
        if leaf.count < 2 * parameters.minDataInLeaf {
            // Never split, so its flags matter to nobody; cleared as LightGBM's would be after a search.
            leaf.splittable = [Bool](repeating: false, count: leaf.splittable.count)
            return
        }
        // As `FeatureHistogram::FindBestThreshold`: the hessian sum gets 2 kEpsilon, the parent's gain uses it.
        let sumGradient = leaf.gradient, sumHessian = leaf.hessian + 2 * SplitScorer.epsilon, rows = leaf.count
        let shift = scorer.gain(gradient: sumGradient, hessian: sumHessian) + parameters.minGainToSplit
        let hist = pool.slot(leaf.slot)
        // Each feature's best split is found independently (in parallel when there is enough work), then
        // the winner is picked in feature order with ties going to the lower index: the same tree for
        // any thread count.
        var perFeature = [SplitCandidate](repeating: SplitCandidate(), count: features.count)
        var featureSplittable = features.map { leaf.splittable[$0] }
        let matrix = self.matrix, scorer = self.scorer, parameters = self.parameters
        let chunks = matrix.totalBins < 2048 ? 1 : features.count
        perFeature.withUnsafeMutableBufferPointer { perFeature in
            featureSplittable.withUnsafeMutableBufferPointer { featureSplittable in
                let perFeature = perFeature, featureSplittable = featureSplittable
                parallelFor(features.count, chunks: chunks) { _, range in
                    for k in range where featureSplittable[k] {
                        let f = features[k]
                        let mapper = matrix.mappers[f]
                        let featureHist = UnsafePointer(hist + matrix.binOffsets[f] * 2)
                        if mapper.isCategorical {
                            featureSplittable[k] = CategoricalSplitFinder.split(
                                feature: f, histogram: featureHist, binCount: mapper.binCount,
                                sumGradient: sumGradient, sumHessian: sumHessian, rows: rows, scorer: scorer,
                                parameters: parameters, minGainShift: shift, best: &perFeature[k])
                        } else {
                            let feature = SplitFinder.NumericFeature(
                                index: f, binCount: mapper.binCount, hasMissingType: mapper.hasMissingType,
                                firstBinImplicit: mapper.firstBinImplicit)
                            featureSplittable[k] = SplitFinder.numeric(
                                feature, histogram: featureHist, sumGradient: sumGradient, sumHessian: sumHessian,
                                rows: rows, scorer: scorer, minGainShift: shift, best: &perFeature[k])
                        }
                    }
                }
            }
        }
        for (k, f) in features.enumerated() { leaf.splittable[f] = featureSplittable[k] }
        for candidate in perFeature where candidate.isBetter(than: leaf.best) { leaf.best = candidate }
    }

    /// Stable partition of the leaf's rows; returns how many went left.
    ///
    /// Large ranges are partitioned in parallel: each block counts its left rows, then writes its rows to
    /// their final places. A stable partition has exactly one result, so this is deterministic whatever
    /// the number of threads.
    private func partition(leaf: Leaf, split: SplitCandidate) -> Int {
        let mapper = matrix.mappers[split.feature]
        let column = UnsafePointer(matrixBins + split.feature * matrix.rows)
        // 1 when the bin goes left: an integer, so the loops below add it instead of branching on it.
        var goesLeft = [Int32](repeating: 0, count: mapper.binCount)
        if split.isCategorical {
            for b in split.leftBins { goesLeft[b] = 1 }
        } else {
            for b in 0...split.thresholdBin { goesLeft[b] = 1 }
            goesLeft[mapper.missingBin] = split.missingGoesLeft ? 1 : 0
        }
        let rows = indices + leaf.begin
        let out = scratch
        let count = leaf.count
        return goesLeft.withUnsafeBufferPointer { goesLeft -> Int in
            let blockSize = 16_384
            let blocks = (count + blockSize - 1) / blockSize
            // The loops are branch-free, with wrapping counters (each stays below `count`): a row's side is a coin
            // toss to the branch predictor, and the checked `+=`'s trap branches kept the compiler from using
            // conditional moves. A row is written to both sides and only the side it belongs to advances; the
            // other copy is overwritten by the next row (or lies past the end of the used range).
            if blocks <= 1 {
                var written = 0, spilled = 0
                for i in 0..<count {
                    let r = rows[i]
                    let left = Int(goesLeft[Int(column[Int(r)])])
                    rows[written] = r
                    out[spilled] = r
                    written &+= left
                    spilled &+= 1 &- left
                }
                (rows + written).update(from: out, count: spilled)
                return written
            }
            var lefts = [Int](repeating: 0, count: blocks)
            lefts.withUnsafeMutableBufferPointer { lefts in
                let lefts = lefts
                parallelFor(blocks) { _, range in
                    for block in range {
                        var n = 0
                        for i in (block * blockSize)..<min(count, (block + 1) * blockSize) {
                            n &+= Int(goesLeft[Int(column[Int(rows[i])])])
                        }
                        lefts[block] = n
                    }
                }
            }
            let totalLeft = lefts.reduce(0, +)
            var leftStart = [Int](repeating: 0, count: blocks), rightStart = [Int](repeating: 0, count: blocks)
            var l = 0, r = totalLeft
            for block in 0..<blocks {
                leftStart[block] = l; rightStart[block] = r
                l += lefts[block]; r += min(count, (block + 1) * blockSize) - block * blockSize - lefts[block]
            }
            parallelFor(blocks) { _, range in
                for block in range {
                    var l = leftStart[block], r = rightStart[block]
                    for i in (block * blockSize)..<min(count, (block + 1) * blockSize) {
                        // Both sides of other blocks lie next to this block's, so only the row's own side is written.
                        let row = rows[i]
                        let left = Int(goesLeft[Int(column[Int(row)])])
                        out[r &+ (l &- r) &* left] = row
                        l &+= left
                        r &+= 1 &- left
                    }
                }
            }
            rows.update(from: out, count: count)
            return totalLeft
        }
    }
}
