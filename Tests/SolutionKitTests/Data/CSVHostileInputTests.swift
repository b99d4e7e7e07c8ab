import XCTest
@testable import SolutionKit

/// Each malformed input gives a typed error whose description names the file, the line and the column.
final class CSVHostileInputTests: XCTestCase {
    func testRaggedRow() {
        let error = DataTestSupport.csvError { _ = try DataTestSupport.table("a,b,c\n1,2,3\n4,5\n6,7,8\n") }
        XCTAssertEqual(error, .raggedRow(file: "test.csv", line: 3, expected: 3, found: 2))
        XCTAssertEqual(error?.description, "test.csv, line 3: expected 3 fields, found 2")
    }

    func testEmptyFile() {
        XCTAssertEqual(DataTestSupport.csvError { _ = try DataTestSupport.table("") }, .emptyInput(file: "test.csv"))
        XCTAssertEqual(DataTestSupport.csvError { _ = try DataTestSupport.table("\n\r\n") }, .emptyInput(file: "test.csv"))
    }

    func testHeaderOnly() {
        let error = DataTestSupport.csvError { _ = try DataTestSupport.table("a,b\n") }
        XCTAssertEqual(error, .noDataRows(file: "test.csv"))
        XCTAssertTrue(error!.description.contains("test.csv"))
    }

    func testUnterminatedQuote() {
        let error = DataTestSupport.csvError { _ = try DataTestSupport.table("a,b\n1,2\n3,\"open\n4,5\n") }
        XCTAssertEqual(error, .unterminatedQuote(file: "test.csv", line: 3, column: "b"))
        XCTAssertEqual(error?.description, "test.csv, line 3, column 'b': a quoted field is not closed before the end of the input")
    }

    func testInfiniteValuesInNumericColumn() {
        let inf = DataTestSupport.csvError { _ = try DataTestSupport.table("x,y\n1,2\n3,inf\n") }
        XCTAssertEqual(inf, .nonFiniteNumber(file: "test.csv", line: 3, column: "y", value: "inf"))
        let overflow = DataTestSupport.csvError { _ = try DataTestSupport.table("x,y\n1e999,2\n") }
        XCTAssertEqual(overflow?.description, "test.csv, line 2, column 'x': '1e999' is not a finite number")
        // With "nan" no longer a missing token, it is a non-finite number too.
        let nan = DataTestSupport.csvError { _ = try DataTestSupport.table("x\n1\nnan\n", options: CSVOptions(missingTokens: [""])) }
        XCTAssertEqual(nan, .nonFiniteNumber(file: "test.csv", line: 3, column: "x", value: "nan"))
    }

    func testDuplicateHeaderName() {
        let error = DataTestSupport.csvError { _ = try DataTestSupport.table("id,price,id\n1,2,3\n") }
        XCTAssertEqual(error, .duplicateColumnName(file: "test.csv", name: "id", firstColumn: 1, secondColumn: 3))
        XCTAssertEqual(error?.description, "test.csv, line 1: column name 'id' appears twice (columns 1 and 3)")
    }

    func testMissingFileIsAnIOError() {
        XCTAssertThrowsError(try Table(csvFile: "/nonexistent/x.csv")) { error in
            XCTAssertEqual((error as? IOError)?.description, "/nonexistent/x.csv: no such file")
        }
    }
}
