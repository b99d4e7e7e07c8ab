/// All trees of a model flattened into contiguous node arrays for fast batch scoring.
///
/// One array per node attribute, node indices global across trees, categorical left-sets as bitsets:
/// a row's walk touches a few cache lines per tree and does no allocation or dynamic dispatch.
/// Rows are scored in parallel; each row's trees are summed in tree order, so results are deterministic.
public struct CompactTreePredictor: Sendable {
    public let featureCount: Int
    public let objective: BoostingObjective
    public let initialScore: Double

    /// One internal node in 16 bytes, so a visit touches a single cache line.
    /// `packedFeature` holds the feature index in its low 29 bits, bit 30 = missing goes left,
    /// bit 29 = categorical (then `threshold`'s bit pattern is the node's first word in `bitsets`).
    struct Node {
        var threshold: Float
        var packedFeature: UInt32
        var left: Int32
        var right: Int32
    }

    static let missingLeftBit: UInt32 = 1 << 30
    static let categoricalBit: UInt32 = 1 << 29
    static let featureMask: UInt32 = (1 << 29) - 1

    /// Nodes of all trees; child indices are global, negative values are `~leafIndex` into `leafValue`.
    private let nodes: [Node]
    /// Categorical nodes: number of 32-bit words of the node's left-category bitset.
    private let bitsetWords: [Int32]
    private let bitsets: [UInt32]
    private let leafValue: [Double]
    /// Root of each tree: a node index, or `~leaf` for a single-leaf tree.
    private let roots: [Int32]

    public init(model: GradientBoostedModel) {
        featureCount = model.featureCount
        objective = model.objective
        initialScore = model.initialScore
        var nodes: [Node] = [], bitsetWords: [Int32] = [], bitsets: [UInt32] = []
        var leafValue: [Double] = [], roots: [Int32] = []
        for tree in model.trees {
            let nodeBase = Int32(nodes.count), leafBase = Int32(leafValue.count)
            func globalChild(_ c: Int32) -> Int32 { c >= 0 ? c + nodeBase : ~(~c + leafBase) }
            roots.append(tree.internalNodeCount == 0 ? ~leafBase : nodeBase)
            for node in 0..<tree.internalNodeCount {
                var packed = UInt32(tree.splitFeature[node])
                if tree.missingGoesLeft[node] { packed |= Self.missingLeftBit }
                var threshold = tree.threshold[node]
                if tree.isCategorical[node] {
                    packed |= Self.categoricalBit
                    let words = Int((tree.leftCategories[node].max() ?? 0) / 32) + 1
                    var set = [UInt32](repeating: 0, count: words)
                    for c in tree.leftCategories[node] { set[Int(c) / 32] |= 1 << UInt32(Int(c) % 32) }
                    threshold = Float(bitPattern: UInt32(bitsets.count))
                    bitsetWords.append(Int32(words))
                    bitsets.append(contentsOf: set)
                } else {
                    bitsetWords.append(0)
                }
                nodes.append(Node(threshold: threshold, packedFeature: packed,
                                  left: globalChild(tree.leftChild[node]), right: globalChild(tree.rightChild[node])))
            }
            leafValue.append(contentsOf: tree.leafValue)
        }
        self.nodes = nodes
        self.bitsetWords = bitsetWords
        self.bitsets = bitsets
        self.leafValue = leafValue
        self.roots = roots
    }

    /// Raw scores for `count` rows of `featureCount` floats starting at `rows`, written to `output`.
    ///
    /// Rows are taken in blocks of 32 and each tree is applied to the whole block before the next, so a
    /// tree's nodes stay in the L1 cache while they are used.
    public func predictRaw(rows: UnsafePointer<Float>, count: Int, output: UnsafeMutablePointer<Double>) {
        nodes.withUnsafeBufferPointer { nodes in
        bitsetWords.withUnsafeBufferPointer { bitsetWords in
        bitsets.withUnsafeBufferPointer { bitsets in
        leafValue.withUnsafeBufferPointer { leafValue in
        roots.withUnsafeBufferPointer { roots in
            let width = featureCount, base = initialScore
            parallelFor(count, minimumChunkSize: 2048) { _, range in
                var blockStart = range.lowerBound
                while blockStart < range.upperBound {
                    let blockEnd = min(blockStart + 32, range.upperBound)
                    for r in blockStart..<blockEnd { output[r] = base }
                    for t in 0..<roots.count {
                        let root = Int(roots[t])
                        for r in blockStart..<blockEnd {
                            let x = rows + r * width
                            var node = root
                            while node >= 0 {
                                let n = nodes[node]
                                let v = x[Int(n.packedFeature & Self.featureMask)]
                                let goLeft: Bool
                                if n.packedFeature & Self.categoricalBit == 0 {
                                    goLeft = v <= n.threshold || (n.packedFeature & Self.missingLeftBit != 0 && v.isNaN)
                                } else if v >= 0 && v < 4_294_967_040 && v == v.rounded(.towardZero) {
                                    let code = Int(v), word = code >> 5
                                    goLeft = word < Int(bitsetWords[node])
                                        && bitsets[Int(n.threshold.bitPattern) + word] & (1 << UInt32(code & 31)) != 0
                                } else {
                                    goLeft = false
                                }
                                node = Int(goLeft ? n.left : n.right)
                            }
                            output[r] += leafValue[~node]
                        }
                    }
                    blockStart = blockEnd
                }
            }
        }}}}}
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
