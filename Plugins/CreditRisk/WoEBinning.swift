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
    /// "auto" (ascending or descending, whichever keeps more information value), "ascending", "descending", "none".
    var monotonicTrend: String = "auto"
    var maxBins: Int = 6
    var maxPrebins: Int = 20
    /// A bin holds at least this share of the training rows (the missing bin excepted).
    var minBinFraction: Double = 0.05
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

        // Pre-bins at quantiles; a bound is the largest value of its bin, so ties never straddle two bins.
        var bounds: [Double] = []
        var cells: [Cell] = []
        if !present.isEmpty {
            let n = present.count
            var start = 0
            for q in 1...settings.maxPrebins {
                var end = q == settings.maxPrebins ? n : n * q / settings.maxPrebins
                guard end > start else { continue }
                while end < n && present[end].0 == present[end - 1].0 { end += 1 }
                var cell = Cell(count: 0, bads: 0)
                for i in start..<end { cell.count += 1; if present[i].1 { cell.bads += 1 } }
                bounds.append(present[end - 1].0)
                cells.append(cell)
                start = end
                if start >= n { break }
            }
            bounds[bounds.count - 1] = .greatestFiniteMagnitude
        }
        let minCount = Int((settings.minBinFraction * Double(values.count)).rounded(.up))
        func refine(_ direction: String) -> (bounds: [Double], cells: [Cell]) {
            var b = bounds, c = cells
            if direction != "none" { poolViolators(&b, &c, ascending: direction == "ascending") }
            mergeSmall(&b, &c, minCount: minCount, goods: totalGoods, bads: totalBads)
            while c.count > settings.maxBins { mergeCheapest(&b, &c, goods: totalGoods, bads: totalBads) }
            return (b, c)
        }
        var trend = settings.monotonicTrend
        var chosen: (bounds: [Double], cells: [Cell])
        if trend == "auto" {
            let up = refine("ascending"), down = refine("descending")
            let upIV = iv(up.cells, goods: totalGoods, bads: totalBads), downIV = iv(down.cells, goods: totalGoods, bads: totalBads)
            (chosen, trend) = upIV >= downIV ? (up, "ascending") : (down, "descending")
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
