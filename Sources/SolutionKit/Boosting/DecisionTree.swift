/// One regression tree of a boosted model, stored as parallel arrays (LightGBM's layout).
///
/// Internal node `i` sends a row left when its feature value is `<= threshold[i]` (numeric) or is one of
/// `leftCategories[i]` (categorical); NaN goes the learned way (`missingGoesLeft`) for numeric splits and
/// right for categorical ones, as do categories unseen in training. Child indices `>= 0` are internal nodes,
/// negative ones are leaves, encoded as `~leafIndex`. A tree with no internal node is a single leaf.
/// Leaf values already include the learning rate.
public struct DecisionTree: Codable, Sendable, Equatable {
    public var splitFeature: [Int32] = []
    public var threshold: [Float] = []
    public var missingGoesLeft: [Bool] = []
    public var isCategorical: [Bool] = []
    /// Sorted category codes sent left, empty for numeric splits.
    public var leftCategories: [[Int32]] = []
    public var leftChild: [Int32] = []
    public var rightChild: [Int32] = []
    /// The loss reduction of each split (for gain importance).
    public var splitGain: [Double] = []
    /// Training rows that reached each internal node (the cover used by TreeSHAP).
    public var internalCount: [Int] = []
    /// The value the node would have as a leaf (shrunk), for reporting.
    public var internalValue: [Double] = []
    public var leafValue: [Double] = []
    /// Training rows that reached each leaf.
    public var leafCount: [Int] = []

    public init() {}

    public var internalNodeCount: Int { splitFeature.count }
    public var leafCountTotal: Int { leafValue.count }

    /// Whether internal node `node` sends the value left.
    @inline(__always)
    public func goesLeft(node: Int, value: Float) -> Bool {
        if isCategorical[node] {
            guard !value.isNaN, value >= 0, value == value.rounded(.towardZero),
                  value < Float(Int32.max) else { return false }
            return leftCategories[node].contains(Int32(value))
        }
        if value.isNaN { return missingGoesLeft[node] }
        return value <= threshold[node]
    }

    /// The leaf reached by a row whose features start at `row`.
    @inline(__always)
    public func leafIndex(row: UnsafePointer<Float>) -> Int {
        if splitFeature.isEmpty { return 0 }
        var node = 0
        while node >= 0 {
            node = Int(goesLeft(node: node, value: row[Int(splitFeature[node])]) ? leftChild[node] : rightChild[node])
        }
        return ~node
    }

    /// The tree's output for one row.
    @inline(__always)
    public func value(row: UnsafePointer<Float>) -> Double { leafValue[leafIndex(row: row)] }

    /// Checks the structure (array lengths, child indices) of a tree read from outside.
    func validate(featureCount: Int) throws {
        let n = splitFeature.count
        guard leafValue.count == n + 1, leafCount.count == n + 1,
              [threshold.count, missingGoesLeft.count, isCategorical.count, leftCategories.count,
               leftChild.count, rightChild.count, splitGain.count, internalCount.count,
               internalValue.count].allSatisfy({ $0 == n }) else {
            throw BoostingError.corruptModel("tree arrays disagree in length (\(n) internal nodes, \(leafValue.count) leaves)")
        }
        var seen = [Bool](repeating: false, count: n)
        var seenLeaves = [Bool](repeating: false, count: n + 1)
        for node in 0..<n {
            guard splitFeature[node] >= 0, Int(splitFeature[node]) < featureCount else {
                throw BoostingError.corruptModel("node \(node) splits on feature \(splitFeature[node]) of \(featureCount)")
            }
            for child in [leftChild[node], rightChild[node]] {
                if child >= 0 {
                    guard Int(child) < n, Int(child) > node, !seen[Int(child)] else {
                        throw BoostingError.corruptModel("node \(node) has an invalid child \(child)")
                    }
                    seen[Int(child)] = true
                } else {
                    let leaf = Int(~child)
                    guard leaf <= n, !seenLeaves[leaf] else {
                        throw BoostingError.corruptModel("node \(node) points to an invalid leaf \(leaf)")
                    }
                    seenLeaves[leaf] = true
                }
            }
        }
        guard leafValue.allSatisfy({ $0.isFinite }) else {
            throw BoostingError.corruptModel("a leaf value is not finite")
        }
        try validateNodes()
    }

    /// The deepest tree a bundle may hold: TreeSHAP allocates a path of (depth + 2)(depth + 3) / 2 elements.
    static let maximumDepth = 1024
    /// The largest category code of a split: its left set becomes a bitset of code / 32 + 1 words.
    static let maximumCategoryCode: Int32 = 1 << 20
    /// Node covers are summed, so they stay far from overflowing.
    static let maximumCount = 1 << 48

    /// What scoring and TreeSHAP take from each node: finite numbers, category codes a bitset can hold, positive
    /// covers (a cover of 0 divides by zero in TreeSHAP), and a bounded depth. Children come after their parent
    /// (checked by `validate`), so depths are known in one pass.
    private func validateNodes() throws {
        let n = splitFeature.count
        var depth = [Int](repeating: 0, count: n)
        for node in 0..<n {
            guard internalCount[node] >= 1, internalCount[node] <= Self.maximumCount else {
                throw BoostingError.corruptModel("internalCount.\(node) is \(internalCount[node]); a node's cover must lie in 1...2^48")
            }
            guard splitGain[node].isFinite, internalValue[node].isFinite else {
                throw BoostingError.corruptModel("node \(node) has a non-finite gain or value")
            }
            if isCategorical[node] {
                var previous: Int32 = -1
                for code in leftCategories[node] {
                    guard code > previous, code < Self.maximumCategoryCode else {
                        throw BoostingError.corruptModel("leftCategories.\(node) holds \(code); codes must be increasing, in 0..<\(Self.maximumCategoryCode)")
                    }
                    previous = code
                }
            } else {
                guard !threshold[node].isNaN, leftCategories[node].isEmpty else {
                    throw BoostingError.corruptModel("numeric node \(node) has a NaN threshold or a category list")
                }
            }
            for child in [leftChild[node], rightChild[node]] where child >= 0 {
                depth[Int(child)] = depth[node] + 1
                guard depth[Int(child)] < Self.maximumDepth else {
                    throw BoostingError.corruptModel("node \(child) lies deeper than \(Self.maximumDepth) levels")
                }
            }
        }
        guard leafCount.allSatisfy({ $0 >= 0 && $0 <= Self.maximumCount }) else {
            throw BoostingError.corruptModel("a leafCount lies outside 0...2^48")
        }
    }
}
