import CreditRisk
import DigitRecognition
import Foundation
import LauncherKit
import PricePrediction
import Recommendation
import SolutionKit
import XCTest

/// `launcher tune`, `run --recipe auto` and `run --cv`, end to end on the shipped samples (small budgets).
final class TuneCommandTests: XCTestCase {
    typealias Support = LauncherTestSupport
    let plugins: [any DomainPlugin] = [PricePredictionPlugin(), CreditRiskPlugin(), RecommendationPlugin(), DigitRecognitionPlugin()]

    func launch(_ arguments: [String]) -> LauncherTestSupport.Outcome {
        Support.launch(arguments, plugins: plugins)
    }

    /// The only tune folder under `runs/<plugin>`.
    func tuneFolder(_ runs: URL, plugin: String) throws -> URL {
        let folder = runs.appendingPathComponent(plugin)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix("-tune") }
        XCTAssertEqual(names.count, 1, "\(names)")
        return folder.appendingPathComponent(try XCTUnwrap(names.first))
    }

    func priceFile(_ folder: URL) throws -> URL { try Support.priceFile(folder) }

    func testTuneWritesALeaderboardAWinnerConfigAndAFinalRunAndIsReproducible() throws {
        let folder = try Support.temporaryFolder(self)
        let data = try priceFile(folder)
        var leaderboards: [String] = []
        var weights: [Data] = []
        for attempt in 0..<2 {
            let runs = folder.appendingPathComponent("runs\(attempt)")
            let outcome = launch(["tune", "price-prediction", "--data", data.path, "--target", "median_house_value", "--recipe", "gbdt",
                                  "--set", "num_iterations=60", "--budget", "10", "--folds", "3", "--out", runs.path, "--quiet"])
            XCTAssertEqual(outcome.status, 0, outcome.standardError)
            XCTAssertTrue(outcome.standardOutput.contains("cross-validated rmse:"), outcome.standardOutput)
            let tune = try tuneFolder(runs, plugin: "price-prediction")
            for file in ["leaderboard.csv", "leaderboard.json", "leaderboard.svg", "winner.yaml", "selection.md",
                         "run/bundle/manifest.json", "run/metrics.json", "run/report.md"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: tune.appendingPathComponent(file).path), file)
            }
            let csv = try Support.read(tune.appendingPathComponent("leaderboard.csv"))
            XCTAssertEqual(csv.split(separator: "\n").count, 11, csv)
            XCTAssertTrue(csv.hasPrefix("rank,trial,recipe,cv_rmse_mean,cv_rmse_sd,folds,stages,status,"), csv)
            leaderboards.append(csv)
            let bundle = tune.appendingPathComponent("run/bundle")
            var bytes = Data()
            for name in try FileManager.default.contentsOfDirectory(atPath: bundle.path).sorted() {
                bytes += Data(name.utf8) + (try Data(contentsOf: bundle.appendingPathComponent(name)))
            }
            weights.append(bytes)
            let report = try Support.read(tune.appendingPathComponent("run/report.md"))
            XCTAssertTrue(report.contains("## Model selection"), report)

            // The winner's YAML is a config `run` takes as it is.
            let rerun = launch(["run", "price-prediction", "--data", data.path, "--target", "median_house_value",
                                "--config", tune.appendingPathComponent("winner.yaml").path, "--out", runs.path, "--quiet"])
            XCTAssertEqual(rerun.status, 0, rerun.standardError)
        }
        XCTAssertEqual(leaderboards[0], leaderboards[1], "the same seed gives the same leaderboard")
        XCTAssertEqual(weights[0], weights[1], "the same seed gives the same bundle bytes")
    }

    func testTuneRidgeChoosesAlphaByLeaveOneOut() throws {
        let folder = try Support.temporaryFolder(self)
        let runs = folder.appendingPathComponent("runs")
        let outcome = launch(["tune", "price-prediction", "--data", try priceFile(folder).path, "--target", "median_house_value",
                              "--recipe", "ridge", "--out", runs.path, "--quiet"])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        let tune = try tuneFolder(runs, plugin: "price-prediction")
        let winner = try Support.read(tune.appendingPathComponent("winner.yaml"))
        let csv = try Support.read(tune.appendingPathComponent("leaderboard.csv"))
        // Five distinct trials: the defaults and the four preprocessing choices with alpha_selection=loo.
        XCTAssertEqual(csv.split(separator: "\n").count, 6, csv)
        XCTAssertEqual(csv.components(separatedBy: ",loo,").count - 1, 4, csv)
        XCTAssertTrue(winner.contains("alpha_selection:"), winner)
        // Leave-one-out on the whole training part picks one alpha of the grid for the final model, recorded in it.
        let model = try ModelBundle.load(from: tune.appendingPathComponent("run/bundle").path)
        let chosen = try XCTUnwrap(model.manifest.hyperparameters["alpha"])
        let alpha = try RecipeConfiguration(recipe: "ridge", values: ["alpha": chosen]).real("alpha")
        if winner.contains("alpha_selection: \"loo\"") {
            XCTAssertTrue(RidgeLeaveOneOut.defaultAlphas.contains(alpha), "\(alpha)")
        } else {
            XCTAssertEqual(alpha, 1)
        }
    }

    func testBadBudgetsAndSearchSpacesAreRefusedNamingTheKey() throws {
        let folder = try Support.temporaryFolder(self)
        let data = try priceFile(folder).path
        let base = ["tune", "price-prediction", "--data", data, "--target", "median_house_value", "--out", folder.appendingPathComponent("r").path]
        let zero = launch(base + ["--budget", "0"])
        XCTAssertEqual(zero.status, 1)
        XCTAssertTrue(zero.standardError.contains("--budget 0: give at least 1 trial"), zero.standardError)
        let badTime = launch(base + ["--time", "soon"])
        XCTAssertEqual(badTime.status, 1)
        XCTAssertTrue(badTime.standardError.contains("--time soon"), badTime.standardError)

        let unknown = folder.appendingPathComponent("unknown.yaml")
        try Support.write("recipe: gbdt\nsearch_space:\n  learning_rate: {low: 0.01, high: 0.1}\n  depth: {low: 2, high: 8}\n", to: unknown)
        let outcome = launch(base + ["--config", unknown.path])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.standardError.contains("unknown.yaml, line 4: search space key 'depth' is not a hyperparameter of recipe gbdt"),
                      outcome.standardError)

        let empty = folder.appendingPathComponent("empty.yaml")
        try Support.write("recipe: gbdt\nsearch_space:\n  num_leaves: {low: 64, high: 8}\n", to: empty)
        let emptyOutcome = launch(base + ["--config", empty.path])
        XCTAssertEqual(emptyOutcome.status, 1)
        XCTAssertTrue(emptyOutcome.standardError.contains("'num_leaves': the range 64...8 is empty"), emptyOutcome.standardError)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 == "r" }.count, 0,
                       "nothing is written for a refused search")
    }

    func testATimeLimitStopsTheSearchAndKeepsAValidLeaderboard() throws {
        let folder = try Support.temporaryFolder(self)
        let runs = folder.appendingPathComponent("runs")
        let outcome = launch(["tune", "price-prediction", "--data", try priceFile(folder).path, "--target", "median_house_value",
                              "--recipe", "gbdt", "--set", "num_iterations=40", "--budget", "30", "--time", "0.001s",
                              "--out", runs.path])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("time limit reached"), outcome.standardError)
        let tune = try tuneFolder(runs, plugin: "price-prediction")
        let json = try Data(contentsOf: tune.appendingPathComponent("leaderboard.json"))
        let board = try JSONDecoder().decode(Leaderboard.self, from: json)
        XCTAssertTrue(board.stoppedEarly)
        XCTAssertNotNil(board.winner)
        XCTAssertTrue(FileManager.default.fileExists(atPath: tune.appendingPathComponent("winner.yaml").path))
    }

    func testRunAutoSelectsAmongRecipesAndReportsIt() throws {
        let folder = try Support.temporaryFolder(self)
        let runs = folder.appendingPathComponent("runs")
        let outcome = launch(["run", "credit-risk", "--recipe", "auto", "--budget", "5", "--folds", "3", "--out", runs.path, "--quiet"])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        let pluginFolder = runs.appendingPathComponent("credit-risk")
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: pluginFolder.path).first { !$0.hasPrefix(".") && !$0.hasSuffix(".sqlite") })
        let base = pluginFolder.appendingPathComponent(run)
        let report = try Support.read(base.appendingPathComponent("report.md"))
        XCTAssertTrue(report.contains("## Model selection"), report)
        XCTAssertTrue(report.contains("Winner: trial"), report)
        let metrics = try Support.read(base.appendingPathComponent("metrics.json"))
        XCTAssertTrue(metrics.contains("cv_roc_auc_mean"), metrics)
        let csv = try Support.read(base.appendingPathComponent("selection/leaderboard.csv"))
        for recipe in ["scorecard", "logistic", "gbdt", "mlp"] { XCTAssertTrue(csv.contains(",\(recipe),"), recipe) }
    }

    func testRunReportsACrossValidationEstimate() throws {
        let folder = try Support.temporaryFolder(self)
        let runs = folder.appendingPathComponent("runs")
        let outcome = launch(["run", "credit-risk", "--recipe", "logistic", "--cv", "4", "--out", runs.path, "--quiet"])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertTrue(outcome.standardOutput.contains("cv_roc_auc_mean"), outcome.standardOutput)
        XCTAssertTrue(outcome.standardOutput.contains("cv_roc_auc_sd"), outcome.standardOutput)
    }

    func testEvaluateReportsACrossValidationEstimateOfTheBundlesRecipe() throws {
        let folder = try Support.temporaryFolder(self)
        let runs = folder.appendingPathComponent("runs")
        let data = try priceFile(folder)
        let trained = launch(["run", "price-prediction", "--data", data.path, "--target", "median_house_value",
                              "--recipe", "ridge", "--out", runs.path, "--quiet"])
        XCTAssertEqual(trained.status, 0, trained.standardError)
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(
            at: runs.appendingPathComponent("price-prediction"), includingPropertiesForKeys: nil).first)
        let bundle = run.appendingPathComponent("bundle").path
        let outcome = launch(["evaluate", "--model", bundle, "--data", data.path, "--cv", "3", "--quiet"])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertTrue(outcome.standardOutput.contains("cv_rmse_mean"), outcome.standardOutput)
        XCTAssertTrue(outcome.standardOutput.contains("cv_rmse_sd"), outcome.standardOutput)
        let evaluations = try FileManager.default.contentsOfDirectory(
            at: runs.appendingPathComponent("price-prediction"), includingPropertiesForKeys: nil)
            .filter { $0.path != run.path }
        let report = try Support.read(try XCTUnwrap(evaluations.first).appendingPathComponent("report.md"))
        XCTAssertTrue(report.contains("## Cross-validation"), report)
        XCTAssertTrue(report.contains("3-fold"), report)
        // The same seed gives the same folds, so the estimate is reproducible.
        let again = launch(["evaluate", "--model", bundle, "--data", data.path, "--cv", "3", "--quiet",
                            "--out", folder.appendingPathComponent("again").path])
        XCTAssertEqual(again.status, 0, again.standardError)
        let line = { (text: String) in text.split(separator: "\n").first { $0.contains("cv_rmse_mean") }.map(String.init) }
        XCTAssertEqual(line(outcome.standardOutput), line(again.standardOutput))
        let one = launch(["evaluate", "--model", bundle, "--data", data.path, "--cv", "1"])
        XCTAssertEqual(one.status, 1)
        XCTAssertTrue(one.standardError.contains("--cv 1: cross-validation needs at least 2 folds"), one.standardError)
    }

    func testAFoldWithASingleClassIsAClearError() throws {
        // 40 applicants, 2 bad: 5 stratified folds cannot all hold a bad one.
        let folder = try Support.temporaryFolder(self)
        var text = "id,income,default\n"
        for i in 0..<40 { text += "\(i),\(1000 + i * 37 % 500),\(i == 3 || i == 17 ? 1 : 0)\n" }
        let file = folder.appendingPathComponent("loans.csv")
        try Support.write(text, to: file)
        let test = folder.appendingPathComponent("holdout.csv")
        try Support.write("id,income,default\n100,1200,1\n101,1300,0\n102,1400,0\n", to: test)
        let outcome = launch(["run", "credit-risk", "--data", file.path, "--test", test.path, "--target", "default",
                              "--recipe", "logistic", "--cv", "5", "--out", folder.appendingPathComponent("runs").path])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.standardError.contains("holds a single class"), outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("use 2 folds"), outcome.standardError)
    }

    func testDescribeShowsTheSearchSpaces() {
        let outcome = launch(["describe", "price-prediction"])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertTrue(outcome.standardOutput.contains("learning_rate: 0.01...0.15 (log)"), outcome.standardOutput)
        XCTAssertTrue(outcome.standardOutput.contains("num_iterations: chosen by cross-validation early stopping"), outcome.standardOutput)
        XCTAssertTrue(outcome.standardOutput.contains("alpha_selection = loo in every trial"), outcome.standardOutput)
    }

    /// Every declared search space names real keys, stays inside their constraints, and is searchable by `tune`.
    func testEveryRecipesSearchSpaceIsValid() throws {
        for plugin in plugins {
            for recipe in plugin.recipes where !recipe.searchSpace.isEmpty {
                _ = try recipe.searchSpace.validated(for: recipe, source: "\(plugin.id) \(recipe.name)")
                let sampler = TrialSampler(space: recipe.searchSpace, base: recipe.defaultConfiguration, seed: 1)
                for index in 0..<8 {
                    _ = try RecipeConfiguration.validated(sampler.configuration(ofTrial: index).values, for: recipe,
                                                          source: "\(plugin.id) \(recipe.name) trial \(index)")
                }
            }
            for name in plugin.selectionRecipes { XCTAssertNoThrow(try plugin.recipe(named: name), "\(plugin.id) \(name)") }
            XCTAssertEqual(plugin.selectionRecipes.first, plugin.defaultRecipe?.name, plugin.id)
        }
    }

    /// Cross-validation folds of every plugin's sample stay inside the training part.
    func testEveryPluginRefoldsItsTrainingPart() throws {
        for plugin in plugins {
            let data = try plugin.load(.dataset("sample", options: [:]))
            let units = try XCTUnwrap(data.foldingUnits, plugin.id)
            XCTAssertEqual(units.count, data.trainingCount, plugin.id)
            let folds = try CrossValidation(folds: 3, seed: 4).splits(of: units)
            let fold = try data.refolded(training: folds[0].train, evaluation: folds[0].test)
            XCTAssertEqual(fold.trainingCount, folds[0].train.count, plugin.id)
            XCTAssertEqual(fold.evaluationCount, folds[0].test.count, plugin.id)
        }
    }
}
