import Foundation

/// How one feature's raw values map to small integer bins.
///
/// Histogram-based boosting never looks at raw values while growing trees: it sums gradients per bin,
/// which is what makes split finding O(bins) instead of O(rows). Numeric bins are placed at quantiles of
/// the training values (LightGBM's greedy scheme); categorical features get one bin per category.
/// The last bin always holds missing values (NaN), or for categorical features also rare/unseen categories,
/// so every split can learn where missing values go.
struct FeatureBins: Sendable {
    var isCategorical: Bool
    /// Numeric: bin `i` holds values `<= upperBounds[i]` and `> upperBounds[i - 1]`; the last bound is +inf.
    var upperBounds: [Float]
    /// Categorical: the category code of each non-missing bin, most frequent first.
    var categoryOfBin: [Int]
    /// Categorical: bin of each category code, -1 for codes without a bin (they share the missing bin).
    var binOfCategory: [Int32]

    /// Bins including the final missing bin.
    var binCount: Int { (isCategorical ? categoryOfBin.count : upperBounds.count) + 1 }
    /// The bin of NaN (and of categories without a bin of their own).
    var missingBin: Int { binCount - 1 }
    /// A feature with a single distinct value and no missing value, or none at all, cannot be split on.
    var isTrivial = false
    /// Numeric: the binning sample had missing values (LightGBM's `MissingType::NaN`), so split search tries
    /// missing rows on both sides.
    var hasMissingType = false
    /// Numeric: LightGBM would not store bin 0 in histograms (its `offset == 1`, see `markMostFrequentBin`).
    var firstBinImplicit = false
    /// The bin LightGBM's `Dataset::FixHistogram` rewrites as "leaf total minus every other bin" after building
    /// a histogram from rows (its `most_freq_bin` when that is not its bin 0), in our bin numbering.
    var totalMinusOthersBin: Int? = nil

    @inline(__always)
    func bin(of value: Float) -> Int {
        if value.isNaN { return missingBin }
        if isCategorical {
            let code = Int(value)
            return code >= 0 && code < binOfCategory.count && binOfCategory[code] >= 0
                ? Int(binOfCategory[code]) : missingBin
        }
        // First bound >= value (binary search); values above every finite bound land in the last value bin.
        var low = 0, high = upperBounds.count - 1
        while low < high {
            let mid = (low + high) >> 1
            if value <= upperBounds[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Numeric bins from a sorted sample of non-missing values.
    ///
    /// As LightGBM's `FindBinWithZeroAsOneBin`: negative and positive values get bins in proportion to their
    /// counts and zero a bin of its own, so sparse-ish features (counts, flags) keep an exact split at zero.
    /// Missing values in the sample (`missingCount > 0`) reserve one of the `maxBin` bins for NaN, as LightGBM does.
    static func numeric(sortedValues values: [Float], maxBin requestedMaxBin: Int, minDataInBin: Int,
                        missingCount: Int = 0) -> FeatureBins {
        let hasMissing = missingCount > 0
        let maxBin = max(2, hasMissing ? requestedMaxBin - 1 : requestedMaxBin)
        var distinct: [Float] = []
        var counts: [Int] = []
        for v in values {
            if let last = distinct.last, last == v { counts[counts.count - 1] += 1 } else {
                distinct.append(v); counts.append(1)
            }
        }
        let zeroThreshold: Float = 1e-35
        let leftEnd = distinct.firstIndex { $0 > -zeroThreshold } ?? distinct.count
        let rightStart = distinct.firstIndex { $0 > zeroThreshold } ?? distinct.count
        let leftData = counts[0..<leftEnd].reduce(0, +)
        let zeroData = counts[leftEnd..<rightStart].reduce(0, +)
        var bounds: [Float] = []
        if leftEnd > 0 {
            let nonZero = max(values.count - zeroData, 1)
            let leftMaxBin = max(1, Int(Double(leftData) / Double(nonZero) * Double(maxBin - 1)))
            bounds = greedyBounds(Array(distinct[0..<leftEnd]), Array(counts[0..<leftEnd]),
                                  maxBin: leftMaxBin, minDataInBin: minDataInBin)
            bounds[bounds.count - 1] = -zeroThreshold
        }
        if rightStart < distinct.count {
            let rightMaxBin = max(1, maxBin - 1 - bounds.count)
            let right = greedyBounds(Array(distinct[rightStart...]), Array(counts[rightStart...]),
                                     maxBin: rightMaxBin, minDataInBin: minDataInBin)
            bounds.append(zeroThreshold)
            bounds.append(contentsOf: right)
        } else {
            bounds.append(.infinity)
        }
        var bins = FeatureBins(isCategorical: false, upperBounds: bounds, categoryOfBin: [], binOfCategory: [],
                               isTrivial: distinct.count + (hasMissing ? 1 : 0) <= 1, hasMissingType: hasMissing)
        bins.markMostFrequentBin(sortedValues: values, missingCount: missingCount)
        return bins
    }

    /// LightGBM's `most_freq_bin_` (`BinMapper::FindBin`): the bin holding most of the sample, kept only when it
    /// holds at least 70% of it (`kSparseThreshold`), otherwise the bin of zero. When that is bin 0, LightGBM
    /// leaves bin 0 out of histograms and an upward threshold scan derives it from the leaf's totals, which
    /// rounds differently from adding it.
    private mutating func markMostFrequentBin(sortedValues values: [Float], missingCount: Int) {
        var counts = [Int](repeating: 0, count: binCount)
        for v in values { counts[bin(of: v)] += 1 }
        counts[missingBin] += missingCount
        let total = values.count + missingCount
        guard total > 0 else { return }
        var mostFrequent = 0
        for b in counts.indices where counts[b] > counts[mostFrequent] { mostFrequent = b }
        let zeroBin = bin(of: 0)
        if mostFrequent != zeroBin && Double(counts[mostFrequent]) / Double(total) < 0.7 { mostFrequent = zeroBin }
        firstBinImplicit = mostFrequent == 0
        // Our empty missing bin of a feature without missing values does not exist in LightGBM.
        let lightGBMBins = hasMissingType ? binCount : binCount - 1
        totalMinusOthersBin = mostFrequent > 0 && mostFrequent < lightGBMBins ? mostFrequent : nil
    }

    /// The bin whose row sums are never read: bin 0 when LightGBM leaves it out, else the bin `FixHistogram`
    /// overwrites. Usually the most frequent bin, so histogram building sends its rows elsewhere.
    var unreadBin: Int? { firstBinImplicit ? 0 : totalMinusOthersBin }

    /// The bins in LightGBM's order for this feature (numeric: ours, without an unused missing bin;
    /// categorical: LightGBM's bin 0 is our last, "other", bin).
    var lightGBMBinOrder: [Int] {
        if isCategorical { return [missingBin] + Array(0..<missingBin) }
        return Array(0..<(hasMissingType ? binCount : binCount - 1))
    }

    /// LightGBM's `GreedyFindBin` over distinct sorted values; the last bound returned is +inf.
    static func greedyBounds(_ distinct: [Float], _ counts: [Int], maxBin: Int, minDataInBin: Int) -> [Float] {
        var bounds: [Float] = []
        if distinct.count <= maxBin {
            // Few distinct values: one bin each, merging values too rare to stand alone.
            var current = 0
            for i in 0..<max(distinct.count - 1, 0) {
                current += counts[i]
                if current >= minDataInBin {
                    bounds.append(midpoint(distinct[i], distinct[i + 1]))
                    current = 0
                }
            }
        } else {
            // Values frequent enough to deserve a bin of their own are cut around first, the rest is
            // spread evenly over the remaining bins.
            let total = counts.reduce(0, +)
            let meanBinSize = Double(total) / Double(maxBin)
            let isBig = counts.map { Double($0) >= meanBinSize }
            var restCount = Double(total - zip(counts, isBig).reduce(0) { $0 + ($1.1 ? $1.0 : 0) })
            var restBins = maxBin - isBig.filter { $0 }.count
            var target = restCount / Double(max(restBins, 1))
            var current = 0.0
            for i in 0..<(distinct.count - 1) {
                if !isBig[i] { restCount -= Double(counts[i]) }
                current += Double(counts[i])
                if isBig[i] || current >= target || (isBig[i + 1] && current >= max(1, target * 0.5)) {
                    bounds.append(midpoint(distinct[i], distinct[i + 1]))
                    if bounds.count >= maxBin - 1 { break }
                    if !isBig[i] {
                        restBins -= 1
                        target = restCount / Double(max(restBins, 1))
                    }
                    current = 0
                }
            }
        }
        bounds.append(.infinity)
        return bounds
    }

    /// Categorical bins: the most frequent categories (at most `maxBin`) get their own bin.
    static func categorical(codes: [Int], maxBin: Int, missingCount: Int = 0) -> FeatureBins {
        var frequency: [Int: Int] = [:]
        for c in codes { frequency[c, default: 0] += 1 }
        let kept = frequency.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(maxBin).map(\.key)
        var binOfCategory = [Int32](repeating: -1, count: (kept.max() ?? -1) + 1)
        for (bin, code) in kept.enumerated() { binOfCategory[code] = Int32(bin) }
        var bins = FeatureBins(isCategorical: true, upperBounds: [], categoryOfBin: kept, binOfCategory: binOfCategory,
                               isTrivial: kept.count + (missingCount > 0 || frequency.count > kept.count ? 1 : 0) <= 1)
        // LightGBM's most_freq_bin over [other, categories by count]: the largest, unless it holds under 70% of
        // the sample, then the bin of code 0 (its default bin).
        let keptCounts = kept.map { frequency[$0]! }
        let other = codes.count + missingCount - keptCounts.reduce(0, +)
        let lightGBMCounts = [other] + keptCounts
        var mostFrequent = 0
        for b in lightGBMCounts.indices where lightGBMCounts[b] > lightGBMCounts[mostFrequent] { mostFrequent = b }
        let zeroBin = kept.firstIndex(of: 0).map { $0 + 1 } ?? 0
        let total = max(codes.count + missingCount, 1)
        if mostFrequent != zeroBin && Double(lightGBMCounts[mostFrequent]) / Double(total) < 0.7 {
            mostFrequent = zeroBin
        }
        bins.totalMinusOthersBin = mostFrequent > 0 ? mostFrequent - 1 : nil
        return bins
    }
}

/// A midpoint strictly usable as a threshold: `a <= m < b`.
func midpoint(_ a: Float, _ b: Float) -> Float {
    let m = Float((Double(a) + Double(b)) / 2)
    return m < b && m >= a ? m : a
}

/// The training matrix converted to bins, column-major (one contiguous column of `UInt8` per feature).
struct BinnedMatrix: Sendable {
    let rows: Int
    let features: Int
    let bins: [UInt8]
    let mappers: [FeatureBins]
    /// Where each feature's bins start in a flattened histogram.
    let binOffsets: [Int]
    let totalBins: Int

    /// Largest category code accepted; bigger codes would make the split bitsets unreasonably large.
    static let maximumCategoryCode = 1 << 20

    init(features matrix: Tensor, categorical: Set<Int>, parameters: GradientBoostingParameters) throws {
        let rows = matrix.rows, features = matrix.columns
        for f in categorical where f < 0 || f >= features {
            throw BoostingError.categoricalFeatureOutOfRange(feature: f, featureCount: features)
        }
        // Bin boundaries come from a seeded sample of rows, like LightGBM's bin_construct_sample_cnt.
        var sample = Array(0..<rows)
        if rows > parameters.binSampleCount {
            var generator = SeededGenerator.derived(from: parameters.seed, stream: 0xB1_75)
            for i in 0..<parameters.binSampleCount {
                let j = i + Int(generator.next() % UInt64(rows - i))
                sample.swapAt(i, j)
            }
            sample = Array(sample[0..<parameters.binSampleCount]).sorted()
        }
        var mappers: [FeatureBins] = []
        mappers.reserveCapacity(features)
        try matrix.scalars.withUnsafeBufferPointer { x in
            for f in 0..<features {
                if categorical.contains(f) {
                    for r in 0..<rows {
                        let v = x[r * features + f]
                        if v.isNaN { continue }
                        guard v >= 0, v < Float(Self.maximumCategoryCode), v == v.rounded(.towardZero) else {
                            throw BoostingError.invalidCategoryCode(feature: f, row: r, value: v)
                        }
                    }
                    let codes = sample.compactMap { r -> Int? in
                        let v = x[r * features + f]
                        return v.isNaN ? nil : Int(v)
                    }
                    mappers.append(.categorical(codes: codes, maxBin: parameters.maxBin,
                                                missingCount: sample.count - codes.count))
                } else {
                    var values: [Float] = []
                    values.reserveCapacity(sample.count)
                    for r in sample { let v = x[r * features + f]; if !v.isNaN { values.append(v) } }
                    values.sort()
                    mappers.append(.numeric(sortedValues: values, maxBin: parameters.maxBin,
                                            minDataInBin: parameters.minDataInBin,
                                            missingCount: sample.count - values.count))
                }
            }
        }
        var offsets: [Int] = []
        var total = 0
        for m in mappers { offsets.append(total); total += m.binCount }
        var bins = [UInt8](repeating: 0, count: rows * features)
        matrix.scalars.withUnsafeBufferPointer { x in
            bins.withUnsafeMutableBufferPointer { out in
                let out = out
                parallelFor(features) { _, range in
                    for f in range {
                        let mapper = mappers[f]
                        let column = out.baseAddress! + f * rows
                        for r in 0..<rows { column[r] = UInt8(mapper.bin(of: x[r * features + f])) }
                    }
                }
            }
        }
        self.rows = rows
        self.features = features
        self.bins = bins
        self.mappers = mappers
        self.binOffsets = offsets
        self.totalBins = total
    }
}
