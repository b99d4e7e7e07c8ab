/// Grows one tree leaf-wise on binned data (LightGBM's serial tree learner).
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
        var gradient: Double
        var hessian: Double
        var rows: Double
        var depth: Int
        var slot: Int
        var best = SplitCandidate()
        /// The internal node whose child this leaf is (-1 for the root) and on which side.
        var parentNode = -1
        var isLeftChild = false
        var output = 0.0
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
                             minDataInLeaf: Double(parameters.minDataInLeaf),
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
        var leaves = [Leaf(begin: 0, count: rowCount, gradient: g, hessian: h, rows: Double(rowCount),
                           depth: 0, slot: 0)]
        leaves[0].output = scorer.output(gradient: g, hessian: h)
        var freeSlots = Array((1..<parameters.numberOfLeaves).reversed())
        buildHistogram(leaf: leaves[0], gradients: gradients, hessians: hessians, features: features,
                       allRows: bagged == nil)
        findBestSplit(&leaves[0], features: features)

        var tree = DecisionTree()
        while leaves.count < parameters.numberOfLeaves {
            var chosen = -1
            var bestGain = 0.0
            for (i, leaf) in leaves.enumerated() where leaf.best.isValid && leaf.best.gain > bestGain {
                chosen = i; bestGain = leaf.best.gain
            }
            if chosen < 0 { break }
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
                            hessian: split.leftHessian, rows: split.leftCount, depth: parent.depth + 1,
                            slot: parent.slot, parentNode: node, isLeftChild: true, output: split.leftOutput)
            var right = Leaf(begin: parent.begin + leftCount, count: parent.count - leftCount,
                             gradient: split.rightGradient, hessian: split.rightHessian, rows: split.rightCount,
                             depth: parent.depth + 1, slot: parent.slot, parentNode: node, isLeftChild: false,
                             output: split.rightOutput)
            // Build the smaller child from its rows; the larger is the parent's histogram minus it.
            let newSlot = freeSlots.removeLast()
            if left.count <= right.count { left.slot = newSlot } else { right.slot = newSlot }
            let smaller = left.count <= right.count ? left : right
            buildHistogram(leaf: smaller, gradients: gradients, hessians: hessians, features: features,
                           allRows: false)
            HistogramBuilder.subtract(matrix: matrix, features: features, parent: pool.slot(parent.slot),
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
        if leaf.count < 2 * parameters.minDataInLeaf { return }
        let total = (g: leaf.gradient, h: leaf.hessian, c: leaf.rows)
        let parentGain = scorer.gain(gradient: total.g, hessian: total.h)
        let shift = parentGain + parameters.minGainToSplit
        let hist = pool.slot(leaf.slot)
        for f in features {
            let mapper = matrix.mappers[f]
            let featureHist = UnsafePointer(hist + matrix.binOffsets[f] * 3)
            if mapper.isCategorical {
                SplitFinder.categorical(feature: f, histogram: featureHist, binCount: mapper.binCount,
                                        total: total, scorer: scorer, parameters: parameters,
                                        parentGain: parentGain, best: &leaf.best)
            } else {
                SplitFinder.numeric(feature: f, histogram: featureHist, binCount: mapper.binCount,
                                    total: total, scorer: scorer, minGainShift: shift, best: &leaf.best)
            }
        }
    }

    /// Stable partition of the leaf's rows; returns how many went left.
    private func partition(leaf: Leaf, split: SplitCandidate) -> Int {
        let mapper = matrix.mappers[split.feature]
        let column = matrixBins + split.feature * matrix.rows
        var goesLeft = [Bool](repeating: false, count: mapper.binCount)
        if split.isCategorical {
            for b in split.leftBins { goesLeft[b] = true }
        } else {
            for b in 0...split.thresholdBin { goesLeft[b] = true }
            goesLeft[mapper.missingBin] = split.missingGoesLeft
        }
        var written = leaf.begin
        var spilled = 0
        goesLeft.withUnsafeBufferPointer { goesLeft in
            for i in leaf.begin..<(leaf.begin + leaf.count) {
                let r = indices[i]
                if goesLeft[Int(column[Int(r)])] { indices[written] = r; written += 1 }
                else { scratch[spilled] = r; spilled += 1 }
            }
        }
        (indices + written).update(from: scratch, count: spilled)
        return written - leaf.begin
    }
}
