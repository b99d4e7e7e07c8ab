/// All trees of a model flattened into contiguous node arrays for fast batch scoring.
///
/// One array per node attribute, node indices global across trees, categorical left-sets as bitsets:
/// a row's walk touches a few cache lines per tree and does no allocation or dynamic dispatch.
/// Rows are scored in parallel; each row's trees are summed in tree order, so results are deterministic.
public struct CompactTreePredictor: Sendable {
    public let featureCount: Int
    public let objective: BoostingObjective
    public let initialScore: Double
    private let feature: [Int32]
    private let threshold: [Float]
    /// Global child indices; negative values are `~leafIndex` into `leafValue`.
    private let left: [Int32]
    private let right: [Int32]
    /// Bit 0: missing goes left. Bit 1: categorical.
    private let flags: [UInt8]
    /// Categorical nodes: first word and word count in `bitsets`.
    private let bitsetStart: [Int32]
    private let bitsetWords: [Int32]
    private let bitsets: [UInt32]
    private let leafValue: [Double]
    /// Root of each tree: a node index, or `~leaf` for a single-leaf tree.
    private let roots: [Int32]

    public init(model: GradientBoostedModel) {
        featureCount = model.featureCount
        objective = model.objective
        initialScore = model.initialScore
        var feature: [Int32] = [], threshold: [Float] = [], left: [Int32] = [], right: [Int32] = []
        var flags: [UInt8] = [], bitsetStart: [Int32] = [], bitsetWords: [Int32] = [], bitsets: [UInt32] = []
        var leafValue: [Double] = [], roots: [Int32] = []
        for tree in model.trees {
            let nodeBase = Int32(feature.count), leafBase = Int32(leafValue.count)
            func globalChild(_ c: Int32) -> Int32 { c >= 0 ? c + nodeBase : ~(~c + leafBase) }
            roots.append(tree.internalNodeCount == 0 ? ~leafBase : nodeBase)
            for node in 0..<tree.internalNodeCount {
                feature.append(tree.splitFeature[node])
                threshold.append(tree.threshold[node])
                left.append(globalChild(tree.leftChild[node]))
                right.append(globalChild(tree.rightChild[node]))
                var flag: UInt8 = tree.missingGoesLeft[node] ? 1 : 0
                if tree.isCategorical[node] {
                    flag |= 2
                    let words = Int((tree.leftCategories[node].max() ?? 0) / 32) + 1
                    var set = [UInt32](repeating: 0, count: words)
                    for c in tree.leftCategories[node] { set[Int(c) / 32] |= 1 << UInt32(Int(c) % 32) }
                    bitsetStart.append(Int32(bitsets.count))
                    bitsetWords.append(Int32(words))
                    bitsets.append(contentsOf: set)
                } else {
                    bitsetStart.append(0)
                    bitsetWords.append(0)
                }
                flags.append(flag)
            }
            leafValue.append(contentsOf: tree.leafValue)
        }
        (self.feature, self.threshold, self.left, self.right) = (feature, threshold, left, right)
        (self.flags, self.bitsetStart, self.bitsetWords, self.bitsets) = (flags, bitsetStart, bitsetWords, bitsets)
        (self.leafValue, self.roots) = (leafValue, roots)
    }

    /// Raw scores for `count` rows of `featureCount` floats starting at `rows`, written to `output`.
    public func predictRaw(rows: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Double>) {
        feature.withUnsafeBufferPointer { feature in
        threshold.withUnsafeBufferPointer { threshold in
        left.withUnsafeBufferPointer { left in
        right.withUnsafeBufferPointer { right in
        flags.withUnsafeBufferPointer { flags in
        bitsetStart.withUnsafeBufferPointer { bitsetStart in
        bitsetWords.withUnsafeBufferPointer { bitsetWords in
        bitsets.withUnsafeBufferPointer { bitsets in
        leafValue.withUnsafeBufferPointer { leafValue in
        roots.withUnsafeBufferPointer { roots in
            let width = featureCount, base = initialScore
            parallelFor(count, minimumChunkSize: 2048) { _, range in
                for r in range {
                    let x = rows + r * width
                    var sum = base
                    for t in 0..<roots.count {
                        var node = Int(roots[t])
                        while node >= 0 {
                            let v = x[Int(feature[node])]
                            let flag = flags[node]
                            let goLeft: Bool
                            if flag & 2 == 0 {
                                goLeft = v <= threshold[node] || (flag & 1 != 0 && v.isNaN)
                            } else if v >= 0 && v < 4_294_967_040 && v == v.rounded(.towardZero) {
                                let code = Int(v), word = code >> 5
                                goLeft = word < Int(bitsetWords[node])
                                    && bitsets[Int(bitsetStart[node]) + word] & (1 << UInt32(code & 31)) != 0
                            } else {
                                goLeft = false
                            }
                            node = Int(goLeft ? left[node] : right[node])
                        }
                        sum += leafValue[~node]
                    }
                    output[r] = sum
                }
            }
        }}}}}}}}}}
    }

    /// Raw scores of every row of `features`.
    public func rawPredictions(for features: Tensor) throws -> [Double] {
        if features.rows > 0 && features.columns != featureCount {
            throw BoostingError.featureCountMismatch(expected: featureCount, got: features.columns)
        }
        var out = [Double](repeating: 0, count: features.rows)
        features.scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                if let xb = x.baseAddress, let ob = o.baseAddress {
                    predictRaw(rows: xb, count: features.rows, output: ob)
                }
            }
        }
        return out
    }

    /// Predictions on the label scale (probabilities for the binary objective).
    public func predictions(for features: Tensor) throws -> [Double] {
        try rawPredictions(for: features).map(objective.transform)
    }
}

extension GradientBoostedModel {
    /// The flattened predictor for batch scoring.
    public func compactPredictor() -> CompactTreePredictor { CompactTreePredictor(model: self) }
}
