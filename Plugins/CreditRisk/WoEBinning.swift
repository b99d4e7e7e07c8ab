import Foundation

/// Counts of one bin, and its weight of evidence.
struct WoEBin: Codable, Equatable, Sendable {
    var label: String
    var count: Int
    var bads: Int
    /// ln(share of all goods / share of all bads), smoothed by 0.5 per cell: higher is safer.
    var woe: Double
    var goods: Int { count - bads }
}

/// Settings of the binning search.
struct BinningSettings: Equatable, Sendable {
    /// "auto" (monotonic, or a peak/valley when clearly better), "auto_asc_desc", "ascending", "descending", "peak", "valley", "none".
    var monotonicTrend: String = "auto"
    var maxBins: Int = 6
    var maxPrebins: Int = 20
    /// "tree" (best-first Gini splits) or "quantile".
    var prebinning: String = "tree"
    /// A bin holds at least this share of the training rows (the missing bin excepted).
    var minBinFraction: Double = 0.05

    /// The configured share, or for 0 (auto) 40 rows kept between 2% and 5% of the training rows.
    static func minimumBinFraction(_ configured: Double, rows: Int) -> Double {
        configured > 0 ? configured : min(0.05, max(0.02, 40 / Double(max(rows, 1))))
    }
}

/// The weight-of-evidence binning of one input column, fitted on training rows.
///
/// Numeric values are pre-binned at quantiles, adjacent bins are pooled until the bad rate is monotonic in the
/// chosen direction (pool-adjacent-violators), bins below the minimum size are pooled with their neighbour, and
/// the pair whose pooling loses the least information value is merged until at most `maxBins` remain. Categories
/// are ordered by bad rate and grouped the same way. Missing values seen in training get a bin of their own; a
/// category never seen in training gets WoE 0 (the average applicant).
struct FeatureBinning: Codable, Equatable, Sendable {
    var name: String
    var isCategorical: Bool
    /// Numeric: bin i holds values <= upperBounds[i] (and above the previous bound); the last bound is the largest
    /// finite Double (JSON has no infinity) and every value above the previous bound falls in it.
    var upperBounds: [Double]
    /// Categorical: the bin of each category position (the preprocessor's training order); -1 = no bin (WoE 0).
    var binOfCategory: [Int]
    var bins: [WoEBin]
    var missingBin: WoEBin?
    var informationValue: Double
    /// The trend the bins follow: "ascending" (bad rate rises with the value), "descending", "none" or "categorical".
    var trend: String

    /// The bin of a raw value: 0..<bins.count, `bins.count` for the missing bin, -1 for no bin.
    @inline(__always)
    func bin(of value: Float) -> Int {
        if value.isNaN {
            if isCategorical { return -1 }
            return missingBin == nil ? -1 : bins.count
        }
        if isCategorical {
            let p = Int(value)
            return p >= 0 && p < binOfCategory.count ? binOfCategory[p] : -1
        }
        let v = Double(value)
        var low = 0, high = upperBounds.count - 1
        while low < high {
            let mid = (low + high) >> 1
            if v <= upperBounds[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// WoE of a bin index from `bin(of:)`.
    func woe(ofBin b: Int) -> Double {
        if b < 0 { return 0 }
        return b < bins.count ? bins[b].woe : (missingBin?.woe ?? 0)
    }

    var allBins: [WoEBin] { bins + (missingBin.map { [$0] } ?? []) }
}

enum WoEBinner {
    struct Cell { var count: Int; var bads: Int }

    static func woe(_ cell: Cell, goods: Int, bads: Int) -> Double {
        let g = (Double(cell.count - cell.bads) + 0.5) / (Double(goods) + 0.5)
        let b = (Double(cell.bads) + 0.5) / (Double(bads) + 0.5)
        return log(g / b)
    }

    static func iv(_ cells: [Cell], goods: Int, bads: Int) -> Double {
        cells.reduce(0) { sum, cell in
            let g = Double(cell.count - cell.bads) / Double(max(goods, 1)), b = Double(cell.bads) / Double(max(bads, 1))
            return sum + (g - b) * woe(cell, goods: goods, bads: bads)
        }
    }

    /// Bins a numeric column: `values` (NaN = missing) and `bad` over the training rows.
    static func numeric(name: String, values: [Float], bad: [Bool], settings: BinningSettings) -> FeatureBinning {
        let totalBads = bad.reduce(0) { $0 + ($1 ? 1 : 0) }, totalGoods = bad.count - totalBads
        var present: [(Double, Bool)] = []
        present.reserveCapacity(values.count)
        var missing = Cell(count: 0, bads: 0)
        for (v, y) in zip(values, bad) {
            if v.isNaN { missing.count += 1; if y { missing.bads += 1 } } else { present.append((Double(v), y)) }
        }
        present.sort { $0.0 < $1.0 }

        // Pre-bins: best-first binary splits of the sorted values (a classification tree on this one feature, as
        // OptBinning's CART pre-binning), each side keeping at least `minBinFraction` of the rows; quantile
        // pre-bins would waste cuts on the mass of a count variable at 0 and miss its informative tail.
        var (bounds, cells) = settings.prebinning == "quantile"
            ? quantilePrebins(present, maxPrebins: settings.maxPrebins)
            : treePrebins(present, maxPrebins: settings.maxPrebins,
                          minCount: max(1, Int((settings.minBinFraction * Double(values.count)).rounded(.up))))
        if !bounds.isEmpty { bounds[bounds.count - 1] = .greatestFiniteMagnitude }
        let minCount = Int((settings.minBinFraction * Double(values.count)).rounded(.up))
        func refine(_ direction: String) -> (bounds: [Double], cells: [Cell]) {
            var b = bounds, c = cells
            switch direction {
            case "ascending", "descending":
                poolViolators(&b, &c, ascending: direction == "ascending")
            case "peak", "valley":
                (b, c) = bestUnimodal(b, c, peak: direction == "peak", goods: totalGoods, bads: totalBads)
            default:
                break
            }
            mergeSmall(&b, &c, minCount: minCount, goods: totalGoods, bads: totalBads)
            while c.count > settings.maxBins { mergeCheapest(&b, &c, goods: totalGoods, bads: totalBads) }
            return (b, c)
        }
        var trend = settings.monotonicTrend
        var chosen: (bounds: [Double], cells: [Cell])
        if trend == "auto" || trend == "auto_asc_desc" {
            // Monotonic first; a peak or valley (a U-shaped risk such as debt ratio or utilisation) only when the
            // information it adds is significant: ΔIV · G·B/(G+B) behaves like a chi-square statistic, and must
            // exceed 11.34 (the 1% point with 3 degrees of freedom). Small samples thus keep monotonic bins.
            var candidates = ["ascending", "descending"].map { ($0, refine($0)) }
            let monotone = candidates.map { iv($0.1.cells, goods: totalGoods, bads: totalBads) }.max() ?? 0
            let effective = Double(totalGoods) * Double(totalBads) / Double(max(totalGoods + totalBads, 1))
            if trend == "auto" {
                for shape in ["peak", "valley"] {
                    let result = refine(shape)
                    if (iv(result.cells, goods: totalGoods, bads: totalBads) - monotone) * effective > 11.34 {
                        candidates.append((shape, result))
                    }
                }
            }
            let best = candidates.max { iv($0.1.cells, goods: totalGoods, bads: totalBads) < iv($1.1.cells, goods: totalGoods, bads: totalBads) }!
            (trend, chosen) = (best.0, best.1)
        } else {
            chosen = refine(trend)
        }
        if chosen.cells.isEmpty { chosen = ([.greatestFiniteMagnitude], [Cell(count: 0, bads: 0)]) }
        let bins = chosen.cells.enumerated().map { i, cell in
            WoEBin(label: numericLabel(i, chosen.bounds), count: cell.count, bads: cell.bads,
                   woe: woe(cell, goods: totalGoods, bads: totalBads))
        }
        let missingBin = missing.count > 0
            ? WoEBin(label: "missing", count: missing.count, bads: missing.bads, woe: woe(missing, goods: totalGoods, bads: totalBads))
            : nil
        let allCells = chosen.cells + (missing.count > 0 ? [missing] : [])
        return FeatureBinning(name: name, isCategorical: false, upperBounds: chosen.bounds, binOfCategory: [], bins: bins,
                              missingBin: missingBin, informationValue: iv(allCells, goods: totalGoods, bads: totalBads),
                              trend: trend)
    }

    /// Bins a categorical column: `positions` are category positions (NaN = none) among `categories`.
    static func categorical(name: String, positions: [Float], categories: [String], bad: [Bool],
                            settings: BinningSettings) -> FeatureBinning {
        let totalBads = bad.reduce(0) { $0 + ($1 ? 1 : 0) }, totalGoods = bad.count - totalBads
        var perCategory = [Cell](repeating: Cell(count: 0, bads: 0), count: categories.count)
        for (p, y) in zip(positions, bad) where !p.isNaN {
            perCategory[Int(p)].count += 1
            if y { perCategory[Int(p)].bads += 1 }
        }
        // Groups ordered by smoothed bad rate, then pooled like numeric bins along that order.
        let rate = { (c: Cell) in (Double(c.bads) + 0.5) / (Double(c.count) + 1) }
        let order = categories.indices.filter { perCategory[$0].count > 0 }
            .sorted { rate(perCategory[$0]) != rate(perCategory[$1]) ? rate(perCategory[$0]) < rate(perCategory[$1]) : $0 < $1 }
        var groups = order.map { [$0] }
        var cells = order.map { perCategory[$0] }
        let minCount = Int((settings.minBinFraction * Double(positions.count)).rounded(.up))
        func merge(_ i: Int) {
            groups[i] += groups[i + 1]; groups.remove(at: i + 1)
            cells[i].count += cells[i + 1].count; cells[i].bads += cells[i + 1].bads; cells.remove(at: i + 1)
        }
        while cells.count > 1, let small = cells.indices.filter({ cells[$0].count < minCount }).min(by: { cells[$0].count < cells[$1].count }) {
            if small == 0 { merge(0) } else if small == cells.count - 1 { merge(small - 1) } else {
                let left = abs(rate(cells[small - 1]) - rate(cells[small])), right = abs(rate(cells[small + 1]) - rate(cells[small]))
                merge(left <= right ? small - 1 : small)
            }
        }
        while cells.count > settings.maxBins {
            let loss = (0..<(cells.count - 1)).map { ivLossOfMerging($0, cells, goods: totalGoods, bads: totalBads) }
            merge(loss.indices.min { loss[$0] < loss[$1] }!)
        }
        var binOf = [Int](repeating: -1, count: categories.count)
        for (b, group) in groups.enumerated() { for p in group { binOf[p] = b } }
        let bins = groups.enumerated().map { b, group in
            WoEBin(label: group.sorted().map { categories[$0] }.joined(separator: " | "), count: cells[b].count,
                   bads: cells[b].bads, woe: woe(cells[b], goods: totalGoods, bads: totalBads))
        }
        return FeatureBinning(name: name, isCategorical: true, upperBounds: [], binOfCategory: binOf, bins: bins,
                              missingBin: nil, informationValue: iv(cells, goods: totalGoods, bads: totalBads),
                              trend: "categorical")
    }

    static func quantilePrebins(_ present: [(Double, Bool)], maxPrebins: Int) -> ([Double], [Cell]) {
        var bounds: [Double] = [], cells: [Cell] = []
        let n = present.count
        var start = 0
        for q in 1...maxPrebins where start < n {
            var end = q == maxPrebins ? n : n * q / maxPrebins
            guard end > start else { continue }
            while end < n && present[end].0 == present[end - 1].0 { end += 1 }
            var cell = Cell(count: 0, bads: 0)
            for i in start..<end { cell.count += 1; if present[i].1 { cell.bads += 1 } }
            bounds.append(present[end - 1].0)
            cells.append(cell)
            start = end
        }
        return (bounds, cells)
    }

    /// Best-first Gini splits of sorted values into at most `maxPrebins` segments of at least `minCount` rows.
    static func treePrebins(_ present: [(Double, Bool)], maxPrebins: Int, minCount: Int) -> ([Double], [Cell]) {
        let n = present.count
        guard n > 0 else { return ([], []) }
        // Prefix sums of bads; split positions are the starts of runs of equal values.
        var prefixBads = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { prefixBads[i + 1] = prefixBads[i] + (present[i].1 ? 1 : 0) }
        var boundaries: [Int] = []
        for i in 1..<max(n, 1) where present[i].0 != present[i - 1].0 { boundaries.append(i) }
        func impurity(_ a: Int, _ b: Int) -> Double {
            let count = Double(b - a), bad = Double(prefixBads[b] - prefixBads[a])
            guard count > 0 else { return 0 }
            let p = bad / count
            return count * 2 * p * (1 - p)
        }
        /// The best split of [a, b): position and impurity decrease.
        func bestSplit(_ a: Int, _ b: Int) -> (Int, Double)? {
            var best: (Int, Double)? = nil
            let parent = impurity(a, b)
            // Boundaries are sorted: binary search the first one above a + minCount − 1.
            var low = 0, high = boundaries.count
            while low < high { let mid = (low + high) / 2; if boundaries[mid] < a + minCount { low = mid + 1 } else { high = mid } }
            var k = low
            while k < boundaries.count && boundaries[k] <= b - minCount {
                let s = boundaries[k]
                let gain = parent - impurity(a, s) - impurity(s, b)
                if gain > 1e-12 && (best == nil || gain > best!.1) { best = (s, gain) }
                k += 1
            }
            return best
        }
        var segments: [(Int, Int)] = [(0, n)]
        var candidates: [Int: (Int, Double)] = [:]
        if let split = bestSplit(0, n) { candidates[0] = split }
        while segments.count < maxPrebins, let (start, split) = candidates.max(by: { $0.value.1 < $1.value.1 }).map({ ($0.key, $0.value) }) {
            candidates[start] = nil
            let index = segments.firstIndex { $0.0 == start }!
            let end = segments[index].1
            segments[index] = (start, split.0)
            segments.insert((split.0, end), at: index + 1)
            if let left = bestSplit(start, split.0) { candidates[start] = left }
            if let right = bestSplit(split.0, end) { candidates[split.0] = right }
        }
        let bounds = segments.map { present[$0.1 - 1].0 }
        let cells = segments.map { Cell(count: $0.1 - $0.0, bads: prefixBads[$0.1] - prefixBads[$0.0]) }
        return (bounds, cells)
    }

    static func numericLabel(_ i: Int, _ bounds: [Double]) -> String {
        func f(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(format: "%.4g", v) }
        if bounds.count == 1 { return "all values" }
        if i == 0 { return "<= \(f(bounds[0]))" }
        if i == bounds.count - 1 { return "> \(f(bounds[i - 1]))" }
        return "(\(f(bounds[i - 1])), \(f(bounds[i]))]"
    }

    /// Pool adjacent violators: merges neighbours until the bad rate rises (or falls) strictly along the bins.
    static func poolViolators(_ bounds: inout [Double], _ cells: inout [Cell], ascending: Bool) {
        var i = 0
        while i < cells.count - 1 {
            let a = Double(cells[i].bads) / Double(max(cells[i].count, 1))
            let b = Double(cells[i + 1].bads) / Double(max(cells[i + 1].count, 1))
            if ascending ? a >= b : a <= b {
                mergeCells(&bounds, &cells, i)
                i = max(i - 1, 0)
            } else {
                i += 1
            }
        }
    }

    /// The unimodal (peak: rising then falling bad rate; valley: the reverse) pooling with the most information value,
    /// over every turning point.
    static func bestUnimodal(_ bounds: [Double], _ cells: [Cell], peak: Bool, goods: Int, bads: Int) -> ([Double], [Cell]) {
        var best: ([Double], [Cell]) = (bounds, cells)
        var bestIV = -Double.infinity
        for turn in 1..<max(cells.count, 2) where turn < cells.count {
            var leftBounds = Array(bounds[..<turn]), leftCells = Array(cells[..<turn])
            var rightBounds = Array(bounds[turn...]), rightCells = Array(cells[turn...])
            poolViolators(&leftBounds, &leftCells, ascending: peak)
            poolViolators(&rightBounds, &rightCells, ascending: !peak)
            let joinedCells = leftCells + rightCells
            let value = iv(joinedCells, goods: goods, bads: bads)
            if value > bestIV { bestIV = value; best = (leftBounds + rightBounds, joinedCells) }
        }
        return best
    }

    static func mergeCells(_ bounds: inout [Double], _ cells: inout [Cell], _ i: Int) {
        cells[i].count += cells[i + 1].count
        cells[i].bads += cells[i + 1].bads
        cells.remove(at: i + 1)
        bounds.remove(at: i)
    }

    static func mergeSmall(_ bounds: inout [Double], _ cells: inout [Cell], minCount: Int, goods: Int, bads: Int) {
        while cells.count > 1, let small = cells.indices.filter({ cells[$0].count < minCount })
            .min(by: { cells[$0].count < cells[$1].count }) {
            if small == 0 { mergeCells(&bounds, &cells, 0) } else if small == cells.count - 1 {
                mergeCells(&bounds, &cells, small - 1)
            } else {
                let left = ivLossOfMerging(small - 1, cells, goods: goods, bads: bads)
                let right = ivLossOfMerging(small, cells, goods: goods, bads: bads)
                mergeCells(&bounds, &cells, left <= right ? small - 1 : small)
            }
        }
    }

    static func mergeCheapest(_ bounds: inout [Double], _ cells: inout [Cell], goods: Int, bads: Int) {
        let loss = (0..<(cells.count - 1)).map { ivLossOfMerging($0, cells, goods: goods, bads: bads) }
        mergeCells(&bounds, &cells, loss.indices.min { loss[$0] < loss[$1] }!)
    }

    static func ivLossOfMerging(_ i: Int, _ cells: [Cell], goods: Int, bads: Int) -> Double {
        let merged = Cell(count: cells[i].count + cells[i + 1].count, bads: cells[i].bads + cells[i + 1].bads)
        return iv([cells[i], cells[i + 1]], goods: goods, bads: bads) - iv([merged], goods: goods, bads: bads)
    }
}
