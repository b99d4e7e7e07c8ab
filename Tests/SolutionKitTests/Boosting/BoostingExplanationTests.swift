import XCTest
@testable import SolutionKit

/// TreeSHAP: local accuracy and agreement with brute-force Shapley values.
final class BoostingExplanationTests: XCTestCase {
    func smallModel(rounds: Int, leaves: Int, features: Int = 4, categorical: Bool = false) throws
        -> (GradientBoostedModel, Tensor) {
        var x = BoostingTestSupport.uniformMatrix(rows: 600, features: features, seed: 11)
        if categorical { for r in 0..<600 { x.scalars[r * features + 3] = Float(r % 6) } }
        for r in stride(from: 0, to: 600, by: 17) { x.scalars[r * features + 1] = .nan }
        let y = BoostingTestSupport.friedmanLike(x, seed: 12).enumerated().map { r, v in
            v + (categorical ? Double(r % 6 == 2 ? 3 : 0) : 0) }
        var p = GradientBoostingParameters()
        p.numberOfRounds = rounds
        p.numberOfLeaves = leaves
        p.minDataPerCategoryGroup = 20
        let model = try GradientBoostingTrainer(parameters: p)
            .fit(features: x, labels: y, categoricalFeatures: categorical ? [3] : [])
        return (model, x)
    }

    func testContributionsSumToRawPrediction() throws {
        let (model, x) = try smallModel(rounds: 30, leaves: 15, categorical: true)
        let contributions = try model.contributions(for: x)
        let raw = try model.rawPredictions(for: x)
        for r in 0..<x.rows {
            XCTAssertEqual(contributions.row(r).reduce(0, +), raw[r], accuracy: 1e-9 * max(1, abs(raw[r])))
            XCTAssertEqual(contributions[r, 4], model.expectedValue, accuracy: 1e-12)
        }
    }

    /// E[f(x) | x_S] as TreeSHAP defines it: features outside S average the children by cover.
    func conditionalValue(_ tree: DecisionTree, _ row: UnsafePointer<Float>, _ subset: Set<Int>, _ node: Int32) -> Double {
        if node < 0 { return tree.leafValue[Int(~node)] }
        let n = Int(node)
        let feature = Int(tree.splitFeature[n])
        if subset.contains(feature) {
            let next = tree.goesLeft(node: n, value: row[feature]) ? tree.leftChild[n] : tree.rightChild[n]
            return conditionalValue(tree, row, subset, next)
        }
        let l = tree.leftChild[n], r = tree.rightChild[n]
        return (tree.cover(l) * conditionalValue(tree, row, subset, l)
                + tree.cover(r) * conditionalValue(tree, row, subset, r)) / tree.cover(node)
    }

    func testContributionsEqualBruteForceShapleyValues() throws {
        let (model, x) = try smallModel(rounds: 3, leaves: 8, categorical: true)
        let m = model.featureCount
        let factorial: (Int) -> Double = { n in (0...max(n, 0)).dropFirst().reduce(1.0) { $0 * Double($1) } }
        let contributions = try model.contributions(for: x)
        for r in [0, 1, 17, 34, 200, 599] {
            x.scalars.withUnsafeBufferPointer { buffer in
                let row = buffer.baseAddress! + r * m
                for i in 0..<m {
                    var phi = 0.0
                    for mask in 0..<(1 << m) where mask & (1 << i) == 0 {
                        let subset = Set((0..<m).filter { mask & (1 << $0) != 0 })
                        let weight = factorial(subset.count) * factorial(m - subset.count - 1) / factorial(m)
                        for tree in model.trees where tree.internalNodeCount > 0 {
                            phi += weight * (conditionalValue(tree, row, subset.union([i]), 0)
                                             - conditionalValue(tree, row, subset, 0))
                        }
                    }
                    XCTAssertEqual(contributions[r, i], phi, accuracy: 1e-9, "row \(r) feature \(i)")
                }
            }
        }
    }
}
