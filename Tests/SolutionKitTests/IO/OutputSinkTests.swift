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
