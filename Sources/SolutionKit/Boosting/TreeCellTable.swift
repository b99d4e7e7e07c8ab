/// One tree tabulated over its cells: the leaf value and the exact TreeSHAP contributions of every region of
/// input space the tree can tell apart.
///
/// For each feature f the tree splits on, its distinct thresholds T_f (m of them) cut the line into m + 1 intervals;
/// a row's interval ("digit") is the number of thresholds below its value, and a node on f goes left iff the digit
/// is at most the threshold's position. NaN follows each node's `missingGoesLeft`: when all of f's nodes send it
/// the same way it behaves like digit 0 (left) or m (right), otherwise it gets its own digit m + 1. The row's path,
/// leaf and path-dependent SHAP vector depend only on the digits, so they are computed once per cell (the
/// mixed-radix combination of digits) and a row costs one table index. Trees with categorical splits, NaN
/// thresholds or more than `maxCells` cells are not tabulated (callers fall back to the recursive algorithm).
struct TreeCellTable: Sendable {
    /// The features the tree splits on, ascending.
    var features: [Int32]
    /// Per feature (same order), indexed by the feature's global threshold rank (see `ThresholdRanks`):
    /// the row's digit times the feature's stride, so a cell index is a sum of lookups.
    var offsetOfRank: [[UInt16]]
    var cellCount: Int
    /// The leaf value of each cell.
    var values: [Double]
    /// Per cell, the leaf value then the contribution of each of `features` (features.count + 1 numbers);
    /// empty unless built for explaining.
    var entries: [Double]

    /// The largest table allowed: cell indices are 16-bit.
    static let cellLimit = 1 << 16

    init?(tree: DecisionTree, ranks: ThresholdRanks, maxCells: Int, explaining: Bool) {
        if tree.internalNodeCount == 0 {
            (features, offsetOfRank, cellCount) = ([], [], 1)
            values = [tree.leafValue[0]]
            entries = explaining ? [tree.leafValue[0]] : []
            return
        }
        let nodes = tree.internalNodeCount
        guard (0..<nodes).allSatisfy({ !tree.isCategorical[$0] && !tree.threshold[$0].isNaN }) else { return nil }
        let used = Array(Set(tree.splitFeature)).sorted()
        let k = used.count
        var slotOfFeature = [Int: Int]()
        for (i, f) in used.enumerated() { slotOfFeature[Int(f)] = i }

        // Digits per feature: local thresholds, and where NaN goes.
        var local = [[Float]](repeating: [], count: k)
        var sendsNaNLeft = [Bool](repeating: false, count: k), sendsNaNRight = [Bool](repeating: false, count: k)
        for n in 0..<nodes {
            let s = slotOfFeature[Int(tree.splitFeature[n])]!
            local[s].append(tree.threshold[n])
            if tree.missingGoesLeft[n] { sendsNaNLeft[s] = true } else { sendsNaNRight[s] = true }
        }
        for s in 0..<k { local[s] = Array(Set(local[s])).sorted() }
        let hasOwnNaNDigit = (0..<k).map { sendsNaNLeft[$0] && sendsNaNRight[$0] }
        let radix = (0..<k).map { local[$0].count + 1 + (hasOwnNaNDigit[$0] ? 1 : 0) }
        let nanDigit = (0..<k).map { hasOwnNaNDigit[$0] ? local[$0].count + 1 : (sendsNaNLeft[$0] ? 0 : local[$0].count) }
        var cells = 1
        for r in radix {
            let (product, overflow) = cells.multipliedReportingOverflow(by: r)
            guard !overflow, product <= min(maxCells, Self.cellLimit) else { return nil }
            cells = product
        }
        var stride = [Int](repeating: 1, count: k)
        for s in 1..<max(k, 1) where s < k { stride[s] = stride[s - 1] * radix[s - 1] }

        // Each node as (slot, threshold position); a digit goes left at node n iff `goesLeft(n, digit)`.
        let slot = (0..<nodes).map { slotOfFeature[Int(tree.splitFeature[$0])]! }
        let position = (0..<nodes).map { n in local[slot[n]].firstIndex(of: tree.threshold[n])! }
        func goesLeft(_ n: Int, _ digit: Int) -> Bool {
            let s = slot[n]
            if hasOwnNaNDigit[s] && digit == nanDigit[s] { return tree.missingGoesLeft[n] }
            return digit <= position[n]
        }

        // Global rank → digit × stride. Rank g counts the feature's global thresholds below x, so the digit is the
        // number of local thresholds among the first g global ones.
        var offsetOfRank: [[UInt16]] = []
        for s in 0..<k {
            let f = Int(used[s]), global = ranks.thresholds[f]
            var table = [UInt16](repeating: 0, count: global.count + 2)
            var digit = 0
            for g in 0...global.count {
                table[g] = UInt16(digit * stride[s])
                if g < global.count && digit < local[s].count && local[s][digit] == global[g] { digit += 1 }
            }
            table[global.count + 1] = UInt16(nanDigit[s] * stride[s])
            offsetOfRank.append(table)
        }

        // The leaf of every cell: walk the tree on the cell's digits.
        var values = [Double](repeating: 0, count: cells)
        var digits = [Int](repeating: 0, count: k)
        for cell in 0..<cells {
            var node: Int32 = 0
            while node >= 0 {
                let n = Int(node)
                node = goesLeft(n, digits[slot[n]]) ? tree.leftChild[n] : tree.rightChild[n]
            }
            values[cell] = tree.leafValue[Int(~node)]
            Self.advance(&digits, radix)
        }

        self.features = used
        self.offsetOfRank = offsetOfRank
        self.cellCount = cells
        self.values = values
        self.entries = explaining
            ? Self.contributions(tree: tree, k: k, radix: radix, slotOfFeature: slotOfFeature, values: values,
                                 goesLeft: goesLeft)
            : []
    }

    /// The next mixed-radix digit combination, digit 0 fastest (matching strides).
    @inline(__always)
    static func advance(_ digits: inout [Int], _ radix: [Int]) {
        var s = 0
        while s < digits.count {
            digits[s] += 1
            if digits[s] < radix[s] { return }
            digits[s] = 0
            s += 1
        }
    }

    /// Per cell: the leaf value, then each feature's SHAP value, summed over the leaves from their per-mask tables.
    private static func contributions(tree: DecisionTree, k: Int, radix: [Int], slotOfFeature: [Int: Int],
                                      values: [Double], goesLeft: (Int, Int) -> Bool) -> [Double] {
        let cells = values.count, width = k + 1
        struct Leaf {
            var slots: [Int]
            /// allowed[i][digit]: whether the digit satisfies every condition on path feature i.
            var allowed: [[Bool]]
            /// 2^d rows of k contributions (zero for features off the path).
            var table: [Double]
        }
        var leaves: [Leaf] = []
        for path in TreeSHAPLeafPath.paths(of: tree) {
            let d = path.features.count
            let slots = path.features.map { slotOfFeature[Int($0)]! }
            let allowed = (0..<d).map { i in
                (0..<radix[slots[i]]).map { digit in
                    path.conditions[i].allSatisfy { goesLeft(Int($0.node), digit) == $0.left }
                }
            }
            var table = [Double](repeating: 0, count: (1 << d) * k)
            var row = [Double](repeating: 0, count: d)
            for mask in 0..<(1 << d) {
                path.contributions(mask: mask, into: &row)
                for i in 0..<d { table[mask * k + slots[i]] = row[i] }
            }
            leaves.append(Leaf(slots: slots, allowed: allowed, table: table))
        }
        var entries = [Double](repeating: 0, count: cells * width)
        var digits = [Int](repeating: 0, count: k)
        entries.withUnsafeMutableBufferPointer { out in
            for cell in 0..<cells {
                let entry = out.baseAddress! + cell * width
                entry[0] = values[cell]
                for leaf in leaves {
                    var mask = 0
                    for i in 0..<leaf.slots.count where leaf.allowed[i][digits[leaf.slots[i]]] { mask |= 1 << i }
                    leaf.table.withUnsafeBufferPointer { t in
                        let row = t.baseAddress! + mask * k
                        for s in 0..<k { entry[1 + s] += row[s] }
                    }
                }
                advance(&digits, radix)
            }
        }
        return entries
    }
}
