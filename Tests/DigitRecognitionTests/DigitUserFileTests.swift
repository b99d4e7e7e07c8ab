import Foundation
import SolutionKit
import XCTest
@testable import DigitRecognition

/// A user's own digit files (issue 12, item 4): a random stratified split by default, a `--test` path of the same
/// kind, and clear errors when the two do not fit together.
final class DigitUserFileTests: XCTestCase {
    let plugin = DigitRecognitionPlugin()

    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    /// sklearn-style digit rows: 64 pixels 0...16 and a label, from the shipped sample's first `count` rows.
    func digitsCSV(_ folder: URL, _ name: String, rows: Range<Int>) throws -> String {
        let (images, labels) = try DigitDatasets.readDigitsCSV(path: DigitTestSupport.samples + "/digits.csv.gz")
        let text = rows.map { r in
            ((0..<64).map { String(Int((images.scalars[r * 64 + $0] * 16).rounded())) } + [String(labels[r])]).joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testAFolderIsSplitAtRandomStratifiedByClass() throws {
        let folder = try DigitTestSupport.temporaryFolder(self)
        let root = try DigitTestSupport.imageFolder(in: folder, perClass: 5)
        let data = try DigitDatasets.load(.file(root.path), plugin: plugin)
        XCTAssertEqual(data.split.test.count, 10)
        XCTAssertEqual(Set(data.split.test.map { data.labels[$0] }).count, 10, "one test image of each digit")
        XCTAssertTrue(data.splitDescription.contains("stratified"), data.splitDescription)
        var seven = DataRequest.file(root.path)
        seven.seed = 7
        XCTAssertNotEqual(try DigitDatasets.load(seven, plugin: plugin).split, data.split)
    }

    func testACSVTakesATestCSVAndMismatchesAreClearErrors() throws {
        let folder = try DigitTestSupport.temporaryFolder(self)
        let train = try digitsCSV(folder, "train.csv", rows: 0..<300), test = try digitsCSV(folder, "test.csv", rows: 300..<400)
        let data = try DigitDatasets.load(.file(train, testFile: test), plugin: plugin)
        XCTAssertEqual(data.split.train, Array(0..<300))
        XCTAssertEqual(data.split.test, Array(300..<400))
        let (model, _) = try DigitTestSupport.bundledModel("mlp", on: data, overrides: ["epochs=2"], in: folder)
        XCTAssertGreaterThan(try DigitEvaluation.evaluate(model, on: data)["accuracy"]!, 0.3)

        // 8×8 test rows against 28×28 training images.
        let root = try DigitTestSupport.imageFolder(in: folder, perClass: 2)
        XCTAssertEqual(message { try DigitDatasets.load(.file(root.path, testFile: test), plugin: self.plugin) },
                       "\(test): its images are 8×8 pixels but those of \(root.path) are 28×28; give test images in the same format "
                       + "as the training images")
        // A test class without training images.
        let partial = folder.appendingPathComponent("partial")
        for digit in 0..<3 {
            try FileManager.default.copyItem(at: root.appendingPathComponent("\(digit)"), to: partial.appendingPathComponent("d\(digit)"))
        }
        let other = folder.appendingPathComponent("other")
        try FileManager.default.copyItem(at: root.appendingPathComponent("5"), to: other.appendingPathComponent("d5"))
        XCTAssertEqual(message { try DigitDatasets.load(.file(partial.path, testFile: other.path), plugin: self.plugin) },
                       "\(other.path): class 'd5' has no training images in \(partial.path) (training classes: d0, d1, d2)")
        // A folder with its own train/ and test/ keeps that split; --test beside it is refused.
        let layout = folder.appendingPathComponent("layout")
        try FileManager.default.copyItem(at: partial, to: layout.appendingPathComponent("train"))
        try FileManager.default.copyItem(at: partial, to: layout.appendingPathComponent("test"))
        XCTAssertEqual(try DigitDatasets.load(.file(layout.path), plugin: plugin).splitDescription, "train/ and test/ folders")
        XCTAssertTrue(message { try DigitDatasets.load(.file(layout.path, testFile: other.path), plugin: self.plugin) }
            .contains("already holds its own test part"))
    }
}
