import XCTest
@testable import SolutionKit

/// The split options every plugin shares (`split=`, `test_fraction=`, `fold=`, `--test`), parsed once in the core.
final class SplitPolicyTests: XCTestCase {
    func file(_ options: [String: String] = [:], seed: UInt64 = 42, testFile: String? = nil) -> DataRequest {
        var request = DataRequest.file("data.csv", options: options, testFile: testFile)
        request.seed = seed
        return request
    }

    func testAUsersFileIsSplitAtRandomWithTheRunsSeed() throws {
        let a = try file().split(rowCount: 1000, source: "data.csv")
        XCTAssertEqual(a.split.test.count, 200)
        XCTAssertEqual((a.split.train + a.split.test).sorted(), Array(0..<1000))
        XCTAssertEqual(a.description, "test = a seeded random 20% of the rows (split=random, seed 42)")
        XCTAssertEqual(try file().split(rowCount: 1000, source: "data.csv"), a, "same seed, same split")
        XCTAssertNotEqual(try file(seed: 7).split(rowCount: 1000, source: "data.csv").split, a.split)
        XCTAssertNotEqual(a.split, TrainTestSplit.byRowIndex(rowCount: 1000), "not the every-fifth-row rule")
        let quarter = try file(["test_fraction": "0.25"]).split(rowCount: 1000, source: "data.csv")
        XCTAssertEqual(quarter.split.test.count, 250)
    }

    func testNamedDatasetsKeepTheirProtocolRuleAndRowAndIDStayAvailable() throws {
        let named = try DataRequest.dataset("x").split(rowCount: 12, named: SplitPolicy(.row), source: "x")
        XCTAssertEqual(named.split, TrainTestSplit.byRowIndex(rowCount: 12))
        XCTAssertEqual(named.description, "test rows: row_index % 5 == 0")
        let row = try file(["split": "row", "fold": "2"]).split(rowCount: 12, source: "data.csv")
        XCTAssertEqual(row.split.test, [2, 7])
        let ids = SplitIDs(column: .numeric("id", NumericColumn(values: [5, 6, 10, 11, 15, 3])))
        let byID = try file(["split": "id"]).split(rowCount: 6, ids: ids, source: "data.csv")
        XCTAssertEqual(byID.split.test, [0, 2, 4])
        XCTAssertEqual(byID.description, "test rows: id % 5 == 0")
        let tenth = try file(["split": "row", "test_fraction": "0.1"]).split(rowCount: 30, source: "data.csv")
        XCTAssertEqual(tenth.split.test, [0, 10, 20])
    }

    func testStratifiedRandomSplitKeepsEveryClassInBothParts() throws {
        // 95 of class 0, 5 of class 1: each part gets some of class 1.
        let strata = (0..<100).map { $0 < 95 ? 0 : 1 }
        let split = try file().split(rowCount: 100, strata: strata, source: "data.csv").split
        XCTAssertEqual(split.test.filter { strata[$0] == 1 }.count, 1)
        XCTAssertEqual(split.test.count, 20)
        XCTAssertEqual(Set(split.train).union(split.test).count, 100)
        // Classes of one row each are pooled and split together.
        let singletons = try file().split(rowCount: 10, strata: Array(0..<10), source: "data.csv").split
        XCTAssertEqual(singletons.test.count, 2)
    }

    func testBadOptionsAndTinyPartsSayWhatToDo() {
        func message(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message { try self.file(["split": "time"]).splitPolicy() },
                       "--option split=time: expected one of random, row, id")
        XCTAssertTrue(message { try self.file(["test_fraction": "1.5"]).splitPolicy() }.contains("between 0 and 1"))
        XCTAssertTrue(message { try self.file(["split": "row", "test_fraction": "0.3"]).splitPolicy() }.contains("must be 1/k"))
        // A pre-split file: every id is ≠ 0 mod 5, so split=id leaves no test row.
        let ids = SplitIDs(column: .numeric("id", NumericColumn(values: (0..<40).map { Double($0 * 5 + 1) })))
        let preSplit = message { try self.file(["split": "id"]).split(rowCount: 40, ids: ids, source: "pre.csv") }
        XCTAssertEqual(preSplit, "pre.csv: test rows: id % 5 == 0 leaves 0 test row(s) of 40 (at least 2 are needed); the file may "
                       + "already be split: give its evaluation rows with --test FILE, or use --option split=random (the default for a file)")
        XCTAssertTrue(message { try self.file(["test_fraction": "0.01"]).split(rowCount: 40, source: "small.csv") }
            .hasPrefix("small.csv: test = a seeded random 1% of the rows (split=random, seed 42) leaves 0 test row(s) of 40"))
        XCTAssertTrue(message { try self.file(["split": "id"]).split(rowCount: 3, source: "f.csv") }.contains("needs an id column"))
        // --test gives the parts; a split option beside it is a contradiction.
        XCTAssertTrue(message { try self.file(["split": "row"], testFile: "t.csv").split(rowCount: 10, testRows: 8..<10, source: "f.csv") }
            .contains("both say which rows are tested"))
        XCTAssertEqual(message { try self.file(testFile: "t.csv").split(rowCount: 9, testRows: 8..<9, source: "f.csv") },
                       "t.csv: 1 test row(s); give a test file with at least 2 rows")
    }

    func testColumnOptionsParse() throws {
        let options = try file(["types": "zip:categorical, size:numeric", "bad_cells": "missing"]).csvOptions()
        XCTAssertEqual(options.columnKinds, ["zip": .categorical, "size": .numeric])
        XCTAssertEqual(options.badNumericCells, .missing)
        XCTAssertThrowsError(try file(["types": "zip:text"]).csvOptions()) { error in
            XCTAssertEqual("\(error)", "--option types=zip:text: 'zip:text' should be COLUMN:numeric or COLUMN:categorical")
        }
        XCTAssertThrowsError(try file(["bad_cells": "drop"]).csvOptions())
    }
}
