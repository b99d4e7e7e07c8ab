import Foundation
import SolutionKit
import XCTest

/// Outputs appear whole or not at all, and devices are written in place, never replaced.
final class OutputSinkTests: XCTestCase {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testAFileAppearsOnlyOnCommit() throws {
        let path = try folder().appendingPathComponent("out.csv").path
        let sink = try OutputSink.file(atomicallyAt: path, capacity: 4)
        try sink.write("hello, world\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        try sink.commit()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "hello, world\n")
    }

    func testADiscardedOutputLeavesNothingBehind() throws {
        let dir = try folder()
        do {
            let sink = try OutputSink.file(atomicallyAt: dir.appendingPathComponent("out.csv").path)
            try sink.write("partial")
            sink.discard()
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testADeviceIsWrittenInPlace() throws {
        let sink = try OutputSink.file(atomicallyAt: "/dev/null")
        try sink.write("discarded\n")
        try sink.commit()
        var status = stat()
        XCTAssertEqual(stat("/dev/null", &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFCHR, "/dev/null must stay a character device")
    }

    func testAMissingFolderIsAnError() {
        XCTAssertThrowsError(try OutputSink.file(atomicallyAt: "/nonexistent-folder/out.csv")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent-folder"), "\(error)")
        }
    }
}

/// The one quoting of scored fields every scorer uses.
final class OutputTextTests: XCTestCase {
    func testCSVFieldsAreQuotedOnlyWhenNeeded() {
        XCTAssertEqual(OutputText.csvField("plain"), "plain")
        XCTAssertEqual(OutputText.csvField("a,b"), "\"a,b\"")
        XCTAssertEqual(OutputText.csvField("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(OutputText.csvField("two\nlines"), "\"two\nlines\"")
    }

    func testJSONStringsAreEscaped() {
        XCTAssertEqual(OutputText.jsonString("é \"q\" \\ \n\t\u{01}"), "\"é \\\"q\\\" \\\\ \\n\\t\\u0001\"")
    }
}

/// Atomic outputs are registered for removal on a fatal signal while unfinished, and only then.
final class OutputSinkCleanupTests: XCTestCase {
    func testUnfinishedOutputsAreRegisteredUntilCommitOrDiscard() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = TemporaryFiles.pendingCount
        let a = try OutputSink.file(atomicallyAt: dir.appendingPathComponent("a.csv").path)
        let b = try OutputSink.file(atomicallyAt: dir.appendingPathComponent("b.csv").path)
        XCTAssertEqual(TemporaryFiles.pendingCount, before + 2)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(names.count, 2)
        XCTAssertTrue(names.allSatisfy { $0.hasPrefix(".a.csv.partial-\(getpid())-") || $0.hasPrefix(".b.csv.partial-\(getpid())-") }, "\(names)")
        try a.write("x\n")
        try a.commit()
        b.discard()
        XCTAssertEqual(TemporaryFiles.pendingCount, before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["a.csv"])
    }

    func testDistinctFilesComparesIdentityNotSpelling() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ids-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("a"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("a/x.csv")
        try Data("x\n".utf8).write(to: file)
        XCTAssertEqual(FileIdentity(path: file.path), FileIdentity(path: dir.path + "/a/../a/./x.csv"))
        XCTAssertEqual(FileIdentity(path: dir.path + "/a/new.csv"), FileIdentity(path: dir.path + "//a/new.csv"))
        XCTAssertNotEqual(FileIdentity(path: dir.path + "/a/new.csv"), FileIdentity(path: dir.path + "/a/other.csv"))
        XCTAssertNil(FileIdentity(path: dir.path + "/missing/new.csv"))
        XCTAssertThrowsError(try DistinctFiles.check([("--input", file.path, nil), ("--output", dir.path + "/a/../a/x.csv", nil)]))
        XCTAssertNoThrow(try DistinctFiles.check([("--input", file.path, nil), ("--output", dir.path + "/a/y.csv", nil)]))
    }
}
