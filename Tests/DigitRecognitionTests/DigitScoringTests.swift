import Foundation
import SolutionKit
import XCTest
@testable import DigitRecognition

/// Loading image folders and scoring PNG paths, folders and IDX input, including hostile input.
final class DigitScoringTests: XCTestCase {
    func testSampleDatasetLoadsBothParts() throws {
        let data = try DigitDatasets.load(.dataset("sample"), plugin: DigitRecognitionPlugin())
        XCTAssertEqual(data.labels.count, 1797 + 300)
        XCTAssertEqual(data.images.shape, [2097, 1, 28, 28])
        XCTAssertEqual(data.split.test.count, 360 + 60)
        XCTAssertEqual(Set(data.split.train).intersection(data.split.test).count, 0)
        // sklearn's class counts (digits SOURCE.md) plus 30 of each MNIST digit.
        let counts = (0..<10).map { c in data.labels.filter { $0 == c }.count }
        XCTAssertEqual(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180].map { $0 + 30 })
        XCTAssertEqual(data.images.scalars.max()!, 1)
    }

    func testNonImageFileInAnImageFolderIsAClearError() throws {
        let folder = try DigitTestSupport.temporaryFolder(self)
        let root = try DigitTestSupport.imageFolder(in: folder, perClass: 2)
        let stray = root.appendingPathComponent("4/readme.txt")
        try "hello".write(to: stray, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try DigitRecognitionPlugin().load(.file(root.path))) { error in
            XCTAssertEqual("\(error)", "\(stray.path): not a readable PNG: no PNG signature")
        }
        try FileManager.default.removeItem(at: stray)
        try "".write(to: root.appendingPathComponent(".DS_Store"), atomically: true, encoding: .utf8)
        let data = try DigitDatasets.load(.file(root.path), plugin: DigitRecognitionPlugin())
        XCTAssertEqual(data.labels.count, 20, "hidden files are skipped")
    }

    func testScoresFilesFoldersAndIDXAndRejectsBadImages() throws {
        let folder = try DigitTestSupport.temporaryFolder(self)
        let root = try DigitTestSupport.imageFolder(in: folder, perClass: 3)
        let data = try DigitDatasets.load(.file(root.path), plugin: DigitRecognitionPlugin())
        let (model, _) = try DigitTestSupport.bundledModel("mlp", on: data, overrides: ["epochs=2", "batch_size=8"], in: folder)
        let scorer = DigitScorer(model: model)
        let corrupt = folder.appendingPathComponent("corrupt.png")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: data.source + "/1/" + (try FileManager.default.contentsOfDirectory(atPath: data.source + "/1").sorted()[0]))))
        bytes.removeLast(bytes.count / 2)
        try Data(bytes).write(to: corrupt)
        let blank = folder.appendingPathComponent("blank.png")
        try PNGCodec.write(GrayImage(width: 30, height: 30, pixels: [UInt8](repeating: 255, count: 900)), to: blank.path)
        let input = "path\n\(root.path)/2\n\(corrupt.path)\n\(folder.path)/missing.png\n\(blank.path)\n\(root.path)/5\n"
        let (output, rejects, summary) = try DigitTestSupport.score(scorer, input: MemoryByteSource(input), in: folder)
        XCTAssertEqual(summary.rowsRead, 3 + 3 + 3)
        XCTAssertEqual(summary.rowsScored, 6)
        XCTAssertEqual(summary.rowsRejected, 3)
        let lines = output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "path,label,probability,top3")
        XCTAssertEqual(lines.count, 7)
        XCTAssertTrue(lines[1].hasPrefix(root.path + "/2/"), lines[1])
        XCTAssertTrue(lines[6].hasPrefix(root.path + "/5/"), lines[6])
        let fields = lines[1].split(separator: ",")
        XCTAssertEqual(fields.count, 4)
        XCTAssertEqual(fields[3].split(separator: " ").count, 3, "top 3 label:probability pairs")
        let rejectLines = rejects.split(separator: "\n").dropFirst().map(String.init)
        XCTAssertEqual(rejects.split(separator: "\n").first, "line,path,reason")
        XCTAssertEqual(rejectLines.count, 3)
        XCTAssertTrue(rejectLines[0].hasPrefix("3,") && rejectLines[0].contains("not a readable PNG"), rejectLines[0])
        XCTAssertTrue(rejectLines[1].hasPrefix("4,") && rejectLines[1].contains("no such file"), rejectLines[1])
        XCTAssertTrue(rejectLines[2].hasPrefix("5,") && rejectLines[2].contains("blank"), rejectLines[2])

        // JSON lines.
        let (json, _, _) = try DigitTestSupport.score(scorer, input: MemoryByteSource("\(root.path)/2\n"), format: .jsonl, in: folder)
        let first = try JSONSerialization.jsonObject(with: Data(json.split(separator: "\n")[0].utf8)) as! [String: Any]
        XCTAssertEqual((first["top3"] as! [Any]).count, 3)
        XCTAssertNotNil(first["probability"] as? Double)

        // An IDX image file as the input itself: each image is a row named file#index.
        let pixels = data.images.gatheringRows([0, 5, 9]).scalars.map { UInt8(($0 * 255).rounded()) }
        let idx: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28] + pixels
        let (idxOutput, _, idxSummary) = try DigitTestSupport.score(scorer, input: MemoryByteSource(idx, name: "three.idx"), in: folder)
        XCTAssertEqual(idxSummary.rowsScored, 3)
        XCTAssertTrue(idxOutput.contains("three.idx#2,"), idxOutput)
        // A truncated IDX input is an error naming the input, not a crash.
        XCTAssertThrowsError(try DigitTestSupport.score(scorer, input: MemoryByteSource(Array(idx.prefix(500)), name: "cut.idx"), in: folder)) {
            XCTAssertTrue("\($0)".hasPrefix("cut.idx: truncated"), "\($0)")
        }
    }
}
