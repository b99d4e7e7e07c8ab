/// The scoring kernel of `ForestScorer`: blocks of rows, tree by tree, level by level.
extension ForestScorer {
    /// Rows scored together: their features (64 × a few dozen floats) and one tree's nodes stay in L1.
    static let blockRows = 64

    /// Raw scores for `count` rows of `featureCount` floats starting at `rows`, written to `output`.
    /// `parallel: false` keeps the work on the calling thread (for callers that already split rows over cores).
    public func predictRaw(rows: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Double>,
                           parallel: Bool = true) {
        guard count > 0 else { return }
        let base = initialScore
        guard !roots.isEmpty else {
            output.update(repeating: base, count: count)
            return
        }
        if quick.treeCount > 0 {
            predictRawQuick(rows: rows, count: count, output: output, parallel: parallel)
            return
        }
        nodes.withUnsafeBufferPointer { nodes in
        values.withUnsafeBufferPointer { values in
        bitsets.withUnsafeBufferPointer { bitsets in
        roots.withUnsafeBufferPointer { roots in
        steps.withUnsafeBufferPointer { steps in
        hasCategorical.withUnsafeBufferPointer { hasCategorical in
        traversal.withUnsafeBufferPointer { traversal in
            // `checkLayout` proved every node index, feature index and bitset position in bounds.
            let kernel = Kernel(nodes: nodes.baseAddress!, values: values.baseAddress!, bitsets: bitsets.baseAddress,
                                width: featureCount)
            parallelFor(count, chunks: parallel ? nil : 1, minimumChunkSize: 2048) { _, range in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.blockRows) { current in
                    let current = current.baseAddress!
                    var start = range.lowerBound
                    while start < range.upperBound {
                        let n = min(Self.blockRows, range.upperBound - start)
                        let x = rows + start * featureCount, out = output + start
                        out.update(repeating: base, count: n)
                        for t in 0..<roots.count {
                            kernel.leaves(of: roots[t], steps: Int(steps[t]), traversal: traversal[t],
                                          categorical: hasCategorical[t], rows: x, count: n, into: current)
                            // Added in tree order after `initialScore`, as every other scorer of the kit does.
                            for r in 0..<n { out[r] += kernel.values[Int(current[r])] }
                        }
                        start += n
                    }
                }
            }
        }}}}}}}
    }

    /// Rows one at a time through the QuickScorer tables; trees those tables do not hold are walked in between,
    /// so the sum still runs over the trees in order.
    private func predictRawQuick(rows: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Double>,
                                 parallel: Bool) {
        let q = quick, base = initialScore, width = featureCount, treeCount = roots.count
        let allQuick = q.treeCount == treeCount
        nodes.withUnsafeBufferPointer { nodes in values.withUnsafeBufferPointer { values in
        bitsets.withUnsafeBufferPointer { bitsets in roots.withUnsafeBufferPointer { roots in
        steps.withUnsafeBufferPointer { steps in quickIndex.withUnsafeBufferPointer { quickIndex in
        q.start.withUnsafeBufferPointer { start in q.threshold.withUnsafeBufferPointer { threshold in
        q.tree.withUnsafeBufferPointer { tree in q.mask.withUnsafeBufferPointer { mask in
        q.nanStart.withUnsafeBufferPointer { nanStart in q.nanTree.withUnsafeBufferPointer { nanTree in
        q.nanMask.withUnsafeBufferPointer { nanMask in q.catBase.withUnsafeBufferPointer { catBase in
        q.catList.withUnsafeBufferPointer { catList in q.catTree.withUnsafeBufferPointer { catTree in
        q.catMask.withUnsafeBufferPointer { catMask in q.leafStart.withUnsafeBufferPointer { leafStart in
        q.leafValue.withUnsafeBufferPointer { leafValue in
            // `checkLayout` proved every index these tables and the node layout hold in bounds.
            let walker = Kernel(nodes: nodes.baseAddress!, values: values.baseAddress!, bitsets: bitsets.baseAddress,
                                width: width)
            let kernel = QuickScorerTables.Kernel(
                start: start.baseAddress!, threshold: threshold.baseAddress!, tree: tree.baseAddress!,
                mask: mask.baseAddress!, nanStart: nanStart.baseAddress!, nanTree: nanTree.baseAddress!,
                nanMask: nanMask.baseAddress!, catBase: catBase.baseAddress!, catList: catList.baseAddress!,
                catTree: catTree.baseAddress!, catMask: catMask.baseAddress!, leafStart: leafStart.baseAddress!,
                leafValue: leafValue.baseAddress!,
                featureCount: width, treeCount: q.treeCount)
            parallelFor(count, chunks: parallel ? nil : 1, minimumChunkSize: 2048) { _, range in
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: q.treeCount) { vectors in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: q.treeCount) { leaves in
                    let vectors = vectors.baseAddress!, leaves = leaves.baseAddress!
                    for r in range {
                        let x = rows + r * width
                        kernel.leaves(row: x, vectors: vectors, into: leaves)
                        // Added in tree order after `initialScore`, as every other scorer of the kit does.
                        var sum = base
                        if allQuick {
                            for t in 0..<treeCount { sum += leaves[t] }
                        } else {
                            var next = 0
                            for t in 0..<treeCount {
                                if quickIndex[t] >= 0 {
                                    sum += leaves[next]
                                    next &+= 1
                                } else {
                                    var index = roots[t]
                                    for _ in 0..<Int(steps[t]) {
                                        let moved = walker.step(index, x)
                                        if moved == index { break }
                                        index = moved
                                    }
                                    sum += walker.values[Int(index)]
                                }
                            }
                        }
                        output[r] = sum
                    }
                }}
            }
        }}}}}}}}}}}}}}}}}}}
    }

    /// Raw scores of every row of `features`.
    public func rawPredictions(for features: Tensor, parallel: Bool = true) throws -> [Double] {
        if features.rows > 0 && features.columns != featureCount {
            throw BoostingError.featureCountMismatch(expected: featureCount, got: features.columns)
        }
        var out = [Double](repeating: 0, count: features.rows)
        features.scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                if let xb = x.baseAddress, let ob = o.baseAddress {
                    predictRaw(rows: xb, count: features.rows, output: ob, parallel: parallel)
                }
            }
        }
        return out
    }

    /// Predictions on the label scale (probabilities for the binary objective).
    public func predictions(for features: Tensor, parallel: Bool = true) throws -> [Double] {
        try rawPredictions(for: features, parallel: parallel).map(objective.transform)
    }

    /// Raw pointers into a validated layout.
    struct Kernel {
        let nodes: UnsafePointer<Node>
        let values: UnsafePointer<Double>
        let bitsets: UnsafePointer<UInt32>?
        let width: Int

        /// The node after `index` for the row at `x`, for a numeric node: `+ 0` (left) when the value is at most the
        /// threshold or is NaN at a node that sends NaN left, else `+ 1`. Computed with flags, not branches, and as
        /// `DecisionTree.goesLeft` does (`<=`, so a NaN threshold sends every number right).
        @inline(__always)
        func numericStep(_ index: Int32, _ x: UnsafePointer<Float>) -> Int32 {
            let node = nodes[Int(index)]
            let v = x[Int(node.packedFeature & ForestScorer.featureMask)]
            let atMost: Int32 = v <= node.threshold ? 1 : 0
            let missing: Int32 = v.isNaN ? 1 : 0
            let nanLeft = Int32(truncatingIfNeeded: node.packedFeature >> ForestScorer.nanLeftShift) & 1
            return node.firstChild &+ ((atMost | (missing & nanLeft)) ^ 1)
        }

        /// The node after `index` for any node: categorical nodes send the row left when its value is an integer
        /// code in the node's left set (NaN, negatives, fractions and unknown codes go right, as `DecisionTree`).
        @inline(__always)
        func step(_ index: Int32, _ x: UnsafePointer<Float>) -> Int32 {
            let node = nodes[Int(index)]
            guard node.packedFeature & ForestScorer.categoricalBit != 0 else { return numericStep(index, x) }
            let v = x[Int(node.packedFeature & ForestScorer.featureMask)]
            var left = false
            if v >= 0, v < Float(Int32.max), v == v.rounded(.towardZero), let bitsets {
                let code = Int(v), set = bitsets + Int(node.bitsetStart)
                left = (code >> 5) < Int(set[0]) && set[1 + (code >> 5)] & (1 << UInt32(code & 31)) != 0
            }
            return node.firstChild &+ (left ? 0 : 1)
        }

        /// Writes to `leaf` the leaf node each of `count` rows reaches in the tree at `root`.
        @inline(__always)
        func leaves(of root: Int32, steps: Int, traversal: Traversal, categorical: Bool, rows x: UnsafePointer<Float>,
                    count: Int, into leaf: UnsafeMutablePointer<Int32>) {
            switch traversal {
            case .lockstep:
                leaf.update(repeating: root, count: count)
                if categorical {
                    for _ in 0..<steps { for r in 0..<count { leaf[r] = step(leaf[r], x + r * width) } }
                } else {
                    for _ in 0..<steps { for r in 0..<count { leaf[r] = numericStep(leaf[r], x + r * width) } }
                }
            case .walk:
                for r in 0..<count {
                    var index = root
                    for _ in 0..<steps {
                        let next = step(index, x + r * width)
                        if next == index { break }
                        index = next
                    }
                    leaf[r] = index
                }
            }
        }
    }
}
