import CreditRisk
import DigitRecognition
import Foundation
import LauncherKit
import PricePrediction
import Recommendation
import SolutionKit
import XCTest

/// `launcher run <plugin> --data FILE --test FILE`, end to end for every plugin, and the shared split options.
final class TestFileLauncherTests: XCTestCase {
    typealias Support = LauncherTestSupport
    let plugins: [any DomainPlugin] = [PricePredictionPlugin(), CreditRiskPlugin(), RecommendationPlugin(), DigitRecognitionPlugin()]

    /// Runs `launcher run`, expecting success; returns the run folder's metrics.json and report.md.
    func run(_ arguments: [String], in folder: URL, file: StaticString = #filePath, line: UInt = #line) throws -> (metrics: String, report: String, stderr: String) {
        let runs = folder.appendingPathComponent("runs-\(UUID().uuidString)")
        let outcome = Support.launch(["run"] + arguments + ["--out", runs.path], plugins: plugins)
        XCTAssertEqual(outcome.status, 0, outcome.standardError, file: file, line: line)
        let pluginFolder = runs.appendingPathComponent(arguments[0])
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(at: pluginFolder, includingPropertiesForKeys: nil).first,
                                file: file, line: line)
        return (try Support.read(run.appendingPathComponent("metrics.json")), try Support.read(run.appendingPathComponent("report.md")),
                outcome.standardError)
    }

    /// The first `count` data lines of a shipped sample after `skip`, with its header.
    func sampleLines(_ relative: String, skip: Int, count: Int) throws -> String {
        let lines = try String(contentsOfFile: Support.packageRoot.appendingPathComponent(relative).path, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        return ([lines[0]] + lines.dropFirst(1 + skip).prefix(count)).joined(separator: "\n") + "\n"
    }

    func testPricePredictionTakesATestFile() throws {
        let folder = try Support.temporaryFolder(self)
        let train = folder.appendingPathComponent("train.csv"), test = folder.appendingPathComponent("test.csv")
        try Support.write(try sampleLines("samples/price-prediction/housing-sample.csv", skip: 0, count: 400), to: train)
        try Support.write(try sampleLines("samples/price-prediction/housing-sample.csv", skip: 400, count: 100), to: test)
        let result = try run(["price-prediction", "--data", train.path, "--test", test.path, "--target", "median_house_value",
                              "--recipe", "ridge"], in: folder)
        XCTAssertTrue(result.report.contains("400 training rows, 100 evaluation rows"), result.report)
        XCTAssertTrue(result.report.contains("training rows from \(train.path), test rows from \(test.path)"), result.report)
    }

    func testCreditRiskTakesATestFile() throws {
        let folder = try Support.temporaryFolder(self)
        let lines = try String(contentsOfFile: Support.packageRoot.appendingPathComponent("samples/credit-risk/german.data").path,
                               encoding: .utf8).split(separator: "\n").map(String.init)
        let train = folder.appendingPathComponent("train.data"), test = folder.appendingPathComponent("test.data")
        try Support.write(lines[..<700].joined(separator: "\n") + "\n", to: train)
        try Support.write(lines[700...].joined(separator: "\n") + "\n", to: test)
        let result = try run(["credit-risk", "--data", train.path, "--test", test.path, "--recipe", "logistic"], in: folder)
        XCTAssertTrue(result.report.contains("700 training rows, 300 evaluation rows"), result.report)
    }

    func testRecommendationTakesATestFileAndTheOlderOptionSpelling() throws {
        let folder = try Support.temporaryFolder(self)
        let train = folder.appendingPathComponent("train.csv"), test = folder.appendingPathComponent("test.csv")
        try Support.write(try sampleLines("samples/recommendation/ratings.csv", skip: 0, count: 9000), to: train)
        try Support.write(try sampleLines("samples/recommendation/ratings.csv", skip: 9000, count: 2576), to: test)
        let result = try run(["recommendation", "--data", train.path, "--test", test.path, "--recipe", "baseline"], in: folder)
        XCTAssertTrue(result.report.contains("9000 training rows, 2576 evaluation rows"), result.report)
        let older = try run(["recommendation", "--data", train.path, "--option", "test=\(test.path)", "--recipe", "baseline"], in: folder)
        XCTAssertTrue(older.report.contains("9000 training rows, 2576 evaluation rows"), older.report)
        // Without a test file: a seeded random 20% of the ratings.
        let random = try run(["recommendation", "--data", train.path, "--recipe", "baseline", "--seed", "3"], in: folder)
        XCTAssertTrue(random.report.contains("7200 training rows, 1800 evaluation rows") && random.report.contains("seed 3"), random.report)
    }

    func testDigitRecognitionTakesATestFolder() throws {
        let folder = try Support.temporaryFolder(self)
        let source = Support.packageRoot.appendingPathComponent("samples/digit-recognition/mnist-png").path
        for (part, range) in [("train", 0..<6), ("test", 6..<9)] {
            for digit in 0..<10 {
                let target = folder.appendingPathComponent("\(part)-images/\(digit)")
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                for file in try FileManager.default.contentsOfDirectory(atPath: "\(source)/\(digit)").sorted()[range] {
                    try FileManager.default.copyItem(atPath: "\(source)/\(digit)/\(file)", toPath: target.appendingPathComponent(file).path)
                }
            }
        }
        let result = try run(["digit-recognition", "--data", folder.appendingPathComponent("train-images").path,
                              "--test", folder.appendingPathComponent("test-images").path, "--recipe", "mlp",
                              "--set", "epochs=2"], in: folder)
        XCTAssertTrue(result.report.contains("60 training rows, 30 evaluation rows"), result.report)
    }

    func testSplitOptionsAndTheirErrorsThroughTheLauncher() throws {
        let folder = try Support.temporaryFolder(self)
        let data = folder.appendingPathComponent("homes.csv")
        try Support.write(try sampleLines("samples/price-prediction/housing-sample.csv", skip: 0, count: 100), to: data)
        let base = ["price-prediction", "--data", data.path, "--target", "median_house_value", "--recipe", "ridge"]
        let byRow = try run(base + ["--option", "split=row"], in: folder)
        XCTAssertTrue(byRow.report.contains("test rows: row_index % 5 == 0"), byRow.report)
        let tiny = Support.launch(["run"] + base + ["--option", "test_fraction=0.01", "--out", folder.path], plugins: plugins)
        XCTAssertEqual(tiny.status, 1)
        XCTAssertTrue(tiny.standardError.contains("leaves 1 test row(s) of 100") && tiny.standardError.contains("raise --option test_fraction"),
                      tiny.standardError)
        let named = Support.launch(["run", "price-prediction", "--test", data.path], plugins: plugins)
        XCTAssertEqual(named.status, 1)
        XCTAssertTrue(named.standardError.contains("--test FILE goes with --data FILE"), named.standardError)
        // The options are shown where users look for them.
        let help = Support.launch(["run", "--help"], plugins: plugins)
        XCTAssertTrue(help.standardOutput.contains("--test <file>") && help.standardOutput.contains("split=random|row|id"), help.standardOutput)
        let describe = Support.launch(["describe", "credit-risk"], plugins: plugins)
        for option in ["--test FILE", "--option split=random|row|id", "--option test_fraction=F", "--option types=", "--option bad_cells="] {
            XCTAssertTrue(describe.standardOutput.contains(option), option)
        }
    }

    /// Declared types are recorded in the bundle's schema: `evaluate` reads a file the same way, and `score` rejects
    /// a text cell in a numeric column with its line.
    func testDeclaredTypesCarryOverToEvaluateAndScore() throws {
        let folder = try Support.temporaryFolder(self)
        var lines = ["zip,sqft,price"]
        for i in 0..<120 {
            let zip = ["10001", "02139", "94105"][i % 3], sqft = 50 + (i * 37) % 200
            lines.append("\(zip),\(sqft),\(1000 * sqft + (zip == "10001" ? 40000 : 0))")
        }
        let data = folder.appendingPathComponent("homes.csv"), holdout = folder.appendingPathComponent("holdout.csv")
        try Support.write(lines.joined(separator: "\n") + "\n", to: data)
        try Support.write(([lines[0]] + lines[1...30]).joined(separator: "\n") + "\n", to: holdout)
        let runs = folder.appendingPathComponent("runs")
        let trained = Support.launch(["run", "price-prediction", "--data", data.path, "--target", "price", "--recipe", "ridge",
                                      "--option", "types=zip:categorical", "--out", runs.path, "--quiet"], plugins: plugins)
        XCTAssertEqual(trained.status, 0, trained.standardError)
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(
            at: runs.appendingPathComponent("price-prediction"), includingPropertiesForKeys: nil).first)
        let bundle = run.appendingPathComponent("bundle").path
        let evaluated = Support.launch(["evaluate", "--model", bundle, "--data", holdout.path, "--quiet"], plugins: plugins)
        XCTAssertEqual(evaluated.status, 0, evaluated.standardError)
        XCTAssertTrue(evaluated.standardOutput.contains("rmse *"), evaluated.standardOutput)

        let input = folder.appendingPathComponent("score.csv"), output = folder.appendingPathComponent("out.csv")
        let rejects = folder.appendingPathComponent("rejects.csv")
        try Support.write("zip,sqft\n10001,120\n02139,twelve\n94105,80\n", to: input)
        let scored = Support.launch(["score", "--model", bundle, "--input", input.path, "--output", output.path,
                                     "--rejects", rejects.path], plugins: plugins)
        XCTAssertEqual(scored.status, 0, scored.standardError)
        XCTAssertTrue(scored.standardError.contains("rows read 3 = scored 2 + rejected 1"), scored.standardError)
        XCTAssertEqual(try Support.read(rejects), "line,reason\n3,column 'sqft': 'twelve' is not a number\n")
    }
}
