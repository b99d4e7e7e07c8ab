import Foundation
import LauncherKit
import SolutionKit
import XCTest
@testable import DigitRecognition

/// `launcher score --input FOLDER` end to end: the launcher hands the folder to the digit scorer, which scores
/// every PNG under it (issue 6: "a folder, a list file or stdin of PNG paths, or an IDX file, in").
final class DigitLauncherScoreTests: XCTestCase {
    private func launch(_ arguments: [String]) -> (status: Int32, standardOutput: String, standardError: String) {
        let out = CapturedOutput(), err = CapturedOutput()
        let environment = LauncherEnvironment(registry: try! PluginRegistry([DigitRecognitionPlugin()]),
                                              standardOutput: out, standardError: err, standardErrorIsTerminal: false,
                                              now: { Date(timeIntervalSince1970: 1_790_000_000) })
        let status = Launcher.run(arguments, environment: environment)
        return (status, out.text, err.text)
    }

    func testScoresAFolderOfPNGsThroughTheLauncher() throws {
        let folder = try DigitTestSupport.temporaryFolder(self)
        let root = try DigitTestSupport.imageFolder(in: folder, perClass: 2)
        let data = try DigitDatasets.load(.file(root.path), plugin: DigitRecognitionPlugin())
        _ = try DigitTestSupport.bundledModel("mlp", on: data, overrides: ["epochs=2", "batch_size=8"], in: folder)
        let bundle = folder.appendingPathComponent("bundle-mlp").path
        // A corrupt PNG in the folder is rejected and counted, never fatal.
        let corrupt = root.appendingPathComponent("7/corrupt.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0]).write(to: corrupt)
        let output = folder.appendingPathComponent("scores.csv"), rejects = folder.appendingPathComponent("rejects.csv")

        let outcome = launch(["score", "--model", bundle, "--input", root.path, "--output", output.path,
                              "--rejects", rejects.path])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("rows read 21 = scored 20 + rejected 1\n"), outcome.standardError)
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "path,label,probability,top3")
        XCTAssertEqual(lines.count, 1 + 20)
        let scoredPaths = Set(lines.dropFirst().map { String($0.split(separator: ",")[0]) })
        let expected = try (0..<10).flatMap { digit in
            try FileManager.default.contentsOfDirectory(atPath: root.path + "/\(digit)").filter { $0 != "corrupt.png" }
                .map { root.path + "/\(digit)/" + $0 }
        }
        XCTAssertEqual(scoredPaths, Set(expected))
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",")
            XCTAssertTrue((0...9).map(String.init).contains(String(fields[1])), line)
            let probability = try XCTUnwrap(Double(fields[2]), line)
            XCTAssertTrue(probability > 0 && probability <= 1, line)
        }
        let rejectText = try String(contentsOf: rejects, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(rejectText.first, "line,path,reason")
        let rejectLines = Array(rejectText.dropFirst())
        // One reject, numbered with the line of the list the launcher handed over (line 1 is the `path` header).
        XCTAssertEqual(rejectLines.count, 1, rejectLines.joined(separator: "\n"))
        XCTAssertTrue(rejectLines.first.map { $0.hasPrefix("2,") && $0.contains(corrupt.path) } ?? false,
                      rejectLines.joined(separator: "\n"))
    }

    func testAMissingFolderOrFileIsABadInput() throws {
        let folder = try DigitTestSupport.temporaryFolder(self)
        let root = try DigitTestSupport.imageFolder(in: folder, perClass: 1)
        let data = try DigitDatasets.load(.file(root.path), plugin: DigitRecognitionPlugin())
        _ = try DigitTestSupport.bundledModel("mlp", on: data, overrides: ["epochs=1", "batch_size=8"], in: folder)
        let missing = folder.appendingPathComponent("nowhere").path
        let outcome = launch(["score", "--model", folder.appendingPathComponent("bundle-mlp").path, "--input", missing,
                              "--output", folder.appendingPathComponent("out.csv").path])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.standardError, "error: \(missing): no such file\n")
    }
}
