@testable import LauncherServe
import SolutionKit
import XCTest

/// The multipart/form-data reader: exact parts for well-formed bodies, a 4xx `RequestProblem` for anything else,
/// and never a crash on random or mutated bodies.
final class MultipartFormDataTests: XCTestCase {
    private func body(boundary: String, parts: [(disposition: String, bytes: [UInt8])], preamble: String = "",
                      close: Bool = true) -> [UInt8] {
        var body = Array(preamble.utf8)
        for part in parts {
            body += Array("--\(boundary)\r\nContent-Disposition: \(part.disposition)\r\nContent-Type: image/png\r\n\r\n".utf8)
            body += part.bytes + [13, 10]
        }
        if close { body += Array("--\(boundary)--\r\n".utf8) }
        return body
    }

    private func code(_ work: () throws -> Any) -> String? {
        do {
            _ = try work()
            return nil
        } catch let problem as RequestProblem {
            return "\(problem.status.code) \(problem.code)"
        } catch {
            return "unexpected \(error)"
        }
    }

    func testBoundaryParameterIsReadQuotedOrNotAndCheckedAgainstRFC2046() throws {
        XCTAssertEqual(try MultipartFormData.boundary(contentType: "multipart/form-data; boundary=abc123"), "abc123")
        XCTAssertEqual(try MultipartFormData.boundary(contentType: "multipart/form-data; charset=utf-8; BOUNDARY=\"a b:c\""), "a b:c")
        XCTAssertEqual(code { try MultipartFormData.boundary(contentType: "multipart/form-data") }, "400 malformed_body")
        XCTAssertEqual(code { try MultipartFormData.boundary(contentType: "multipart/form-data; boundary=") }, "400 malformed_body")
        XCTAssertEqual(code { try MultipartFormData.boundary(contentType: "multipart/form-data; boundary=\(String(repeating: "x", count: 71))") },
                       "400 malformed_body")
        XCTAssertEqual(code { try MultipartFormData.boundary(contentType: "multipart/form-data; boundary=a\u{1}b") }, "400 malformed_body")
    }

    func testPartsAreSlicedExactlyWithFilenameElseNameAsTheID() throws {
        let first: [UInt8] = [0x89, 0x50, 13, 10, 45, 45, 0, 255]
        let second: [UInt8] = Array("--xyz is not the delimiter without its line break".utf8)
        let parts = try MultipartFormData.parts(
            of: body(boundary: "xyz", parts: [("form-data; name=\"image\"; filename=\"a \\\"b\\\".png\"", first),
                                               ("form-data; name=second", second), ("form-data; name=\"empty\"; filename=\"\"", [])],
                     preamble: "ignored preamble\r\n"),
            boundary: "xyz", maximumParts: 10)
        XCTAssertEqual(parts, [FormPart(id: "a \"b\".png", bytes: first[...]), FormPart(id: "second", bytes: second[...]),
                               FormPart(id: "empty", bytes: [])])
    }

    func testHostileBodiesAreRefusedWithA4xx() {
        let good = body(boundary: "b", parts: [("form-data; name=\"x\"", [1, 2, 3])])
        let cases: [(String, [UInt8], String)] = [
            ("no opening boundary", Array("just text".utf8), "400 malformed_body"),
            ("truncated inside a part", Array(good.prefix(good.count - 12)), "400 malformed_body"),
            ("no close delimiter", body(boundary: "b", parts: [("form-data; name=\"x\"", [1])], close: false), "400 malformed_body"),
            ("truncated headers", Array("--b\r\nContent-Disposition: form-data; name=\"x\"".utf8), "400 malformed_body"),
            ("headers without end", Array("--b\r\n".utf8) + Array(repeating: UInt8(ascii: "h"), count: 20_000), "400 malformed_body"),
            ("no parts", Array("--b--\r\n".utf8), "400 malformed_body"),
            ("no disposition", Array("--b\r\nContent-Type: image/png\r\n\r\nx\r\n--b--".utf8), "400 malformed_body"),
            ("not form-data", body(boundary: "b", parts: [("attachment; name=\"x\"", [1])]), "400 malformed_body"),
            ("no name", body(boundary: "b", parts: [("form-data; filename", [1])]), "400 malformed_body"),
            ("unterminated quote", body(boundary: "b", parts: [("form-data; name=\"x", [1])]), "400 malformed_body"),
            ("name twice", body(boundary: "b", parts: [("form-data; name=a; name=b", [1])]), "400 malformed_body"),
            ("folded header", Array("--b\r\n Content-Disposition: form-data; name=x\r\n\r\n1\r\n--b--".utf8), "400 malformed_body"),
            ("id too long", body(boundary: "b", parts: [("form-data; name=\"\(String(repeating: "n", count: 256))\"", [1])]), "400 malformed_body"),
            ("garbage after boundary", Array("--bX\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--b--".utf8), "400 malformed_body"),
            ("too many parts", body(boundary: "b", parts: Array(repeating: ("form-data; name=\"x\"", [1]), count: 4)), "413 too_many_rows"),
        ]
        for (label, bytes, expected) in cases {
            XCTAssertEqual(code { try MultipartFormData.parts(of: bytes, boundary: "b", maximumParts: 3) }, expected, label)
        }
    }

    /// Random bodies and random mutations of good ones: each is either read into parts that are slices of the
    /// body or refused with a RequestProblem; well-formed random bodies read back exactly what was written.
    func testRandomAndMutatedBodiesNeverCrashAndWellFormedOnesRoundTrip() throws {
        var generator = SeededGenerator(seed: 16)
        let alphabet: [UInt8] = Array("-\r\n\"ab=;: ".utf8) + [0, 0x89, 255]
        for round in 0..<3000 {
            let boundary = String(repeating: "q", count: Int.random(in: 1...4, using: &generator)) + "\(round % 7)"
            let count = Int.random(in: 1...4, using: &generator)
            let contents: [[UInt8]] = (0..<count).map { _ in
                (0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            }
            // Content may hold CRLF and dashes, but never the whole delimiter (RFC 2046 forbids that).
            let delimiter = Array("\r\n--\(boundary)".utf8)
            let clean = contents.map { content -> [UInt8] in
                var bytes = content
                while let at = (0...max(0, bytes.count - delimiter.count)).first(where: { bytes.count >= delimiter.count && bytes[$0..<($0 + delimiter.count)].elementsEqual(delimiter) }) {
                    bytes.remove(at: at)
                }
                return bytes
            }
            let wellFormed = body(boundary: boundary, parts: clean.enumerated().map { ("form-data; name=\"p\($0.offset)\"", $0.element) })
            if !clean.contains(where: { ($0 + [13, 10]).starts(with: Array("--\(boundary)".utf8)) || $0.last == 13 }) {
                let parts = try MultipartFormData.parts(of: wellFormed, boundary: boundary, maximumParts: 10)
                XCTAssertEqual(parts.map { Array($0.bytes) }, clean, "round \(round)")
                XCTAssertEqual(parts.map(\.id), (0..<count).map { "p\($0)" })
            }
            var mutated = wellFormed
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                switch Int.random(in: 0..<3, using: &generator) {
                case 0 where !mutated.isEmpty: mutated[Int.random(in: 0..<mutated.count, using: &generator)] = alphabet.randomElement(using: &generator)!
                case 1 where !mutated.isEmpty: mutated.removeSubrange(Int.random(in: 0..<mutated.count, using: &generator)...)
                default: mutated.insert(alphabet.randomElement(using: &generator)!, at: Int.random(in: 0...mutated.count, using: &generator))
                }
            }
            let random = (0..<Int.random(in: 0...80, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            for bytes in [mutated, Array("--\(boundary)\r\n".utf8) + random, random] {
                do {
                    for part in try MultipartFormData.parts(of: bytes, boundary: boundary, maximumParts: 10) {
                        XCTAssertTrue(part.bytes.startIndex >= 0 && part.bytes.endIndex <= bytes.count)
                        XCTAssertFalse(part.id.isEmpty)
                    }
                } catch let problem as RequestProblem {
                    XCTAssertTrue((400..<500).contains(Int(problem.status.code)), "\(problem)")
                }
            }
        }
    }
}
