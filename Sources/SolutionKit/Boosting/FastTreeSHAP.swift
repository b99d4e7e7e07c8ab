/// Scores and exact path-dependent TreeSHAP contributions for many rows, from per-tree cell tables.
///
/// Each tree is tabulated once (`TreeCellTable`): for every cell of its input space, the leaf value and the SHAP
/// vector over the features it uses, built from the per-leaf mask tables of Fast TreeSHAP v2 (Yang 2021). A row
/// then costs, per tree, a few rank lookups, one table index and a short vector addition, with no branch on the
/// data. Rows are first ranked against every threshold of the model (`ThresholdRanks`), once per feature.
/// Trees that cannot be tabulated (categorical splits, too many cells, over the memory budget) are walked and
/// explained by the recursive algorithm, so results are always exact. Scores add the trees' leaf values in tree
/// order from the initial score, so they are bit-identical to `CompactTreePredictor`; contributions equal
/// `GradientBoostedModel.contributions(for:)` up to rounding (tests check both).
public struct FastTreeSHAP: Sendable {
    public let featureCount: Int
    public let expectedValue: Double
    let initialScore: Double
    let storage: Storage
    /// Trees walked instead of looked up, by their `fallback` index.
    let fallbackTrees: [DecisionTree]
    let maxFallbackDepth: Int
    public let tabulatedTreeCount: Int
    public var fallbackTreeCount: Int { fallbackTrees.count }
    /// Whether SHAP tables were built (`explain` needs them).
    public let explains: Bool
    /// What `explaining()` needs to add explanation tables without laying the cells out again.
    let model: GradientBoostedModel
    let ranks: ThresholdRanks
    let cellTables: [TreeCellTable?]
    let maxTableNumbers: Int

    /// The default cap on one tree's cells, and on all tables' numbers (about 256 MB).
    public static let defaultMaxCellsPerTree = 1 << 14
    public static let defaultMaxTableNumbers = 1 << 25

    /// Tabulates `model`. With `explaining: false` only leaf values are tabulated (cheaper to build; `explain`
    /// then traps), for scoring without reasons.
    public init(model: GradientBoostedModel, explaining: Bool = true, maxCellsPerTree: Int = defaultMaxCellsPerTree,
                maxTableNumbers: Int = defaultMaxTableNumbers) {
        let ranks = ThresholdRanks(model: model)
        let trees = model.trees
        var tables = [TreeCellTable?](repeating: nil, count: trees.count)
        tables.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            // Many small chunks: trees differ a lot in size, and idle threads take the next chunk.
            parallelFor(trees.count, chunks: min(trees.count, 64), minimumChunkSize: 1) { _, range in
                for t in range {
                    slots[t] = TreeCellTable(tree: trees[t], ranks: ranks, maxCells: maxCellsPerTree)
                }
            }
        }
        self.init(model: model, ranks: ranks, cellTables: tables, explaining: explaining, maxTableNumbers: maxTableNumbers)
    }

    init(model: GradientBoostedModel, ranks: ThresholdRanks, cellTables: [TreeCellTable?], explaining: Bool,
         maxTableNumbers: Int) {
        featureCount = model.featureCount
        expectedValue = model.expectedValue
        initialScore = model.initialScore
        explains = explaining
        self.model = model
        self.ranks = ranks
        self.cellTables = cellTables
        self.maxTableNumbers = maxTableNumbers
        let trees = model.trees
        var tables = cellTables
        // Trees join in order while all tables (cells and the rank-offset table, in 8-byte numbers) fit the
        // budget; the rest are walked.
        var fallback: [DecisionTree] = []
        var cellNumbers = 0
        var features = Set<Int32>()
        for t in tables.indices {
            if let table = tables[t] {
                let joined = features.union(table.features)
                let offsetNumbers = Storage.offsetBytes(trees: trees.count, features: joined, ranks: ranks) / 8
                let numbers = table.cellCount * (explaining ? table.entryWidth + 1 : 1)
                if cellNumbers + numbers + offsetNumbers <= maxTableNumbers {
                    cellNumbers += numbers
                    features = joined
                    continue
                }
                tables[t] = nil
            }
            fallback.append(trees[t])
        }
        storage = Storage(tables: tables, trees: trees, ranks: ranks, explaining: explaining)
        fallbackTrees = fallback
        maxFallbackDepth = fallback.map(\.depth).max() ?? 0
        tabulatedTreeCount = trees.count - fallback.count
    }

    /// This model with explanation tables too (itself when it has them); the cell layouts are reused.
    public func explaining() -> FastTreeSHAP {
        explains ? self : FastTreeSHAP(model: model, ranks: ranks, cellTables: cellTables, explaining: true,
                                       maxTableNumbers: maxTableNumbers)
    }

    // MARK: Batch entry points (parallel over rows)

    /// Raw scores of `count` rows of `featureCount` floats, bit-identical to `CompactTreePredictor.predictRaw`.
    /// `parallel: false` keeps the work on the calling thread (for callers that already split rows over the cores).
    public func rawScores(rows: UnsafePointer<Float>, count: Int, into scores: UnsafeMutablePointer<Double>,
                          parallel: Bool = true) {
        parallelFor(count, chunks: parallel ? nil : 1, minimumChunkSize: 2048) { _, range in
            evaluate(rows: rows + range.lowerBound * featureCount, count: range.count,
                     scores: scores + range.lowerBound, contributions: nil)
        }
    }

    /// Raw scores and contributions (rows × (featureCount + 1), the last column the expected value) in one pass.
    public func explain(rows: UnsafePointer<Float>, count: Int, scores: UnsafeMutablePointer<Double>,
                        contributions: UnsafeMutablePointer<Double>, parallel: Bool = true) {
        precondition(explains, "FastTreeSHAP was built without explanation tables")
        let columns = featureCount + 1
        parallelFor(count, chunks: parallel ? nil : 1, minimumChunkSize: 1024) { _, range in
            evaluate(rows: rows + range.lowerBound * featureCount, count: range.count, scores: scores + range.lowerBound,
                     contributions: contributions + range.lowerBound * columns)
        }
    }

    /// Raw scores of every row of `features`.
    public func rawPredictions(for features: Tensor, parallel: Bool = true) -> [Double] {
        precondition(features.rows == 0 || features.columns == featureCount,
                     "FastTreeSHAP: \(features.columns) features for a model of \(featureCount)")
        var out = [Double](repeating: 0, count: features.rows)
        features.scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                if let xb = x.baseAddress, let ob = o.baseAddress {
                    rawScores(rows: xb, count: features.rows, into: ob, parallel: parallel)
                }
            }
        }
        return out
    }

    /// Contributions (rows × (features + 1), the last column the expected value) of raw-feature rows.
    public func contributions(for features: Tensor) -> [Double] {
        explain(features).contributions
    }

    /// Raw scores and contributions (rows × (features + 1)) of raw-feature rows in one pass.
    public func explain(_ features: Tensor, parallel: Bool = true) -> (scores: [Double], contributions: [Double]) {
        precondition(features.rows == 0 || features.columns == featureCount,
                     "FastTreeSHAP: \(features.columns) features for a model of \(featureCount)")
        var values = [Double](repeating: 0, count: features.rows * (featureCount + 1))
        var scores = [Double](repeating: 0, count: features.rows)
        features.scalars.withUnsafeBufferPointer { x in
            values.withUnsafeMutableBufferPointer { v in
                scores.withUnsafeMutableBufferPointer { s in
                    if let xb = x.baseAddress, let vb = v.baseAddress, let sb = s.baseAddress {
                        explain(rows: xb, count: features.rows, scores: sb, contributions: vb, parallel: parallel)
                    }
                }
            }
        }
        return (scores, values)
    }

    // MARK: The kernel (one thread)

    /// Rows scored together: their trees' additions are independent chains the core overlaps.
    static let rowsPerStep = 4

    /// Scores (and contributions when given) of `count` rows; each row adds its trees in order.
    ///
    /// A step first finds the cell of every tree for each of its rows at once: the dense rank table holds, per
    /// feature and rank, the offset of that rank in every tree, so a row's cell indices are the sum of one vector
    /// per feature (16-bit lanes, plain SSE2). Then every tree adds its cell's value (and contributions).
    func evaluate(rows: UnsafePointer<Float>, count: Int, scores: UnsafeMutablePointer<Double>,
                  contributions phi: UnsafeMutablePointer<Double>?) {
        let width = featureCount, columns = width + 1, base = initialScore, expected = expectedValue
        let ranks = UnsafeMutablePointer<Int32>.allocate(capacity: max(count * width, 1))
        defer { ranks.deallocate() }
        let pathCount = (maxFallbackDepth + 2) * (maxFallbackDepth + 3) / 2
        let path = UnsafeMutablePointer<PathElement>.allocate(capacity: pathCount)
        path.initialize(repeating: PathElement(), count: pathCount)
        defer { path.deallocate() }
        let lanes = storage.lanes, step = Self.rowsPerStep
        let cells = UnsafeMutablePointer<UInt16>.allocate(capacity: max(step * lanes, 1))
        defer { cells.deallocate() }
        storage.withPointers { p in
            ThresholdRanks.rank(rows: rows, count: count, width: width, flat: p.rankThresholds, start: p.rankStart,
                                sizes: p.rankSizes, into: ranks)
            if let phi { phi.update(repeating: 0, count: count * columns) }
            // Explaining reads tens of megabytes of tables at random. Rows taken in the order of their most used
            // features' ranks hit the same cells of many trees one after another, so those stay in cache; each
            // row still adds its trees in order, so results do not depend on the order.
            let order = phi == nil ? Array(0..<count) : storage.localityOrder(ranks: ranks, count: count, width: width)
            var first = 0
            while first < count {
                let n = min(step, count - first)
                for j in 0..<n {
                    Self.sumOffsets(into: cells + j * lanes, lanes: lanes, ranks: ranks + order[first + j] * width, p: p)
                }
                if let phi, n == 4 && !p.hasFallback {
                    // Scores first: one load per tree and row, so many tables are fetched at once; the
                    // contributions then find the cells in cache. Four rows at a time keep four independent chains.
                    var s0 = base, s1 = base, s2 = base, s3 = base
                    let c0 = cells, c1 = cells + lanes, c2 = cells + 2 * lanes, c3 = cells + 3 * lanes
                    for t in 0..<p.treeCount {
                        let tree = p.trees[t]
                        let entries = p.entries + tree.entryStart, entryWidth = Int(tree.entryWidth)
                        s0 += entries[Int(c0[t]) * entryWidth]
                        s1 += entries[Int(c1[t]) * entryWidth]
                        s2 += entries[Int(c2[t]) * entryWidth]
                        s3 += entries[Int(c3[t]) * entryWidth]
                    }
                    scores[order[first]] = s0; scores[order[first + 1]] = s1; scores[order[first + 2]] = s2; scores[order[first + 3]] = s3
                    let phi0 = phi + order[first] * columns, phi1 = phi + order[first + 1] * columns
                    let phi2 = phi + order[first + 2] * columns, phi3 = phi + order[first + 3] * columns
                    for t in 0..<p.treeCount {
                        let tree = p.trees[t]
                        let k = Int(tree.featureCount), entryWidth = Int(tree.entryWidth)
                        let features = p.slotFeature + Int(tree.slotStart)
                        let entries = p.entries + tree.entryStart + 1
                        let e0 = entries + Int(c0[t]) * entryWidth, e1 = entries + Int(c1[t]) * entryWidth
                        let e2 = entries + Int(c2[t]) * entryWidth, e3 = entries + Int(c3[t]) * entryWidth
                        for i in 0..<k {
                            let f = Int(features[i])
                            phi0[f] += e0[i]
                            phi1[f] += e1[i]
                            phi2[f] += e2[i]
                            phi3[f] += e3[i]
                        }
                    }
                    for j in 0..<4 { phi[order[first + j] * columns + width] += expected }
                } else if let phi {
                    for j in 0..<n {
                        let r = order[first + j]
                        let rowCells = cells + j * lanes, rowPhi = phi + r * columns
                        var score = base
                        for t in 0..<p.treeCount {
                            let tree = p.trees[t]
                            if tree.fallback >= 0 {
                                let walked = fallbackTrees[Int(tree.fallback)]
                                score += walked.value(row: rows + r * width)
                                if walked.internalNodeCount > 0 {
                                    walked.shap(row: rows + r * width, phi: rowPhi, node: 0, depth: 0, path: path,
                                                zeroFraction: 1, oneFraction: 1, feature: -1)
                                }
                                continue
                            }
                            let k = Int(tree.featureCount)
                            let features = p.slotFeature + Int(tree.slotStart)
                            let entry = p.entries + tree.entryStart + Int(rowCells[t]) * Int(tree.entryWidth)
                            score += entry[0]
                            for i in 0..<k { rowPhi[Int(features[i])] += entry[1 + i] }
                        }
                        scores[r] = score
                        rowPhi[width] += expected
                    }
                } else if n == 4 && !p.hasFallback {
                    var s0 = base, s1 = base, s2 = base, s3 = base
                    let c0 = cells, c1 = cells + lanes, c2 = cells + 2 * lanes, c3 = cells + 3 * lanes
                    for t in 0..<p.treeCount {
                        let values = p.values + p.trees[t].valueStart
                        s0 += values[Int(c0[t])]
                        s1 += values[Int(c1[t])]
                        s2 += values[Int(c2[t])]
                        s3 += values[Int(c3[t])]
                    }
                    scores[order[first]] = s0; scores[order[first + 1]] = s1; scores[order[first + 2]] = s2; scores[order[first + 3]] = s3
                } else {
                    for j in 0..<n {
                        let r = order[first + j], rowCells = cells + j * lanes
                        var score = base
                        for t in 0..<p.treeCount {
                            let tree = p.trees[t]
                            if tree.fallback >= 0 {
                                score += fallbackTrees[Int(tree.fallback)].value(row: rows + r * width)
                            } else {
                                score += p.values[tree.valueStart + Int(rowCells[t])]
                            }
                        }
                        scores[r] = score
                    }
                }
                first += n
            }
        }
    }

    /// One row's cell index in every tree: the sum over features of the rank's offset vector.
    @inline(__always)
    static func sumOffsets(into out: UnsafeMutablePointer<UInt16>, lanes: Int, ranks: UnsafePointer<Int32>,
                           p: Storage.Pointers) {
        let raw = UnsafeMutableRawPointer(out)
        var v = 0
        while v < lanes {
            raw.storeBytes(of: SIMD16<UInt16>(), toByteOffset: v * 2, as: SIMD16<UInt16>.self)
            v += 16
        }
        for u in 0..<p.rankedFeatureCount {
            let f = Int(p.rankedFeatures[u])
            let source = UnsafeRawPointer(p.offsets + p.offsetStart[u] + Int(ranks[f]) * lanes)
            var v = 0
            while v < lanes {
                let sum = raw.loadUnaligned(fromByteOffset: v * 2, as: SIMD16<UInt16>.self)
                    &+ source.loadUnaligned(fromByteOffset: v * 2, as: SIMD16<UInt16>.self)
                raw.storeBytes(of: sum, toByteOffset: v * 2, as: SIMD16<UInt16>.self)
                v += 16
            }
        }
    }

    // MARK: Storage

    /// All tables in a few flat arrays, so the kernel touches no reference-counted value per row.
    final class Storage: @unchecked Sendable {
        struct Tree {
            var slotStart: Int32 = 0
            var featureCount: Int32 = 0
            var entryWidth: Int32 = 0
            /// Index into `fallbackTrees`, or -1 for a tabulated tree.
            var fallback: Int32 = -1
            var valueStart = 0
            var entryStart = 0
        }

        let trees: [Tree]
        let slotFeature: [Int32]
        /// Trees rounded up to whole 16-lane vectors.
        let lanes: Int
        /// The features some tabulated tree splits on, and for each the start of its (ranks × lanes) offset table.
        let rankedFeatures: [Int32]
        let offsetStart: [Int]
        let offsets: [UInt16]
        let values: LargeTableBuffer<Double>
        let entries: LargeTableBuffer<Double>
        let rankThresholds: [Float], rankStart: [Int], rankSizes: [Int]
        private(set) var sortFeatures: [Int] = []

        init(tables: [TreeCellTable?], trees decisionTrees: [DecisionTree], ranks: ThresholdRanks, explaining: Bool) {
            var trees: [Tree] = [], slotFeature: [Int32] = [], values: [Double] = [], entryCount = 0
            var fallbacks: Int32 = 0
            for table in tables {
                guard let table else {
                    trees.append(Tree(slotStart: Int32(slotFeature.count), featureCount: 0, fallback: fallbacks,
                                      valueStart: values.count, entryStart: entryCount))
                    fallbacks += 1
                    continue
                }
                // Each tree's entries start on a cache line.
                entryCount = (entryCount + 7) / 8 * 8
                trees.append(Tree(slotStart: Int32(slotFeature.count), featureCount: Int32(table.features.count),
                                  entryWidth: Int32(table.entryWidth), fallback: -1, valueStart: values.count,
                                  entryStart: entryCount))
                slotFeature += table.features
                values += table.values
                if explaining { entryCount += table.cellCount * table.entryWidth }
            }
            let lanes = (tables.count + 15) / 16 * 16
            var used = Set<Int32>()
            for table in tables { if let table { used.formUnion(table.features) } }
            let rankedFeatures = used.sorted()
            var offsetStart: [Int] = [], total = 0
            for f in rankedFeatures {
                offsetStart.append(total)
                total += (ranks.thresholds[Int(f)].count + 2) * lanes
            }
            var offsets = [UInt16](repeating: 0, count: total)
            for (t, table) in tables.enumerated() {
                guard let table else { continue }
                for (s, f) in table.features.enumerated() {
                    let start = offsetStart[rankedFeatures.firstIndex(of: f)!]
                    for (g, offset) in table.offsetOfRank[s].enumerated() { offsets[start + g * lanes + t] = offset }
                }
            }
            self.trees = trees
            self.slotFeature = slotFeature
            self.lanes = lanes
            self.rankedFeatures = rankedFeatures
            self.offsetStart = offsetStart
            self.offsets = offsets
            self.values = LargeTableBuffer(values)
            // The explanation tables are the expensive part: each tree fills its own slice, in parallel.
            let entries = LargeTableBuffer<Double>(uninitializedCount: entryCount)
            let starts = trees.map(\.entryStart)
            parallelFor(tables.count, chunks: min(tables.count, 64), minimumChunkSize: 1) { _, range in
                for t in range {
                    if explaining, let table = tables[t] {
                        table.writeContributions(of: decisionTrees[t], into: entries.base + starts[t])
                    }
                }
            }
            self.entries = entries
            rankThresholds = ranks.flat
            rankStart = ranks.start
            rankSizes = ranks.thresholds.map(\.count)
            sortFeatures = localityFeatures
        }

        /// The two features the most tabulated trees split on: rows are explained in the order of their ranks.
        var localityFeatures: [Int] {
            var uses = [Int: Int]()
            for tree in trees where tree.fallback < 0 {
                for s in 0..<Int(tree.featureCount) { uses[Int(slotFeature[Int(tree.slotStart) + s]), default: 0] += 1 }
            }
            return uses.keys.sorted { (uses[$0]!, $1) > (uses[$1]!, $0) }.prefix(2).map { $0 }
        }

        /// Row indices sorted by the ranks of `localityFeatures` (ties by row).
        func localityOrder(ranks: UnsafePointer<Int32>, count: Int, width: Int) -> [Int] {
            let features = sortFeatures
            // Keys pack two 20-bit ranks (clipped: only the speed depends on them) above a 20-bit row index.
            guard !features.isEmpty, count < 1 << 20 else { return Array(0..<count) }
            var keys = [UInt64](repeating: 0, count: count)
            for r in 0..<count {
                var key: UInt64 = 0
                for f in features { key = key << 20 | UInt64(UInt32(bitPattern: ranks[r * width + f]) & 0xFFFFF) }
                keys[r] = key << 20 | UInt64(r)
            }
            keys.sort()
            return keys.map { Int($0 & 0xFFFFF) }
        }

        /// Bytes of the dense rank-offset table `init` would build for `trees` tabulated trees.
        static func offsetBytes(trees: Int, features: Set<Int32>, ranks: ThresholdRanks) -> Int {
            let lanes = (trees + 15) / 16 * 16
            return features.reduce(0) { $0 + (ranks.thresholds[Int($1)].count + 2) * lanes * 2 }
        }

        struct Pointers {
            var treeCount: Int
            var hasFallback: Bool
            var trees: UnsafePointer<Tree>
            var slotFeature: UnsafePointer<Int32>
            var rankedFeatureCount: Int
            var rankedFeatures: UnsafePointer<Int32>
            var offsetStart: UnsafePointer<Int>
            var offsets: UnsafePointer<UInt16>
            var values: UnsafePointer<Double>
            var entries: UnsafePointer<Double>
            var rankThresholds: UnsafePointer<Float>
            var rankStart: UnsafePointer<Int>
            var rankSizes: UnsafePointer<Int>
        }

        func withPointers<R>(_ body: (Pointers) -> R) -> R {
            // Empty arrays still give a valid (never read) address.
            func address<T>(_ b: UnsafeBufferPointer<T>) -> UnsafePointer<T> {
                b.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!
            }
            let hasFallback = trees.contains { $0.fallback >= 0 }
            return trees.withUnsafeBufferPointer { a in slotFeature.withUnsafeBufferPointer { b in
                rankedFeatures.withUnsafeBufferPointer { c in offsetStart.withUnsafeBufferPointer { d in
                offsets.withUnsafeBufferPointer { o in
                let e = UnsafeBufferPointer(start: values.base, count: values.count)
                let f = UnsafeBufferPointer(start: entries.base, count: entries.count)
                return rankThresholds.withUnsafeBufferPointer { g in rankStart.withUnsafeBufferPointer { h in
                rankSizes.withUnsafeBufferPointer { i in
                    body(Pointers(treeCount: a.count, hasFallback: hasFallback, trees: address(a), slotFeature: address(b),
                                  rankedFeatureCount: c.count, rankedFeatures: address(c), offsetStart: address(d),
                                  offsets: address(o), values: address(e), entries: address(f),
                                  rankThresholds: address(g), rankStart: address(h), rankSizes: address(i)))
                }}}}}}}}
        }
    }
}
