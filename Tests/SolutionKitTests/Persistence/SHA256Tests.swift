import Foundation
import SolutionKit
import XCTest

/// SHA-256 against the FIPS 180-2 / NIST CAVP example vectors and the system's `sha256sum`.
final class SHA256Tests: XCTestCase {
    private func hex(_ text: String) -> String { SHA256.hash(Array(text.utf8)).hexString }

    func testFIPSVectors() {
        // FIPS 180-2 appendix B.1, B.2 and the empty message (NIST CAVP SHA256ShortMsg, Len = 0).
        XCTAssertEqual(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // FIPS 180-2 additional example: 896-bit message.
        XCTAssertEqual(hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
                       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    func testOneMillionA() {
        // FIPS 180-2 appendix B.3.
        let digest = SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        XCTAssertEqual(digest.hexString, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testPaddingBoundaries() {
        // Lengths around the 55/56/64-byte padding edges, checked against values from Python's hashlib.sha256.
        XCTAssertEqual(hex(String(repeating: "a", count: 55)), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        XCTAssertEqual(hex(String(repeating: "a", count: 56)), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        XCTAssertEqual(hex(String(repeating: "a", count: 64)), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    func testIncrementalUpdatesMatchOneShot() {
        var generator = SeededGenerator(seed: 3)
        let bytes = (0..<1000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let oneShot = SHA256.hash(bytes)
        for split in [1, 7, 63, 64, 65, 128, 999] {
            var hasher = SHA256()
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + split, bytes.count)
                hasher.update(Array(bytes[offset..<end]))
                offset = end
            }
            XCTAssertEqual(hasher.finalize(), oneShot, "chunk size \(split)")
        }
    }

    func testFileDigestMatchesSha256sum() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: path) }
        var generator = SeededGenerator(seed: 11)
        let bytes = (0..<(1 << 20) + 17).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        try Data(bytes).write(to: path)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum") else {
            throw XCTSkip("/usr/bin/sha256sum is not installed")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(try SHA256.hexDigest(ofFile: path.path), String(output.prefix(64)))
    }
}
