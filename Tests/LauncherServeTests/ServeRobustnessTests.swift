import Foundation
import LauncherServe
import XCTest

/// Limits, malformed bodies, reload with atomic swap, routes and metrics (issue 16).
final class ServeRobustnessTests: XCTestCase {
    typealias Support = ServeTestSupport

    private static let header = "longitude,latitude,housing_median_age,total_rooms,total_bedrooms,population,households,median_income,ocean_proximity"
    private static let row = "-122.23,37.88,41.0,880.0,129.0,322.0,126.0,8.3252,NEAR BAY"

    private func errorCode(_ reply: RawHTTPClient.Reply) -> String? { reply.errorCode }

    func testLimitsAndMalformedBodiesAnswer4xxWithJSONErrorsAndTheServerKeepsServing() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.priceBundle(in: folder)
        let server = try Support.start(self, models: [("price", bundle)],
                                       configuration: .init(maximumBodyBytes: 4096, maximumRows: 5, requestTimeout: 2))
        let client = server.client
        let good = Array("\(Self.header)\n\(Self.row)\n".utf8)
        let cases: [(String, RawHTTPClient.Reply, Int, String)] = [
            ("too large", try client.post("/v1/models/price/score", contentType: "text/csv",
                                          body: Array((Self.header + "\n" + String(repeating: Self.row + "\n", count: 100)).utf8)), 413, "body_too_large"),
            ("too many csv rows", try client.post("/v1/models/price/score", contentType: "text/csv",
                                                  body: Array((Self.header + "\n" + String(repeating: Self.row + "\n", count: 6)).utf8)), 413, "too_many_rows"),
            ("too many json rows", try client.post("/v1/models/price/score", contentType: "application/json",
                                                   body: Array(("{\"rows\":[" + Array(repeating: "{\"longitude\":1}", count: 6).joined(separator: ",") + "]}").utf8)), 413, "too_many_rows"),
            ("not json", try client.post("/v1/models/price/score", contentType: "application/json", body: Array("{\"rows\": [".utf8)), 400, "malformed_body"),
            ("json not rows", try client.post("/v1/models/price/score", contentType: "application/json", body: Array("[1,2]".utf8)), 400, "malformed_body"),
            ("nested", try client.post("/v1/models/price/score", contentType: "application/json", body: Array("{\"rows\":[{\"a\":[1]}]}".utf8)), 400, "malformed_body"),
            ("empty rows", try client.post("/v1/models/price/score", contentType: "application/json", body: Array("{\"rows\":[]}".utf8)), 400, "malformed_body"),
            ("bad utf8", try client.post("/v1/models/price/score", contentType: "application/json", body: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]), 400, "malformed_body"),
            ("missing column", try client.post("/v1/models/price/score", contentType: "text/csv", body: Array("longitude\n1\n".utf8)), 400, "bad_input"),
            ("empty csv", try client.post("/v1/models/price/score", contentType: "text/csv", body: []), 400, "malformed_body"),
            ("no content type", try client.request("POST", "/v1/models/price/score", body: good), 415, "unsupported_media_type"),
            ("png to a row model", try client.post("/v1/models/price/score", contentType: "image/png", body: good), 415, "unsupported_media_type"),
            ("not acceptable", try client.post("/v1/models/price/score", contentType: "text/csv", accept: "image/gif", body: good), 406, "not_acceptable"),
            ("unknown model", try client.post("/v1/models/nope/score", contentType: "text/csv", body: good), 404, "unknown_model"),
            ("unknown route", try client.get("/v2/whatever"), 404, "not_found"),
            ("wrong method", try client.get("/v1/models/price/score"), 405, "method_not_allowed"),
        ]
        for (label, reply, status, code) in cases {
            XCTAssertEqual(reply.status, status, "\(label): \(reply.text)")
            XCTAssertEqual(errorCode(reply), code, "\(label): \(reply.text)")
            XCTAssertTrue(reply.headers["content-type"]?.hasPrefix("application/json") ?? false, label)
        }
        // A client that declares a body and trickles it too slowly gets 408 at the deadline, not a held worker.
        let fd = try client.connect()
        defer { close(fd) }
        try RawHTTPClient.send(fd, Array("POST /v1/models/price/score HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/csv\r\nContent-Length: 500\r\n\r\nlong".utf8))
        let slow = try RawHTTPClient.receive(fd)
        XCTAssertEqual(slow.status, 408, slow.text)
        XCTAssertEqual(errorCode(slow), "timeout")
        // After all that, a good request is scored.
        let after = try client.post("/v1/models/price/score", contentType: "text/csv", body: good)
        XCTAssertEqual(after.status, 200, after.text)
        XCTAssertEqual(try after.json()["rows_scored"] as? Int, 1)
        let metrics = try client.get("/metrics").text
        XCTAssertTrue(metrics.contains(#"launcher_serve_requests_total{model="price",status="413"} 3"#), metrics)
        XCTAssertTrue(metrics.contains(#"launcher_serve_request_duration_seconds_bucket{model="price""#), metrics)
        XCTAssertTrue(metrics.contains(#"launcher_serve_rows_total{model="price"}"#), metrics)
    }

    func testConcurrentRequestsGetTheSameAnswersAndOneTooManyIs429() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.priceBundle(in: folder)
        let server = try Support.start(self, models: [("price", bundle)], configuration: .init(maximumConcurrent: 64))
        let body = Array((Self.header + "\n" + String(repeating: Self.row + "\n", count: 50)).utf8)
        let expected = try server.client.post("/v1/models/price/score", contentType: "text/csv", accept: "text/csv", body: body).body
        let replies = ReplyBox()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let reply = try? server.client.post("/v1/models/price/score", contentType: "text/csv", accept: "text/csv", body: body)
            replies.append(reply)
        }
        XCTAssertEqual(replies.all.count, 16)
        for reply in replies.all {
            XCTAssertEqual(reply?.status, 200)
            XCTAssertEqual(reply?.body, expected)
        }

        // With one slot, a request arriving while another is being read is refused at once with 429.
        let narrow = try Support.start(self, models: [("price", bundle)], configuration: .init(requestTimeout: 5, maximumConcurrent: 1))
        let fd = try narrow.client.connect()
        defer { close(fd) }
        try RawHTTPClient.send(fd, Array("POST /v1/models/price/score HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/csv\r\nContent-Length: 5000\r\n\r\n".utf8))
        Thread.sleep(forTimeInterval: 0.5)
        let refused = try narrow.client.post("/v1/models/price/score", contentType: "text/csv", body: body)
        XCTAssertEqual(refused.status, 429, refused.text)
        XCTAssertEqual(errorCode(refused), "too_many_concurrent_requests")
    }

    func testReloadSwapsAtomicallyAndARefusedBundleKeepsTheOldOneServing() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.priceBundle(in: folder)
        // The served folder is a copy the test can break and mend.
        let served = folder.appendingPathComponent("served")
        try FileManager.default.copyItem(atPath: bundle, toPath: served.path)
        let server = try Support.start(self, models: [("price", served.path)])
        let body = Array("\(Self.header)\n\(Self.row)\n".utf8)
        let before = try server.client.post("/v1/models/price/score", contentType: "text/csv", accept: "text/csv", body: body)
        XCTAssertEqual(before.status, 200)

        let reloaded = try server.client.request("POST", "/v1/models/price/reload")
        XCTAssertEqual(reloaded.status, 200, reloaded.text)
        XCTAssertEqual(try reloaded.json()["generation"] as? Int, 1)

        // A bundle whose files no longer match their checksums is refused with 422; the old model keeps answering.
        let manifest = served.appendingPathComponent("manifest.json")
        let files = try FileManager.default.contentsOfDirectory(atPath: served.path).filter { $0 != "manifest.json" }
        let victim = served.appendingPathComponent(try XCTUnwrap(files.first))
        let original = try Data(contentsOf: victim)
        try (original + Data([0x20])).write(to: victim)
        let refused = try server.client.request("POST", "/v1/models/price/reload")
        XCTAssertEqual(refused.status, 422, refused.text)
        XCTAssertEqual(errorCode(refused), "reload_refused")
        XCTAssertTrue(refused.text.contains("price") || refused.text.contains(served.lastPathComponent), refused.text)
        let during = try server.client.post("/v1/models/price/score", contentType: "text/csv", accept: "text/csv", body: body)
        XCTAssertEqual(during.status, 200)
        XCTAssertEqual(during.body, before.body)
        let detail = try server.client.get("/v1/models/price").json()
        XCTAssertEqual((detail["model"] as? [String: Any])?["generation"] as? Int, 1)
        XCTAssertNotNil((detail["manifest"] as? [String: Any])?["input_schema"])
        try original.write(to: victim)
        XCTAssertTrue(FileManager.default.fileExists(atPath: manifest.path))

        // Reloads while requests are in flight drop none: every request answers 200 with the same bytes.
        let replies = ReplyBox()
        let group = DispatchGroup()
        for _ in 0..<4 {
            DispatchQueue.global().async(group: group) {
                for _ in 0..<10 {
                    replies.append(try? server.client.post("/v1/models/price/score", contentType: "text/csv", accept: "text/csv", body: body))
                }
            }
        }
        for _ in 0..<5 {
            let reply = try server.client.request("POST", "/v1/models/price/reload")
            XCTAssertEqual(reply.status, 200, reply.text)
        }
        group.wait()
        XCTAssertEqual(replies.all.count, 40)
        for reply in replies.all {
            XCTAssertEqual(reply?.status, 200)
            XCTAssertEqual(reply?.body, before.body)
        }
        let metrics = try server.client.get("/metrics").text
        XCTAssertTrue(metrics.contains(#"launcher_serve_reloads_total{model="price",outcome="refused"} 1"#), metrics)
    }

    func testRoutesHealthReadinessModelsAndOpenAPI() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.priceBundle(in: folder)
        let server = try Support.start(self, models: [("price", bundle)])
        XCTAssertEqual(try server.client.get("/healthz").status, 200)
        XCTAssertEqual(try server.client.get("/readyz").status, 200)
        let list = try server.client.get("/v1/models").json()
        let models = try XCTUnwrap(list["models"] as? [[String: Any]])
        XCTAssertEqual(models.map { $0["name"] as? String }, ["price"])
        XCTAssertEqual(models.first?["plugin"] as? String, "price-prediction")
        let served = try server.client.get("/openapi.json")
        // The committed docs/openapi.json is the served document, byte for byte.
        let committed = try Data(contentsOf: Support.packageRoot.appendingPathComponent("docs/openapi.json"))
        XCTAssertEqual(served.body, Array(committed), "docs/openapi.json differs from OpenAPIDocument.text: regenerate it with launcher serve --print-openapi")
        let document = try served.json()
        let paths = try XCTUnwrap(document["paths"] as? [String: Any])
        for path in ["/v1/models", "/v1/models/{name}", "/v1/models/{name}/score", "/v1/models/{name}/reload",
                     "/healthz", "/readyz", "/metrics", "/openapi.json"] {
            XCTAssertNotNil(paths[path], path)
        }
        // Every refusal status the server gives for scoring is documented.
        let score = try XCTUnwrap(((paths["/v1/models/{name}/score"] as? [String: Any])?["post"] as? [String: Any])?["responses"] as? [String: Any])
        XCTAssertEqual(Set(score.keys), ["200", "400", "404", "406", "408", "413", "415", "429"])
    }

    func testGracefulShutdownFinishesARequestInFlight() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.priceBundle(in: folder)
        let running = try ServeTestSupport.RunningServer(models: [("price", bundle)], configuration: .init(requestTimeout: 10))
        // The request's body arrives in two parts; the shutdown starts between them and must not cut it off.
        let body = Array((Self.header + "\n" + String(repeating: Self.row + "\n", count: 20)).utf8)
        let fd = try running.client.connect()
        defer { close(fd) }
        try RawHTTPClient.send(fd, Array("POST /v1/models/price/score HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/csv\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body.prefix(100))
        Thread.sleep(forTimeInterval: 0.3)
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            running.stop()
            stopped.signal()
        }
        Thread.sleep(forTimeInterval: 0.3)
        // Draining: not ready (503), or the listener is already closed.
        let readiness = try? running.client.get("/readyz").status
        XCTAssertTrue(readiness == nil || readiness == 503, "\(String(describing: readiness))")
        try RawHTTPClient.send(fd, Array(body.dropFirst(100)))
        let reply = try RawHTTPClient.receive(fd)
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(try reply.json()["rows_scored"] as? Int, 20)
        XCTAssertEqual(stopped.wait(timeout: .now() + 30), .success)
    }
}

final class ReplyBox: @unchecked Sendable {
    private let lock = NSLock()
    private var replies: [RawHTTPClient.Reply?] = []
    func append(_ reply: RawHTTPClient.Reply?) {
        lock.lock()
        replies.append(reply)
        lock.unlock()
    }
    var all: [RawHTTPClient.Reply?] {
        lock.lock()
        defer { lock.unlock() }
        return replies
    }
}
