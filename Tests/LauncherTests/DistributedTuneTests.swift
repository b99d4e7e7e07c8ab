import CreditRisk
import Foundation
import LauncherKit
import PricePrediction
import SolutionKit
import XCTest

/// `tune --plan`, `--trial`, `--collect`: the same search as a local `tune`, split into commands.
final class DistributedTuneTests: XCTestCase {
    typealias Support = LauncherTestSupport

    func launch(_ arguments: [String]) -> LauncherTestSupport.Outcome {
        Support.launch(arguments, plugins: [PricePredictionPlugin(), CreditRiskPlugin()])
    }

    func priceFile(_ folder: URL) throws -> URL { try Support.priceFile(folder) }

    func testPlanTrialsAndCollectGiveTheLocalLeaderboardByteForByte() throws {
        let folder = try Support.temporaryFolder(self)
        let data = try priceFile(folder)
        // 10 trials on 3 folds: rungs of 1 and 3 folds, so collect must replay the halving to match.
        let search = ["price-prediction", "--data", data.path, "--target", "median_house_value", "--recipe", "gbdt",
                      "--set", "num_iterations=40", "--budget", "10", "--folds", "3", "--seed", "7"]
        let runs = folder.appendingPathComponent("runs")
        let local = launch(["tune"] + search + ["--out", runs.path, "--quiet"])
        XCTAssertEqual(local.status, 0, local.standardError)
        let names = try FileManager.default.contentsOfDirectory(atPath: runs.appendingPathComponent("price-prediction").path)
        let localFolder = runs.appendingPathComponent("price-prediction/\(try XCTUnwrap(names.first))")

        let plan = folder.appendingPathComponent("plan")
        let planned = launch(["tune"] + search + ["--plan", plan.path, "--quiet"])
        XCTAssertEqual(planned.status, 0, planned.standardError)
        let commands = try Support.read(plan.appendingPathComponent("commands.txt")).split(separator: "\n")
        XCTAssertEqual(commands.count, 10)
        XCTAssertEqual(String(commands[3]), "launcher tune --trial \(plan.standardized.path) 3")

        let early = launch(["tune", "--collect", plan.path, "--quiet"])
        XCTAssertEqual(early.status, 1)
        XCTAssertTrue(early.standardError.contains("10 trial(s) not run yet (0, 1, 2"), early.standardError)

        // Trials in any order, one of them twice: the rerun leaves the recorded scores as they are.
        for index in [9, 2, 0, 1, 3, 4, 5, 6, 7, 8] {
            let trial = launch(["tune", "--trial", plan.path, String(index), "--threads", "1", "--quiet"])
            XCTAssertEqual(trial.status, 0, trial.standardError)
        }
        let recorded = try Data(contentsOf: plan.appendingPathComponent("trials/2.json"))
        let rerun = launch(["tune", "--trial", plan.path, "2", "--quiet"])
        XCTAssertEqual(rerun.status, 0, rerun.standardError)
        XCTAssertTrue(rerun.standardOutput.contains("trial 2: already scored"), rerun.standardOutput)
        XCTAssertEqual(try Data(contentsOf: plan.appendingPathComponent("trials/2.json")), recorded)

        let collected = launch(["tune", "--collect", plan.path, "--quiet"])
        XCTAssertEqual(collected.status, 0, collected.standardError)
        for file in ["leaderboard.csv", "winner.yaml", "selection.md"] {
            XCTAssertEqual(try Support.read(plan.appendingPathComponent(file)), try Support.read(localFolder.appendingPathComponent(file)),
                           file)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: plan.appendingPathComponent("run/bundle/manifest.json").path))
        let temporaries = try FileManager.default.contentsOfDirectory(atPath: plan.appendingPathComponent("trials").path)
            .filter { !$0.hasSuffix(".json") }
        XCTAssertEqual(temporaries, [], "no temporary file is left")
    }

    func testBadTrialsAndTamperedFilesAreRefusedNamingTheFile() throws {
        let folder = try Support.temporaryFolder(self)
        let data = try priceFile(folder)
        let plan = folder.appendingPathComponent("plan")
        let planned = launch(["tune", "price-prediction", "--data", data.path, "--target", "median_house_value", "--recipe", "ridge",
                              "--budget", "3", "--folds", "2", "--plan", plan.path, "--quiet"])
        XCTAssertEqual(planned.status, 0, planned.standardError)
        let trials = try Support.read(plan.appendingPathComponent("commands.txt")).split(separator: "\n").count

        let outOfRange = launch(["tune", "--trial", plan.path, String(trials), "--quiet"])
        XCTAssertEqual(outOfRange.status, 1)
        XCTAssertTrue(outOfRange.standardError.contains("the plan has trials 0 to \(trials - 1)"), outOfRange.standardError)
        let noNumber = launch(["tune", "--trial", plan.path, "--quiet"])
        XCTAssertEqual(noNumber.status, 1)
        XCTAssertTrue(noNumber.standardError.contains("expected --trial DIR N"), noNumber.standardError)
        let withPlugin = launch(["tune", "price-prediction", "--collect", plan.path])
        XCTAssertEqual(withPlugin.status, 1)
        XCTAssertTrue(withPlugin.standardError.contains("give no plugin"), withPlugin.standardError)

        for index in 0..<trials { XCTAssertEqual(launch(["tune", "--trial", plan.path, String(index), "--quiet"]).status, 0) }
        let trialFile = plan.appendingPathComponent("trials/1.json")
        try Support.write("{\"trial\": 1, \"folds\": []}", to: trialFile)
        let tampered = launch(["tune", "--collect", plan.path, "--quiet"])
        XCTAssertEqual(tampered.status, 1)
        XCTAssertTrue(tampered.standardError.contains("\(trialFile.path): not a trial result"), tampered.standardError)

        // Other data under the planned path: the fingerprint no longer matches.
        try Support.write(try Support.read(data).split(separator: "\n").prefix(400).joined(separator: "\n") + "\n", to: data)
        let changed = launch(["tune", "--trial", plan.path, "0", "--quiet"])
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.standardError.contains("plan.json: the training data's fingerprint"), changed.standardError)
    }
}
