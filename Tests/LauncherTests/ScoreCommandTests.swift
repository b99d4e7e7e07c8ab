import Foundation
import LauncherKit
import SolutionKit
import XCTest

/// `launcher score`: streaming, rejects, atomic outputs, standard streams, and refused bundles.
final class ScoreCommandTests: XCTestCase {
    typealias Support = LauncherTestSupport

    func testScoresAFileWithRejectsAndNotes() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        let model = try LineFitPlugin().model(from: ModelBundle.load(from: bundle.path)) as! LineModel
        let input = folder.appendingPathComponent("in.csv"), output = folder.appendingPathComponent("out.csv")
        let rejects = folder.appendingPathComponent("rejects.csv")
        try Support.write("id,x,colour\na,1,red\nb,zero,blue\nc,-2,green\nd,3\n", to: input)
        let outcome = Support.launch(["score", "--model", bundle.path, "--input", input.path, "--output", output.path,
                                      "--rejects", rejects.path])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertEqual(try Support.read(output), "id,prediction\na,\(model.predict(1))\nc,\(model.predict(-2))\n")
        XCTAssertEqual(try Support.read(rejects),
                       "line,reason\n3,\"field x: \"\"zero\"\" is not a finite number\"\n5,\"expected 3 fields, found 2\"\n")
        XCTAssertTrue(outcome.standardError.hasPrefix("scoring \(input.path): started, 1 MiB\nscoring \(input.path): done, 1 MiB in "),
                      outcome.standardError)
        XCTAssertTrue(outcome.standardError.hasSuffix("s\nrows read 4 = scored 2 + rejected 2\nnote: ignored extra columns: colour\n"),
                      outcome.standardError)
        XCTAssertEqual(outcome.standardOutput, "")
    }

    func testMissingColumnFailsAndLeavesNoOutputFile() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        let input = folder.appendingPathComponent("in.csv"), output = folder.appendingPathComponent("out.csv")
        let rejects = folder.appendingPathComponent("rejects.csv")
        try Support.write("id,z\na,1\n", to: input)
        let outcome = Support.launch(["score", "--model", bundle.path, "--input", input.path, "--output", output.path,
                                      "--rejects", rejects.path])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.standardError, "scoring \(input.path): started, 1 MiB\n"
                       + "error: \(input.path): line 1: the model needs column x; the header has id, z\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: rejects.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("partial") }
        XCTAssertEqual(leftovers, [])
    }

    func testAnExistingOutputIsUntouchedWhenScoringFails() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        let input = folder.appendingPathComponent("in.csv"), output = folder.appendingPathComponent("out.csv")
        try Support.write("", to: input)
        try Support.write("previous results\n", to: output)
        let outcome = Support.launch(["score", "--model", bundle.path, "--input", input.path, "--output", output.path])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.standardError.contains("empty input"), outcome.standardError)
        XCTAssertEqual(try Support.read(output), "previous results\n")
    }

    func testScoresStandardInputToStandardOutput() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        let input = folder.appendingPathComponent("in.jsonl"), captured = folder.appendingPathComponent("stdout.txt")
        try Support.write("{\"id\":\"a\",\"x\":2}\n{\"x\":-1}\n", to: input)
        let model = try LineFitPlugin().model(from: ModelBundle.load(from: bundle.path)) as! LineModel
        let outcome = try Support.withStandardStreams(input: input, output: captured) {
            Support.launch(["score", "--model", bundle.path, "--input", "-", "--output", "-", "--format", "jsonl"])
        }
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertEqual(try Support.read(captured),
                       "{\"id\":\"a\",\"prediction\":\(model.predict(2))}\n{\"prediction\":\(model.predict(-1))}\n")
        XCTAssertTrue(outcome.standardError.hasPrefix("scoring <stdin>: started\n"), outcome.standardError)
        XCTAssertTrue(outcome.standardError.hasSuffix("\nrows read 2 = scored 2 + rejected 0\n"), outcome.standardError)
        let quiet = try Support.withStandardStreams(input: input, output: captured) {
            Support.launch(["score", "--model", bundle.path, "--input", "-", "--output", "-", "--format", "jsonl", "--quiet"])
        }
        XCTAssertEqual(quiet.status, 0)
        XCTAssertEqual(quiet.standardError, "")
    }

    func testBadFormatIsAUsageError() throws {
        let outcome = Support.launch(["score", "--model", "m", "--input", "-", "--output", "-", "--format", "xml"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.standardError.contains("xml"), outcome.standardError)
    }

    // MARK: Refused bundles

    func testAlteredWeightFileIsRefused() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        let weights = bundle.appendingPathComponent("weights.bin")
        var bytes = try Data(contentsOf: weights)
        bytes[0] ^= 0x01
        try bytes.write(to: weights)
        let output = folder.appendingPathComponent("out.csv"), input = folder.appendingPathComponent("in.csv")
        try Support.write("x\n1\n", to: input)
        let outcome = Support.launch(["score", "--model", bundle.path, "--input", input.path, "--output", output.path])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.standardError,
                       "error: \(bundle.path)/weights.bin: checksum does not match the manifest (the file was altered or corrupted)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.path))
    }

    func testBundleFromAnotherPluginIsRefused() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        XCTAssertThrowsError(try ModelBundle.load(from: bundle.path, expectingPlugin: "credit-risk")) { error in
            XCTAssertEqual("\(error)", "\(bundle.path): the bundle belongs to plugin \"line-fit\", not \"credit-risk\"")
        }
        // Through the launcher, a bundle naming a plugin this launcher lacks is refused with the known ids.
        try rewriteManifest(bundle) { $0.replacingOccurrences(of: "\"id\" : \"line-fit\"", with: "\"id\" : \"other-plugin\"") }
        let outcome = Support.launch(["evaluate", "--model", bundle.path, "--dataset", "sample"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.standardError, "error: no plugin named \"other-plugin\"; known plugins: line-fit\n")
    }

    func testNewerFormatVersionIsRefused() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        try rewriteManifest(bundle) { $0.replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 7") }
        let outcome = Support.launch(["evaluate", "--model", bundle.path, "--dataset", "sample"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.standardError,
                       "error: \(bundle.path): written by a newer SolutionKit (format 7, this build reads up to 1)\n")
    }

    func testMissingBundleFolderIsABadInput() {
        let outcome = Support.launch(["score", "--model", "/nonexistent/bundle", "--input", "-", "--output", "-"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.standardError, "error: /nonexistent/bundle: not a model bundle (no such folder)\n")
    }

    private func rewriteManifest(_ bundle: URL, _ change: (String) -> String) throws {
        let manifest = bundle.appendingPathComponent("manifest.json")
        let text = try Support.read(manifest)
        let changed = change(text)
        XCTAssertNotEqual(text, changed, "the manifest edit did not apply")
        try Support.write(changed, to: manifest)
    }
}
