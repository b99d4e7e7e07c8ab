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

    /// Every entry whose name marks a temporary, anywhere under `folder`.
    private func temporaries(under folder: URL) -> [String] {
        let paths = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
        return paths.filter { ($0 as NSString).lastPathComponent.contains(".partial-") }
    }

    /// `run` and `evaluate` write their folder (and `run` its bundle) into a hidden temporary that exists for
    /// a few milliseconds; the launcher is signalled as soon as that temporary appears. A process that finished
    /// first is tried again, so each signal lands mid-write at least once.
    func testSignalDuringRunAndEvaluateRemovesTheTemporaryFolder() throws {
        let launcher = try Support.launcherExecutable()
        let folder = try Support.temporaryFolder(self)
        let bundle = try priceBundle(in: folder)
        let sample = Support.packageRoot.appendingPathComponent("samples/price-prediction/housing-sample.csv")
        let cases: [(arguments: (URL) -> [String], signal: Int32, status: Int32)] = [
            ({ ["run", "price-prediction", "--recipe", "ridge", "--out", $0.path, "--quiet"] }, SIGINT, 130),
            ({ ["run", "price-prediction", "--recipe", "ridge", "--out", $0.path, "--quiet"] }, SIGTERM, 143),
            ({ ["evaluate", "--model", bundle.path, "--data", sample.path, "--out", $0.path, "--quiet"] }, SIGTERM, 143),
        ]
        for (index, testCase) in cases.enumerated() {
            var interrupted = false
            for attempt in 0..<20 where !interrupted {
                let out = folder.appendingPathComponent("signalled-\(index)-\(attempt)")
                let pluginFolder = out.appendingPathComponent("price-prediction")
                try FileManager.default.createDirectory(at: pluginFolder, withIntermediateDirectories: true)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: launcher)
                process.arguments = testCase.arguments(out)
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                let deadline = Date().addingTimeInterval(120)
                while process.isRunning && Date() < deadline {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: pluginFolder.path)) ?? []
                    if names.contains(where: { $0.contains(".partial-") }) {
                        kill(process.processIdentifier, testCase.signal)
                        break
                    }
                }
                process.waitUntilExit()
                XCTAssertEqual(process.terminationReason, .exit, "\(testCase.arguments(out))")
                XCTAssertEqual(temporaries(under: out), [], "\(testCase.arguments(out)), signal \(testCase.signal)")
                if process.terminationStatus == testCase.status {
                    interrupted = true
                    let left = try FileManager.default.contentsOfDirectory(atPath: pluginFolder.path)
                    XCTAssertEqual(left, [], "an interrupted write leaves no folder, finished or not")
                } else {
                    XCTAssertEqual(process.terminationStatus, 0, "\(testCase.arguments(out))")
                }
            }
            XCTAssertTrue(interrupted, "the signal never arrived while the temporary existed: \(testCase.arguments(folder))")
        }
    }
}
