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
    /// The layout behind the digits, kept for `writeContributions`: per feature its number of digits and its own
    /// NaN digit (-1 when NaN shares digit 0 or m); per node its feature's position in `features` and its
    /// threshold's position among that feature's thresholds.
    var radix: [Int] = []
    var ownNaNDigit: [Int] = []
    var nodeSlot: [Int] = []
    var nodePosition: [Int] = []

    /// Numbers per cell in the explanation table: the leaf value, then each feature's contribution. (Padding
    /// entries to whole cache lines measured no faster and takes a third more memory.)
    var entryWidth: Int { features.count + 1 }

    /// The largest table allowed: cell indices are 16-bit.
    static let cellLimit = 1 << 16

    init?(tree: DecisionTree, ranks: ThresholdRanks, maxCells: Int) {
        if tree.internalNodeCount == 0 {
            (features, offsetOfRank, cellCount) = ([], [], 1)
            values = [tree.leafValue[0]]
            return
        }
        let nodes = tree.internalNodeCount
        guard (0..<nodes).allSatisfy({ !tree.isCategorical[$0] && !tree.threshold[$0].isNaN }) else { return nil }
        // Features with the most thresholds first: digit 0 varies fastest when tables are filled.
        var thresholdCount = [Int32: Set<Float>]()
        for n in 0..<nodes { thresholdCount[tree.splitFeature[n], default: []].insert(tree.threshold[n]) }
        let used = thresholdCount.keys.sorted { (thresholdCount[$0]!.count, $1) > (thresholdCount[$1]!.count, $0) }
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

        // Each node as (slot, threshold position): a numeric digit goes left at node n iff it is at most the position.
        let slot = (0..<nodes).map { slotOfFeature[Int(tree.splitFeature[$0])]! }
        let position = (0..<nodes).map { n in local[slot[n]].firstIndex(of: tree.threshold[n])! }

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
        let ownNaN = (0..<k).map { hasOwnNaNDigit[$0] ? nanDigit[$0] : -1 }
        slot.withUnsafeBufferPointer { slot in position.withUnsafeBufferPointer { position in
        ownNaN.withUnsafeBufferPointer { ownNaN in tree.missingGoesLeft.withUnsafeBufferPointer { nanLeft in
        tree.leftChild.withUnsafeBufferPointer { left in tree.rightChild.withUnsafeBufferPointer { right in
        tree.leafValue.withUnsafeBufferPointer { leafValue in digits.withUnsafeMutableBufferPointer { digits in
        values.withUnsafeMutableBufferPointer { values in
            for cell in 0..<cells {
                var node: Int32 = 0
                while node >= 0 {
                    let n = Int(node), s = slot[n], digit = digits[s]
                    let goLeft = ownNaN[s] >= 0 && digit == ownNaN[s] ? nanLeft[n] : digit <= position[n]
                    node = goLeft ? left[n] : right[n]
                }
                values[cell] = leafValue[Int(~node)]
                _ = Self.advance(digits, radix: radix)
            }
        }}}}}}}}}

        self.features = used
        self.offsetOfRank = offsetOfRank
        self.cellCount = cells
        self.values = values
        self.radix = radix
        self.ownNaNDigit = ownNaN
        self.nodeSlot = slot
        self.nodePosition = position
    }

    /// Whether a cell whose digit for node `n`'s feature is `digit` goes left at `n`.
    @inline(__always)
    func goesLeft(_ tree: DecisionTree, _ n: Int, _ digit: Int) -> Bool {
        let own = ownNaNDigit[nodeSlot[n]]
        if own >= 0 && digit == own { return tree.missingGoesLeft[n] }
        return digit <= nodePosition[n]
    }

    /// Writes every cell's entry (leaf value, then each feature's SHAP value) to `entries` (`cellCount` ×
    /// `entryWidth` numbers): per cell, the sum over leaves of the leaf's contributions for the
    /// cell's mask.
    ///
    /// A leaf's mask bit for path feature j is set when the cell's digit satisfies every condition on it, so the
    /// mask is an OR over features of per-(feature, digit) bits; the ORs of the slower digits are kept per level
    /// and only redone when those digits change.
    func writeContributions(of tree: DecisionTree, into entries: UnsafeMutablePointer<Double>) {
        let k = features.count, width = entryWidth
        if k == 0 {
            entries[0] = values[0]
            entries[1] = 0
            return
        }
        var slotOfFeature = [Int32: Int]()
        for (s, f) in features.enumerated() { slotOfFeature[f] = s }
        let paths = TreeSHAPLeafPath.paths(of: tree)
        let leafCount = paths.count
        // Per leaf: 2^d rows of k contributions (zero off the path).
        var tableStart: [Int] = [], tables: [Double] = []
        // bits[digitStart[s] + digit * leafCount + leaf]: the leaf's mask bits that slot s's digit satisfies.
        var digitStart: [Int] = [], total = 0
        for s in 0..<k { digitStart.append(total); total += radix[s] * leafCount }
        var bits = [UInt32](repeating: 0, count: total)
        var row = [Double](repeating: 0, count: 16)
        for (l, path) in paths.enumerated() {
            let d = path.features.count
            tableStart.append(tables.count)
            var table = [Double](repeating: 0, count: (1 << d) * k)
            if row.count < d { row = [Double](repeating: 0, count: d) }
            let slots = path.features.map { slotOfFeature[$0]! }
            for mask in 0..<(1 << d) {
                path.contributions(mask: mask, into: &row)
                for j in 0..<d { table[mask * k + slots[j]] = row[j] }
            }
            tables += table
            for j in 0..<d {
                let s = slots[j]
                for digit in 0..<radix[s]
                where path.conditions[j].allSatisfy({ goesLeft(tree, Int($0.node), digit) == $0.left }) {
                    bits[digitStart[s] + digit * leafCount + l] |= 1 << UInt32(j)
                }
            }
        }
        // partial[level * leafCount + l]: OR of the bits of slots level..<k for the current digits.
        var partial = [UInt32](repeating: 0, count: (k + 1) * leafCount)
        let digits = UnsafeMutableBufferPointer<Int>.allocate(capacity: k)
        digits.initialize(repeating: 0)
        defer { digits.deallocate() }
        tables.withUnsafeBufferPointer { tables in
        tableStart.withUnsafeBufferPointer { tableStart in
        bits.withUnsafeBufferPointer { bits in
        partial.withUnsafeMutableBufferPointer { partial in
        values.withUnsafeBufferPointer { values in
            let tables = tables.baseAddress!, tableStart = tableStart.baseAddress!, bits = bits.baseAddress!
            let partial = partial.baseAddress!
            func refresh(from level: Int) {
                for s in stride(from: level, through: 1, by: -1) {
                    let above = partial + (s + 1) * leafCount, here = partial + s * leafCount
                    let own = bits + digitStart[s] + digits[s] * leafCount
                    for l in 0..<leafCount { here[l] = above[l] | own[l] }
                }
            }
            refresh(from: k - 1)
            // Leaves off the fastest digit's feature give the same contributions along a run of digit 0: they are
            // summed once per run, in leaf order, and the leaves on it are added per cell.
            var onFastest: [Int] = [], offFastest: [Int] = []
            for l in 0..<leafCount {
                if (0..<radix[0]).contains(where: { bits[$0 * leafCount + l] != 0 }) { onFastest.append(l) } else { offFastest.append(l) }
            }
            let runSum = UnsafeMutablePointer<Double>.allocate(capacity: k)
            defer { runSum.deallocate() }
            let inner = partial + leafCount
            for cell in 0..<cellCount {
                if digits[0] == 0 {
                    runSum.update(repeating: 0, count: k)
                    for l in offFastest {
                        let contribution = tables + tableStart[l] + Int(inner[l]) * k
                        for s in 0..<k { runSum[s] += contribution[s] }
                    }
                }
                let entry = entries + cell * width
                entry[0] = values[cell]
                for s in 0..<k { entry[1 + s] = runSum[s] }
                for s in (k + 1)..<max(width, k + 1) { entry[s] = 0 }
                let own = bits + digits[0] * leafCount
                for l in onFastest {
                    let mask = Int(inner[l] | own[l])
                    let contribution = tables + tableStart[l] + mask * k
                    for s in 0..<k { entry[1 + s] += contribution[s] }
                }
                // The ORs of the levels whose digits changed are redone.
                let s = Self.advance(digits, radix: radix)
                if s >= 1 && s < k { refresh(from: s) }
            }
        }}}}}
    }
}

extension TreeCellTable {
    /// Steps the cell counter to the next cell, digit 0 fastest. Returns the highest digit that changed
    /// (`digits.count` after the last cell).
    @inline(__always)
    static func advance(_ digits: UnsafeMutableBufferPointer<Int>, radix: [Int]) -> Int {
        var s = 0
        while s < digits.count {
            digits[s] += 1
            if digits[s] < radix[s] { return s }
            digits[s] = 0
            s += 1
        }
        return s
    }
}
