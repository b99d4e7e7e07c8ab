import XCTest
@testable import SolutionKit

final class SplitTests: XCTestCase {
    func testRowIndexModuloFollowsProtocol() {
        let split = TrainTestSplit.byRowIndex(rowCount: 12)
        XCTAssertEqual(split.test, [0, 5, 10])
        XCTAssertEqual(split.train, [1, 2, 3, 4, 6, 7, 8, 9, 11])
        // California housing: 20,640 rows give 4,128 test rows.
        XCTAssertEqual(TrainTestSplit.byRowIndex(rowCount: 20_640).test.count, 4_128)
    }

    func testIDModuloUsesTheIDsNotThePositions() throws {
        let ids = NumericColumn(values: [1, 5, 10, 3, 15, 7])
        let split = try TrainTestSplit.byID(ids)
        XCTAssertEqual(split.test, [1, 2, 4])
        XCTAssertEqual(split.train, [0, 3, 5])
        XCTAssertThrowsError(try TrainTestSplit.byID(NumericColumn([1, nil]), columnName: "Id")) { error in
            XCTAssertEqual("\(error)", "row 1, column 'Id': the id is missing")
        }
        XCTAssertThrowsError(try TrainTestSplit.byID(NumericColumn([1, nil]), columnName: "Id",
                                                     origins: RowOrigins(file: "f.csv", lines: [2, 4]))) { error in
            XCTAssertEqual("\(error)", "f.csv, line 4, column 'Id': the id is missing")
        }
        XCTAssertThrowsError(try TrainTestSplit.byID(NumericColumn(values: [2.5])))
    }

    func testKFoldsPartitionTheRows() {
        let folds = TrainTestSplit.kFolds(rowCount: 23, k: 5)
        XCTAssertEqual(folds.count, 5)
        XCTAssertEqual(folds[2].test, [2, 7, 12, 17, 22])
        XCTAssertEqual(folds.flatMap(\.test).sorted(), Array(0..<23))
        for fold in folds { XCTAssertEqual((fold.train + fold.test).sorted(), Array(0..<23)) }
    }

    func testRandomSplitIsSeededAndComplete() {
        let a = TrainTestSplit.random(rowCount: 1000, testFraction: 0.2, seed: 42)
        let b = TrainTestSplit.random(rowCount: 1000, testFraction: 0.2, seed: 42)
        let c = TrainTestSplit.random(rowCount: 1000, testFraction: 0.2, seed: 43)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a.test.count, 200)
        XCTAssertEqual((a.train + a.test).sorted(), Array(0..<1000))
        XCTAssertEqual(a.test, a.test.sorted())
    }
}
