/// Per-bin sums of gradient, hessian and row count for one leaf, over every feature.
///
/// Stored flat as `(gradient, hessian, count)` triples of Double, feature after feature at
/// `BinnedMatrix.binOffsets`. Each feature's bins are summed by one worker in row order, so the result is
/// bit-identical whatever the thread count; the two cores work on different features at once.
/// Only the smaller child of a split is built from rows; its sibling is the parent minus it.
struct HistogramPool {
    let totalBins: Int
    private(set) var storage: UnsafeMutablePointer<Double>
    let slots: Int

    init(totalBins: Int, slots: Int) {
        self.totalBins = totalBins
        self.slots = slots
        storage = .allocate(capacity: max(1, totalBins * 3 * slots))
    }

    func free() { storage.deallocate() }

    @inline(__always)
    func slot(_ index: Int) -> UnsafeMutablePointer<Double> { storage + index * totalBins * 3 }
}

enum HistogramBuilder {
    /// Fills the histogram at `output` for the rows `rowIndices[0..<count]` with their gradients and
    /// hessians given in the same order (`orderedGradients`), or indexed by row when `ordered` is false.
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
                    let hist = output + offsets[f] * 3
                    let binCount = mappers[f].binCount
                    hist.update(repeating: 0, count: binCount * 3)
                    let column = bins + f * rows
                    // Even and odd rows go to two separate histograms that are added at the end: when many
                    // consecutive rows fall in the same bin (a count that is mostly zero), one accumulator
                    // would serialise every add on the previous one. The order of the sums is fixed by the
                    // row order alone, so results stay identical for any thread count.
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: binCount * 3) { odd in
                        let odd = odd.baseAddress!
                        odd.initialize(repeating: 0, count: binCount * 3)
                        var i = 0
                        if allRows {
                            while i + 1 < count {
                                let b0 = Int(column[i]) &* 3, b1 = Int(column[i &+ 1]) &* 3
                                hist[b0] += Double(gradients[i]); hist[b0 &+ 1] += Double(hessians[i]); hist[b0 &+ 2] += 1
                                odd[b1] += Double(gradients[i &+ 1]); odd[b1 &+ 1] += Double(hessians[i &+ 1])
                                odd[b1 &+ 2] += 1
                                i &+= 2
                            }
                            if i < count {
                                let b0 = Int(column[i]) &* 3
                                hist[b0] += Double(gradients[i]); hist[b0 &+ 1] += Double(hessians[i]); hist[b0 &+ 2] += 1
                            }
                        } else {
                            while i + 1 < count {
                                let b0 = Int(column[Int(rowIndices[i])]) &* 3
                                let b1 = Int(column[Int(rowIndices[i &+ 1])]) &* 3
                                hist[b0] += Double(gradients[i]); hist[b0 &+ 1] += Double(hessians[i]); hist[b0 &+ 2] += 1
                                odd[b1] += Double(gradients[i &+ 1]); odd[b1 &+ 1] += Double(hessians[i &+ 1])
                                odd[b1 &+ 2] += 1
                                i &+= 2
                            }
                            if i < count {
                                let b0 = Int(column[Int(rowIndices[i])]) &* 3
                                hist[b0] += Double(gradients[i]); hist[b0 &+ 1] += Double(hessians[i]); hist[b0 &+ 2] += 1
                            }
                        }
                        for k in 0..<(binCount * 3) { hist[k] += odd[k] }
                    }
                }
            }
        }
    }

    /// `larger = parent - smaller` for the given features, in place in `parent`.
    static func subtract(matrix: BinnedMatrix, features: [Int], parent: UnsafeMutablePointer<Double>,
                         smaller: UnsafePointer<Double>) {
        for f in features {
            let start = matrix.binOffsets[f] * 3
            let end = start + matrix.mappers[f].binCount * 3
            for i in start..<end { parent[i] -= smaller[i] }
        }
    }
}
