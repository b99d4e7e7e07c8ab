import Foundation
import SolutionKit

private extension Bool {
    @inline(__always) var intValue: Int { self ? 1 : 0 }
}

/// Raw scores of a boosted model, computed tree by tree over blocks of rows, one tree level at a time.
///
/// A row-at-a-time walk (`CompactTreePredictor`) pays a mispredicted branch at almost every node and waits on each
/// load before the next. Here leaves are nodes that lead to themselves, so every row of a block takes exactly the
/// tree's depth in steps; each step is a conditional move, and the rows of a level are independent, so the CPU
/// overlaps their loads. Each row still adds the trees in order from the initial score, so the sums are bit-identical
/// to `CompactTreePredictor`'s (a test checks it). It only reads the public tree arrays; it lives in the plugin
/// because the Boosting folder belongs to another engineer, and would move there unchanged.
struct BlockTreePredictor: Sendable {
    let featureCount: Int
    let initialScore: Double
    private let feature: [Int32]
    private let threshold: [Float]
    /// Bit 0: missing goes left. Bit 1: categorical.
    private let flags: [UInt8]
    /// Children as global node indices; a leaf's children are itself.
    private let left: [Int32]
    private let right: [Int32]
    private let value: [Double]
    private let bitsetStart: [Int32]
    private let bitsetWords: [Int32]
    private let bitsets: [UInt32]
    private let roots: [Int32]
    private let depths: [Int32]

    init(model: GradientBoostedModel) {
        featureCount = model.featureCount
        initialScore = model.initialScore
        var feature: [Int32] = [], threshold: [Float] = [], flags: [UInt8] = [], left: [Int32] = [], right: [Int32] = []
        var value: [Double] = [], bitsetStart: [Int32] = [], bitsetWords: [Int32] = [], bitsets: [UInt32] = []
        var roots: [Int32] = [], depths: [Int32] = []
        for tree in model.trees {
            let base = Int32(feature.count)
            let internalCount = Int32(tree.internalNodeCount)
            // Internal nodes first, then leaves: leaf i is node base + internalCount + i.
            func global(_ child: Int32) -> Int32 { child >= 0 ? base + child : base + internalCount + ~child }
            for n in 0..<tree.internalNodeCount {
                feature.append(tree.splitFeature[n])
                threshold.append(tree.threshold[n])
                var flag: UInt8 = tree.missingGoesLeft[n] ? 1 : 0
                if tree.isCategorical[n] {
                    flag |= 2
                    let words = Int((tree.leftCategories[n].max() ?? 0) / 32) + 1
                    var set = [UInt32](repeating: 0, count: words)
                    for c in tree.leftCategories[n] where c >= 0 { set[Int(c) / 32] |= 1 << UInt32(Int(c) % 32) }
                    bitsetStart.append(Int32(bitsets.count))
                    bitsetWords.append(Int32(words))
                    bitsets.append(contentsOf: set)
                } else {
                    bitsetStart.append(0)
                    bitsetWords.append(0)
                }
                flags.append(flag)
                left.append(global(tree.leftChild[n]))
                right.append(global(tree.rightChild[n]))
                value.append(0)
            }
            for (i, leafValue) in tree.leafValue.enumerated() {
                let node = base + internalCount + Int32(i)
                feature.append(0)
                threshold.append(0)
                flags.append(0)
                bitsetStart.append(0)
                bitsetWords.append(0)
                left.append(node)
                right.append(node)
                value.append(leafValue)
            }
            roots.append(base)
            depths.append(Int32(Self.depth(tree)))
        }
        (self.feature, self.threshold, self.flags, self.left, self.right, self.value) = (feature, threshold, flags, left, right, value)
        (self.bitsetStart, self.bitsetWords, self.bitsets, self.roots, self.depths) = (bitsetStart, bitsetWords, bitsets, roots, depths)
    }

    @inline(__always)
    private func categoricalLeft(_ v: Float, _ n: Int, _ bitsetStart: UnsafeBufferPointer<Int32>,
                                 _ bitsetWords: UnsafeBufferPointer<Int32>, _ bitsets: UnsafeBufferPointer<UInt32>) -> UInt8 {
        guard v >= 0 && v < 4_294_967_040 && v == v.rounded(.towardZero) else { return 0 }
        let code = Int(v), word = code >> 5
        return word < Int(bitsetWords[n]) && bitsets[Int(bitsetStart[n]) + word] & (1 << UInt32(code & 31)) != 0 ? 1 : 0
    }

    static func depth(_ tree: DecisionTree) -> Int {
        guard tree.internalNodeCount > 0 else { return 0 }
        func walk(_ node: Int32) -> Int { node < 0 ? 0 : 1 + max(walk(tree.leftChild[Int(node)]), walk(tree.rightChild[Int(node)])) }
        return walk(0)
    }

    /// Raw scores (log-odds for the binary objective) of every row.
    func rawPredictions(for features: Tensor) throws -> [Double] {
        let rows = features.rows
        if rows > 0 && features.columns != featureCount {
            throw BoostingError.featureCountMismatch(expected: featureCount, got: features.columns)
        }
        var out = [Double](repeating: initialScore, count: rows)
        let width = featureCount
        feature.withUnsafeBufferPointer { feature in threshold.withUnsafeBufferPointer { threshold in
        flags.withUnsafeBufferPointer { flags in left.withUnsafeBufferPointer { left in right.withUnsafeBufferPointer { right in
        value.withUnsafeBufferPointer { value in bitsetStart.withUnsafeBufferPointer { bitsetStart in
        bitsetWords.withUnsafeBufferPointer { bitsetWords in bitsets.withUnsafeBufferPointer { bitsets in
        roots.withUnsafeBufferPointer { roots in depths.withUnsafeBufferPointer { depths in
        features.scalars.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { out in
            let out = out
            parallelFor(rows, minimumChunkSize: 1024) { _, range in
                let blockSize = 64
                var nodes = [Int32](repeating: 0, count: blockSize)
                nodes.withUnsafeMutableBufferPointer { nodes in
                    var start = range.lowerBound
                    while start < range.upperBound {
                        let count = min(blockSize, range.upperBound - start)
                        let block = x.baseAddress! + start * width
                        for t in 0..<roots.count {
                            let root = roots[t]
                            for r in 0..<count { nodes[r] = root }
                            for _ in 0..<Int(depths[t]) {
                                for r in 0..<count {
                                    let n = Int(nodes[r])
                                    let v = block[r &* width &+ Int(feature[n])]
                                    let flag = flags[n]
                                    // Branch-free: comparisons become set-on-condition, the choice a conditional move.
                                    var go = UInt8(truncatingIfNeeded: (v <= threshold[n]).intValue)
                                        | (flag & UInt8(truncatingIfNeeded: v.isNaN.intValue))
                                    if flag & 2 != 0 { go = categoricalLeft(v, n, bitsetStart, bitsetWords, bitsets) }
                                    nodes[r] = go != 0 ? left[n] : right[n]
                                }
                            }
                            for r in 0..<count { out[start + r] += value[Int(nodes[r])] }
                        }
                        start += count
                    }
                }
            }
        }}}}}}}}}}}}}
        return out
    }
}
