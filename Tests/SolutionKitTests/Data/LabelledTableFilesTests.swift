import Foundation
import XCTest
@testable import SolutionKit

/// A `--data` file with its `--test` file: columns checked, kinds shared, rows appended with their lines.
final class LabelledTableFilesTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("labelled-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testTheTestFileIsAppendedWithTheTrainingKindsAndItsOwnLines() throws {
        let train = try write("train.csv", "x,city,y\n1,a,10\n2,b,20\n\n3,a,30\n")
        // Columns in another order, an extra column, a city the training file lacks, and a zip-like x.
        let test = try write("test.csv", "city,y,note,x\nc,40,hello,4\na,50,,5\n")
        let files = try LabelledTableFiles.read(train, request: .file(train, testFile: test))
        XCTAssertEqual(files.testRows, 3..<5)
        XCTAssertEqual(files.table.columnNames, ["x", "city", "y"])
        XCTAssertEqual(try files.table.numericColumn(named: "x").values, [1, 2, 3, 4, 5])
        XCTAssertEqual(files.table["city"]?.categorical?.categories, ["a", "b", "c"])
        XCTAssertEqual(files.table["city"]?.categorical?.codes, [0, 1, 0, 2, 0])
        // The blank line 4 of train.csv is skipped: its third row is line 5; the test rows are lines 2 and 3 of test.csv.
        XCTAssertEqual(files.table.location(ofRow: 2).description, "\(train), line 5")
        XCTAssertEqual(files.table.location(ofRow: 4).description, "\(test), line 3")
        XCTAssertEqual(files.notes, ["\(test): column 'note' is not in the data file and is ignored"])
        XCTAssertEqual(files.files, [train, test])
    }

    func testATestFileWithoutTheTrainingColumnsIsAClearError() throws {
        let train = try write("train.csv", "x,city,y\n1,a,10\n2,b,20\n")
        let test = try write("other.csv", "x,town,price\n1,a,10\n")
        XCTAssertThrowsError(try LabelledTableFiles.read(train, request: .file(train, testFile: test))) { error in
            XCTAssertEqual("\(error)", "\(test): the test file lacks the columns 'city', 'y' of the data file \(train) "
                           + "(the test file has: x, town, price)")
        }
    }

    func testTextInANumericColumnOfTheTestFileNamesItsLine() throws {
        let train = try write("train.csv", "x,y\n1,10\n2,20\n3,30\n")
        let test = try write("test.csv", "x,y\n4,40\nfive,50\n")
        XCTAssertThrowsError(try LabelledTableFiles.read(train, request: .file(train, testFile: test))) { error in
            XCTAssertEqual("\(error)", "\(test), line 3, column 'x': 'five' is not a number")
        }
        let lenient = try LabelledTableFiles.read(train, request: .file(train, options: ["bad_cells": "missing"], testFile: test))
        XCTAssertEqual(try lenient.table.numericColumn(named: "x").missing, [false, false, false, false, true])
        XCTAssertEqual(lenient.notes, ["\(test): column 'x': 1 cell that is not a number read as missing (first: line 3, 'five')"])
    }

    func testDeclaredTypesApplyToTheDataFile() throws {
        let train = try write("train.csv", "zip,y\n02139,1\n10001,2\n")
        let files = try LabelledTableFiles.read(train, request: .file(train, options: ["types": "zip:categorical"]))
        XCTAssertEqual(files.table["zip"]?.categorical?.categories, ["02139", "10001"])
        XCTAssertThrowsError(try LabelledTableFiles.read(train, request: .file(train, options: ["types": "zipcode:categorical"])))
    }
}
