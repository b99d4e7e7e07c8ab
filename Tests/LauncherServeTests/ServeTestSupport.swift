import CreditRisk
import DigitRecognition
import Foundation
import LauncherKit
import LauncherServe
import PricePrediction
import Recommendation
import SolutionKit
import XCTest

/// Bundles trained through the launcher on the shipped samples, and servers started in-process on 127.0.0.1
/// with an ephemeral port.
enum ServeTestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let registry = try! PluginRegistry([PricePredictionPlugin(), CreditRiskPlugin(), RecommendationPlugin(),
                                               DigitRecognitionPlugin()])

    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static func launch(_ arguments: [String]) -> Outcome {
        let out = CapturedOutput(), err = CapturedOutput()
        let environment = LauncherEnvironment(registry: registry, standardOutput: out, standardError: err,
                                              standardErrorIsTerminal: false, now: { Date(timeIntervalSince1970: 1_790_000_000) })
        let status = Launcher.run(arguments, environment: environment)
        return Outcome(status: status, standardOutput: out.text, standardError: err.text)
    }

    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("serve-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// `launcher run PLUGIN ...` into `folder`; returns the bundle folder.
    static func train(_ plugin: String, _ arguments: [String], in folder: URL) throws -> String {
        let runs = folder.appendingPathComponent("runs-\(plugin)")
        let outcome = launch(["run", plugin] + arguments + ["--out", runs.path, "--quiet"])
        guard outcome.status == 0 else { throw RawHTTPClient.Failure(description: "training \(plugin) failed: \(outcome.standardError)") }
        let run = try XCTUnwrap(try FileManager.default.contentsOfDirectory(
            at: runs.appendingPathComponent(plugin), includingPropertiesForKeys: nil).first)
        return run.appendingPathComponent("bundle").path
    }

    static func priceBundle(in folder: URL) throws -> String { try train("price-prediction", ["--recipe", "ridge"], in: folder) }

    /// Synthetic applicants (numbers, categories, an id) with a target that depends on them.
    static func creditCSV(count: Int) -> String {
        var text = "id,income,age,purpose,housing,bad\n"
        let purposes = ["car", "education", "furniture, appliances", "business"]
        for i in 0..<count {
            let income = 1000 + (i * 7919) % 5000, age = 20 + (i * 31) % 50
            let bad = (income < 2500 ? 1 : 0) ^ (i % 7 == 0 ? 1 : 0)
            text += "a\(i),\(income),\(age),\"\(purposes[i % 4])\",\(i % 3 == 0 ? "own" : "rent"),\(bad)\n"
        }
        return text
    }

    static func creditBundle(in folder: URL) throws -> String {
        let data = folder.appendingPathComponent("credit.csv")
        try creditCSV(count: 300).write(to: data, atomically: true, encoding: .utf8)
        return try train("credit-risk", ["--data", data.path, "--target", "bad", "--recipe", "logistic"], in: folder)
    }

    static func recommendationBundle(in folder: URL) throws -> String {
        try train("recommendation", ["--recipe", "baseline"], in: folder)
    }

    static func digitBundle(in folder: URL) throws -> String {
        try train("digit-recognition", ["--recipe", "mlp", "--set", "epochs=1"], in: folder)
    }

    /// A running in-process server; `stop()` drains it.
    final class RunningServer {
        let server: ScoringServer
        let port: Int
        let client: RawHTTPClient
        private let finished = DispatchSemaphore(value: 0)

        init(models: [(name: String, folder: String)], configuration: ScoringServer.Configuration) throws {
            var configuration = configuration
            configuration.host = "127.0.0.1"
            configuration.port = 0
            configuration.handlesSignals = false
            let server = try ScoringServer(models: models, registry: ServeTestSupport.registry, configuration: configuration)
            self.server = server
            let started = DispatchSemaphore(value: 0)
            let box = PortBox()
            let finished = self.finished
            Task.detached {
                do {
                    try await server.run { port in
                        box.port = port
                        started.signal()
                    }
                } catch {
                    box.error = error
                    started.signal()
                }
                finished.signal()
            }
            guard started.wait(timeout: .now() + 60) == .success, box.port > 0 else {
                throw RawHTTPClient.Failure(description: "the server did not start: \(String(describing: box.error))")
            }
            port = box.port
            client = RawHTTPClient(port: port)
        }

        func stop() {
            let server = self.server
            Task.detached { await server.shutDown() }
            _ = finished.wait(timeout: .now() + 60)
        }
    }

    final class PortBox: @unchecked Sendable {
        var port = 0
        var error: Error?
    }

    static func start(_ test: XCTestCase, models: [(name: String, folder: String)],
                      configuration: ScoringServer.Configuration = .init()) throws -> RunningServer {
        let running = try RunningServer(models: models, configuration: configuration)
        test.addTeardownBlock { running.stop() }
        return running
    }

    /// `launcher score` of `input` in `format`: its output file's bytes.
    static func score(bundle: String, input: URL, format: String, options: [String] = [], folder: URL) throws -> [UInt8] {
        let output = folder.appendingPathComponent("score-\(UUID().uuidString).\(format)")
        let outcome = launch(["score", "--model", bundle, "--input", input.path, "--output", output.path, "--format", format,
                              "--quiet"] + options.flatMap { ["--option", $0] })
        guard outcome.status == 0 else { throw RawHTTPClient.Failure(description: "score failed: \(outcome.standardError)") }
        return Array(try Data(contentsOf: output))
    }
}
