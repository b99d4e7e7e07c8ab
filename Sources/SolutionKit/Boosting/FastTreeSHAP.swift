import Foundation

/// TreeSHAP contributions with per-leaf tables (the idea of Fast TreeSHAP v2, Yang 2021), for scoring many rows.
///
/// Path-dependent TreeSHAP gives each leaf's value to the features on its path according to two numbers per unique
/// path feature: its zero fraction z (the product of the cover ratios of the branches taken) and its one fraction o
/// (1 when the row satisfies every condition on that feature along the path, else 0). Since o is 0 or 1, a leaf's
/// contributions depend on the row only through the bit mask of its path features' o's, so they are tabulated
/// once per leaf for all 2^d masks. Explaining a row then costs one pass over the tree's nodes (which way the row
/// goes at each) and, per leaf, a mask lookup and d additions, instead of the O(L·D²) walk of the recursive
/// algorithm. Leaves deeper than `maxTabulatedDepth` unique features are computed per row. The result equals
/// `GradientBoostedModel.contributions(for:)` (a test checks it); use it when explaining every scored row.
public struct FastTreeSHAP: Sendable {
    struct Leaf: Sendable {
        var value: Double
        /// Unique features on the path, their zero fractions, and for each the path nodes (node, goes left).
        var features: [Int32]
        var zeros: [Double]
        var conditions: [[(node: Int32, left: Bool)]]
        /// Offset of the 2^d × d table in `tables`, or -1 when computed per row.
        var tableOffset: Int
    }

    struct Tree: Sendable {
        var tree: DecisionTree
        var leaves: [Leaf]
    }

    static let maxTabulatedDepth = 10

    let featureCount: Int
    let expectedValue: Double
    let trees: [Tree]
    let tables: [Double]
    let flat: Flat

    public init(model: GradientBoostedModel) {
        featureCount = model.featureCount
        expectedValue = model.expectedValue
        var tables: [Double] = []
        var trees: [Tree] = []
        for tree in model.trees where tree.internalNodeCount > 0 {
            var leaves: [Leaf] = []
            func walk(_ node: Int32, _ path: [(node: Int32, left: Bool, ratio: Double)]) {
                if node < 0 {
                    var features: [Int32] = [], zeros: [Double] = [], conditions: [[(node: Int32, left: Bool)]] = []
                    for step in path {
                        let f = tree.splitFeature[Int(step.node)]
                        if let i = features.firstIndex(of: f) {
                            zeros[i] *= step.ratio
                            conditions[i].append((step.node, step.left))
                        } else {
                            features.append(f); zeros.append(step.ratio); conditions.append([(step.node, step.left)])
                        }
                    }
                    var leaf = Leaf(value: tree.leafValue[Int(~node)], features: features, zeros: zeros,
                                    conditions: conditions, tableOffset: -1)
                    if features.count <= Self.maxTabulatedDepth {
                        leaf.tableOffset = tables.count
                        let d = features.count
                        var row = [Double](repeating: 0, count: d)
                        for mask in 0..<(1 << d) {
                            Self.leafContributions(leaf, mask: mask, into: &row)
                            tables.append(contentsOf: row)
                        }
                    }
                    leaves.append(leaf)
                    return
                }
                let n = Int(node)
                let cover = Double(tree.internalCount[n])
                func childCover(_ c: Int32) -> Double { Double(c >= 0 ? tree.internalCount[Int(c)] : tree.leafCount[Int(~c)]) }
                let left = tree.leftChild[n], right = tree.rightChild[n]
                walk(left, path + [(node, true, cover > 0 ? childCover(left) / cover : 0)])
                walk(right, path + [(node, false, cover > 0 ? childCover(right) / cover : 0)])
            }
            walk(0, [])
            trees.append(Tree(tree: tree, leaves: leaves))
        }
        self.trees = trees
        self.tables = tables
        flat = Self.flatten(trees, tables: tables)
    }

    /// The contributions of one leaf to its path features for the one-fraction bit mask (bit i: feature i holds).
    static func leafContributions(_ leaf: Leaf, mask: Int, into out: inout [Double]) {
        let d = leaf.features.count
        // EXTEND over the unique features (Lundberg et al. 2018, Algorithm 2), then UNWIND each one.
        var z = [Double](repeating: 1, count: d + 1), o = [Double](repeating: 1, count: d + 1)
        var w = [Double](repeating: 0, count: d + 1)
        w[0] = 1
        for i in 0..<d {
            let depth = i + 1
            z[depth] = leaf.zeros[i]
            o[depth] = (mask >> i) & 1 == 1 ? 1 : 0
            w[depth] = 0
            var k = depth - 1
            while k >= 0 {
                w[k + 1] += o[depth] * w[k] * Double(k + 1) / Double(depth + 1)
                w[k] = z[depth] * w[k] * Double(depth - k) / Double(depth + 1)
                k -= 1
            }
        }
        for i in 1...max(d, 1) where i <= d {
            let one = o[i], zero = z[i]
            var next = w[d], total = 0.0
            var k = d - 1
            while k >= 0 {
                if one != 0 {
                    let t = next * Double(d + 1) / (Double(k + 1) * one)
                    total += t
                    next = w[k] - t * zero * Double(d - k) / Double(d + 1)
                } else if zero != 0 {
                    total += (w[k] / zero) / (Double(d - k) / Double(d + 1))
                }
                k -= 1
            }
            out[i - 1] = total * (one - zero) * leaf.value
        }
    }

    /// Contributions (rows × (features + 1), the last column the expected value) of raw-feature rows.
    public func contributions(for features: Tensor) -> [Double] {
        let rows = features.rows, width = features.columns, columns = featureCount + 1
        precondition(width == featureCount, "FastTreeSHAP: \(width) features for a model of \(featureCount)")
        var values = [Double](repeating: 0, count: rows * columns)
        let flat = self.flat, expected = expectedValue, trees = self.trees
        flat.withPointers { p in
            features.scalars.withUnsafeBufferPointer { x in
                values.withUnsafeMutableBufferPointer { out in
                    let out = out
                    parallelFor(rows, minimumChunkSize: 256) { _, range in
                        var goesLeft = [Bool](repeating: false, count: max(flat.maxNodes, 1))
                        var scratch = [Double](repeating: 0, count: 64)
                        goesLeft.withUnsafeMutableBufferPointer { goesLeft in
                            // Tree-major over blocks of rows: a tree's tables stay in cache while the block uses them.
                            var blockStart = range.lowerBound
                            while blockStart < range.upperBound {
                                let block = blockStart..<min(blockStart + 128, range.upperBound)
                                blockStart = block.upperBound
                                for t in 0..<flat.treeCount {
                                    let nodeStart = p.treeNodeStart[t], nodes = p.treeNodeStart[t + 1] - nodeStart
                                    for r in block {
                                        let row = x.baseAddress! + r * width
                                        let phi = out.baseAddress! + r * columns
                                        var bits: UInt64 = 0
                                        for n in 0..<nodes {
                                            let g = nodeStart + n
                                            let v = row[Int(p.nodeFeature[g])]
                                            let left: Bool
                                            if p.nodeCategorical[g] {
                                                left = trees[t].tree.goesLeft(node: n, value: v)
                                            } else if v.isNaN {
                                                left = p.nodeMissingLeft[g]
                                            } else {
                                                left = v <= p.nodeThreshold[g]
                                            }
                                            goesLeft[n] = left
                                            if left && n < 64 { bits |= 1 << UInt64(n) }
                                        }
                                        for leaf in p.treeLeafStart[t]..<p.treeLeafStart[t + 1] {
                                            let slotStart = p.leafSlotStart[leaf], d = p.leafSlotStart[leaf + 1] - slotStart
                                            var mask = 0
                                            if flat.usesBitSets {
                                                for i in 0..<d {
                                                    let slot = slotStart + i
                                                    let holds = (bits & p.slotLeftBits[slot]) == p.slotLeftBits[slot]
                                                        && (bits & p.slotRightBits[slot]) == 0
                                                    mask |= (holds ? 1 : 0) << i
                                                }
                                            } else {
                                                for i in 0..<d {
                                                    let slot = slotStart + i
                                                    var holds = true
                                                    for c in p.slotConditionStart[slot]..<p.slotConditionStart[slot + 1]
                                                        where goesLeft[Int(p.conditionNode[c])] != p.conditionLeft[c] {
                                                        holds = false
                                                        break
                                                    }
                                                    if holds { mask |= 1 << i }
                                                }
                                            }
                                            let offset = p.leafTableOffset[leaf]
                                            if offset >= 0 {
                                                let base = offset + mask * d
                                                for i in 0..<d { phi[Int(p.slotFeature[slotStart + i])] += p.tables[base + i] }
                                            } else {
                                                let entry = trees[t].leaves[leaf - p.treeLeafStart[t]]
                                                if scratch.count < d { scratch = [Double](repeating: 0, count: d) }
                                                Self.leafContributions(entry, mask: mask, into: &scratch)
                                                for i in 0..<d { phi[Int(p.slotFeature[slotStart + i])] += scratch[i] }
                                            }
                                        }
                                    }
                                }
                                for r in block { out[r * columns + featureCount] += expected }
                            }
                        }
                    }
                }
            }
        }
        return values
    }

    /// The trees and leaves as flat arrays, so the per-row loop touches no reference-counted value.
    struct Flat: Sendable {
        var treeCount = 0
        var maxNodes = 0
        var treeNodeStart: [Int] = [0], treeLeafStart: [Int] = [0]
        var nodeFeature: [Int32] = [], nodeThreshold: [Float] = [], nodeMissingLeft: [Bool] = [], nodeCategorical: [Bool] = []
        var leafSlotStart: [Int] = [0], leafTableOffset: [Int] = []
        var slotFeature: [Int32] = [], slotConditionStart: [Int] = [0]
        var conditionNode: [Int32] = [], conditionLeft: [Bool] = []
        /// Per slot, the tree's nodes the row must go left at and right at, as bit sets (trees of at most 64 nodes).
        var slotLeftBits: [UInt64] = [], slotRightBits: [UInt64] = []
        var usesBitSets = true
        var tables: [Double] = []

        struct Pointers {
            var treeNodeStart, treeLeafStart, leafSlotStart, leafTableOffset, slotConditionStart: UnsafeBufferPointer<Int>
            var nodeFeature, slotFeature, conditionNode: UnsafeBufferPointer<Int32>
            var nodeThreshold: UnsafeBufferPointer<Float>
            var nodeMissingLeft, nodeCategorical, conditionLeft: UnsafeBufferPointer<Bool>
            var tables: UnsafeBufferPointer<Double>
            var slotLeftBits, slotRightBits: UnsafeBufferPointer<UInt64>
        }

        func withPointers<R>(_ body: (Pointers) -> R) -> R {
            treeNodeStart.withUnsafeBufferPointer { a in treeLeafStart.withUnsafeBufferPointer { b in
            leafSlotStart.withUnsafeBufferPointer { c in leafTableOffset.withUnsafeBufferPointer { d in
            slotConditionStart.withUnsafeBufferPointer { e in nodeFeature.withUnsafeBufferPointer { f in
            slotFeature.withUnsafeBufferPointer { g in conditionNode.withUnsafeBufferPointer { h in
            nodeThreshold.withUnsafeBufferPointer { i in nodeMissingLeft.withUnsafeBufferPointer { j in
            nodeCategorical.withUnsafeBufferPointer { k in conditionLeft.withUnsafeBufferPointer { l in
            tables.withUnsafeBufferPointer { m in slotLeftBits.withUnsafeBufferPointer { n in
            slotRightBits.withUnsafeBufferPointer { o in
                body(Pointers(treeNodeStart: a, treeLeafStart: b, leafSlotStart: c, leafTableOffset: d, slotConditionStart: e,
                              nodeFeature: f, slotFeature: g, conditionNode: h, nodeThreshold: i, nodeMissingLeft: j,
                              nodeCategorical: k, conditionLeft: l, tables: m, slotLeftBits: n, slotRightBits: o))
            }}}}}}}}}}}}}}}
        }
    }

    static func flatten(_ trees: [Tree], tables: [Double]) -> Flat {
        var flat = Flat()
        flat.tables = tables
        for entry in trees {
            let tree = entry.tree
            flat.treeCount += 1
            flat.maxNodes = max(flat.maxNodes, tree.internalNodeCount)
            if tree.internalNodeCount > 64 { flat.usesBitSets = false }
            flat.nodeFeature += tree.splitFeature
            flat.nodeThreshold += tree.threshold
            flat.nodeMissingLeft += tree.missingGoesLeft
            flat.nodeCategorical += tree.isCategorical
            flat.treeNodeStart.append(flat.nodeFeature.count)
            for leaf in entry.leaves {
                flat.leafTableOffset.append(leaf.tableOffset)
                for (i, f) in leaf.features.enumerated() {
                    flat.slotFeature.append(f)
                    var leftBits: UInt64 = 0, rightBits: UInt64 = 0
                    for c in leaf.conditions[i] {
                        flat.conditionNode.append(c.node)
                        flat.conditionLeft.append(c.left)
                        if c.node < 64 { if c.left { leftBits |= 1 << UInt64(c.node) } else { rightBits |= 1 << UInt64(c.node) } }
                    }
                    flat.slotLeftBits.append(leftBits)
                    flat.slotRightBits.append(rightBits)
                    flat.slotConditionStart.append(flat.conditionNode.count)
                }
                flat.leafSlotStart.append(flat.slotFeature.count)
            }
            flat.treeLeafStart.append(flat.leafTableOffset.count)
        }
        return flat
    }
}
