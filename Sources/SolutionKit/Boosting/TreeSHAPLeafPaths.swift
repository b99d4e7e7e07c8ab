/// The per-leaf view of path-dependent TreeSHAP (the idea of Fast TreeSHAP v2, Yang 2021).
///
/// TreeSHAP gives each leaf's value to the unique features on its path according to two numbers per feature: the
/// zero fraction z (the product of the cover ratios of the branches taken) and the one fraction o (1 when the row
/// satisfies every condition on that feature along the path, else 0). Since o is 0 or 1, a leaf's contributions
/// depend on the row only through the bit mask of its features' o's; `contributions(mask:into:)` computes them.
struct TreeSHAPLeafPath: Sendable {
    var leaf: Int
    var value: Double
    /// Unique features on the path in first-use order, their zero fractions, and for each the path nodes
    /// (node, whether the path goes left there).
    var features: [Int32]
    var zeros: [Double]
    var conditions: [[(node: Int32, left: Bool)]]

    /// Every leaf of `tree` (which has at least one internal node), depth first, left before right.
    static func paths(of tree: DecisionTree) -> [TreeSHAPLeafPath] {
        var leaves: [TreeSHAPLeafPath] = []
        func childCover(_ c: Int32) -> Double { Double(c >= 0 ? tree.internalCount[Int(c)] : tree.leafCount[Int(~c)]) }
        func walk(_ node: Int32, _ path: [(node: Int32, left: Bool, ratio: Double)]) {
            if node < 0 {
                var features: [Int32] = [], zeros: [Double] = [], conditions: [[(node: Int32, left: Bool)]] = []
                for step in path {
                    let f = tree.splitFeature[Int(step.node)]
                    if let i = features.firstIndex(of: f) {
                        zeros[i] *= step.ratio
                        conditions[i].append((step.node, step.left))
                    } else {
                        features.append(f); zeros.append(step.ratio); conditions.append([(step.node, step.left)])
                    }
                }
                leaves.append(TreeSHAPLeafPath(leaf: Int(~node), value: tree.leafValue[Int(~node)], features: features,
                                               zeros: zeros, conditions: conditions))
                return
            }
            let n = Int(node)
            let cover = Double(tree.internalCount[n])
            let left = tree.leftChild[n], right = tree.rightChild[n]
            walk(left, path + [(node, true, cover > 0 ? childCover(left) / cover : 0)])
            walk(right, path + [(node, false, cover > 0 ? childCover(right) / cover : 0)])
        }
        walk(0, [])
        return leaves
    }

    /// The leaf's contributions to its path features for the one-fraction bit mask (bit i: feature i holds).
    func contributions(mask: Int, into out: inout [Double]) {
        let d = features.count
        // Scratch on the stack: tables call this once per leaf and mask, thousands of times per model.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * (d + 1)) { scratch in
            let z = scratch.baseAddress!, o = z + (d + 1), w = o + (d + 1)
            // EXTEND over the unique features (Lundberg et al. 2018, Algorithm 2), then UNWIND each one.
            z[0] = 1; o[0] = 1; w[0] = 1
            for i in 0..<d {
                let depth = i + 1
                z[depth] = zeros[i]
                o[depth] = (mask >> i) & 1 == 1 ? 1 : 0
                w[depth] = 0
                var k = depth - 1
                while k >= 0 {
                    w[k + 1] += o[depth] * w[k] * Double(k + 1) / Double(depth + 1)
                    w[k] = z[depth] * w[k] * Double(depth - k) / Double(depth + 1)
                    k -= 1
                }
            }
            for i in 1...max(d, 1) where i <= d {
                let one = o[i], zero = z[i]
                var next = w[d], total = 0.0
                var k = d - 1
                while k >= 0 {
                    if one != 0 {
                        let t = next * Double(d + 1) / (Double(k + 1) * one)
                        total += t
                        next = w[k] - t * zero * Double(d - k) / Double(d + 1)
                    } else if zero != 0 {
                        total += (w[k] / zero) / (Double(d - k) / Double(d + 1))
                    }
                    k -= 1
                }
                out[i - 1] = total * (one - zero) * value
            }
        }
    }
}
