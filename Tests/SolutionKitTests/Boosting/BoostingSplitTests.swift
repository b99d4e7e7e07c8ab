import XCTest
@testable import SolutionKit

/// Split finding, missing-value routing and categorical splits on small hand-made data.
final class BoostingSplitTests: XCTestCase {
    func stumpParameters(_ objective: BoostingObjective = .squaredError) -> GradientBoostingParameters {
        var p = GradientBoostingParameters()
        p.objective = objective
        p.numberOfRounds = 1
        p.numberOfLeaves = 2
        p.minDataInLeaf = 1
        p.learningRate = 1
        p.minDataInBin = 1
        return p
    }

    func testStumpFindsTheKnownBestSplit() throws {
        // Feature 0 is noise, feature 1 separates y at x1 = 5 (between 4 and 6).
        let x1: [Float] = [1, 2, 3, 4, 6, 7, 8, 9]
        let x0: [Float] = [5, 1, 7, 3, 2, 8, 4, 6]
        let y: [Double] = [1, 1, 1, 1, 5, 5, 5, 5]
        let x = Tensor(shape: [8, 2], scalars: zip(x0, x1).flatMap { [$0, $1] })
        let model = try GradientBoostingTrainer(parameters: stumpParameters()).fit(features: x, labels: y)
        let tree = model.trees[0]
        XCTAssertEqual(tree.splitFeature, [1])
        XCTAssertEqual(tree.threshold[0], 5, accuracy: 1e-6)  // midpoint of 4 and 6
        // Mean 3; leaves are the side means minus it; gain = Σ G²/H over children - parent = 16+16-0 = 32.
        // (Up to LightGBM's kEpsilon in hessian sums, see BoostingLightGBMTieTests.)
        XCTAssertEqual(tree.leafValue.sorted()[0], -2, accuracy: 1e-12)
        XCTAssertEqual(tree.leafValue.sorted()[1], 2, accuracy: 1e-12)
        XCTAssertEqual(tree.splitGain[0], 32, accuracy: 1e-9)
        for (p, t) in zip(try model.predictions(for: x), y) { XCTAssertEqual(p, t, accuracy: 1e-12) }
        XCTAssertEqual(model.featureImportance(.splitCount), [0, 1])
        XCTAssertEqual(model.featureImportance(.gain)[0], 0)
        XCTAssertEqual(model.featureImportance(.gain)[1], 32, accuracy: 1e-9)
        // Float labels train the same model.
        let fromFloat = try GradientBoostingTrainer(parameters: stumpParameters())
            .fit(features: x, labels: y.map(Float.init))
        XCTAssertEqual(fromFloat, model)
    }

    func testRegularisationShrinksLeavesAsInLightGBM() throws {
        var p = stumpParameters()
        p.lambdaL2 = 2
        p.lambdaL1 = 1
        let x = Tensor(shape: [4, 1], scalars: [0, 0, 1, 1])
        let model = try GradientBoostingTrainer(parameters: p).fit(features: x, labels: [0, 0, 4, 4])
        // Residuals ∓2 per row: G = ±4, H = 2; leaf = -(|G| - λ1)·sign(G) / (H + λ2) = ∓3/4.
        // (Up to LightGBM's kEpsilon in hessian sums.)
        XCTAssertEqual(model.trees[0].leafValue.sorted()[0], -0.75, accuracy: 1e-12)
        XCTAssertEqual(model.trees[0].leafValue.sorted()[1], 0.75, accuracy: 1e-12)
    }

    func testMissingValuesGoTheLearnedWay() throws {
        // Missing rows have high labels like the rows with x > 5, so they must be routed right...
        let nan = Float.nan
        let xs: [Float] = [1, 2, 3, 4, 6, 7, 8, 9, nan, nan]
        let y: [Double] = [0, 0, 0, 0, 10, 10, 10, 10, 10, 10]
        let model = try GradientBoostingTrainer(parameters: stumpParameters())
            .fit(features: Tensor(shape: [10, 1], scalars: xs), labels: y)
        XCTAssertFalse(model.trees[0].missingGoesLeft[0])
        let p = try model.predictions(for: Tensor(shape: [3, 1], scalars: [nan, 2, 8]))
        XCTAssertEqual(p[0], 10, accuracy: 1e-9)
        XCTAssertEqual(p[1], 0, accuracy: 1e-9)
        // ...and left when they look like the low rows.
        let y2: [Double] = [0, 0, 0, 0, 10, 10, 10, 10, 0, 0]
        let model2 = try GradientBoostingTrainer(parameters: stumpParameters())
            .fit(features: Tensor(shape: [10, 1], scalars: xs), labels: y2)
        XCTAssertTrue(model2.trees[0].missingGoesLeft[0])
        XCTAssertEqual(try model2.predictions(for: Tensor(shape: [1, 1], scalars: [nan]))[0], 0, accuracy: 1e-9)
        // The compact predictor routes them identically.
        XCTAssertEqual(try model2.compactPredictor().predictions(for: Tensor(shape: [2, 1], scalars: [nan, 9])),
                       try model2.predictions(for: Tensor(shape: [2, 1], scalars: [nan, 9])))
    }

    func testCategoricalSplitGroupsCategoriesByTarget() throws {
        // Eight categories; codes {1, 4, 6} have high targets. No ordering of the codes separates them,
        // a categorical subset split does in one step.
        var xs: [Float] = [], y: [Double] = []
        for r in 0..<800 {
            let code = r % 8
            xs.append(Float(code))
            y.append([1, 4, 6].contains(code) ? 10 : 0)
        }
        var p = stumpParameters()
        p.minDataPerCategoryGroup = 10
        p.categoryL2 = 0  // so leaf values are the plain group means
        let model = try GradientBoostingTrainer(parameters: p)
            .fit(features: Tensor(shape: [800, 1], scalars: xs), labels: y, categoricalFeatures: [0])
        let tree = model.trees[0]
        XCTAssertTrue(tree.isCategorical[0])
        let left = Set(tree.leftCategories[0])
        XCTAssertTrue(left == [1, 4, 6] || left == [0, 2, 3, 5, 7], "left set \(left)")
        let probe = Tensor(shape: [4, 1], scalars: [1, 2, 6, 99])
        let predicted = try model.predictions(for: probe)
        XCTAssertEqual(predicted[0], 10, accuracy: 1e-9)
        XCTAssertEqual(predicted[1], 0, accuracy: 1e-9)
        XCTAssertEqual(predicted[2], 10, accuracy: 1e-9)
        // An unseen category goes right, like missing values.
        let rightValue = tree.leafValue[Int(~tree.rightChild[0])] + model.initialScore
        XCTAssertEqual(predicted[3], rightValue, accuracy: 1e-9)
        XCTAssertEqual(try model.compactPredictor().predictions(for: probe), predicted)
    }

    func testFewCategoriesSplitOneVersusRest() throws {
        let xs: [Float] = (0..<40).map { Float($0 % 3) }
        let y: [Double] = (0..<40).map { $0 % 3 == 2 ? 1 : 0 }
        let model = try GradientBoostingTrainer(parameters: stumpParameters())
            .fit(features: Tensor(shape: [40, 1], scalars: xs), labels: y, categoricalFeatures: [0])
        XCTAssertEqual(model.trees[0].leftCategories[0], [2])
    }

    func testLeafWiseGrowthRespectsLeafDepthAndDataLimits() throws {
        let x = BoostingTestSupport.uniformMatrix(rows: 2000, features: 5, seed: 3)
        let y = BoostingTestSupport.friedmanLike(x, seed: 4)
        var p = GradientBoostingParameters()
        p.numberOfRounds = 5
        p.numberOfLeaves = 15
        p.minDataInLeaf = 40
        let model = try GradientBoostingTrainer(parameters: p).fit(features: x, labels: y)
        for tree in model.trees {
            XCTAssertEqual(tree.leafValue.count, 15)
            XCTAssertGreaterThanOrEqual(tree.leafCount.min()!, 40)
            XCTAssertEqual(tree.leafCount.reduce(0, +), 2000)
        }
        p.maxDepth = 2
        let shallow = try GradientBoostingTrainer(parameters: p).fit(features: x, labels: y)
        XCTAssertTrue(shallow.trees.allSatisfy { $0.depth <= 2 && $0.leafValue.count <= 4 })
        p.maxDepth = nil
        p.minGainToSplit = 1e12
        let none = try GradientBoostingTrainer(parameters: p).fit(features: x, labels: y)
        XCTAssertTrue(none.trees.isEmpty)
    }

    func testBoostingFitsANonlinearFunction() throws {
        let x = BoostingTestSupport.uniformMatrix(rows: 3000, features: 5, seed: 1)
        let y = BoostingTestSupport.friedmanLike(x, seed: 2)
        let xt = BoostingTestSupport.uniformMatrix(rows: 1000, features: 5, seed: 7)
        let yt = BoostingTestSupport.friedmanLike(xt, seed: 8)
        var p = GradientBoostingParameters()
        p.numberOfRounds = 200
        let model = try GradientBoostingTrainer(parameters: p).fit(features: x, labels: y)
        let rmse = BoostingTestSupport.rmse(try model.predictions(for: xt), yt)
        // Noise sd is 0.5 and the target's sd about 3.4: a good fit lands well under 1.
        XCTAssertLessThan(rmse, 0.9)
        let importance = model.featureImportance(.gain)
        XCTAssertGreaterThan(importance[0] + importance[1] + importance[2], 20 * (importance[3] + importance[4]))
    }
}
