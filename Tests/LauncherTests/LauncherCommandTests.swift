import Foundation
import LauncherKit
import SolutionKit
import XCTest

/// The launcher's commands, driven end to end with the test plugin exactly as the executable drives real ones.
final class LauncherCommandTests: XCTestCase {
    typealias Support = LauncherTestSupport

    func testListAndDescribeShowThePlugin() {
        let list = Support.launch(["list"])
        XCTAssertEqual(list.status, 0)
        XCTAssertTrue(list.standardOutput.contains("line-fit 1.0.0"), list.standardOutput)
        XCTAssertTrue(list.standardOutput.contains("recipes:  exact, sgd"), list.standardOutput)

        let describe = Support.launch(["describe", "line-fit"])
        XCTAssertEqual(describe.status, 0)
        XCTAssertTrue(describe.standardOutput.contains("learning_rate"), describe.standardOutput)
        XCTAssertTrue(describe.standardOutput.contains("an integer in 1...10000"), describe.standardOutput)
        XCTAssertTrue(describe.standardOutput.contains("rmse (primary)  lower is better"), describe.standardOutput)
    }

    func testUnknownPluginIsABadInputListingKnownIds() {
        let outcome = Support.launch(["describe", "nope"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.standardError, "error: no plugin named \"nope\"; known plugins: line-fit\n")
    }

    func testUsageErrorsExitWithOne() {
        XCTAssertEqual(Support.launch(["frobnicate"]).status, 1)
        let both = Support.launch(["run", "line-fit", "--dataset", "sample", "--data", "x.csv"])
        XCTAssertEqual(both.status, 1)
        XCTAssertTrue(both.standardError.contains("give either --dataset or --data, not both"), both.standardError)
        let help = Support.launch(["run", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.standardOutput.contains("--set <key=value>"), help.standardOutput)
    }

    func testRunWritesTheRunFolder() throws {
        let folder = try Support.temporaryFolder(self)
        let out = folder.appendingPathComponent("runs")
        let outcome = Support.launch(["run", "line-fit", "--recipe", "sgd", "--set", "epochs=20", "--out", out.path, "--seed", "5"])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        // The closing metrics table, primary marked, and the run folder named by the (injected) clock and recipe.
        XCTAssertTrue(outcome.standardOutput.contains("rmse *"), outcome.standardOutput)
        let run = out.appendingPathComponent("line-fit/20260921-141320-sgd")
        XCTAssertTrue(outcome.standardOutput.contains("run folder: \(run.path)"), outcome.standardOutput)
        for file in ["bundle/manifest.json", "bundle/weights.bin", "bundle/weights.json", "metrics.json", "report.md",
                     "charts/residuals.svg", "tables/coefficients.json", "hyperparameters.json", "history.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), file)
        }
        let report = try Support.read(run.appendingPathComponent("report.md"))
        XCTAssertTrue(report.contains("| **rmse** (primary) |"), report)
        XCTAssertTrue(report.contains("| epochs | 20 |"), report)
        XCTAssertTrue(report.contains("![Residuals by row](charts/residuals.svg)"), report)
        let hyper = try JSONDecoder().decode(RecipeConfiguration.self, from: Data(contentsOf: run.appendingPathComponent("hyperparameters.json")))
        XCTAssertEqual(hyper.values["epochs"], .integer(20))
        XCTAssertEqual(hyper.values["learning_rate"], .real(0.05))
        let bundle = try ModelBundle.load(from: run.appendingPathComponent("bundle").path, expectingPlugin: "line-fit")
        XCTAssertEqual(bundle.manifest.seed, 5)
        XCTAssertEqual(bundle.manifest.createdAt, "2026-09-21T14:13:20Z")
        XCTAssertEqual(bundle.manifest.metrics.first?.name, "rmse")
        // The sample is y = 3x - 2 + N(0, 0.5²): the fit's error is near the noise level.
        let rmse = try XCTUnwrap(bundle.manifest.metrics.first?.value)
        XCTAssertLessThan(rmse, 0.7)
        // Plain progress lines on a non-terminal stderr.
        XCTAssertTrue(outcome.standardError.contains("training line-fit sgd: started, 20 epoch"), outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("training line-fit sgd: done, 20 epoch"), outcome.standardError)
        // A second run in the same second gets its own folder.
        XCTAssertEqual(Support.launch(["run", "line-fit", "--recipe", "sgd", "--out", out.path, "--quiet"]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.path + "-2"))
    }

    func testQuietRunPrintsNothingOnStandardError() throws {
        let folder = try Support.temporaryFolder(self)
        let outcome = Support.launch(["run", "line-fit", "--recipe", "sgd", "--quiet", "--out", folder.path])
        XCTAssertEqual(outcome.status, 0)
        XCTAssertEqual(outcome.standardError, "")
    }

    func testTerminalProgressDrawsABar() throws {
        let folder = try Support.temporaryFolder(self)
        let outcome = Support.launch(["run", "line-fit", "--recipe", "sgd", "--out", folder.path], terminal: true)
        XCTAssertEqual(outcome.status, 0)
        XCTAssertTrue(outcome.standardError.contains("[##############################] 60/60 epoch"), outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("epoch/s"), outcome.standardError)
    }

    func testRunOnAFileWithConfigAndOverrides() throws {
        let folder = try Support.temporaryFolder(self)
        let data = folder.appendingPathComponent("points.csv"), config = folder.appendingPathComponent("fit.yaml")
        try Support.write(Support.pointsCSV(), to: data)
        try Support.write("recipe: sgd\nhyperparameters:\n  epochs: 7\n  learning_rate: 0.01\n", to: config)
        let outcome = Support.launch(["run", "line-fit", "--data", data.path, "--target", "y", "--config", config.path,
                                      "--set", "learning_rate=0.02", "--out", folder.path, "--quiet"])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        let runs = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("line-fit").path)
        XCTAssertEqual(runs.count, 1)
        XCTAssertTrue(runs[0].hasSuffix("-sgd"))
        let hyper = try JSONDecoder().decode(RecipeConfiguration.self, from: Data(contentsOf:
            folder.appendingPathComponent("line-fit/\(runs[0])/hyperparameters.json")))
        XCTAssertEqual(hyper.values["epochs"], .integer(7))          // from the file
        XCTAssertEqual(hyper.values["learning_rate"], .real(0.02))   // --set wins over the file
        XCTAssertEqual(hyper.values["batch_size"], .integer(16))     // default
    }

    func testSetWithUnknownKeyOrBadValueIsRefused() throws {
        let folder = try Support.temporaryFolder(self)
        let unknown = Support.launch(["run", "line-fit", "--set", "epochz=3", "--out", folder.path])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.standardError,
                       "error: --set: unknown hyperparameter \"epochz\" for recipe exact; allowed: l2, fit_intercept\n")
        let bad = Support.launch(["run", "line-fit", "--recipe", "sgd", "--set", "epochs=0", "--out", folder.path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.standardError,
                       "error: --set: bad value \"0\" for hyperparameter \"epochs\"; allowed: an integer in 1...10000\n")
        let choice = Support.launch(["run", "line-fit", "--recipe", "sgd", "--set", "loss=huber", "--out", folder.path])
        XCTAssertTrue(choice.standardError.contains("allowed: one of: squared, absolute"), choice.standardError)
        let recipe = Support.launch(["run", "line-fit", "--recipe", "mlp", "--out", folder.path])
        XCTAssertEqual(recipe.status, 1)
        XCTAssertTrue(recipe.standardError.contains("no recipe named \"mlp\"; known recipes: exact, sgd"), recipe.standardError)
        let config = folder.appendingPathComponent("bad.yaml")
        try Support.write("l2: lots\n", to: config)
        let fromFile = Support.launch(["run", "line-fit", "--config", config.path, "--out", folder.path])
        XCTAssertEqual(fromFile.status, 1)
        XCTAssertTrue(fromFile.standardError.contains("\(config.path): bad value \"lots\" for hyperparameter \"l2\"; allowed: a number in 0.0...1000.0"),
                      fromFile.standardError)
        // Nothing was written for refused runs.
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("line-fit").path))
    }

    func testBadDataNamesFileAndLine() throws {
        let folder = try Support.temporaryFolder(self)
        let data = folder.appendingPathComponent("ragged.csv")
        try Support.write("x,y\n1,2\n3\n", to: data)
        let outcome = Support.launch(["run", "line-fit", "--data", data.path, "--out", folder.path])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.standardError.contains("\(data.path): line 3: expected 2 fields, found 1"), outcome.standardError)
        let missing = Support.launch(["run", "line-fit", "--data", folder.appendingPathComponent("none.csv").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.contains("none.csv: no such file"), missing.standardError)
        let dataset = Support.launch(["run", "line-fit", "--dataset", "shared-points", "--out", folder.path])
        XCTAssertEqual(dataset.status, 1)
        XCTAssertTrue(dataset.standardError.contains("dataset folder \"line-fit-points\" not found; looked in:"), dataset.standardError)
    }

    func testEvaluateASavedModel() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        let data = folder.appendingPathComponent("points.csv")
        try Support.write(Support.pointsCSV(), to: data)
        let outcome = Support.launch(["evaluate", "--model", bundle.path, "--data", data.path, "--quiet"])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertTrue(outcome.standardOutput.hasPrefix("metric  value\n"), outcome.standardOutput)
        XCTAssertTrue(outcome.standardOutput.contains("rmse *"), outcome.standardOutput)
        XCTAssertTrue(outcome.standardOutput.contains("r2"), outcome.standardOutput)
    }

    func testInternalFailureExitsWithTwoAndLeavesNoOutput() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        let input = folder.appendingPathComponent("in.csv"), output = folder.appendingPathComponent("out.csv")
        try Support.write("x\n1\n2\n", to: input)
        var broken = LineFitPlugin()
        broken.breaksRowCount = true
        let outcome = Support.launch(["score", "--model", bundle.path, "--input", input.path, "--output", output.path],
                                     plugins: [broken])
        XCTAssertEqual(outcome.status, 2)
        XCTAssertTrue(outcome.standardError.contains("\ninternal error: rows read (3) != rows scored (2) + rows rejected (0)"),
                      outcome.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("partial") }, [])
    }
}
