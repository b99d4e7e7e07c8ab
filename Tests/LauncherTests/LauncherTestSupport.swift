import Foundation
import LauncherKit
import SolutionKit
import XCTest

/// Runs launcher commands in-process with the test plugin and captured output.
enum LauncherTestSupport {
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The package root, found from this file's path (for the shipped samples).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func registry(_ plugins: [any DomainPlugin] = [LineFitPlugin()]) -> PluginRegistry {
        try! PluginRegistry(plugins)
    }

    static func launch(_ arguments: [String], plugins: [any DomainPlugin] = [LineFitPlugin()],
                       terminal: Bool = false) -> Outcome {
        let out = CapturedOutput(), err = CapturedOutput()
        let environment = LauncherEnvironment(registry: registry(plugins), standardOutput: out, standardError: err,
                                              standardErrorIsTerminal: terminal,
                                              now: { Date(timeIntervalSince1970: 1_790_000_000) })
        let status = Launcher.run(arguments, environment: environment)
        return Outcome(status: status, standardOutput: out.text, standardError: err.text)
    }

    /// The built `launcher` executable. The test bundle sits in the products folder beside it
    /// (.build/<triple>/<config>/); on Linux the bundle URL is that folder itself, on macOS the .xctest inside it.
    static func launcherExecutable() throws -> String {
        let bundle = Bundle(for: BundleMarker.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("launcher").path }
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("the launcher executable is not built; looked at \(candidates.joined(separator: ", "))")
        }
        return path
    }

    /// A fresh temporary folder, removed when the test ends.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("launcher-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Points on y = 2x + 1 with small deterministic wiggles, as CSV with an id column.
    static func pointsCSV(count: Int = 50) -> String {
        var text = "id,x,y\n"
        for i in 0..<count {
            let x = Double(i) * 0.25 - 5
            text += "p\(i),\(x),\(2 * x + 1 + (i % 2 == 0 ? 0.1 : -0.1))\n"
        }
        return text
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    static func read(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    /// Trains with `run` and returns the bundle folder of the new run.
    static func trainedBundle(in folder: URL, extra: [String] = []) throws -> URL {
        let outcome = launch(["run", "line-fit", "--out", folder.appendingPathComponent("runs").path, "--quiet"] + extra)
        guard outcome.status == 0 else { throw InternalError("run failed: \(outcome.standardError)") }
        let pluginRuns = folder.appendingPathComponent("runs/line-fit")
        let runs = try FileManager.default.contentsOfDirectory(atPath: pluginRuns.path).filter { !$0.hasPrefix(".") }.sorted()
        return pluginRuns.appendingPathComponent(runs.last!).appendingPathComponent("bundle")
    }

    /// Runs `body` with standard input read from `input` and standard output written to `output`.
    static func withStandardStreams<T>(input: URL, output: URL, _ body: () throws -> T) throws -> T {
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let inFD = open(input.path, O_RDONLY), outFD = open(output.path, O_WRONLY | O_TRUNC)
        precondition(inFD >= 0 && outFD >= 0)
        let savedIn = dup(STDIN_FILENO), savedOut = dup(STDOUT_FILENO)
        dup2(inFD, STDIN_FILENO)
        dup2(outFD, STDOUT_FILENO)
        close(inFD)
        close(outFD)
        defer {
            dup2(savedIn, STDIN_FILENO)
            dup2(savedOut, STDOUT_FILENO)
            close(savedIn)
            close(savedOut)
        }
        return try body()
    }
}

/// A class of the test bundle, to find the bundle by.
private final class BundleMarker {}
