import Foundation
import LauncherKit
import PricePrediction
import SolutionKit
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

/// Fatal signals during `score` remove the unfinished outputs and exit 128 + the signal.
final class LauncherSignalTests: XCTestCase {
    typealias Support = LauncherTestSupport

    /// A ridge price model on the shipped sample (the executable knows only the real plugins).
    private func priceBundle(in folder: URL) throws -> URL {
        let runs = folder.appendingPathComponent("runs")
        let outcome = Support.launch(["run", "price-prediction", "--recipe", "ridge", "--out", runs.path, "--quiet"],
                                     plugins: [PricePredictionPlugin()])
        guard outcome.status == 0 else { throw InternalError("run failed: \(outcome.standardError)") }
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(
            at: runs.appendingPathComponent("price-prediction"), includingPropertiesForKeys: nil).first)
        return run.appendingPathComponent("bundle")
    }

    private func partials(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".partial-") }
    }

    /// Standard input stays open (a pipe we hold), so the launcher waits with both temporaries created.
    func testInterruptAndTerminateRemoveTemporariesWithTheUsualExitCodes() throws {
        let launcher = try Support.launcherExecutable()
        let folder = try Support.temporaryFolder(self)
        let bundle = try priceBundle(in: folder)
        let output = folder.appendingPathComponent("out.csv"), rejects = folder.appendingPathComponent("rejects.csv")
        try Support.write("previous\n", to: output)
        let sample = try String(contentsOfFile: Support.packageRoot.appendingPathComponent(
            "samples/price-prediction/housing-sample.csv").path, encoding: .utf8)
        let header = String(sample.prefix { $0 != "\n" }) + "\n"
        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, 143), (SIGHUP, 129)] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: launcher)
            process.arguments = ["score", "--model", bundle.path, "--input", "-", "--output", output.path,
                                 "--rejects", rejects.path, "--quiet"]
            let input = Pipe()
            process.standardInput = input
            process.standardError = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data(header.utf8))
            let deadline = Date().addingTimeInterval(120)
            while try partials(in: folder).count < 2 && process.isRunning && Date() < deadline { usleep(20_000) }
            XCTAssertEqual(try partials(in: folder).count, 2, "temporaries not created before the signal")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            try? input.fileHandleForWriting.close()
            XCTAssertEqual(process.terminationReason, .exit, "signal \(signal)")
            XCTAssertEqual(process.terminationStatus, status, "signal \(signal)")
            XCTAssertEqual(try partials(in: folder), [], "signal \(signal)")
            XCTAssertEqual(try Support.read(output), "previous\n")
            XCTAssertFalse(FileManager.default.fileExists(atPath: rejects.path))
        }
    }

    /// `score ... | head -c 0`: the reader goes away, the rejects temporary is removed, status 141.
    func testClosedPipeRemovesTemporariesWithStatus141() throws {
        let launcher = try Support.launcherExecutable()
        let folder = try Support.temporaryFolder(self)
        let bundle = try priceBundle(in: folder)
        let sample = Support.packageRoot.appendingPathComponent("samples/price-prediction/housing-sample.csv")
        let rejects = folder.appendingPathComponent("rejects.csv")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher)
        process.arguments = ["score", "--model", bundle.path, "--input", sample.path, "--output", "-",
                             "--rejects", rejects.path, "--quiet"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try output.fileHandleForReading.close()
        // An ignored signal stays ignored across exec, and the HTTP tests in this process ignore SIGPIPE (as NIO
        // does); the launcher rightly keeps an inherited SIG_IGN, so start it with the default disposition.
        let previous = signal(SIGPIPE, SIG_DFL)
        defer { signal(SIGPIPE, previous) }
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 141)
        XCTAssertEqual(try partials(in: folder), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: rejects.path))
    }
}
