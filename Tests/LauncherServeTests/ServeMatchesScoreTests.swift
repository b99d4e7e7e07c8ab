import Foundation
import XCTest

/// Issue 16: "Same rows through `serve` and `score` give identical outputs, for all four plugins" — the server
/// scores with the same `ScorableModel` and scorer as `launcher score`, so the bytes match exactly.
final class ServeMatchesScoreTests: XCTestCase {
    typealias Support = ServeTestSupport

    /// CSV through serve (Accept text/csv and application/x-ndjson) is byte-identical to `score --format csv|jsonl`;
    /// the same rows as JSON rows answer with the same JSON lines, verbatim inside the envelope.
    private func assertSameOutputs(server: Support.RunningServer, model: String, bundle: String, csv: String,
                                   jsonRows: String, jsonLinesInput: String? = nil, query: String = "",
                                   options: [String] = [], folder: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let input = folder.appendingPathComponent("\(model)-input.csv")
        try csv.write(to: input, atomically: true, encoding: .utf8)
        let scoreCSV = try Support.score(bundle: bundle, input: input, format: "csv", options: options, folder: folder)
        var jsonLinesFile = input
        if let jsonLinesInput {
            jsonLinesFile = folder.appendingPathComponent("\(model)-input.jsonl")
            try jsonLinesInput.write(to: jsonLinesFile, atomically: true, encoding: .utf8)
        }
        let scoreJSONL = try Support.score(bundle: bundle, input: jsonLinesFile, format: "jsonl", options: options, folder: folder)
        XCTAssertFalse(scoreJSONL.isEmpty, file: file, line: line)
        let path = "/v1/models/\(model)/score\(query)"

        let servedCSV = try server.client.post(path, contentType: "text/csv", accept: "text/csv", body: Array(csv.utf8))
        XCTAssertEqual(servedCSV.status, 200, servedCSV.text, file: file, line: line)
        XCTAssertEqual(servedCSV.text, String(decoding: scoreCSV, as: UTF8.self), file: file, line: line)
        XCTAssertEqual(servedCSV.body, scoreCSV, file: file, line: line)

        let servedLines = try server.client.post(path, contentType: "text/csv", accept: "application/x-ndjson", body: Array(csv.utf8))
        XCTAssertEqual(servedLines.status, 200, servedLines.text, file: file, line: line)
        XCTAssertEqual(servedLines.body, scoreJSONL, file: file, line: line)

        let envelope = try server.client.post(path, contentType: "application/json", body: Array(jsonRows.utf8))
        XCTAssertEqual(envelope.status, 200, envelope.text, file: file, line: line)
        let object = try envelope.json()
        let lines = String(decoding: scoreJSONL, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual((object["rows"] as? [Any])?.count, lines.count, envelope.text, file: file, line: line)
        XCTAssertEqual(object["rows_read"] as? Int, lines.count + (object["rows_rejected"] as? Int ?? -1), file: file, line: line)
        // Each JSON line of `score`, byte for byte, in order, inside the envelope's rows.
        let joined = "\"rows\":[" + lines.joined(separator: ",") + "]"
        XCTAssertTrue(envelope.text.contains(joined), "\(envelope.text)\nexpected \(joined)", file: file, line: line)
    }

    /// CSV lines (no quoted commas) as {"rows": [...]}: numbers as JSON numbers with their text kept, empty as null.
    private func jsonRows(fromCSV csv: String, textColumns: Set<String>) -> String {
        let lines = csv.split(separator: "\n").map(String.init)
        let names = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.dropFirst().map { line -> String in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let members = zip(names, fields).map { name, value -> String in
                let json = value.isEmpty ? "null" : textColumns.contains(name) ? "\"\(value)\"" : value
                return "\"\(name)\":\(json)"
            }
            return "{" + members.joined(separator: ",") + "}"
        }
        return "{\"rows\":[" + rows.joined(separator: ",") + "]}"
    }

    func testPricePredictionServeMatchesScore() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.priceBundle(in: folder)
        let server = try Support.start(self, models: [("price", bundle)])
        let sample = try String(contentsOf: Support.packageRoot.appendingPathComponent("samples/price-prediction/housing-sample.csv"), encoding: .utf8)
        var lines = sample.split(separator: "\n").prefix(41).map(String.init)
        // One row the model cannot score (a number column holding text) must come back as a reject with its reason.
        lines.append("-122.25,37.85,52.0,lots,190.0,496.0,177.0,7.2574,352100.0,NEAR BAY")
        let csv = lines.joined(separator: "\n") + "\n"
        try assertSameOutputs(server: server, model: "price", bundle: bundle, csv: csv,
                              jsonRows: jsonRows(fromCSV: csv.replacingOccurrences(of: ",lots,", with: ",\"lots\","),
                                                 textColumns: ["ocean_proximity"]),
                              folder: folder)
        let envelope = try server.client.post("/v1/models/price/score", contentType: "text/csv", body: Array(csv.utf8)).json()
        let rejects = try XCTUnwrap(envelope["rejects"] as? [[String: Any]])
        XCTAssertEqual(rejects.count, 1, "\(envelope)")
        XCTAssertEqual(rejects.first?["line"] as? Int, 42)
        XCTAssertFalse((rejects.first?["reason"] as? String ?? "").isEmpty)
    }

    func testCreditRiskServeMatchesScore() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.creditBundle(in: folder)
        let server = try Support.start(self, models: [("credit", bundle)])
        let rows = Support.creditCSV(count: 30).split(separator: "\n").map(String.init)
        // Scoring input: no target column; quoted categories with commas stay one field through both paths.
        let csv = rows.map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }
            .joined(separator: "\n") + "\n"
        var json: [String] = []
        for line in rows.dropFirst() {
            let fields = line.components(separatedBy: ",\"")
            let head = fields[0].split(separator: ",").map(String.init)
            let rest = fields[1].components(separatedBy: "\",")
            let housing = rest[1].split(separator: ",")[0]
            json.append("{\"id\":\"\(head[0])\",\"income\":\(head[1]),\"age\":\(head[2]),\"purpose\":\"\(rest[0])\",\"housing\":\"\(housing)\"}")
        }
        try assertSameOutputs(server: server, model: "credit", bundle: bundle, csv: csv,
                              jsonRows: "{\"rows\":[" + json.joined(separator: ",") + "]}", folder: folder)
        // A plugin option travels as a query parameter, like `--option reasons=none`.
        try assertSameOutputs(server: server, model: "credit", bundle: bundle, csv: csv,
                              jsonRows: "{\"rows\":[" + json.joined(separator: ",") + "]}", query: "?reasons=none",
                              options: ["reasons=none"], folder: folder)
    }

    func testRecommendationTopNServeMatchesScore() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.recommendationBundle(in: folder)
        let server = try Support.start(self, models: [("films", bundle)])
        let users = ["u1", "u2", "u3", "never-seen"]
        let csv = "user\n" + users.joined(separator: "\n") + "\n"
        let jsonLines = users.map { "{\"user\":\"\($0)\"}" }.joined(separator: "\n") + "\n"
        let rows = "{\"rows\":[" + users.map { "{\"user\":\"\($0)\"}" }.joined(separator: ",") + "]}"
        try assertSameOutputs(server: server, model: "films", bundle: bundle, csv: csv, jsonRows: rows,
                              jsonLinesInput: jsonLines, query: "?k=5", options: ["k=5"], folder: folder)
        let envelope = try server.client.post("/v1/models/films/score?k=3", contentType: "application/json",
                                              body: Array(rows.utf8)).json()
        let first = try XCTUnwrap((envelope["rows"] as? [[String: Any]])?.first)
        XCTAssertEqual((first["items"] as? [Any])?.count, 3, "\(first)")
        let cold = try XCTUnwrap((envelope["rows"] as? [[String: Any]])?.last)
        XCTAssertEqual(cold["cold_start"] as? Bool, true)
    }

    func testDigitRecognitionPNGServeMatchesScore() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.digitBundle(in: folder)
        let server = try Support.start(self, models: [("digits", bundle)])
        let source = Support.packageRoot.appendingPathComponent("samples/digit-recognition/mnist-png/3")
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().first)
        let image = folder.appendingPathComponent(name)
        try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: image)
        let png = Array(try Data(contentsOf: image))
        for format in ["csv", "jsonl"] {
            let scored = try Support.score(bundle: bundle, input: image, format: format, folder: folder)
            let served = try server.client.post("/v1/models/digits/score?name=\(image.path)", contentType: "image/png",
                                                accept: format == "csv" ? "text/csv" : "application/x-ndjson", body: png)
            XCTAssertEqual(served.status, 200, served.text)
            XCTAssertEqual(served.body, scored, "\(served.text) vs \(String(decoding: scored, as: UTF8.self))")
        }
        // Text is never read as paths on the server; a body that is not a PNG is refused, not opened.
        let text = try server.client.post("/v1/models/digits/score", contentType: "text/csv", body: Array("path\n/etc/passwd\n".utf8))
        XCTAssertEqual(text.status, 415, text.text)
        let fake = try server.client.post("/v1/models/digits/score", contentType: "image/png", body: Array("/etc/passwd\n".utf8))
        XCTAssertEqual(fake.status, 400, fake.text)
        // A corrupt PNG is one rejected row with its reason, status 200.
        let corrupt = try server.client.post("/v1/models/digits/score", contentType: "image/png",
                                             body: Array(png.prefix(40))).json()
        XCTAssertEqual(corrupt["rows_rejected"] as? Int, 1, "\(corrupt)")
        XCTAssertEqual(((corrupt["rejects"] as? [[String: Any]])?.first?["path"]) as? String, "upload.png")
    }
}
