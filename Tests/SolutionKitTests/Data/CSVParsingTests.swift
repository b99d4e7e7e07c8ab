import XCTest
@testable import SolutionKit

final class CSVParsingTests: XCTestCase {
    func testQuotedDelimitersDoubledQuotesAndNewlines() throws {
        let text = "name,comment\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"multi\nline\",plain\n"
        let reader = try CSVRecordReader(MemoryByteSource(text))
        XCTAssertEqual(reader.columnNames, ["name", "comment"])
        let records = try DataTestSupport.records(reader)
        XCTAssertEqual(records, [["Smith, J", "said \"hi\""], ["multi\nline", "plain"]])
    }

    func testLineNumbersCountNewlinesInsideQuotes() throws {
        let reader = try CSVRecordReader(MemoryByteSource("a,b\n\"x\ny\",1\n2,3\n\n4,5"))
        let batch = try XCTUnwrap(reader.nextBatch())
        XCTAssertEqual(batch.count, 3)
        XCTAssertEqual((0..<3).map(batch.lineNumber(of:)), [2, 4, 6])
    }

    func testCRLFAndCRLineEndingsAndNoFinalNewline() throws {
        let crlf = try DataTestSupport.records(CSVRecordReader(MemoryByteSource("a,b\r\n1,2\r\n\"3\r\n\",4\r\n")))
        XCTAssertEqual(crlf, [["1", "2"], ["3\r\n", "4"]])
        let cr = try DataTestSupport.records(CSVRecordReader(MemoryByteSource("a,b\r1,2\r3,4")))
        XCTAssertEqual(cr, [["1", "2"], ["3", "4"]])
    }

    func testEmptyFieldsAndTrailingDelimiter() throws {
        let records = try DataTestSupport.records(CSVRecordReader(MemoryByteSource("a,b,c\n,,\n1,,\n")))
        XCTAssertEqual(records, [["", "", ""], ["1", "", ""]])
    }

    func testChosenAndDetectedDelimiters() throws {
        for (delimiter, symbol) in [(";", UInt8(ascii: ";")), ("\t", UInt8(ascii: "\t")), ("|", UInt8(ascii: "|")), (",", UInt8(ascii: ","))] {
            let text = "x\(delimiter)y\(delimiter)\"q\(delimiter)z\"\n1\(delimiter)2\(delimiter)3\n"
            let detected = try CSVRecordReader(MemoryByteSource(text))
            XCTAssertEqual(detected.delimiter, symbol)
            XCTAssertEqual(detected.columnNames, ["x", "y", "q\(delimiter)z"])
            let chosen = try CSVRecordReader(MemoryByteSource(text), options: CSVOptions(delimiter: symbol))
            XCTAssertEqual(try DataTestSupport.records(chosen), [["1", "2", "3"]])
        }
    }

    func testNoHeaderNamesColumnsAndKeepsFirstRow() throws {
        let table = try DataTestSupport.table("1,a\n2,b\n", options: CSVOptions(hasHeader: false))
        XCTAssertEqual(table.columnNames, ["col1", "col2"])
        XCTAssertEqual(table.rowCount, 2)
        XCTAssertEqual(try table.numericColumn(named: "col1").values, [1, 2])
    }

    func testMissingTokensAndInference() throws {
        let text = "num,cat,allmissing,mostlytext\n1.5,a,NA,1\nNA,b,,x\nN/A,NULL,nan,y\n-2e3,?,null,NaN\n"
        let table = try DataTestSupport.table(text)
        let num = try table.numericColumn(named: "num")
        XCTAssertEqual(num.missing, [false, true, true, false])
        XCTAssertEqual(num[0], 1.5)
        XCTAssertEqual(num[3], -2000)
        let cat = try XCTUnwrap(table["cat"]?.categorical)
        XCTAssertEqual(cat.categories, ["a", "b"])
        XCTAssertEqual(cat.codes, [0, 1, -1, -1])
        // A column with no value at all is numeric with every row missing.
        XCTAssertEqual(table["allmissing"]?.kind, .numeric)
        XCTAssertEqual(table["allmissing"]?.missingCount, 4)
        // Mostly text: categorical, and its numbers keep their text. (Mostly numbers with some text is an error:
        // testMostlyNumericColumnWithTextCells.)
        let text2 = try XCTUnwrap(table["mostlytext"]?.categorical)
        XCTAssertEqual(text2.categories, ["1", "x", "y"])
        XCTAssertEqual(text2.missingCount, 1)
    }

    /// A column of numbers with a few text cells is an error naming file, line, column and the share of bad cells;
    /// with `BadCellPolicy.missing` those cells are missing values, counted; declared categorical it is read as text.
    /// A column of mostly text (whatever numbers it holds) is categorical, as before.
    func testMostlyNumericColumnWithTextCells() throws {
        let text = "sqft,grade\n120,A\n95,B\ntwelve,3\n80,A\n"
        let error = DataTestSupport.csvError { _ = try DataTestSupport.table(text) }
        XCTAssertEqual(error, .mostlyNumericColumn(file: "test.csv", line: 4, column: "sqft", value: "twelve", badCells: 1, values: 4))
        XCTAssertTrue(error!.description.hasPrefix("test.csv, line 4, column 'sqft': 'twelve' is not a number, in a column of "
                                                   + "numbers (1 of its 4 values, 25%, are not numbers)"), error!.description)
        XCTAssertTrue(error!.description.contains("bad_cells=missing") && error!.description.contains("types=sqft:categorical"))

        let (table, report) = try Table.readCSV(MemoryByteSource(text, name: "test.csv"), options: CSVOptions(badNumericCells: .missing))
        XCTAssertEqual(try table.numericColumn(named: "sqft").missing, [false, false, true, false])
        XCTAssertEqual(report.badCells, [.init(column: "sqft", count: 1, firstLine: 4, firstValue: "twelve")])
        XCTAssertEqual(table["grade"]?.kind, .categorical, "mostly text stays categorical")

        let declared = try DataTestSupport.table(text, options: CSVOptions(columnKinds: ["sqft": .categorical]))
        XCTAssertEqual(declared["sqft"]?.categorical?.categories, ["120", "95", "twelve", "80"])
        // Rows keep their file lines for later messages.
        XCTAssertEqual(declared.location(ofRow: 2).description, "test.csv, line 4")
        // A non-finite number is a bad cell too under `.missing`.
        let (infinite, infReport) = try Table.readCSV(MemoryByteSource("x\n1\ninf\n", name: "t.csv"),
                                                      options: CSVOptions(badNumericCells: .missing))
        XCTAssertEqual(try infinite.numericColumn(named: "x").missing, [false, true])
        XCTAssertEqual(infReport.badCells.first?.count, 1)
    }

    func testCustomMissingTokens() throws {
        let table = try DataTestSupport.table("a\n-\n3\n", options: CSVOptions(missingTokens: ["-"]))
        XCTAssertEqual(try table.numericColumn(named: "a").missing, [true, false])
    }

    func testKindOverrides() throws {
        let options = CSVOptions(columnKinds: ["zip": .categorical, "score": .numeric])
        let table = try DataTestSupport.table("zip,score\n02139,1\n10001,NA\n", options: options)
        XCTAssertEqual(table["zip"]?.categorical?.categories, ["02139", "10001"])
        XCTAssertEqual(table["score"]?.kind, .numeric)
        let error = DataTestSupport.csvError {
            _ = try DataTestSupport.table("zip,score\n1,2\n3,abc\n", options: options)
        }
        XCTAssertEqual(error, .notANumber(file: "test.csv", line: 3, column: "score", value: "abc"))
        XCTAssertEqual(error?.description, "test.csv, line 3, column 'score': 'abc' is not a number")
        let unknown = DataTestSupport.csvError { _ = try DataTestSupport.table("a\n1\n", options: CSVOptions(columnKinds: ["b": .numeric])) }
        XCTAssertEqual(unknown, .unknownColumn(file: "test.csv", name: "b"))
    }

    func testLatin1AndUTF8AndBOM() throws {
        // "city\ncaf\u{e9}\n" in Latin-1: 0xE9 alone is invalid UTF-8, so the file is read as Latin-1.
        let latin1: [UInt8] = Array("city\ncaf".utf8) + [0xE9] + Array("\nna\n".utf8)
        let table = try DataTestSupport.table(bytes: latin1)
        XCTAssertEqual(table["city"]?.categorical?.categories, ["café", "na"])
        // The same text in UTF-8 with a byte-order mark.
        let utf8: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("city\ncafé\nna\n".utf8)
        let table8 = try DataTestSupport.table(bytes: utf8)
        XCTAssertEqual(table8.columnNames, ["city"])
        XCTAssertEqual(table8["city"]?.categorical?.categories, ["café", "na"])
        // Forced Latin-1 reads UTF-8 bytes as two characters each.
        let forced = try DataTestSupport.table(bytes: Array("c\né\n".utf8), options: CSVOptions(encoding: .latin1))
        XCTAssertEqual(forced["c"]?.categorical?.categories, ["Ã©"])
    }

    func testNumberParsingMatchesStrtod() throws {
        let cases = ["0", "-0", "1", "+1", "3.14159", "-122.23", "8.3252", "452600.0", "1e10", "1E-5", "2.5e+3",
                     ".5", "5.", "123456789012345678901234", "0.1234567890123456789", "1e999", "-1e999", "4.9e-324",
                     "1.7976931348623157e308", "  42 ", "9007199254740993", "0.000000000000000000000001"]
        for text in cases {
            let expected = strtod(text, nil)
            XCTAssertEqual(ByteNumberParser.parseDouble(Array(text.utf8)), expected, text)
        }
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            let value = (generator.nextUnitDouble() - 0.5) * pow(10, Double(Int(generator.next() % 20)) - 8)
            let text = String(format: "%.*g", Int(generator.next() % 17) + 1, value)
            XCTAssertEqual(ByteNumberParser.parseDouble(Array(text.utf8)), strtod(text, nil), text)
        }
        for text in ["", "-", "e5", "1e", "1.2.3", "abc", "1,5", "0x10", "--1", "."] {
            XCTAssertNil(ByteNumberParser.parseDouble(Array(text.utf8)), text)
        }
        XCTAssertEqual(ByteNumberParser.parseDouble(Array("inf".utf8)), .infinity)
        XCTAssertEqual(ByteNumberParser.parseDouble(Array("-Infinity".utf8)), -.infinity)
        XCTAssertTrue(ByteNumberParser.parseDouble(Array("NaN".utf8))!.isNaN)
    }

    func testBatchFieldAccess() throws {
        let reader = try CSVRecordReader(MemoryByteSource("a,b\n1.25,NA\n\"x,y\",7\n"))
        let batch = try XCTUnwrap(reader.nextBatch())
        XCTAssertEqual(batch.double(0, of: 0), 1.25)
        XCTAssertTrue(batch.isMissing(1, of: 0))
        XCTAssertFalse(batch.isMissing(0, of: 0))
        XCTAssertNil(batch.double(0, of: 1))
        XCTAssertEqual(batch.bytes(0, of: 1), Array("x,y".utf8))
        XCTAssertEqual(batch.string(1, of: 1), "7")
        XCTAssertNil(try reader.nextBatch())
    }
}
