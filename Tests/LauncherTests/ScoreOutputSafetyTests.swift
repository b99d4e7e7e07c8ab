import Foundation
import LauncherKit
import SolutionKit
import XCTest

/// `launcher score` never destroys its input: an output or rejects path naming the input (or each other) under
/// any spelling is refused by device and inode before anything is opened, and the input stays byte for byte.
final class ScoreOutputSafetyTests: XCTestCase {
    typealias Support = LauncherTestSupport

    private func refuses(_ arguments: [String], bundle: URL, mentioning flags: [String],
                         file: StaticString = #filePath, line: UInt = #line) {
        let outcome = Support.launch(["score", "--model", bundle.path] + arguments)
        XCTAssertEqual(outcome.status, 1, outcome.standardError, file: file, line: line)
        XCTAssertTrue(outcome.standardError.contains("is the same file as"), outcome.standardError, file: file, line: line)
        for flag in flags {
            XCTAssertTrue(outcome.standardError.contains(flag), "\(flag) in \(outcome.standardError)", file: file, line: line)
        }
    }

    func testOutputOrRejectsOnTheInputUnderAnySpellingIsRefusedAndTheInputKept() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        let sub = folder.appendingPathComponent("a")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        let input = sub.appendingPathComponent("x.csv")
        let text = "id,x\na,1\nb,2\n"
        try Support.write(text, to: input)
        let symlink = folder.appendingPathComponent("link.csv"), hardLink = folder.appendingPathComponent("hard.csv")
        try FileManager.default.createSymbolicLink(at: symlink, withDestinationURL: input)
        XCTAssertEqual(link(input.path, hardLink.path), 0)
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(folder.path))
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }

        for spelling in ["a/x.csv", "./a/x.csv", "a/../a/x.csv", "a//x.csv", input.path, "link.csv", "hard.csv"] {
            refuses(["--input", "a/x.csv", "--output", spelling], bundle: bundle, mentioning: ["--output", "--input"])
            refuses(["--input", "a/x.csv", "--output", "out.csv", "--rejects", spelling], bundle: bundle,
                    mentioning: ["--rejects", "--input"])
        }
        XCTAssertEqual(try Support.read(input), text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.csv").path))
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.contains("partial") }
        XCTAssertEqual(leftovers, [])
    }

    func testOutputAndRejectsOnOneFileAreRefusedEvenBeforeItExists() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        let input = folder.appendingPathComponent("in.csv")
        try Support.write("id,x\na,1\n", to: input)
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(folder.path))
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        refuses(["--input", "in.csv", "--output", "new.csv", "--rejects", "./new.csv"], bundle: bundle,
                mentioning: ["--rejects ./new.csv", "--output new.csv"])
        refuses(["--input", "in.csv", "--output", "new.csv", "--rejects", "runs/../new.csv"], bundle: bundle,
                mentioning: ["--rejects", "--output"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("new.csv").path))
        // Different files in one folder are fine.
        let fine = Support.launch(["score", "--model", bundle.path, "--input", "in.csv", "--output", "new.csv",
                                   "--rejects", "rejects.csv", "--quiet"])
        XCTAssertEqual(fine.status, 0, fine.standardError)
    }

    func testStandardStreamsRedirectedToTheInputAreRefused() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        let input = folder.appendingPathComponent("in.csv"), other = folder.appendingPathComponent("other.csv")
        let text = "id,x\na,1\n"
        try Support.write(text, to: input)
        // `--input - < in.csv --output in.csv`
        let fromStdin = try Support.withStandardStreams(input: input, output: other) {
            Support.launch(["score", "--model", bundle.path, "--input", "-", "--output", input.path])
        }
        XCTAssertEqual(fromStdin.status, 1)
        XCTAssertTrue(fromStdin.standardError.contains("--output \(input.path) is the same file as --input - (standard input)"),
                      fromStdin.standardError)
        XCTAssertEqual(try Support.read(input), text)
    }
}
