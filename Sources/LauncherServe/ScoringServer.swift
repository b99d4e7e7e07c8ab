import Foundation
import HTTPTypes
import Hummingbird
import LauncherKit
import Logging
import NIOCore
import ServiceLifecycle
import SolutionKit
import UnixSignals

/// `launcher serve`: the HTTP service over verified bundles.
///
/// Routes: `POST /v1/models/{name}/score`, `POST /v1/models/{name}/reload`, `GET /v1/models`,
/// `GET /v1/models/{name}`, `GET /healthz`, `GET /readyz`, `GET /metrics`, `GET /openapi.json`.
/// SIGTERM or SIGINT drains: the listener closes, requests in flight finish, then the process ends; SIGHUP
/// reloads every model (each one that fails keeps serving its old version).
public final class ScoringServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        var limits: ServeLimits
        /// Catch SIGTERM/SIGINT (drain) and SIGHUP (reload); tests running in-process turn it off.
        public var handlesSignals: Bool

        public init(host: String = "127.0.0.1", port: Int = 8080, maximumBodyBytes: Int = 16 << 20,
                    maximumRows: Int = 100_000, requestTimeout: Double = 30, maximumConcurrent: Int = 64,
                    handlesSignals: Bool = true) {
            self.host = host
            self.port = port
            limits = ServeLimits(maximumBodyBytes: maximumBodyBytes, maximumRows: maximumRows,
                                 requestTimeout: requestTimeout, maximumConcurrent: maximumConcurrent)
            self.handlesSignals = handlesSignals
        }
    }

    let models: ServedModels
    let configuration: Configuration
    let metrics = ServeMetrics()
    let executor: ScoringExecutor
    let state = ServeState()
    let logger: Logger

    /// Loads every model first: a bundle that fails verification stops start-up with its error.
    public init(models specs: [(name: String, folder: String)], registry: PluginRegistry, configuration: Configuration,
                logger: Logger = Logger(label: "launcher.serve")) throws {
        models = try ServedModels(specs, registry: registry)
        self.configuration = configuration
        executor = ScoringExecutor(limit: configuration.limits.maximumConcurrent)
        self.logger = logger
    }

    /// Serves until a graceful shutdown (a signal, or `shutDown()`); `onRunning` gets the bound port.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        addRoutes(to: router)
        let limits = configuration.limits
        // Twice the request timeout, so a request that stalls mid-body gets its 408 before the connection is cut.
        let timeout = TimeAmount.nanoseconds(Int64(2 * limits.requestTimeout * 1e9))
        let app = Application(
            router: router,
            // A silent connection is closed: slow or stalled clients do not hold sockets.
            server: .http1(configuration: .init(idleTimeout: timeout)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "launcher-serve"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: app),
            // Shut down first (services stop in reverse order): /readyz answers 503 before the listener closes.
            .init(service: DrainNotice(state: state), successTerminationBehavior: .ignore),
        ]
        if configuration.handlesSignals {
            services.append(.init(service: ReloadOnHangup(server: self), successTerminationBehavior: .ignore))
        }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: configuration.handlesSignals ? [.sigterm, .sigint] : [],
            logger: logger))
        state.setGroup(group)
        try await group.run()
    }

    /// Starts a graceful shutdown, as SIGTERM does.
    public func shutDown() async {
        await state.group?.triggerGracefulShutdown()
    }

    // MARK: Routes

    private func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/models/:name/score") { request, context in
            try await self.score(request, name: try context.parameters.require("name"))
        }
        router.post("/v1/models/:name/reload") { _, context in
            try await self.reload(try context.parameters.require("name"))
        }
        router.get("/v1/models") { _, _ in
            try JSONResponse.encode(ModelList(models: self.models.all.map(ModelSummary.init)))
        }
        router.get("/v1/models/:name") { _, context in
            let name = try context.parameters.require("name")
            guard let served = self.models[name] else { throw RequestProblem.unknownModel(name) }
            return try JSONResponse.encode(ModelDetail(served))
        }
        router.get("/healthz") { _, _ in
            JSONResponse.make(body: Array(#"{"status":"ok"}"#.utf8) + [10])
        }
        router.get("/readyz") { _, _ in
            guard !self.state.draining else { throw RequestProblem.shuttingDown }
            return JSONResponse.make(body: Array(#"{"status":"ready","models":\#(self.models.names.count)}"#.utf8) + [10])
        }
        router.get("/metrics") { _, _ in
            JSONResponse.make(body: self.metrics.text(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/openapi.json") { _, _ in
            JSONResponse.make(body: Array(OpenAPIDocument.text.utf8))
        }
    }

    private func score(_ request: Request, name: String) async throws -> Response {
        let start = ContinuousClock.now
        var status = 200
        var rowsRead = 0, rowsRejected = 0
        defer {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            metrics.recordScore(model: models[name] == nil ? "-" : name, status: status, rowsRead: rowsRead,
                                rowsRejected: rowsRejected, seconds: seconds)
        }
        do {
            guard let served = models[name] else { throw RequestProblem.unknownModel(name) }
            let limits = configuration.limits
            let kind = try ScoreRequest.bodyKind(contentType: request.headers[.contentType])
            let answer = try ScoreRequest.answer(accept: request.headers[.accept])
            let slot = try executor.acquire()
            var started = false
            defer { if !started { slot.giveBack() } }
            let deadline = DispatchTime.now() + limits.requestTimeout
            let body = try await readBody(request, limits: limits, deadline: deadline)
            let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            let model = served.model
            started = true
            let result = try await executor.run(slot, deadline: deadline, timeout: limits.requestTimeout) {
                let prepared = try ScoreRequest.prepare(body: body, kind: kind, answer: answer, query: query,
                                                        scorer: model.scorer, limits: limits)
                let scored: ScoredBytes
                do {
                    scored = prepared.parts.isEmpty
                        ? try model.score(prepared.input, name: prepared.name, options: prepared.options)
                        : try ImagePartsScoring.score(prepared.parts, model: model, options: prepared.options)
                } catch let error as InternalError {
                    throw RequestProblem.internalFailure(error.description)
                } catch let problem as RequestProblem {
                    throw problem
                } catch {
                    // The scorer throws only for input it cannot read at all (a missing column, a bad option).
                    throw RequestProblem.badInput("\(error)")
                }
                let answerBody = try ScoreAnswer.body(scored, request: prepared, model: name)
                return (answerBody, scored.summary)
            }
            rowsRead = result.1.rowsRead
            rowsRejected = result.1.rowsRejected
            return JSONResponse.make(body: result.0.bytes, contentType: result.0.contentType, extraHeaders: [
                HTTPField.Name("X-Rows-Read")!: String(result.1.rowsRead),
                HTTPField.Name("X-Rows-Scored")!: String(result.1.rowsScored),
                HTTPField.Name("X-Rows-Rejected")!: String(result.1.rowsRejected),
            ])
        } catch let problem as RequestProblem {
            status = Int(problem.status.code)
            throw problem
        } catch {
            status = 500
            throw error
        }
    }

    /// The body, refused past `maximumBodyBytes` (by Content-Length before reading, or while reading) or past the deadline.
    private func readBody(_ request: Request, limits: ServeLimits, deadline: DispatchTime) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limits.maximumBodyBytes {
            throw RequestProblem.bodyTooLarge(limit: limits.maximumBodyBytes)
        }
        let body = request.body
        let nanoseconds = deadline.uptimeNanoseconds > DispatchTime.now().uptimeNanoseconds
            ? deadline.uptimeNanoseconds - DispatchTime.now().uptimeNanoseconds : 0
        let buffer: ByteBuffer = try await withThrowingTaskGroup(of: ByteBuffer.self) { group in
            group.addTask {
                do {
                    return try await body.collect(upTo: limits.maximumBodyBytes)
                } catch is NIOTooManyBytesError {
                    throw RequestProblem.bodyTooLarge(limit: limits.maximumBodyBytes)
                }
            }
            group.addTask {
                try await Task.sleep(nanoseconds: nanoseconds)
                throw RequestProblem.timedOut(seconds: limits.requestTimeout)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
        return Array(buffer.readableBytesView)
    }

    private func reload(_ name: String) async throws -> Response {
        guard models[name] != nil else { throw RequestProblem.unknownModel(name) }
        let models = self.models
        let result: Result<ServedModel, Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Result { try models.reload(name) }) }
        }
        switch result {
        case .success(let served):
            metrics.recordReload(model: name, succeeded: true)
            logger.info("reloaded \(name) from \(served.folder)")
            return try JSONResponse.encode(ModelSummary(served))
        case .failure(let error):
            metrics.recordReload(model: name, succeeded: false)
            logger.error("reload of \(name) refused: \(error)")
            throw error
        }
    }

    /// SIGHUP: every model reloaded off the event loops, each failure logged and counted.
    func reloadAll() async {
        let models = self.models
        let failures = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: models.reloadAll()) }
        }
        let failed = Set(failures.map(\.name))
        for name in models.names {
            metrics.recordReload(model: name, succeeded: !failed.contains(name))
        }
        for failure in failures { logger.error("SIGHUP: reload of \(failure.name) refused: \(failure.error)") }
        logger.info("SIGHUP: reloaded \(models.names.count - failures.count) of \(models.names.count) models")
    }
}

/// Readiness and the running service group (for `shutDown()`).
final class ServeState: @unchecked Sendable {
    // @unchecked: both fields are only touched under `lock`.
    private let lock = NSLock()
    private var isDraining = false
    private var runningGroup: ServiceGroup?

    var draining: Bool {
        lock.lock()
        defer { lock.unlock() }
        return isDraining
    }

    func startDraining() {
        lock.lock()
        isDraining = true
        lock.unlock()
    }

    func setGroup(_ group: ServiceGroup) {
        lock.lock()
        runningGroup = group
        lock.unlock()
    }

    var group: ServiceGroup? {
        lock.lock()
        defer { lock.unlock() }
        return runningGroup
    }
}

/// Turns /readyz to 503 as soon as a graceful shutdown begins, so a balancer stops sending before the drain.
struct DrainNotice: Service {
    let state: ServeState
    func run() async throws {
        try? await gracefulShutdown()
        state.startDraining()
    }
}

/// SIGHUP reloads every model, until the shutdown.
struct ReloadOnHangup: Service {
    let server: ScoringServer
    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            await server.reloadAll()
        }
    }
}

/// Every error as a JSON body `{"error": {"code", "message"}}`, including the router's own 404s; a known path
/// asked with another method is a 405 with an Allow header.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// The routes' paths (`*` one segment) and methods; `ScoringServer.addRoutes` registers the same.
    static let routes: [(segments: [String], methods: [String])] = [
        (["v1", "models", "*", "score"], ["POST"]), (["v1", "models", "*", "reload"], ["POST"]),
        (["v1", "models"], ["GET"]), (["v1", "models", "*"], ["GET"]), (["healthz"], ["GET"]), (["readyz"], ["GET"]),
        (["metrics"], ["GET"]), (["openapi.json"], ["GET"]),
    ]

    static func methods(of path: String) -> [String]? {
        let segments = path.split(separator: "/").map(String.init)
        return routes.first { route in
            route.segments.count == segments.count && zip(route.segments, segments).allSatisfy { $0 == "*" || $0 == $1 }
        }?.methods
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as RequestProblem {
            return JSONResponse.make(status: problem.status, body: RequestProblem.body(code: problem.code, message: problem.description))
        } catch let error as HTTPError {
            if error.status == .notFound, let allowed = Self.methods(of: request.uri.path) {
                let problem = RequestProblem.methodNotAllowed("\(request.method) is not served on \(request.uri.path); allowed: \(allowed.joined(separator: ", "))")
                return JSONResponse.make(status: problem.status, body: RequestProblem.body(code: problem.code, message: problem.description),
                                         extraHeaders: [.allow: allowed.joined(separator: ", ")])
            }
            let message = error.status == .notFound ? RequestProblem.notFound("\(request.method) \(request.uri.path)").description
                : (error.body ?? error.status.reasonPhrase)
            let code = error.status == .notFound ? "not_found" : error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            return JSONResponse.make(status: error.status, body: RequestProblem.body(code: code, message: message))
        } catch let error as any HTTPResponseError {
            return JSONResponse.make(status: error.status, body: RequestProblem.body(code: "http_\(error.status.code)",
                                                                                  message: error.status.reasonPhrase))
        } catch {
            return JSONResponse.make(status: .internalServerError, body: RequestProblem.body(code: "internal", message: "\(error)"))
        }
    }
}
