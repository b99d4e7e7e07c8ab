/// Per-row feature contributions (SHAP values), rows × (features + 1); the last column is the expected value.
///
/// For every row, `contributions` sum to the model's raw prediction, which is what makes them usable as
/// reason codes: each number says how much one feature moved this applicant's score from the average.
public struct FeatureContributions: Sendable, Equatable {
    public let rows: Int
    /// Features plus one (the bias column).
    public let columns: Int
    /// Row-major values.
    public var values: [Double]

    public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }

    /// The contributions of one row (the last element is the expected value).
    public func row(_ index: Int) -> ArraySlice<Double> { values[(index * columns)..<((index + 1) * columns)] }
}

extension GradientBoostedModel {
    /// Exact TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2; the path-dependent variant LightGBM's
    /// `pred_contrib` uses), with training-row counts as node cover. Rows are explained in parallel.
    public func contributions(for features: Tensor) throws -> FeatureContributions {
        try checkWidth(features)
        let rows = features.rows, width = featureCount, columns = featureCount + 1
        var values = [Double](repeating: 0, count: rows * columns)
        let depths = trees.map { $0.depth }
        let maxDepth = depths.max() ?? 0
        let expected = expectedValue
        features.scalars.withUnsafeBufferPointer { x in
            values.withUnsafeMutableBufferPointer { out in
                let out = out
                parallelFor(rows, minimumChunkSize: 256) { _, range in
                    var path = [PathElement](repeating: PathElement(), count: (maxDepth + 2) * (maxDepth + 3) / 2)
                    path.withUnsafeMutableBufferPointer { path in
                        for r in range {
                            let phi = out.baseAddress! + r * columns
                            let row = x.baseAddress! + r * width
                            for tree in trees where tree.internalNodeCount > 0 {
                                tree.shap(row: row, phi: phi, node: 0, depth: 0, path: path.baseAddress!,
                                          zeroFraction: 1, oneFraction: 1, feature: -1)
                            }
                            phi[width] += expected
                        }
                    }
                }
            }
        }
        return FeatureContributions(rows: rows, columns: columns, values: values)
    }
}

struct PathElement {
    var feature = -1
    var zeroFraction = 0.0
    var oneFraction = 0.0
    var weight = 0.0
}

extension DecisionTree {
    /// Edges on the longest root-to-leaf path.
    var depth: Int {
        guard internalNodeCount > 0 else { return 0 }
        func walk(_ node: Int32) -> Int { node < 0 ? 0 : 1 + max(walk(leftChild[Int(node)]), walk(rightChild[Int(node)])) }
        return walk(0)
    }

    @inline(__always)
    func cover(_ node: Int32) -> Double { Double(node >= 0 ? internalCount[Int(node)] : leafCount[Int(~node)]) }

    func shap(row: UnsafePointer<Float>, phi: UnsafeMutablePointer<Double>, node: Int32, depth uniqueDepthIn: Int,
              path parentPath: UnsafeMutablePointer<PathElement>, zeroFraction: Double, oneFraction: Double,
              feature: Int) {
        var uniqueDepth = uniqueDepthIn
        let path = parentPath + uniqueDepth
        if uniqueDepth > 0 { path.update(from: parentPath, count: uniqueDepth) }
        Self.extend(path, uniqueDepth, zeroFraction, oneFraction, feature)
        if node < 0 {
            let value = leafValue[Int(~node)]
            if uniqueDepth >= 1 {
                for i in 1...uniqueDepth {
                    let w = Self.unwoundSum(path, uniqueDepth, i)
                    phi[path[i].feature] += w * (path[i].oneFraction - path[i].zeroFraction) * value
                }
            }
            return
        }
        let n = Int(node)
        let splitOn = Int(splitFeature[n])
        let hot = goesLeft(node: n, value: row[splitOn]) ? leftChild[n] : rightChild[n]
        let cold = hot == leftChild[n] ? rightChild[n] : leftChild[n]
        let w = cover(node)
        var incomingZero = 1.0, incomingOne = 1.0
        var pathIndex = 0
        while pathIndex <= uniqueDepth && path[pathIndex].feature != splitOn { pathIndex += 1 }
        if pathIndex != uniqueDepth + 1 {
            incomingZero = path[pathIndex].zeroFraction
            incomingOne = path[pathIndex].oneFraction
            Self.unwind(path, uniqueDepth, pathIndex)
            uniqueDepth -= 1
        }
        shap(row: row, phi: phi, node: hot, depth: uniqueDepth + 1, path: path,
             zeroFraction: cover(hot) / w * incomingZero, oneFraction: incomingOne, feature: splitOn)
        shap(row: row, phi: phi, node: cold, depth: uniqueDepth + 1, path: path,
             zeroFraction: cover(cold) / w * incomingZero, oneFraction: 0, feature: splitOn)
    }

    static func extend(_ p: UnsafeMutablePointer<PathElement>, _ d: Int, _ zero: Double, _ one: Double, _ feature: Int) {
        p[d] = PathElement(feature: feature, zeroFraction: zero, oneFraction: one, weight: d == 0 ? 1 : 0)
        var i = d - 1
        while i >= 0 {
            p[i + 1].weight += one * p[i].weight * Double(i + 1) / Double(d + 1)
            p[i].weight = zero * p[i].weight * Double(d - i) / Double(d + 1)
            i -= 1
        }
    }

    static func unwind(_ p: UnsafeMutablePointer<PathElement>, _ d: Int, _ index: Int) {
        let one = p[index].oneFraction, zero = p[index].zeroFraction
        var next = p[d].weight
        var i = d - 1
        while i >= 0 {
            if one != 0 {
                let tmp = p[i].weight
                p[i].weight = next * Double(d + 1) / (Double(i + 1) * one)
                next = tmp - p[i].weight * zero * Double(d - i) / Double(d + 1)
            } else {
                p[i].weight = p[i].weight * Double(d + 1) / (zero * Double(d - i))
            }
            i -= 1
        }
        for j in index..<d {
            p[j].feature = p[j + 1].feature
            p[j].zeroFraction = p[j + 1].zeroFraction
            p[j].oneFraction = p[j + 1].oneFraction
        }
    }

    static func unwoundSum(_ p: UnsafeMutablePointer<PathElement>, _ d: Int, _ index: Int) -> Double {
        let one = p[index].oneFraction, zero = p[index].zeroFraction
        var next = p[d].weight
        var total = 0.0
        var i = d - 1
        while i >= 0 {
            if one != 0 {
                let tmp = next * Double(d + 1) / (Double(i + 1) * one)
                total += tmp
                next = p[i].weight - tmp * zero * (Double(d - i) / Double(d + 1))
            } else {
                total += (p[i].weight / zero) / (Double(d - i) / Double(d + 1))
            }
            i -= 1
        }
        return total
    }
}
