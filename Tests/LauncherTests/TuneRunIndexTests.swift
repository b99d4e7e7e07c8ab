import Foundation
@testable import LauncherKit
import PricePrediction
import SolutionKit
import XCTest

private typealias Support = LauncherTestSupport

/// A tune folder is a run folder like the others: its own report.html, its winner in the run index (the same
/// whether recorded as the tune finishes or rebuilt from the folders), and its bundle pickable by `runs best`.
final class TuneRunIndexTests: XCTestCase {
    private let plugins: [any DomainPlugin] = [PricePredictionPlugin()]

    private func launch(_ arguments: [String]) -> Support.Outcome { Support.launch(arguments, plugins: plugins) }

    private func dump(_ runs: URL) throws -> String {
        try RunIndex(root: runs.path, directions: Support.registry(plugins).higherIsBetter,
                     warn: { XCTFail("unexpected warning: \($0)") }).canonicalDump()
    }

    func testTuneWritesItsPageAndRecordsItsWinnerForRunsBest() throws {
        let folder = try Support.temporaryFolder(self)
        let data = try Support.priceFile(folder)
        let runs = folder.appendingPathComponent("runs")
        let common = ["price-prediction", "--data", data.path, "--target", "median_house_value", "--recipe", "ridge",
                      "--out", runs.path, "--quiet"]
        let plain = launch(["run"] + common + ["--set", "alpha=1000"])
        XCTAssertEqual(plain.status, 0, plain.standardError)
        let tune = launch(["tune"] + common + ["--budget", "3", "--folds", "2"])
        XCTAssertEqual(tune.status, 0, tune.standardError)
        XCTAssertFalse(tune.standardError.contains("warning"), tune.standardError)
        let tuneFolder = URL(fileURLWithPath: try XCTUnwrap(tune.standardOutput.split(separator: "\n")
            .first { $0.hasPrefix("tune folder: ") }.map { String($0.dropFirst("tune folder: ".count)) }))

        let page = try Support.read(tuneFolder.appendingPathComponent("report.html"))
        XCTAssertTrue(page.contains("(tuned by cross-validation)</title>"), "the page says it is a tune")
        XCTAssertTrue(page.contains("data-chart=\"leaderboard\""), "the leaderboard chart is on the page")
        XCTAssertTrue(page.contains(">Model selection</h2>"))
        XCTAssertTrue(page.contains("<dd>run/bundle/ (in this tune folder)</dd>"))
        XCTAssertFalse(page.contains("<script") || page.contains("src=\"http"))
        for file in ["run/report.html", "run/charts/leaderboard.svg", "run/charts/leaderboard.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: tuneFolder.appendingPathComponent(file).path), file)
        }

        let listed = launch(["runs", "--runs-folder", runs.path, "--format", "json"])
        XCTAssertEqual(listed.status, 0, listed.standardError)
        let records = try JSONDecoder().decode([JSONValue].self, from: Data(listed.standardOutput.utf8))
        XCTAssertEqual(records.map { $0["kind"]?.stringValue }.compactMap { $0 }.sorted(), ["run", "tune"])
        let tuned = try XCTUnwrap(records.first { $0["kind"]?.stringValue == "tune" })
        XCTAssertEqual(tuned["id"]?.stringValue, "price-prediction/\(tuneFolder.lastPathComponent)/run")
        XCTAssertEqual(tuned["bundle"]?.stringValue.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                       tuneFolder.appendingPathComponent("run/bundle").standardizedFileURL.path)

        let incremental = try dump(runs)
        let rebuilt = launch(["runs", "--rebuild", "--runs-folder", runs.path])
        XCTAssertEqual(rebuilt.status, 0, rebuilt.standardError)
        XCTAssertTrue(rebuilt.standardError.contains("from 2 run folders"), rebuilt.standardError)
        XCTAssertEqual(try dump(runs), incremental, "rebuilt from the folders, the tune's record is the one it wrote")

        // alpha=1000 over-smooths: the tuned ridge wins, and its bundle scores as `runs best` prints it.
        let rmse = records.map { ($0["kind"]?.stringValue ?? "", $0["metrics"]?["rmse"]?.numberValue ?? .nan) }
        XCTAssertLessThan(try XCTUnwrap(rmse.first { $0.0 == "tune" }).1, try XCTUnwrap(rmse.first { $0.0 == "run" }).1, "\(rmse)")
        let dataset = try XCTUnwrap(tuned["dataset"]?.stringValue)
        let best = launch(["runs", "best", "--plugin", "price-prediction", "--dataset", dataset, "--runs-folder", runs.path])
        XCTAssertEqual(best.status, 0, best.standardError)
        XCTAssertEqual(best.standardOutput, (tuned["bundle"]?.stringValue ?? "") + "\n")
        let output = folder.appendingPathComponent("scored.csv"), rejects = folder.appendingPathComponent("rejects.csv")
        let scored = launch(["score", "--model", best.standardOutput.trimmingCharacters(in: .newlines), "--input", data.path,
                             "--output", output.path, "--rejects", rejects.path, "--quiet"])
        XCTAssertEqual(scored.status, 0, scored.standardError)
        let scoredRows = try Support.read(output).split(separator: "\n").count - 1
        let rejectedRows = try Support.read(rejects).split(separator: "\n").count - 1
        XCTAssertGreaterThan(scoredRows, 500)
        XCTAssertEqual(scoredRows + rejectedRows, 600, "every row scored or rejected")
    }

    /// A plan folder placed in a runs folder is recorded when collected; one kept elsewhere is not (no runs folder).
    func testACollectedPlanIsRecordedOnlyInsideARunsFolder() throws {
        let folder = try Support.temporaryFolder(self)
        let data = try Support.priceFile(folder)
        let runs = folder.appendingPathComponent("runs")
        let first = launch(["run", "price-prediction", "--data", data.path, "--target", "median_house_value", "--recipe", "ridge",
                            "--out", runs.path, "--quiet"])
        XCTAssertEqual(first.status, 0, first.standardError)
        let plan = runs.appendingPathComponent("price-prediction/planned-tune")
        let planned = launch(["tune", "price-prediction", "--data", data.path, "--target", "median_house_value", "--recipe", "ridge",
                              "--budget", "2", "--folds", "2", "--plan", plan.path, "--quiet"])
        XCTAssertEqual(planned.status, 0, planned.standardError)
        let trials = try Support.read(plan.appendingPathComponent("commands.txt")).split(separator: "\n").count
        for index in 0..<trials {
            let trial = launch(["tune", "--trial", plan.path, String(index), "--quiet"])
            XCTAssertEqual(trial.status, 0, trial.standardError)
        }
        let collected = launch(["tune", "--collect", plan.path, "--quiet"])
        XCTAssertEqual(collected.status, 0, collected.standardError)
        XCTAssertFalse(collected.standardError.contains("warning"), collected.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: plan.appendingPathComponent("report.html").path))
        let listed = launch(["runs", "--runs-folder", runs.path, "--format", "csv"])
        XCTAssertTrue(listed.standardOutput.contains("\nprice-prediction/planned-tune/run,tune,"), listed.standardOutput)

        XCTAssertNil(TuneWinnerFolder.runsFolder(ofPlan: plan, plugin: "credit-risk"), "under another plugin's folder")
        XCTAssertNil(TuneWinnerFolder.runsFolder(ofPlan: folder.appendingPathComponent("plan"), plugin: "price-prediction"),
                     "a plan folder outside any runs folder")
    }
}
