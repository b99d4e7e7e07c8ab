/// All trees of a model in a flat, sibling-adjacent layout scored a block of rows at a time without branching
/// on the data (the branch-free traversal of lleaves and "predication" of Asadi et al., without code generation).
///
/// Layout: each tree's nodes are numbered breadth-first so that the two children of a node are neighbours: a
/// row at node `n` moves to `firstChild + 0` (left) or `+ 1` (right), an add instead of a branch. Leaves are
/// nodes too, whose "children" are the leaf itself (threshold +∞, NaN left), so after the tree's depth in steps
/// every row sits on its leaf whatever path it took. The kernel (`ForestScorer+Kernel.swift`) moves a block of
/// rows one level at a time: the rows' steps are independent, so the processor overlaps them instead of waiting
/// on one row's mispredicted branches.
///
/// Predictions are bit-identical to `CompactTreePredictor` and `DecisionTree.value(row:)`: the same leaf for
/// every row (the same comparisons: `<=` on floats, NaN the learned way, categories by bitset), and the same
/// sum, `initialScore` then each tree's leaf value in tree order.
///
/// Every index the kernel reads without a bounds check is validated once here (`init` throws on a corrupt
/// model, and `checkLayout` re-proves the built layout), so scoring itself needs no checks.
public struct ForestScorer: Sendable {
    public let featureCount: Int
    public let objective: BoostingObjective
    public let initialScore: Double

    /// One node in 16 bytes. `packedFeature`: the feature index in the low 29 bits, bit 29 = categorical,
    /// bit 30 = NaN goes left (numeric nodes). `bitsetStart` (categorical nodes only) indexes `bitsets`: the word count,
    /// then the words of the left-category set.
    struct Node {
        var threshold: Float
        var packedFeature: UInt32
        var firstChild: Int32
        var bitsetStart: Int32
    }

    static let nanLeftShift: UInt32 = 30
    /// A leaf: +∞ threshold and NaN left, so every value stays (the step adds 0).
    static let leafNode = Node(threshold: .infinity, packedFeature: 1 << nanLeftShift, firstChild: 0, bitsetStart: 0)
    static let categoricalBit: UInt32 = 1 << 29
    static let featureMask: UInt32 = (1 << 29) - 1
    /// The largest left-category bitset allowed, in 32-bit words over the whole model (16 MB): a hostile model
    /// cannot make the scorer allocate without bound.
    static let maxBitsetWords = 1 << 22

    /// How a tree is walked. Both visit the same nodes; they differ only in speed.
    enum Traversal: UInt8 {
        /// Every row of a block takes exactly `steps` steps, level by level (leaves loop onto themselves).
        case lockstep
        /// Each row walks until it reaches a leaf: for lopsided trees whose depth is far above the typical path.
        case walk
    }

    /// Nodes of all trees, indices global.
    let nodes: [Node]
    /// Per node: the leaf value (0 for internal nodes).
    let values: [Double]
    let bitsets: [UInt32]
    /// Per tree: its root, its depth (the steps every row takes), whether it has categorical nodes, and how it
    /// is walked.
    let roots: [Int32]
    let steps: [Int32]
    let hasCategorical: [Bool]
    let traversal: [Traversal]
    /// QuickScorer tables of the trees it can take (`ForestScorer+QuickScorer.swift`), and per model tree its
    /// index there (-1: the tree is walked).
    let quick: QuickScorerTables
    let quickIndex: [Int32]

    /// Flattens `model`; throws `BoostingError.corruptModel` if a tree is inconsistent (bad child or feature
    /// index, category code out of range), so the kernel can index without checks.
    public init(model: GradientBoostedModel) throws {
        featureCount = model.featureCount
        objective = model.objective
        initialScore = model.initialScore
        var builder = Builder()
        for (t, tree) in model.trees.enumerated() {
            do {
                try tree.validate(featureCount: model.featureCount)
                try builder.append(tree)
            } catch let BoostingError.corruptModel(reason) {
                throw BoostingError.corruptModel("tree \(t): \(reason)")
            }
        }
        nodes = builder.nodes
        values = builder.values
        bitsets = builder.bitsets
        roots = builder.roots
        steps = builder.steps
        hasCategorical = builder.hasCategorical
        traversal = builder.traversal
        quick = QuickScorerTables(trees: model.trees, featureCount: model.featureCount)
        var quickIndex = [Int32](repeating: -1, count: model.trees.count)
        for (q, t) in quick.modelTree.enumerated() { quickIndex[Int(t)] = Int32(q) }
        self.quickIndex = quickIndex
        try checkLayout()
    }

    /// Proves every index the kernel follows stays in bounds: children inside the node array, features below
    /// `featureCount`, bitsets inside `bitsets`, and each tree's steps enough to reach a leaf from its root.
    func checkLayout() throws {
        func fail(_ what: String) -> BoostingError { .corruptModel("flattened layout: \(what)") }
        guard values.count == nodes.count, [steps.count, hasCategorical.count, traversal.count].allSatisfy({ $0 == roots.count }),
              nodes.count < Int(Int32.max) else { throw fail("array lengths disagree") }
        for (i, node) in nodes.enumerated() {
            let first = Int(node.firstChild)
            let isLeaf = first == i
            guard isLeaf || (first > i && first + 1 < nodes.count) else { throw fail("node \(i) has child \(first)") }
            guard Int(node.packedFeature & Self.featureMask) < max(featureCount, 1) else {
                throw fail("node \(i) reads feature \(node.packedFeature & Self.featureMask) of \(featureCount)")
            }
            if isLeaf {
                guard node.threshold == .infinity, node.packedFeature == Self.leafNode.packedFeature else {
                    throw fail("leaf \(i) can move")
                }
            }
            if node.packedFeature & Self.categoricalBit != 0 {
                let start = Int(node.bitsetStart)
                guard start >= 0, start < bitsets.count, Int(bitsets[start]) <= bitsets.count - start - 1 else {
                    throw fail("node \(i) has bitset at \(start)")
                }
            }
        }
        if let problem = quick.check(featureCount: featureCount) { throw fail(problem) }
        guard quickIndex.count == roots.count,
              quick.modelTree.enumerated().allSatisfy({ q, t in t >= 0 && Int(t) < roots.count && quickIndex[Int(t)] == q })
        else { throw fail("quick tree indices") }
        // A step never leaves the array (children are checked above) and only moves to higher indices until a leaf,
        // which loops onto itself; a tree with no steps must start on its leaf, and splits need features to read.
        for t in roots.indices {
            let root = Int(roots[t])
            guard root >= 0, root < nodes.count, steps[t] >= 0 else { throw fail("tree \(t) has root \(root)") }
            if steps[t] == 0 {
                guard Int(nodes[root].firstChild) == root else { throw fail("tree \(t) has no steps") }
            } else if featureCount == 0 {
                throw fail("tree \(t) splits a model without features")
            }
        }
    }
}

extension ForestScorer {
    /// Lays out trees one after another.
    struct Builder {
        var nodes: [Node] = []
        var values: [Double] = []
        var bitsets: [UInt32] = []
        var roots: [Int32] = []
        var steps: [Int32] = []
        var hasCategorical: [Bool] = []
        var traversal: [Traversal] = []

        /// Appends a validated tree: breadth-first, each node's children in two neighbouring slots.
        mutating func append(_ tree: DecisionTree) throws {
            let base = nodes.count
            let slotCount = 2 * tree.internalNodeCount + 1
            guard base + slotCount < Int(Int32.max) else { throw BoostingError.corruptModel("too many nodes") }
            roots.append(Int32(base))
            nodes.append(contentsOf: repeatElement(ForestScorer.leafNode, count: slotCount))
            values.append(contentsOf: repeatElement(0, count: slotCount))
            // Breadth-first: (tree node in DecisionTree encoding, its slot, its depth).
            var queue: [(node: Int32, slot: Int, depth: Int)] = [(tree.internalNodeCount == 0 ? ~0 : 0, base, 0)]
            var head = 0, nextFree = base + 1
            var depth = 0, leafDepthSum = 0.0, leafWeight = 0.0, categorical = false
            while head < queue.count {
                let (node, slot, level) = queue[head]
                head += 1
                if node < 0 {
                    let leaf = Int(~node)
                    nodes[slot].firstChild = Int32(slot)
                    values[slot] = tree.leafValue[leaf]
                    depth = max(depth, level)
                    let weight = Double(max(tree.leafCount[leaf], 1))
                    leafDepthSum += weight * Double(level)
                    leafWeight += weight
                    continue
                }
                let n = Int(node)
                var packed = UInt32(tree.splitFeature[n])
                if tree.missingGoesLeft[n] { packed |= 1 << ForestScorer.nanLeftShift }
                var bitsetStart: Int32 = 0
                if tree.isCategorical[n] {
                    categorical = true
                    // A categorical node sends NaN right (as `DecisionTree.goesLeft`), whatever `missingGoesLeft` says.
                    packed = UInt32(tree.splitFeature[n]) | ForestScorer.categoricalBit
                    bitsetStart = try appendBitset(tree.leftCategories[n])
                }
                nodes[slot] = Node(threshold: tree.threshold[n], packedFeature: packed, firstChild: Int32(nextFree),
                                   bitsetStart: bitsetStart)
                queue.append((tree.leftChild[n], nextFree, level + 1))
                queue.append((tree.rightChild[n], nextFree + 1, level + 1))
                nextFree += 2
            }
            steps.append(Int32(depth))
            hasCategorical.append(categorical)
            // Lockstep costs `depth` steps per row, a walk the row's own path plus a mispredicted branch or so per
            // level; lockstep wins unless the deepest leaf is far below where rows typically land.
            let typical = leafWeight > 0 ? leafDepthSum / leafWeight : Double(depth)
            traversal.append(Double(depth) > 3 * typical + 4 ? .walk : .lockstep)
        }

        /// The word count then the words of the set's bitset; returns where it starts.
        mutating func appendBitset(_ categories: [Int32]) throws -> Int32 {
            var words = 0
            for c in categories {
                guard c >= 0 else { throw BoostingError.corruptModel("negative category code \(c)") }
                words = max(words, Int(c) / 32 + 1)
            }
            guard bitsets.count + words + 1 <= ForestScorer.maxBitsetWords else {
                throw BoostingError.corruptModel("category codes up to \(categories.max() ?? 0) need more than "
                                                 + "\(ForestScorer.maxBitsetWords) bitset words")
            }
            let start = bitsets.count
            bitsets.append(UInt32(words))
            bitsets.append(contentsOf: repeatElement(0, count: words))
            for c in categories { bitsets[start + 1 + Int(c) / 32] |= 1 << UInt32(Int(c) % 32) }
            return Int32(start)
        }
    }
}

extension GradientBoostedModel {
    /// The flattened branch-free scorer for batch scoring (throws if a tree is corrupt).
    public func forestScorer() throws -> ForestScorer { try ForestScorer(model: self) }
}
