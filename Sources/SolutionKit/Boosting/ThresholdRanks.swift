/// Every numeric split threshold of a model, per feature, sorted: a row's position among them decides every split.
///
/// A numeric node sends `x` left iff `x <= t`, so the rank of `x` (how many of the feature's thresholds lie below
/// it) answers every node on that feature at once. Cell tables index by ranks instead of comparing at each node;
/// NaN gets the extra rank `count + 1` so each tree can route it the way its nodes do.
struct ThresholdRanks: Sendable {
    /// Sorted distinct thresholds of each feature (empty for features no numeric node uses).
    let thresholds: [[Float]]
    /// Offset of each feature's thresholds in `flat`.
    let start: [Int]
    let flat: [Float]

    init(model: GradientBoostedModel) {
        var perFeature = [Set<Float>](repeating: [], count: model.featureCount)
        for tree in model.trees {
            for node in 0..<tree.internalNodeCount where !tree.isCategorical[node] && !tree.threshold[node].isNaN {
                perFeature[Int(tree.splitFeature[node])].insert(tree.threshold[node])
            }
        }
        thresholds = perFeature.map { $0.sorted() }
        var start: [Int] = [], flat: [Float] = []
        for values in thresholds { start.append(flat.count); flat += values }
        self.start = start
        self.flat = flat
    }

    /// The rank NaN takes for feature `f`.
    func missingRank(_ f: Int) -> Int { thresholds[f].count + 1 }

    /// Ranks of `count` rows (row-major, `width` floats each) into `ranks` (same layout); features without
    /// thresholds get rank 0, NaN gets `missingRank`.
    @inline(__always)
    static func rank(rows: UnsafePointer<Float>, count: Int, width: Int, flat: UnsafePointer<Float>,
                     start: UnsafePointer<Int>, sizes: UnsafePointer<Int>, into ranks: UnsafeMutablePointer<Int32>) {
        for f in 0..<width {
            let n = sizes[f]
            let values = flat + start[f]
            for r in 0..<count {
                let x = rows[r * width + f]
                var rank: Int
                if x.isNaN {
                    rank = n + 1
                } else if n == 0 {
                    rank = 0
                } else {
                    // Branchless lower bound: the number of thresholds strictly below x.
                    var base = 0, length = n
                    while length > 1 {
                        let half = length >> 1
                        base = values[base + half] < x ? base + half : base
                        length -= half
                    }
                    rank = base + (values[base] < x ? 1 : 0)
                }
                ranks[r * width + f] = Int32(truncatingIfNeeded: rank)
            }
        }
    }
}
