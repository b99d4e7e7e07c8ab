import Foundation
import SolutionKit
import XCTest

final class CrossValidationTests: XCTestCase {
    func testPlainFoldsPartitionTheTrainingPartAndAreSeeded() throws {
        let folds = try CrossValidation(folds: 5, seed: 7).splits(of: FoldingUnits(count: 103))
        XCTAssertEqual(folds.count, 5)
        XCTAssertEqual(folds.flatMap(\.test).sorted(), Array(0..<103))
        for fold in folds {
            XCTAssertTrue([20, 21].contains(fold.test.count), "\(fold.test.count)")
            XCTAssertEqual(Set(fold.train).union(fold.test).count, 103)
            XCTAssertTrue(Set(fold.train).isDisjoint(with: fold.test))
        }
        XCTAssertEqual(folds, try CrossValidation(folds: 5, seed: 7).splits(of: FoldingUnits(count: 103)))
        XCTAssertNotEqual(folds, try CrossValidation(folds: 5, seed: 8).splits(of: FoldingUnits(count: 103)))
    }

    func testRepeatsReshuffle() throws {
        let folds = try CrossValidation(folds: 3, repeats: 2, seed: 1).splits(of: FoldingUnits(count: 30))
        XCTAssertEqual(folds.count, 6)
        XCTAssertEqual(folds.map(\.repetition), [0, 0, 0, 1, 1, 1])
        XCTAssertNotEqual(folds[0].test, folds[3].test)
    }

    func testStratifiedFoldsKeepClassShares() throws {
        // 90 of class 0, 10 of class 1: every one of 5 folds tests 2 of class 1 and 18 of class 0.
        let classes = (0..<100).map { $0 % 10 == 3 ? 1 : 0 }
        let folds = try CrossValidation(folds: 5, seed: 3).splits(of: FoldingUnits(count: 100, grouping: .strata(classes)))
        for fold in folds {
            XCTAssertEqual(fold.test.filter { classes[$0] == 1 }.count, 2)
            XCTAssertEqual(fold.test.count, 20)
        }
    }

    func testAFoldWithASingleClassIsAnErrorThatSaysWhatToChange() {
        // 3 rows of the minority class cannot reach 5 folds.
        let classes = (0..<60).map { $0 < 3 ? 1 : 0 }
        XCTAssertThrowsError(try CrossValidation(folds: 5).splits(of: FoldingUnits(count: 60, grouping: .strata(classes)))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("single class"), text)
            XCTAssertTrue(text.contains("use 3 folds"), text)
        }
    }

    func testTooFewUnitsAreAnError() {
        XCTAssertThrowsError(try CrossValidation(folds: 5).splits(of: FoldingUnits(count: 7, unit: "rating"))) { error in
            XCTAssertTrue("\(error)".contains("7 training rating(s) are too few for 5-fold"), "\(error)")
        }
        XCTAssertThrowsError(try CrossValidation(folds: 1).splits(of: FoldingUnits(count: 70)))
    }

    func testFoldsWithinGroupsSpreadEveryGroupsUnits() throws {
        // 20 users with 10 ratings each: every user is tested in every fold, twice, and trained on in every fold.
        let users = (0..<200).map { $0 / 10 }
        let folds = try CrossValidation(folds: 5, seed: 2).splits(of: FoldingUnits(count: 200, grouping: .withinGroups(users)))
        for fold in folds {
            for user in 0..<20 {
                XCTAssertEqual(fold.test.filter { users[$0] == user }.count, 2)
                XCTAssertEqual(fold.train.filter { users[$0] == user }.count, 8)
            }
        }
    }

    func testTrainTestSplitRefoldsPositionsOfItsTrainingPart() throws {
        let split = TrainTestSplit(train: [1, 3, 5, 7], test: [0, 2])
        XCTAssertEqual(try split.refolded(training: [0, 2], evaluation: [1, 3]), TrainTestSplit(train: [1, 5], test: [3, 7]))
        XCTAssertThrowsError(try split.refolded(training: [4], evaluation: [0]))
    }

    func testEstimateIsMeanAndSampleStandardDeviation() {
        let estimate = CrossValidationEstimate(metric: "rmse", higherIsBetter: false,
                                               scores: [1, 2, 3, 4].enumerated().map { FoldScore(repetition: 0, fold: $0, value: $1) })
        XCTAssertEqual(estimate.mean, 2.5)
        XCTAssertEqual(estimate.standardDeviation, (5.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertNil(estimate.stages)
    }

    func testStagedEstimatePicksTheRoundWhoseMeanOverFoldsIsBest() {
        // Fold curves of AUC: the mean is best at round 3 (0.8, 0.7 → 0.75 is beaten by round 3's 0.8).
        let scores = [FoldScore(repetition: 0, fold: 0, value: 0.7, staged: [0.6, 0.8, 0.85, 0.7]),
                      FoldScore(repetition: 0, fold: 1, value: 0.6, staged: [0.6, 0.7, 0.75, 0.6])]
        let estimate = CrossValidationEstimate(metric: "auc", higherIsBetter: true, scores: scores)
        XCTAssertEqual(estimate.stages, 3)
        XCTAssertEqual(estimate.values, [0.85, 0.75])
        XCTAssertEqual(estimate.mean, 0.8, accuracy: 1e-12)
    }
}

final class SearchSpaceTests: XCTestCase {
    let recipe = Recipe(name: "toy", summary: "a toy", hyperparameters: [
        .real("rate", default: 0.1, in: 1e-6...1, "rate"),
        .integer("leaves", default: 31, in: 2...1000, "leaves"),
        .choice("loss", default: "l2", from: ["l2", "huber"], "loss"),
        .real("delta", default: 1, in: 0.01...100, "huber delta"),
        .integer("rounds", default: 100, in: 1...10_000, "rounds"),
    ])

    func testUnknownKeysAndEmptyRangesNameTheKey() {
        XCTAssertThrowsError(try SearchSpace([.real("speed", 0.1...1)]).validated(for: recipe, source: "config.yaml")) { error in
            XCTAssertTrue("\(error)".contains("config.yaml: search space key 'speed' is not a hyperparameter of recipe toy"), "\(error)")
        }
        XCTAssertThrowsError(try SearchSpace([.real("rate", 0.5...0.5)]).validated(for: recipe, source: "s")) { error in
            XCTAssertTrue("\(error)".contains("'rate': the range 0.5...0.5 is empty"), "\(error)")
        }
        XCTAssertThrowsError(try SearchSpace([.real("rate", 0.01...5)]).validated(for: recipe, source: "s")) { error in
            XCTAssertTrue("\(error)".contains("5.0 is outside"), "\(error)")
        }
        XCTAssertThrowsError(try SearchSpace([.choice("loss", [])]).validated(for: recipe, source: "s"))
        XCTAssertThrowsError(try SearchSpace([], stagesKey: "rate").validated(for: recipe, source: "s"))
    }

    func testYAMLOverridesTheSpaceWithLinesInErrors() throws {
        let text = """
        recipe: toy
        search_space:
          rate: {low: 0.01, high: 0.3, log: true}
          loss: {choices: [l2, huber]}
          delta: {low: 0.5, high: 5, when: {loss: [huber]}}
        stages: rounds
        """
        let space = try XCTUnwrap(try SearchSpace.parse(configurationText: text, for: recipe, path: "t.yaml"))
        XCTAssertEqual(space.dimensions.map(\.key), ["rate", "loss", "delta"])
        XCTAssertEqual(space.dimensions[0].domain, .real(0.01...0.3, log: true))
        XCTAssertEqual(space.dimensions[2].condition, .init(key: "loss", values: [.text("huber")]))
        XCTAssertEqual(space.stagesKey, "rounds")
        // The config's hyperparameters still resolve: search_space is not read as one.
        XCTAssertThrowsError(try SearchSpace.parse(configurationText: "search_space:\n  depth: {low: 1, high: 3}\n", for: recipe,
                                                   path: "t.yaml")) { error in
            XCTAssertTrue("\(error)".contains("t.yaml, line 2: search space key 'depth'"), "\(error)")
        }
        XCTAssertThrowsError(try SearchSpace.parse(configurationText: "search_space:\n  leaves: {low: 50, high: 10}\n", for: recipe,
                                                   path: "t.yaml")) { error in
            XCTAssertTrue("\(error)".contains("the range 50...10 is empty"), "\(error)")
        }
        XCTAssertThrowsError(try SearchSpace.parse(configurationText: "search_space:\n  leaves: {min: 5, high: 10}\n", for: recipe,
                                                   path: "t.yaml")) { error in
            XCTAssertTrue("\(error)".contains("unknown field 'min'"), "\(error)")
        }
    }

    func testTrialsArePureFunctionsOfSeedAndIndexAndStayInTheSpace() {
        let space = SearchSpace([.real("rate", 0.001...0.5, log: true), .integer("leaves", 4...256, log: true),
                                 .choice("loss", [.text("l2"), .text("huber")]),
                                 .real("delta", 0.5...5, when: .init(key: "loss", values: [.text("huber")]))])
        let sampler = TrialSampler(space: space, base: recipe.defaultConfiguration, seed: 11)
        XCTAssertEqual(sampler.configuration(ofTrial: 0), recipe.defaultConfiguration)
        var rates: [Double] = []
        for index in 1...64 {
            let c = sampler.configuration(ofTrial: index)
            XCTAssertEqual(c, TrialSampler(space: space, base: recipe.defaultConfiguration, seed: 11).configuration(ofTrial: index))
            let rate = try! c.real("rate"), leaves = try! c.integer("leaves")
            XCTAssertTrue((0.001...0.5).contains(rate) && (4...256).contains(leaves))
            if try! c.text("loss") == "l2" { XCTAssertEqual(try! c.real("delta"), 1) }
            rates.append(rate)
        }
        // Log scale: about half the points below the geometric middle (0.0224).
        let below = rates.filter { $0 < (0.001 * 0.5).squareRoot() }.count
        XCTAssertTrue((24...40).contains(below), "\(below)")
        XCTAssertNotEqual(TrialSampler(space: space, base: recipe.defaultConfiguration, seed: 12).configuration(ofTrial: 3),
                          sampler.configuration(ofTrial: 3))
    }

    func testTheRoundCapScalesInverselyWithASmallerLearningRate() throws {
        // Base: rate 0.1, 100 rounds. A trial at a third of the rate gets three times the rounds; a faster one keeps 100.
        let space = SearchSpace([.real("rate", 0.01...0.3, log: true)], stagesKey: "rounds", stagesScaleWith: "rate")
        let sampler = TrialSampler(space: space, base: recipe.defaultConfiguration, seed: 5)
        XCTAssertEqual(try sampler.configuration(ofTrial: 0).integer("rounds"), 100)
        var sawSlower = false, sawFaster = false
        for index in 1...16 {
            let c = sampler.configuration(ofTrial: index)
            let rate = try c.real("rate"), rounds = try c.integer("rounds")
            if rate < 0.1 {
                sawSlower = true
                XCTAssertEqual(Double(rounds), 100 * 0.1 / rate, accuracy: 1, "rate \(rate)")
            } else {
                sawFaster = true
                XCTAssertEqual(rounds, 100, "rate \(rate)")
            }
        }
        XCTAssertTrue(sawSlower && sawFaster)
        var third = recipe.defaultConfiguration
        third.values["rate"] = .real(0.1 / 3)
        XCTAssertEqual(try space.scalingStages(of: third, from: recipe.defaultConfiguration).integer("rounds"), 300)
    }
}

final class RidgeLeaveOneOutTests: XCTestCase {
    /// The shortcut's leave-one-out errors equal n refits without each row.
    func testMatchesBruteForceLeaveOneOut() throws {
        var generator = SeededGenerator(seed: 5)
        let rows = 40, features = 3
        var x = [Float](), y = [Double]()
        for _ in 0..<rows {
            let v = (0..<features).map { _ in Float(Double(generator.next() % 1000) / 100 - 5) }
            x += v
            y.append(1.5 * Double(v[0]) - 2 * Double(v[1]) + 0.3 * Double(v[2]) + Double(generator.next() % 100) / 50 - 1)
        }
        let tensor = Tensor(shape: [rows, features], scalars: x)
        let alphas = [0.01, 1, 30]
        let selection = try RidgeLeaveOneOut(alphas: alphas).select(tensor, targets: y)
        for (a, alpha) in alphas.enumerated() {
            var sum = 0.0
            for held in 0..<rows {
                let keep = (0..<rows).filter { $0 != held }
                let model = try RidgeRegression(alpha: alpha).fit(tensor.gatheringRows(keep), targets: keep.map { y[$0] })
                let prediction = try model.predict(tensor.gatheringRows([held]))[0]
                sum += (y[held] - prediction) * (y[held] - prediction)
            }
            XCTAssertEqual(selection.meanSquaredErrors[a], sum / Double(rows), accuracy: 1e-3 * sum / Double(rows))
        }
        XCTAssertEqual(selection.alpha, alphas[selection.meanSquaredErrors.indices.min { selection.meanSquaredErrors[$0] < selection.meanSquaredErrors[$1] }!])
    }
}
