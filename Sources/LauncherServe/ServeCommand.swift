import ArgumentParser
import Foundation
import LauncherKit
import Logging
import SolutionKit

/// `launcher serve`: HTTP scoring of verified bundles until SIGTERM (see `ScoringServer`).
public struct ServeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve saved model bundles over HTTP (score, reload, metrics).",
        discussion: """
            POST /v1/models/NAME/score takes {"rows": [...]} (application/json), CSV (text/csv), one PNG \
            (image/png, for image models) or PNG parts (multipart/form-data, one row per part) and answers per row what `launcher score` writes. GET /openapi.json \
            describes every route. SIGHUP reloads every bundle (one that fails verification is refused and the \
            old one keeps serving); SIGTERM finishes the requests in flight, then exits.
            """)

    @Option(name: .customLong("model"), help: ArgumentHelp("A model to serve as NAME=BUNDLE_FOLDER (repeatable).", valueName: "name=folder"))
    var models: [String] = []

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(help: "The largest request body in bytes (413 above).")
    var maxBodyBytes = 16 << 20

    @Option(help: "The most rows in one scoring request (413 above).")
    var maxRows = 100_000

    @Option(help: "Seconds a request may take to arrive and be scored (408 after).")
    var requestTimeout = 30.0

    @Option(help: "Requests scored at the same time (429 for one more).")
    var maxConcurrent = 64

    @Option(help: "Worker threads per scoring pass (default: all cores).")
    var threads: Int?

    @Flag(help: "Print the OpenAPI document and exit.")
    var printOpenapi = false

    public init() {}

    public func validate() throws {
        if printOpenapi { return }
        guard !models.isEmpty else { throw ValidationError("give at least one --model NAME=BUNDLE_FOLDER") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be in 0...65535, got \(port)") }
        guard maxBodyBytes >= 1 else { throw ValidationError("--max-body-bytes must be at least 1") }
        guard maxRows >= 1 else { throw ValidationError("--max-rows must be at least 1") }
        guard requestTimeout > 0, requestTimeout.isFinite else { throw ValidationError("--request-timeout must be a positive number of seconds") }
        guard maxConcurrent >= 1 else { throw ValidationError("--max-concurrent must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    /// `name=folder` pairs; names are URL path segments, so letters, digits, `-`, `_` and `.` only, each once.
    static func parseModels(_ texts: [String]) throws -> [(name: String, folder: String)] {
        let pairs = try parseKeyValues(texts, flag: "--model")
        var result: [(name: String, folder: String)] = []
        for text in texts {
            let name = String(text[..<text.firstIndex(of: "=")!])
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw ValidationError("--model \(text): a name may hold letters, digits, -, _ and . only")
            }
            guard !result.contains(where: { $0.name == name }) else { throw ValidationError("--model \(name) is given twice") }
            result.append((name, pairs[name]!))
        }
        return result
    }

    public func run() throws {
        let environment = LauncherEnvironment.active
        if printOpenapi {
            environment.standardOutput.write(OpenAPIDocument.text)
            return
        }
        if let threads { Parallelism.threadCount = threads }
        // As in `launcher score`: OpenBLAS workers spinning idle would only take cores from the scorers.
        IdleBLASThreads.stop()
        let specs = try Self.parseModels(models)
        let server = try ScoringServer(models: specs, registry: environment.registry, configuration: .init(
            host: host, port: port, maximumBodyBytes: maxBodyBytes, maximumRows: maxRows,
            requestTimeout: requestTimeout, maximumConcurrent: maxConcurrent))
        let output = environment.standardError
        let names = specs.map(\.name).joined(separator: ", ")
        let host = self.host
        let outcome = BlockingResult()
        // The command is synchronous (argument-parser); the server runs on Swift concurrency until it ends.
        Task.detached {
            do {
                try await server.run { port in output.write("serving \(names) on http://\(host):\(port)\n") }
                outcome.finish(nil)
            } catch {
                outcome.finish(error)
            }
        }
        if let error = outcome.wait() { throw error }
        environment.standardError.write("drained and stopped\n")
    }
}

/// Waits on the calling thread for an asynchronous job's outcome.
final class BlockingResult: @unchecked Sendable {
    // @unchecked: `error` is written once before the semaphore is signalled and read after the wait.
    private let done = DispatchSemaphore(value: 0)
    private var error: Error?

    func finish(_ error: Error?) {
        self.error = error
        done.signal()
    }

    func wait() -> Error? {
        done.wait()
        return error
    }
}
