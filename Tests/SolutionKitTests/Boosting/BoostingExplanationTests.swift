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

    func testContributionsEqualBruteForceShapleyValues() throws {
        let (model, x) = try smallModel(rounds: 3, leaves: 8, categorical: true)
        let m = model.featureCount
        let contributions = try model.contributions(for: x)
        for r in [0, 1, 17, 34, 200, 599] {
            x.scalars.withUnsafeBufferPointer { buffer in
                let row = buffer.baseAddress! + r * m
                for i in 0..<m {
                    let phi = BruteForceShapley.value(model, row: row, feature: i)
                    XCTAssertEqual(contributions[r, i], phi, accuracy: 1e-9, "row \(r) feature \(i)")
                }
            }
        }
    }
}
