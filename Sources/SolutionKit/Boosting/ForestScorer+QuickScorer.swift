/// QuickScorer (Lucchese et al., SIGIR 2015) for the numeric trees of a `ForestScorer`: instead of walking each
/// tree, a row visits, feature by feature in ascending threshold order, only the nodes its value sends right
/// ("false" nodes), and clears in its tree's 64-bit leaf vector the leaves of that node's left subtree. The leaf
/// the row reaches is then the lowest set bit. The scan of one feature stops at the first threshold the value does
/// not exceed, so a row costs one data-dependent branch per feature instead of one per node.
///
/// Equivalent to the walk: a numeric node sends `x` right iff `!(x <= t)`, i.e. `x > t` for a number and a
/// non-NaN threshold; NaN exceeds no threshold, so NaN rows instead clear the masks of the feature's nodes that send
/// NaN right. A leaf survives iff no node on its path sends the row the other way, and the leftmost survivor is the
/// leaf of the walk (the classic argument of the paper). Categorical nodes are tabulated per category code: code c
/// (an integer below the feature's largest listed code + 1) clears the masks of the feature's categorical nodes whose
/// left set lacks c; any other value (NaN, negative, fractional, larger) goes right at all of them. Trees with NaN
/// thresholds or more than 64 leaves are walked instead.
struct QuickScorerTables: Sendable {
    /// Per feature `f`, nodes `start[f]..<start[f + 1]` by ascending threshold.
    var start: [Int32] = []
    var threshold: [Float] = []
    var tree: [Int32] = []
    var mask: [UInt64] = []
    /// Per feature `f`, nodes `nanStart[f]..<nanStart[f + 1]` that send NaN right.
    var nanStart: [Int32] = []
    var nanTree: [Int32] = []
    var nanMask: [UInt64] = []
    /// Per feature `f`: its categorical lists are `catList[catBase[f] ..< catBase[f + 1]]` (one per code, then
    /// one for every other value), list `k` holding nodes `catList[k]..<catList[k + 1]` of `catTree`/`catMask`.
    var catBase: [Int32] = []
    var catList: [Int32] = []
    var catTree: [Int32] = []
    var catMask: [UInt64] = []
    /// Per quick tree: its leaves' values left to right from `leafStart[t]`, and its leaf count.
    var leafStart: [Int32] = []
    var leafCount: [Int32] = []
    var leafValue: [Double] = []
    /// The model's tree index of each quick tree, ascending.
    var modelTree: [Int32] = []

    var treeCount: Int { modelTree.count }

    /// The largest number of categorical entries (codes × nodes) tabulated; beyond it categorical trees are walked.
    static let maxCategoricalEntries = 1 << 22

    static func accepts(_ tree: DecisionTree, categorical: Bool) -> Bool {
        guard tree.internalNodeCount > 0, tree.leafCountTotal <= 64 else { return false }
        for n in 0..<tree.internalNodeCount {
            if tree.isCategorical[n] ? !categorical : tree.threshold[n].isNaN { return false }
        }
        return true
    }

    /// Tables for the accepted trees of a validated model.
    init(trees: [DecisionTree], featureCount: Int) {
        // Codes per categorical feature and nodes: categorical trees join only if the lists stay small.
        var codes = [Int](repeating: 0, count: featureCount), catNodes = [Int](repeating: 0, count: featureCount)
        for tree in trees where Self.accepts(tree, categorical: true) {
            for n in 0..<tree.internalNodeCount where tree.isCategorical[n] {
                let f = Int(tree.splitFeature[n])
                codes[f] = max(codes[f], Int(tree.leftCategories[n].max() ?? -1) + 1)
                catNodes[f] += 1
            }
        }
        let entries = zip(codes, catNodes).reduce(0) { total, f in total + (f.0 + 1) * f.1 }
        let categorical = entries <= Self.maxCategoricalEntries
        if !categorical { codes = [Int](repeating: 0, count: featureCount) }
        var nodes = [[(threshold: Float, tree: Int32, mask: UInt64)]](repeating: [], count: featureCount)
        var nanNodes = [[(tree: Int32, mask: UInt64)]](repeating: [], count: featureCount)
        // Per feature, per code (then "other"): the categorical nodes that send it right.
        var catNodeLists = (0..<featureCount).map { [[(tree: Int32, mask: UInt64)]](repeating: [], count: codes[$0] + 1) }
        for (t, tree) in trees.enumerated() where Self.accepts(tree, categorical: categorical) {
            let q = Int32(modelTree.count)
            modelTree.append(Int32(t))
            leafStart.append(Int32(leafValue.count))
            leafCount.append(Int32(tree.leafCountTotal))
            // In-order leaf positions; each node's left subtree covers positions lo..<mid.
            var position = 0
            func visit(_ node: Int32) -> (lo: Int, hi: Int) {
                if node < 0 {
                    leafValue.append(tree.leafValue[Int(~node)])
                    position += 1
                    return (position - 1, position)
                }
                let n = Int(node)
                let left = visit(tree.leftChild[n])
                let right = visit(tree.rightChild[n])
                let width = left.hi - left.lo
                let cleared = (width == 64 ? ~UInt64(0) : (UInt64(1) << UInt64(width)) - 1) << UInt64(left.lo)
                let f = Int(tree.splitFeature[n])
                if tree.isCategorical[n] {
                    let left = Set(tree.leftCategories[n])
                    for code in 0...codes[f] where code == codes[f] || !left.contains(Int32(code)) {
                        catNodeLists[f][code].append((q, ~cleared))
                    }
                } else {
                    nodes[f].append((tree.threshold[n], q, ~cleared))
                    if !tree.missingGoesLeft[n] { nanNodes[f].append((q, ~cleared)) }
                }
                return (left.lo, right.hi)
            }
            _ = visit(0)
        }
        for f in 0..<featureCount {
            start.append(Int32(threshold.count))
            for node in nodes[f].sorted(by: { $0.threshold < $1.threshold }) {
                threshold.append(node.threshold); tree.append(node.tree); mask.append(node.mask)
            }
            nanStart.append(Int32(nanTree.count))
            for node in nanNodes[f] { nanTree.append(node.tree); nanMask.append(node.mask) }
            catBase.append(Int32(catList.count))
            if catNodes[f] > 0 && categorical {
                for list in catNodeLists[f] {
                    catList.append(Int32(catTree.count))
                    for node in list { catTree.append(node.tree); catMask.append(node.mask) }
                }
            }
        }
        start.append(Int32(threshold.count))
        nanStart.append(Int32(nanTree.count))
        catBase.append(Int32(catList.count))
        catList.append(Int32(catTree.count))
        // One unread entry closes each node array, so none is empty and every base address exists.
        threshold.append(.infinity); tree.append(0); mask.append(~0)
        nanTree.append(0); nanMask.append(~0)
        catTree.append(0); catMask.append(~0)
    }

    /// Proves the scan stays in bounds: ranges inside the node arrays, tree indices inside `treeCount`, and no
    /// mask clears a tree's last leaf, so the lowest set bit is always one of the tree's own leaves.
    func check(featureCount: Int) -> String? {
        guard start.count == featureCount + 1, nanStart.count == featureCount + 1,
              start.first == 0, Int(start.last!) == threshold.count - 1, nanStart.first == 0,
              Int(nanStart.last!) == nanTree.count - 1,
              zip(start, start.dropFirst()).allSatisfy({ $0 <= $1 }), zip(nanStart, nanStart.dropFirst()).allSatisfy({ $0 <= $1 }),
              tree.count == threshold.count, mask.count == threshold.count, nanMask.count == nanTree.count,
              leafStart.count == treeCount, leafCount.count == treeCount,
              catBase.count == featureCount + 1, catBase.first == 0, Int(catBase.last!) == catList.count - 1,
              zip(catBase, catBase.dropFirst()).allSatisfy({ $0 <= $1 }),
              catList.first == 0, Int(catList.last!) == catTree.count - 1,
              zip(catList, catList.dropFirst()).allSatisfy({ $0 <= $1 }),
              catMask.count == catTree.count else { return "quick tables disagree in length" }
        for q in 0..<treeCount {
            guard leafCount[q] >= 1, leafCount[q] <= 64, leafStart[q] >= 0,
                  Int(leafStart[q]) + Int(leafCount[q]) <= leafValue.count else { return "quick tree \(q) leaves" }
        }
        for (t, m) in zip(tree.dropLast() + nanTree.dropLast() + catTree.dropLast(),
                          mask.dropLast() + nanMask.dropLast() + catMask.dropLast()) {
            guard t >= 0, Int(t) < treeCount, m & (1 << UInt64(leafCount[Int(t)] - 1)) != 0 else {
                return "quick node of tree \(t) clears its last leaf"
            }
        }
        return nil
    }

    /// Raw pointers into checked tables.
    struct Kernel {
        let start: UnsafePointer<Int32>, threshold: UnsafePointer<Float>, tree: UnsafePointer<Int32>
        let mask: UnsafePointer<UInt64>
        let nanStart: UnsafePointer<Int32>, nanTree: UnsafePointer<Int32>, nanMask: UnsafePointer<UInt64>
        let catBase: UnsafePointer<Int32>, catList: UnsafePointer<Int32>, catTree: UnsafePointer<Int32>
        let catMask: UnsafePointer<UInt64>
        let leafStart: UnsafePointer<Int32>, leafValue: UnsafePointer<Double>
        let featureCount: Int, treeCount: Int

        /// Leaves one row reaches, as the value pointer of each quick tree's leaf, into `leaf`.
        @inline(__always)
        func leaves(row x: UnsafePointer<Float>, vectors v: UnsafeMutablePointer<UInt64>,
                    into leaf: UnsafeMutablePointer<Double>) {
            v.update(repeating: ~0, count: treeCount)
            for f in 0..<featureCount {
                let value = x[f]
                if value.isNaN {
                    for i in Int(nanStart[f])..<Int(nanStart[f &+ 1]) { v[Int(nanTree[i])] &= nanMask[i] }
                } else {
                    var i = Int(start[f])
                    let end = Int(start[f &+ 1])
                    while i < end && value > threshold[i] {
                        v[Int(tree[i])] &= mask[i]
                        i &+= 1
                    }
                }
                let lists = Int(catBase[f]), codes = Int(catBase[f &+ 1]) &- lists
                if codes > 0 {
                    // Lists 0..<codes-1 are codes; the last is every other value.
                    var list = codes &- 1
                    if value >= 0 && value < Float(codes &- 1) && value == value.rounded(.towardZero) { list = Int(value) }
                    for i in Int(catList[lists &+ list])..<Int(catList[lists &+ list &+ 1]) {
                        v[Int(catTree[i])] &= catMask[i]
                    }
                }
            }
            for q in 0..<treeCount {
                leaf[q] = leafValue[Int(leafStart[q]) &+ v[q].trailingZeroBitCount]
            }
        }
    }
}
