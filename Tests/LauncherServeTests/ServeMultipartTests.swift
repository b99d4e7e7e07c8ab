import Foundation
import LauncherServe
import XCTest

/// Digit images uploaded as multipart/form-data: one row per PNG part, the same bytes `launcher score` writes
/// for the same images listed in a file, and hostile uploads answered 4xx (issue 16).
final class ServeMultipartTests: XCTestCase {
    typealias Support = ServeTestSupport

    private func multipart(_ boundary: String, _ parts: [(name: String, filename: String?, bytes: [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for part in parts {
            let filename = part.filename.map { "; filename=\"\($0)\"" } ?? ""
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"\(filename)\r\nContent-Type: image/png\r\n\r\n".utf8)
            body += part.bytes + [13, 10]
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    func testPNGPartsAreScoredAsTheSameImagesListedForLauncherScore() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.digitBundle(in: folder)
        let server = try Support.start(self, models: [("digits", bundle)],
                                       configuration: .init(maximumBodyBytes: 32 << 10, maximumRows: 3))
        var images: [URL] = []
        for digit in ["3", "7"] {
            let source = Support.packageRoot.appendingPathComponent("samples/digit-recognition/mnist-png/\(digit)")
            let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().first)
            let image = folder.appendingPathComponent("\(digit)-\(name)")
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: image)
            images.append(image)
        }
        let list = folder.appendingPathComponent("images.txt")
        try ("path\n" + images.map(\.path).joined(separator: "\n") + "\n").write(to: list, atomically: true, encoding: .utf8)
        let pngs = try images.map { Array(try Data(contentsOf: $0)) }
        let body = multipart("b0und4ry", [("images", images[0].path, pngs[0]), ("images", images[1].path, pngs[1])])
        let contentType = "multipart/form-data; boundary=\"b0und4ry\""
        for format in ["csv", "jsonl"] {
            let scored = try Support.score(bundle: bundle, input: list, format: format, folder: folder)
            let served = try server.client.post("/v1/models/digits/score", contentType: contentType,
                                                accept: format == "csv" ? "text/csv" : "application/x-ndjson", body: body)
            XCTAssertEqual(served.status, 200, served.text)
            XCTAssertEqual(served.headers["x-rows-read"], "2")
            XCTAssertEqual(served.text, String(decoding: scored, as: UTF8.self))
        }

        // Without a filename the part's name is the row's id; a PNG that does not decode is that row's reject.
        let mixed = try server.client.post("/v1/models/digits/score", contentType: contentType, body: multipart("b0und4ry", [
            ("first", nil, pngs[0]), ("broken", "broken.png", Array(pngs[1].prefix(40))), ("third", nil, pngs[1]),
        ]))
        XCTAssertEqual(mixed.status, 200, mixed.text)
        let envelope = try mixed.json()
        XCTAssertEqual(envelope["rows_read"] as? Int, 3)
        XCTAssertEqual(envelope["rows_rejected"] as? Int, 1)
        XCTAssertEqual((envelope["rows"] as? [[String: Any]])?.map { $0["path"] as? String }, ["first", "third"])
        let reject = try XCTUnwrap((envelope["rejects"] as? [[String: Any]])?.first)
        XCTAssertEqual(reject["line"] as? Int, 2)
        XCTAssertEqual(reject["path"] as? String, "broken.png")
        XCTAssertFalse((reject["reason"] as? String ?? "").isEmpty)

        // Hostile uploads: each a 4xx with a JSON error, and the server keeps serving.
        let client = server.client
        let cases: [(String, RawHTTPClient.Reply, Int, String)] = [
            ("missing boundary", try client.post("/v1/models/digits/score", contentType: "multipart/form-data", body: body), 400, "malformed_body"),
            ("truncated body", try client.post("/v1/models/digits/score", contentType: contentType, body: Array(body.prefix(body.count / 2))),
             400, "malformed_body"),
            ("non-PNG part", try client.post("/v1/models/digits/score", contentType: contentType,
                                             body: multipart("b0und4ry", [("a", "a.png", pngs[0]), ("passwd", "/etc/passwd", Array("/etc/passwd\n".utf8))])),
             400, "malformed_body"),
            ("huge part", try client.post("/v1/models/digits/score", contentType: contentType,
                                          body: multipart("b0und4ry", [("big", "big.png", pngs[0] + [UInt8](repeating: 0, count: 40 << 10))])),
             413, "body_too_large"),
            ("more parts than --max-rows", try client.post("/v1/models/digits/score", contentType: contentType,
                                                           body: multipart("b0und4ry", Array(repeating: ("p", nil, pngs[0]), count: 4))),
             413, "too_many_rows"),
        ]
        for (label, reply, status, code) in cases {
            XCTAssertEqual(reply.status, status, "\(label): \(reply.text)")
            XCTAssertEqual(reply.errorCode, code, label)
        }
        let again = try client.post("/v1/models/digits/score", contentType: "image/png", body: pngs[0])
        XCTAssertEqual(again.status, 200, again.text)
    }

    func testMultipartToARowModelIsUnsupported() throws {
        let folder = try Support.temporaryFolder(self)
        let server = try Support.start(self, models: [("price", try Support.priceBundle(in: folder))])
        let reply = try server.client.post("/v1/models/price/score", contentType: "multipart/form-data; boundary=x",
                                           body: multipart("x", [("a", nil, Array("a,b\n1,2\n".utf8))]))
        XCTAssertEqual(reply.status, 415, reply.text)
        XCTAssertEqual(reply.errorCode, "unsupported_media_type")
    }
}
