import Foundation
import XCTest
@testable import SolutionKit

/// IDX and PNG readers on good and hostile input: every bad case is a clear `ImageError`, never a crash.
final class ImageReaderTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("images-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    static func idx(_ dimensions: [Int], _ values: [UInt8], magic: [UInt8]? = nil) -> [UInt8] {
        var bytes = magic ?? [0, 0, 8, UInt8(dimensions.count)]
        for d in dimensions { bytes += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return bytes + values
    }

    /// gzip-compresses with the system's gzip, as MNIST's files are made.
    func gzipped(_ bytes: [UInt8], name: String) throws -> String {
        let plain = folder.appendingPathComponent(name)
        try Data(bytes).write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -n -f '\(plain.path)'"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return plain.path + ".gz"
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func testReadsAGzippedImageAndLabelPair() throws {
        let pixels = (0..<(3 * 2 * 2)).map { UInt8($0 * 20) }
        let images = try gzipped(Self.idx([3, 2, 2], pixels), name: "images-idx3-ubyte")
        let labels = try gzipped(Self.idx([3], [7, 0, 9]), name: "labels-idx1-ubyte")
        let pair = try LabelledImages.readIDX(images: images, labels: labels)
        XCTAssertEqual(pair.labels, [7, 0, 9])
        XCTAssertEqual(pair.images.shape, [3, 1, 2, 2])
        XCTAssertEqual(pair.images.scalars[11], 220 / 255, accuracy: 1e-6)
        // Plain (uncompressed) files read the same.
        let plain = try write(Self.idx([3], [7, 0, 9]), "plain-labels")
        XCTAssertEqual(try IDXArray.read(path: plain).values, [7, 0, 9])
    }

    func testWrongMagicIsRefused() throws {
        let path = try write(Self.idx([2], [1, 2], magic: [0, 0, 0x0D, 1]), "float-labels")
        XCTAssertThrowsError(try IDXArray.read(path: path)) { error in
            XCTAssertTrue("\(error)".contains("wrong magic number 0x00000d01"), "\(error)")
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
        let text = try write(Array("hello, not idx\n".utf8), "text")
        XCTAssertThrowsError(try IDXArray.read(path: text)) { XCTAssertTrue("\($0)".contains("wrong magic"), "\($0)") }
        let empty = try write([], "empty")
        XCTAssertThrowsError(try IDXArray.read(path: empty)) { XCTAssertTrue("\($0)".contains("shorter than"), "\($0)") }
    }

    func testTruncatedGzipIsRefused() throws {
        let pixels = (0..<(50 * 28 * 28)).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        let full = try gzipped(Self.idx([50, 28, 28], pixels), name: "big")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
        let cut = try write(Array(bytes.prefix(bytes.count / 2)), "big-cut.gz")
        XCTAssertThrowsError(try IDXArray.read(path: cut)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("big-cut.gz") && (text.contains("truncated") || text.contains("gzip")), text)
        }
        // A whole gzip stream whose IDX data is short of what its header says.
        let short = try gzipped(Self.idx([50, 28, 28], Array(pixels.prefix(100))), name: "short")
        XCTAssertThrowsError(try IDXArray.read(path: short)) { error in
            XCTAssertEqual(error as? ImageError, .truncated(path: short, expectedBytes: 50 * 28 * 28, foundBytes: 100))
        }
        let long = try write(Self.idx([2], [1, 2, 3]), "long")
        XCTAssertThrowsError(try IDXArray.read(path: long)) { XCTAssertTrue("\($0)".contains("more data"), "\($0)") }
    }

    func testLabelCountDifferentFromImageCountIsRefused() throws {
        let images = try write(Self.idx([3, 2, 2], [UInt8](repeating: 1, count: 12)), "images")
        let labels = try write(Self.idx([2], [1, 2]), "labels")
        XCTAssertThrowsError(try LabelledImages.readIDX(images: images, labels: labels)) { error in
            XCTAssertEqual("\(error)", "\(labels) holds 2 labels but \(images) holds 3 images")
        }
        let badLabel = try write(Self.idx([3], [1, 2, 12]), "bad-labels")
        XCTAssertThrowsError(try LabelledImages.readIDX(images: images, labels: badLabel)) {
            XCTAssertTrue("\($0)".contains("label 12 at item 2"), "\($0)")
        }
        let huge = try write(Self.idx([100_000, 100_000, 100_000], []), "huge")
        XCTAssertThrowsError(try IDXArray.read(path: huge)) { XCTAssertTrue("\($0)".contains("exceed"), "\($0)") }
    }

    // MARK: PNG

    func digit(width: Int = 12, height: Int = 10) -> GrayImage {
        var pixels = [UInt8](repeating: 255, count: width * height)
        for y in 2..<8 { for x in 4..<7 { pixels[y * width + x] = UInt8(30 + x * 10 + y) } }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    func testPNGRoundTripsInEveryWrittenLayout() throws {
        let image = digit()
        for layout in [PNGCodec.Layout.gray, .rgb, .palette] {
            let bytes = try PNGCodec.encode(image, layout: layout)
            XCTAssertEqual(Array(bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
            XCTAssertEqual(try PNGCodec.decodeGray(bytes, name: "\(layout)"), image, "\(layout)")
        }
        let path = folder.appendingPathComponent("digit.png").path
        try PNGCodec.write(image, to: path, layout: .palette)
        XCTAssertEqual(try PNGCodec.readGray(path: path), image)
    }

    func testCorruptPNGIsRefused() throws {
        var bytes = try PNGCodec.encode(digit(width: 40, height: 40))
        let truncated = Array(bytes.prefix(bytes.count - 30))
        XCTAssertThrowsError(try PNGCodec.decodeGray(truncated, name: "cut.png")) { error in
            guard case .corrupt(path: "cut.png", _)? = error as? ImageError else { return XCTFail("\(error)") }
        }
        // Damage the compressed data (and so its CRC).
        for i in 45..<60 { bytes[i] ^= 0x5A }
        XCTAssertThrowsError(try PNGCodec.decodeGray(bytes, name: "damaged.png")) { XCTAssertTrue("\($0)".hasPrefix("damaged.png: not a readable PNG"), "\($0)") }
        XCTAssertThrowsError(try PNGCodec.decodeGray(Array("GIF89a....".utf8), name: "x.gif")) {
            XCTAssertEqual("\($0)", "x.gif: not a readable PNG: no PNG signature")
        }
        XCTAssertThrowsError(try PNGCodec.readGray(path: folder.appendingPathComponent("missing.png").path)) {
            XCTAssertTrue("\($0)".contains("no such file"), "\($0)")
        }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    func testHugeDimensionsAreRefusedBeforeAllocating() throws {
        // A valid signature and IHDR chunk (correct CRC) claiming 100000×100000 8-bit grey pixels, then a 4-byte IDAT.
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        let body: [UInt8] = Array("IHDR".utf8) + be(100_000) + be(100_000) + [8, 0, 0, 0, 0]
        let data: [UInt8] = Array("IDAT".utf8) + [0x78, 0x9C, 0x03, 0x00]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be(13) + body + be(Self.crc32(body))
            + be(4) + data + be(Self.crc32(data))
        XCTAssertThrowsError(try PNGCodec.decodeGray(png, name: "bomb.png")) { error in
            XCTAssertEqual(error as? ImageError, .tooLarge(path: "bomb.png", width: 100_000, height: 100_000, limit: PNGCodec.maximumPixels))
        }
    }

    // MARK: Normalisation

    func testNormaliserCentresDarkInkOnWhite() throws {
        let field = try DigitNormalizer().normalize(digit(width: 60, height: 45), name: "d")
        XCTAssertEqual(field.count, 784)
        XCTAssertEqual(field.max()!, 1, accuracy: 1e-6)
        var mass = 0.0, cx = 0.0, cy = 0.0, minY = 28, maxY = -1
        for y in 0..<28 { for x in 0..<28 {
            let v = Double(field[y * 28 + x]); mass += v; cx += v * Double(x); cy += v * Double(y)
            if v > 0.1 { minY = min(minY, y); maxY = max(maxY, y) }
        } }
        XCTAssertEqual(cx / mass, 14, accuracy: 0.6)
        XCTAssertEqual(cy / mass, 14, accuracy: 0.6)
        XCTAssertEqual(maxY - minY + 1, 20, "the taller side fills the 20-pixel box")
        XCTAssertEqual(field[0], 0, "the white paper becomes black background")
        let blank = GrayImage(width: 9, height: 9, pixels: [UInt8](repeating: 255, count: 81))
        XCTAssertThrowsError(try DigitNormalizer().normalize(blank, name: "blank.png")) {
            XCTAssertEqual("\($0)", "blank.png: the image is blank (no ink found)")
        }
    }
}
