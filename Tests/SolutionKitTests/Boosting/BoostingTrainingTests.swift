import Foundation
import XCTest
@testable import SolutionKit

/// Determinism, early stopping, objectives end to end, serialisation and bad input.
final class BoostingTrainingTests: XCTestCase {
    func richParameters() -> GradientBoostingParameters {
        var p = GradientBoostingParameters()
        p.numberOfRounds = 25
        p.numberOfLeaves = 20
        p.featureFraction = 0.7
        p.baggingFraction = 0.8
        p.baggingFrequency = 1
        p.lambdaL2 = 1
        p.seed = 42
        return p
    }

    func data(rows: Int = 4000, seed: UInt64 = 5) -> (Tensor, [Double]) {
        var x = BoostingTestSupport.uniformMatrix(rows: rows, features: 6, seed: seed)
        for r in 0..<rows { x.scalars[r * 6 + 5] = Float(r % 9) }
        for r in stride(from: 0, to: rows, by: 13) { x.scalars[r * 6 + 2] = .nan }
        let y = BoostingTestSupport.friedmanLike(x, seed: seed + 1)
        return (x, y)
    }

    func testSameSeedGivesIdenticalTreesWhateverTheThreadCount() throws {
        let (x, y) = data()
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        var models: [GradientBoostedModel] = []
        for threads in [1, 2, 3, 8] {
            Parallelism.threadCount = threads
            models.append(try GradientBoostingTrainer(parameters: richParameters())
                .fit(features: x, labels: y, categoricalFeatures: [5]))
        }
        for model in models.dropFirst() { XCTAssertEqual(model, models[0]) }
        var other = richParameters()
        other.seed = 43
        let different = try GradientBoostingTrainer(parameters: other).fit(features: x, labels: y, categoricalFeatures: [5])
        XCTAssertNotEqual(different.trees, models[0].trees)
    }

    func testEarlyStoppingKeepsTheBestIteration() throws {
        let (x, y) = data(rows: 1500)
        let (xv, yv) = data(rows: 800, seed: 99)
        var p = GradientBoostingParameters()
        p.numberOfRounds = 2000
        p.learningRate = 0.3
        p.numberOfLeaves = 63
        p.minDataInLeaf = 2
        p.earlyStoppingRounds = 10
        let model = try GradientBoostingTrainer(parameters: p)
            .fit(features: x, labels: y, validation: BoostingValidationSet(features: xv, labels: yv))
        let best = try XCTUnwrap(model.bestIteration)
        XCTAssertLessThan(model.history.count, 2000)
        XCTAssertEqual(model.history.count, best + 10)
        XCTAssertEqual(model.trees.count, best)
        let validationCurve = model.history.compactMap(\.validation)
        XCTAssertEqual(validationCurve.min(), validationCurve[best - 1])
        // The kept model scores exactly the recorded best validation RMSE.
        let rmse = BoostingTestSupport.rmse(try model.predictions(for: xv), yv)
        XCTAssertEqual(rmse, validationCurve[best - 1], accuracy: 1e-9)
    }

    func testBinaryObjectiveLearnsProbabilities() throws {
        let (x, yReal) = data()
        let y = yReal.map { $0 > 12 ? 1.0 : 0.0 }
        var p = richParameters()
        p.objective = .binary
        p.numberOfRounds = 60
        let trainer = GradientBoostingTrainer(parameters: p)
        let model = try trainer.fit(features: x, labels: y, categoricalFeatures: [5])
        let (xt, ytReal) = data(rows: 2000, seed: 77)
        let yt = ytReal.map { $0 > 12 ? 1.0 : 0.0 }
        let probabilities = try model.predictions(for: xt)
        XCTAssertTrue(probabilities.allSatisfy { $0 > 0 && $0 < 1 })
        XCTAssertGreaterThan(areaUnderROC(scores: probabilities, labels: yt), 0.9)
        // Up-weighting positives raises every probability's average.
        p.objective = .binaryLogLoss(scalePositiveWeight: 5)
        let weighted = try GradientBoostingTrainer(parameters: p).fit(features: x, labels: y, categoricalFeatures: [5])
        let mean = { (v: [Double]) in v.reduce(0, +) / Double(v.count) }
        XCTAssertGreaterThan(mean(try weighted.predictions(for: xt)), mean(probabilities) + 0.01)
        let positives = Double(y.filter { $0 == 1 }.count)
        XCTAssertEqual(weighted.initialScore, log(5 * positives / (Double(y.count) - positives)), accuracy: 1e-12)
    }

    func testQuantileObjectiveCoversTheRequestedShare() throws {
        let (x, y) = data()
        let (xt, _) = data(rows: 3000, seed: 31)
        var bounds: [[Double]] = []
        for alpha in [0.1, 0.9] {
            var p = GradientBoostingParameters()
            p.objective = .quantile(alpha: alpha)
            p.numberOfRounds = 100
            let model = try GradientBoostingTrainer(parameters: p).fit(features: x, labels: y)
            let predicted = try model.predictions(for: x)
            let below = Double(zip(y, predicted).filter { $0 <= $1 }.count) / Double(y.count)
            XCTAssertEqual(below, alpha, accuracy: 0.03, "alpha \(alpha)")
            bounds.append(try model.predictions(for: xt))
        }
        // The 10% bound lies under the 90% bound: a usable prediction interval on new rows.
        let ordered = zip(bounds[0], bounds[1]).filter { $0 < $1 }.count
        XCTAssertGreaterThan(Double(ordered) / Double(xt.rows), 0.97)
    }

    func testRobustObjectivesResistOutliers() throws {
        var (x, y) = data()
        let (xt, yt) = data(rows: 2000, seed: 61)
        for r in stride(from: 0, to: y.count, by: 20) { y[r] += 500 }   // 5% gross outliers
        func testError(_ objective: BoostingObjective) throws -> Double {
            var p = GradientBoostingParameters()
            p.objective = objective
            p.numberOfRounds = 150
            let predicted = try GradientBoostingTrainer(parameters: p).fit(features: x, labels: y).predictions(for: xt)
            return BoostingTestSupport.rmse(predicted, yt)
        }
        let l2 = try testError(.squaredError)
        let l1 = try testError(.absoluteError)
        let huber = try testError(.huber(delta: 2))
        XCTAssertLessThan(l1, l2 * 0.5)
        XCTAssertLessThan(huber, l2 * 0.5)
        XCTAssertLessThan(l1, 1.5)
    }

    func testSavedModelPredictsIdentically() throws {
        let (x, y) = data()
        let model = try GradientBoostingTrainer(parameters: richParameters())
            .fit(features: x, labels: y, categoricalFeatures: [5])
        let loaded = try GradientBoostedModel(jsonData: try model.jsonData())
        XCTAssertEqual(loaded, model)
        XCTAssertEqual(try loaded.rawPredictions(for: x), try model.rawPredictions(for: x))
        let compact = try loaded.compactPredictor().rawPredictions(for: x)
        let direct = try model.rawPredictions(for: x)
        for r in 0..<x.rows { XCTAssertEqual(compact[r], direct[r], accuracy: 1e-9) }
        XCTAssertEqual(try model.jsonData(), try loaded.jsonData())
    }

    func testCorruptModelsAreRefusedWithAReason() throws {
        let (x, y) = data(rows: 300)
        var model = try GradientBoostingTrainer(parameters: richParameters()).fit(features: x, labels: y)
        XCTAssertThrowsError(try GradientBoostedModel(jsonData: Data("{\"trees\": 3}".utf8))) { error in
            XCTAssertTrue("\(error)".contains("corrupt"), "\(error)")
        }
        model.trees[0].leftChild[0] = 9999
        XCTAssertThrowsError(try GradientBoostedModel(jsonData: try model.jsonData())) { error in
            XCTAssertTrue("\(error)".contains("tree 0"), "\(error)")
        }
        model.formatVersion = 99
        XCTAssertThrowsError(try GradientBoostedModel(jsonData: try model.jsonData()))
    }

    func testBadInputIsRejectedOrHandledAsDocumented() throws {
        let trainer = GradientBoostingTrainer()
        let x = BoostingTestSupport.uniformMatrix(rows: 50, features: 2, seed: 1)
        let y = (0..<50).map { Double($0 % 2) }
        XCTAssertThrowsError(try trainer.fit(features: Tensor(zeros: [0, 2]), labels: [])) {
            XCTAssertEqual($0 as? BoostingError, .emptyTrainingSet)
        }
        XCTAssertThrowsError(try trainer.fit(features: x, labels: Array(y.dropLast()))) {
            XCTAssertEqual($0 as? BoostingError, .labelCountMismatch(rows: 50, labels: 49))
        }
        var nanLabels = y
        nanLabels[7] = .nan
        XCTAssertThrowsError(try trainer.fit(features: x, labels: nanLabels)) { error in
            XCTAssertTrue("\(error)".contains("row 7"), "\(error)")
        }
        var binary = GradientBoostingParameters()
        binary.objective = .binary
        var badBinary = y
        badBinary[3] = 2
        XCTAssertThrowsError(try GradientBoostingTrainer(parameters: binary).fit(features: x, labels: badBinary)) {
            XCTAssertEqual($0 as? BoostingError, .labelOutsideBinaryRange(row: 3, value: 2))
        }
        var badCategory = x
        for r in 0..<50 { badCategory.scalars[r * 2 + 1] = Float(r % 4) }
        badCategory.scalars[2 * 2 + 1] = 1.5
        XCTAssertThrowsError(try trainer.fit(features: badCategory, labels: y, categoricalFeatures: [1])) { error in
            XCTAssertEqual(error as? BoostingError, .invalidCategoryCode(feature: 1, row: 2, value: 1.5))
        }
        XCTAssertThrowsError(try trainer.fit(features: x, labels: y, categoricalFeatures: [2]))
        var badParameters = GradientBoostingParameters()
        badParameters.numberOfLeaves = 1
        XCTAssertThrowsError(try GradientBoostingTrainer(parameters: badParameters).fit(features: x, labels: y)) {
            XCTAssertTrue("\($0)".contains("numberOfLeaves"))
        }
        // Constant and all-missing features are never split on; with nothing else the model is the mean.
        var degenerate = x
        for r in 0..<50 { degenerate.scalars[r * 2] = 3; degenerate.scalars[r * 2 + 1] = .nan }
        let constant = try trainer.fit(features: degenerate, labels: y)
        XCTAssertTrue(constant.trees.isEmpty)
        XCTAssertEqual(try constant.predictions(for: x)[0], 0.5, accuracy: 1e-12)
        var oneUseful = x
        for r in 0..<50 { oneUseful.scalars[r * 2] = .nan }
        let partial = try trainer.fit(features: oneUseful, labels: y)
        XCTAssertEqual(partial.featureImportance(.splitCount)[0], 0)
        // Prediction on a matrix of the wrong width fails clearly.
        XCTAssertThrowsError(try partial.predictions(for: Tensor(zeros: [3, 5]))) {
            XCTAssertEqual($0 as? BoostingError, .featureCountMismatch(expected: 2, got: 5))
        }
    }

    func testMoreCategoriesThanTheCapShareTheMissingBin() throws {
        // 400 categories with maxBin 255: the 145 rarest share the missing bin and go right in every split.
        var xs: [Float] = [], y: [Double] = []
        for r in 0..<20_000 {
            let code = r < 15_000 ? r % 255 : 255 + r % 145
            xs.append(Float(code))
            y.append(code % 3 == 0 ? 5 : 0)
        }
        var p = GradientBoostingParameters()
        p.numberOfRounds = 3
        let model = try GradientBoostingTrainer(parameters: p)
            .fit(features: Tensor(shape: [xs.count, 1], scalars: xs), labels: y, categoricalFeatures: [0])
        for tree in model.trees {
            for node in 0..<tree.internalNodeCount {
                XCTAssertTrue(tree.leftCategories[node].allSatisfy { $0 < 255 })
            }
        }
        let binning = try BinnedMatrix(features: Tensor(shape: [xs.count, 1], scalars: xs), categorical: [0],
                                       parameters: p)
        XCTAssertEqual(binning.mappers[0].binCount, 256)
        XCTAssertEqual(binning.mappers[0].bin(of: 300), binning.mappers[0].missingBin)
    }
}
