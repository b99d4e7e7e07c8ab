/// Per-bin sums of gradient and hessian for one leaf, over every feature.
///
/// Stored flat as `(gradient, hessian)` pairs of Double, feature after feature at `BinnedMatrix.binOffsets`,
/// like LightGBM's `hist_t` histograms. There is no row count: as in LightGBM, split search derives counts
/// from hessians (`SplitScorer.count`). Each feature's bins are summed by one worker in row order — the order
/// of LightGBM's dense-bin loop, so the sums round the same way — and the result is bit-identical whatever the
/// thread count. Only the smaller child of a split is built from rows; its sibling is the parent minus it.
struct HistogramPool {
    let totalBins: Int
    private(set) var storage: UnsafeMutablePointer<Double>
    let slots: Int

    init(totalBins: Int, slots: Int) {
        self.totalBins = totalBins
        self.slots = slots
        storage = .allocate(capacity: max(1, totalBins * 2 * slots))
    }

    func free() { storage.deallocate() }

    @inline(__always)
    func slot(_ index: Int) -> UnsafeMutablePointer<Double> { storage + index * totalBins * 2 }
}

enum HistogramBuilder {
    /// Fills the histogram at `output` for the rows `rowIndices[0..<count]` with their gradients and
    /// hessians given in the same order, or for rows `0..<count` when `allRows` is true.
    static func build(matrix: BinnedMatrix, bins: UnsafePointer<UInt8>, features: [Int],
                      rowIndices: UnsafePointer<Int32>, count: Int, allRows: Bool,
                      gradients: UnsafePointer<Float>, hessians: UnsafePointer<Float>,
                      output: UnsafeMutablePointer<Double>) {
        let rows = matrix.rows
        let offsets = matrix.binOffsets
        let mappers = matrix.mappers
        // Below this amount of work a thread hop costs more than it saves.
        let chunks = count * features.count < 40_000 ? 1 : features.count
        features.withUnsafeBufferPointer { features in
            parallelFor(features.count, chunks: chunks) { _, range in
                for k in range {
                    let f = features[k]
                    let hist = output + offsets[f] * 2
                    hist.update(repeating: 0, count: mappers[f].binCount * 2)
                    let column = bins + f * rows
                    // Rows of the unread bin (often most rows, see `FeatureBins.unreadBin`) go to four rotating
                    // scratch accumulators: with one accumulator every add would wait for the previous one, and
                    // their sums are never used, so their rounding does not matter.
                    let unread = mappers[f].unreadBin ?? -1
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: 8) { scratch in
                        let scratch = scratch.baseAddress!
                        scratch.initialize(repeating: 0, count: 8)
                        if allRows {
                            for i in 0..<count {
                                let b = Int(column[i])
                                let sums = b == unread ? scratch + ((i & 3) &* 2) : hist + b &* 2
                                sums[0] += Double(gradients[i]); sums[1] += Double(hessians[i])
                            }
                        } else {
                            for i in 0..<count {
                                let b = Int(column[Int(rowIndices[i])])
                                let sums = b == unread ? scratch + ((i & 3) &* 2) : hist + b &* 2
                                sums[0] += Double(gradients[i]); sums[1] += Double(hessians[i])
                            }
                        }
                    }
                }
            }
        }
    }

    /// LightGBM's `Dataset::FixHistogram`, applied to a histogram just built from rows: the bin LightGBM treats
    /// as most frequent gets the leaf's totals minus every other bin (in LightGBM's bin order) instead of its own
    /// sums. Same value up to rounding, but rounding is what decides near ties.
    static func fixMostFrequentBins(matrix: BinnedMatrix, features: [Int], histogram: UnsafeMutablePointer<Double>,
                                    sumGradient: Double, sumHessian: Double) {
        for f in features {
            let mapper = matrix.mappers[f]
            guard let fixed = mapper.totalMinusOthersBin else { continue }
            let hist = histogram + matrix.binOffsets[f] * 2
            var g = sumGradient, h = sumHessian
            for b in mapper.lightGBMBinOrder where b != fixed { g -= hist[b * 2]; h -= hist[b * 2 + 1] }
            hist[fixed * 2] = g
            hist[fixed * 2 + 1] = h
        }
    }

    /// `larger = parent - smaller` for the given features, in place in `parent`.
    static func subtract(matrix: BinnedMatrix, features: [Int], parent: UnsafeMutablePointer<Double>,
                         smaller: UnsafePointer<Double>) {
        for f in features {
            let start = matrix.binOffsets[f] * 2
            let end = start + matrix.mappers[f].binCount * 2
            for i in start..<end { parent[i] -= smaller[i] }
        }
    }
}
