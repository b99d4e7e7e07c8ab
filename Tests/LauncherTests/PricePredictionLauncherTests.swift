import Foundation
import LauncherKit
import PricePrediction
import SolutionKit
import XCTest

/// The real price-prediction plugin through the launcher's commands, end to end on the shipped sample.
final class PricePredictionLauncherTests: XCTestCase {
    typealias Support = LauncherTestSupport
    let plugins: [any DomainPlugin] = [PricePredictionPlugin()]

    func testRunThenScoreThroughStandardStreams() throws {
        let folder = try Support.temporaryFolder(self)
        let runs = folder.appendingPathComponent("runs")
        let outcome = Support.launch(["run", "price-prediction", "--recipe", "ridge", "--out", runs.path, "--quiet"],
                                     plugins: plugins)
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertTrue(outcome.standardOutput.contains("rmse *"), outcome.standardOutput)
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(
            at: runs.appendingPathComponent("price-prediction"), includingPropertiesForKeys: nil).first)
        for file in ["bundle/manifest.json", "metrics.json", "report.md", "charts/predicted-vs-actual.svg",
                     "charts/residuals.svg", "hyperparameters.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), file)
        }

        // Score the sample's features (target column left in: an extra column, ignored and said once).
        let input = folder.appendingPathComponent("in.csv"), output = folder.appendingPathComponent("out.csv")
        let sample = try String(contentsOfFile: Support.packageRoot.appendingPathComponent("samples/price-prediction/housing-sample.csv").path,
                                encoding: .utf8)
        var lines = sample.split(separator: "\n").map(String.init)
        lines = lines.enumerated().map { $0.offset == 0 ? "id," + $0.element : "r\($0.offset)," + $0.element }
        try Support.write(lines.joined(separator: "\n") + "\n", to: input)
        let scored = try Support.withStandardStreams(input: input, output: output) {
            Support.launch(["score", "--model", run.appendingPathComponent("bundle").path, "--input", "-", "--output", "-",
                            "--rejects", folder.appendingPathComponent("rejects.csv").path], plugins: plugins)
        }
        XCTAssertEqual(scored.status, 0, scored.standardError)
        let result = try Support.read(output).split(separator: "\n")
        XCTAssertEqual(result.first, "id,prediction")
        XCTAssertTrue(scored.standardError.contains("rows read 2064 = scored "), scored.standardError)
        XCTAssertTrue(scored.standardError.contains("note: ignored extra column: median_house_value"), scored.standardError)
        // Every row is scored or rejected, in input order.
        let rejected = try Support.read(folder.appendingPathComponent("rejects.csv")).split(separator: "\n").count - 1
        XCTAssertEqual(result.count - 1 + rejected, 2064)
        XCTAssertEqual(result[1].split(separator: ",").first, "r1")
    }

    /// A row scorer cannot read a folder: `score --input FOLDER` is refused up front, naming it, with no output left.
    func testScoringAFolderIsRefusedByTheTabularScorer() throws {
        let folder = try Support.temporaryFolder(self)
        let run = try Support.priceRun(in: folder)
        let inputs = folder.appendingPathComponent("inputs"), output = folder.appendingPathComponent("out.csv")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let outcome = Support.launch(["score", "--model", run.appendingPathComponent("bundle").path,
                                      "--input", inputs.path, "--output", output.path], plugins: plugins)
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.standardError, "error: \(inputs.path) is a folder; this plugin scores files\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.path))
    }

    func testUnknownHyperparameterIsAUsageErrorNamingTheKey() throws {
        let outcome = Support.launch(["run", "price-prediction", "--recipe", "mlp", "--set", "epoch=3",
                                      "--out", try Support.temporaryFolder(self).path], plugins: plugins)
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.standardError.contains("unknown hyperparameter \"epoch\"") && outcome.standardError.contains("epochs"),
                      outcome.standardError)
    }
}

/// A target that overflows Double's squares (1e300) gives non-finite metrics: the run is kept, they are null in
/// metrics.json, the tables say "not finite" and a note names them (it used to fail decoding the bundle and lose
/// the run). `--out` naming a file is a usage error before any work.
final class NonFiniteRunTests: XCTestCase {
    typealias Support = LauncherTestSupport

    func testHugeTargetsKeepTheRunWithNullMetricsAndANote() throws {
        let folder = try Support.temporaryFolder(self)
        let sample = try String(contentsOfFile: Support.packageRoot.appendingPathComponent(
            "samples/price-prediction/housing-sample.csv").path, encoding: .utf8)
        var lines = sample.split(separator: "\n").prefix(301).map(String.init)
        let targetIndex = try XCTUnwrap(lines[0].split(separator: ",").firstIndex(of: "median_house_value"))
        for i in 1..<lines.count {
            var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[targetIndex] = i % 2 == 0 ? "1e300" : "-1e300"
            lines[i] = fields.joined(separator: ",")
        }
        let data = folder.appendingPathComponent("huge.csv")
        try Support.write(lines.joined(separator: "\n") + "\n", to: data)
        let runs = folder.appendingPathComponent("runs")
        let outcome = Support.launch(["run", "price-prediction", "--recipe", "ridge", "--data", data.path,
                                      "--target", "median_house_value", "--out", runs.path], plugins: [PricePredictionPlugin()])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertTrue(outcome.standardOutput.contains("rmse *  not finite (inf)"), outcome.standardOutput)
        XCTAssertTrue(outcome.standardOutput.contains("note: rmse, r2 are not finite"), outcome.standardOutput)
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(
            at: runs.appendingPathComponent("price-prediction"), includingPropertiesForKeys: nil).first)
        let metrics = try Support.read(run.appendingPathComponent("metrics.json"))
        XCTAssertTrue(metrics.contains("\"value\" : null"), metrics)
        XCTAssertTrue(try Support.read(run.appendingPathComponent("report.md")).contains("Note: rmse, r2 are not finite"))
        // The bundle still loads and evaluates.
        let evaluated = Support.launch(["evaluate", "--model", run.appendingPathComponent("bundle").path, "--data", data.path,
                                        "--target", "median_house_value", "--quiet"], plugins: [PricePredictionPlugin()])
        XCTAssertEqual(evaluated.status, 0, evaluated.standardError)
        XCTAssertFalse(evaluated.standardOutput.contains("-nan"), evaluated.standardOutput)
    }

    func testOutThatIsAFileIsAUsageError() throws {
        let folder = try Support.temporaryFolder(self)
        let file = folder.appendingPathComponent("a-file")
        try Support.write("x", to: file)
        for out in [file.path, file.path + "/sub"] {
            let outcome = Support.launch(["run", "price-prediction", "--recipe", "ridge", "--out", out],
                                         plugins: [PricePredictionPlugin()])
            XCTAssertEqual(outcome.status, 1)
            XCTAssertTrue(outcome.standardError.hasPrefix("Error: --out \(out) is"), outcome.standardError)
            XCTAssertFalse(outcome.standardError.contains("NSCocoaErrorDomain"), outcome.standardError)
        }
    }
}
