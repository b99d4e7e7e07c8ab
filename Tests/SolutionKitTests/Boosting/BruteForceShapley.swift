@testable import SolutionKit

/// Shapley values by their definition, the slow reference that TreeSHAP tests compare against.
enum BruteForceShapley {
    /// Feature `i`'s Shapley value for `row` under path-dependent TreeSHAP's value function, summed over the trees:
    /// every subset S of the other features, weighted |S|!(m − |S| − 1)!/m!.
    static func value(_ model: GradientBoostedModel, row: UnsafePointer<Float>, feature i: Int) -> Double {
        let m = model.featureCount
        var phi = 0.0
        for mask in 0..<(1 << m) where mask & (1 << i) == 0 {
            let subset = Set((0..<m).filter { mask & (1 << $0) != 0 })
            let weight = factorial(subset.count) * factorial(m - subset.count - 1) / factorial(m)
            for tree in model.trees where tree.internalNodeCount > 0 {
                phi += weight * (conditionalValue(tree, row, subset.union([i]), 0) - conditionalValue(tree, row, subset, 0))
            }
        }
        return phi
    }

    static func factorial(_ n: Int) -> Double { (0...max(n, 0)).dropFirst().reduce(1.0) { $0 * Double($1) } }

    /// E[f(x) | x_S] as path-dependent TreeSHAP defines it: features outside S average the children by cover.
    static func conditionalValue(_ tree: DecisionTree, _ row: UnsafePointer<Float>, _ subset: Set<Int>, _ node: Int32) -> Double {
        if node < 0 { return tree.leafValue[Int(~node)] }
        let n = Int(node)
        let feature = Int(tree.splitFeature[n])
        if subset.contains(feature) {
            return conditionalValue(tree, row, subset, tree.goesLeft(node: n, value: row[feature]) ? tree.leftChild[n] : tree.rightChild[n])
        }
        let l = tree.leftChild[n], r = tree.rightChild[n]
        return (tree.cover(l) * conditionalValue(tree, row, subset, l) + tree.cover(r) * conditionalValue(tree, row, subset, r))
            / tree.cover(node)
    }
}
