import Foundation
import XCTest

/// The built `launcher` executable itself: its `main.swift` wires the registry and exit codes.
final class LauncherExecutableTests: XCTestCase {
    private func launcherPath() throws -> String {
        try LauncherTestSupport.launcherExecutable()
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try launcherPath())
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output, error)
    }

    func testHelpUnknownPluginAndUsageExitCodes() throws {
        let help = try run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.output.contains("SUBCOMMANDS"), help.output)
        let unknown = try run(["describe", "no-such-plugin"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.error.hasPrefix("error: no plugin named \"no-such-plugin\""), unknown.error)
        let usage = try run(["score", "--model"])
        XCTAssertEqual(usage.status, 1)
    }
}
