import XCTest
@testable import SolutionKit

final class PreprocessingTests: XCTestCase {
    /// Rows 0-3 train, rows 4-5 test (with extreme values that must not leak into the statistics).
    let csv = """
    rooms,income,kind,target
    1,2.0,A,10
    NA,2.0,B,20
    3,2.0,A,30
    10,2.0,,40
    1000000,-50,MOON,50
    NA,7,B,60

    """
    let trainRows = [0, 1, 2, 3]

    func fitted(_ policy: UnseenCategoryPolicy = .reject) throws -> (Table, TabularPreprocessor) {
        var table = try DataTestSupport.table(csv)
        try table.removeColumn(named: "target")
        return (table, try TabularPreprocessor(fittingOn: table, rows: trainRows, unseenCategories: policy))
    }

    func testStatisticsMatchHandComputedValues() throws {
        let (_, pre) = try fitted()
        // Hand-computed, and what scikit-learn's SimpleImputer(strategy="median", add_indicator=True) followed by
        // StandardScaler (population std) gives: rooms train values 1, NA, 3, 10 -> median 3, imputed 1, 3, 3, 10.
        let rooms = pre.numericFeatures[0]
        XCTAssertEqual(rooms.median, 3)
        XCTAssertEqual(rooms.mean, 4.25)
        XCTAssertEqual(rooms.scale, (46.75 / 4).squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(rooms.hasMissingIndicator)
        // A constant column is only centred.
        XCTAssertEqual(pre.numericFeatures[1].scale, 1)
        XCTAssertFalse(pre.numericFeatures[1].hasMissingIndicator)
        XCTAssertEqual(pre.categoricalFeatures[0].categories, ["A", "B"])
        XCTAssertEqual(pre.categoricalFeatures[0].mode, "A")
        XCTAssertEqual(pre.featureNames, ["rooms", "income", "rooms_missing", "kind=A", "kind=B"])
    }

    func testTestRowsDoNotChangeTheFit() throws {
        let (table, pre) = try fitted()
        // Replace the test rows with other values: the fit on the training rows must not move.
        var altered = try DataTestSupport.table(csv.replacingOccurrences(of: "1000000,-50,MOON", with: "-9,9e9,ZED"))
        try altered.removeColumn(named: "target")
        let refit = try TabularPreprocessor(fittingOn: altered, rows: trainRows)
        XCTAssertEqual(refit, pre)
        // And fitting on a table holding only the training rows is the same fit.
        XCTAssertEqual(try TabularPreprocessor(fittingOn: table.selectingRows(trainRows)), pre)
        // Fitting on every row does move it (so the test above can fail).
        XCTAssertNotEqual(try TabularPreprocessor(fittingOn: table).numericFeatures[0].median, pre.numericFeatures[0].median)
    }

    func testTableTransformImputesAndEncodes() throws {
        let (table, pre) = try fitted(.ignore)
        let x = try pre.transform(table)
        XCTAssertEqual(x.shape, [6, 5])
        let scale = Float((46.75 / 4).squareRoot())
        func row(_ r: Int) -> [Float] { Array(x.scalars[r * 5..<(r + 1) * 5]) }
        XCTAssertEqual(row(0)[0], (1 - 4.25) / scale, accuracy: 1e-6)
        XCTAssertEqual(Array(row(0)[1...]), [0, 0, 1, 0])
        XCTAssertEqual(row(1)[0], (3 - 4.25) / scale, accuracy: 1e-6)  // median imputed
        XCTAssertEqual(row(1)[2], 1)  // missing indicator
        XCTAssertEqual(Array(row(3)[3...]), [1, 0])  // missing category -> mode "A"
        XCTAssertEqual(Array(row(4)[3...]), [0, 0])  // unseen "MOON" ignored
        XCTAssertEqual(row(4)[1], -52)  // centred only
    }

    func testUnseenCategoryRejectedInTableTransform() throws {
        let (table, pre) = try fitted(.reject)
        XCTAssertThrowsError(try pre.transform(table)) { error in
            // Row 4 of the table is line 6 of the file (the header is line 1).
            XCTAssertEqual(error as? PreprocessingError,
                           .unseenCategory(RowLocation(row: 4, file: "test.csv", line: 6), column: "kind", value: "MOON"))
            XCTAssertEqual("\(error)", "test.csv, line 6, column 'kind': unseen category 'MOON'")
        }
        // A table built in memory has no lines: the message names the row index.
        let inMemory = try Table(columns: table.columns)
        XCTAssertThrowsError(try pre.transform(inMemory)) { error in
            XCTAssertEqual("\(error)", "row 4, column 'kind': unseen category 'MOON'")
        }
    }

    /// Evaluation never fails on an unseen category: `reject` leaves the row out, `ignore` scores it, both count it.
    func testEvaluationTransformCountsUnseenCategories() throws {
        let (table, rejecting) = try fitted(.reject)
        let left = try rejecting.transformForEvaluation(table)
        XCTAssertEqual(left.rows, [0, 1, 2, 3, 5])
        XCTAssertEqual(left.features, try rejecting.transform(try table.selectingRows([0, 1, 2, 3, 5])))
        XCTAssertEqual(left.unseen, UnseenCategoryCount(rows: 1, leftOut: 1, policy: .reject,
                                                        columns: [.init(name: "kind", rows: 1, examples: ["MOON"])]))
        XCTAssertTrue(left.unseen.note!.hasPrefix("evaluation rows with unseen categories: 1 ('kind': 1 row, e.g. 'MOON')"),
                      left.unseen.note!)
        let (_, ignoring) = try fitted(.ignore)
        let scored = try ignoring.transformForEvaluation(table)
        XCTAssertEqual(scored.rows, Array(0..<6))
        XCTAssertEqual(scored.features, try ignoring.transform(table))
        XCTAssertEqual(scored.unseen.leftOut, 0)
        XCTAssertEqual(scored.unseen.rows, 1)
        // Nothing unseen: no note.
        XCTAssertNil(try ignoring.transformForEvaluation(try table.selectingRows([0, 1])).unseen.note)
    }

    func testBatchPathMatchesTablePathAndRejectsWithReasons() throws {
        let (table, pre) = try fitted(.reject)
        let scoring = """
        extra,kind,income,rooms
        x,A,2,1
        x,B,2,NA
        x,MOON,2,3
        x,A,2,abc
        x,A,inf,3
        x,A,2
        x,,NA,10

        """
        let reader = try CSVRecordReader(MemoryByteSource(scoring, name: "score.csv"))
        let match = try pre.match(header: reader.columnNames, source: "score.csv")
        XCTAssertEqual(match.extraColumns, ["extra"])
        let batch = try XCTUnwrap(reader.nextBatch())
        let result = pre.transform(batch, using: match)
        XCTAssertEqual(result.acceptedRecords, [0, 1, 6])
        XCTAssertEqual(result.rejections, [
            RecordRejection(line: 4, reason: "column 'kind': unseen category 'MOON'"),
            RecordRejection(line: 5, reason: "column 'rooms': 'abc' is not a number"),
            RecordRejection(line: 6, reason: "column 'income': infinite value"),
            RecordRejection(line: 7, reason: "expected 4 fields, found 3"),
        ])
        // Rows in = rows accepted + rows rejected.
        XCTAssertEqual(result.acceptedRecords.count + result.rejections.count, batch.count)
        // Accepted rows equal the table transform of the same values (rows 0, 1 and 3 of the training table,
        // with row 3's income missing and imputed by the median 2).
        let expected = try pre.transform(table.selectingRows([0, 1, 3]))
        XCTAssertEqual(result.features, expected)

        let ignoring = try fitted(.ignore).1.transform(batch, using: match)
        XCTAssertEqual(ignoring.acceptedRecords, [0, 1, 2, 6])
        XCTAssertEqual(Array(ignoring.features.scalars[2 * 5 + 3..<3 * 5]), [0, 0])
    }

    func testMissingColumnInScoringHeaderIsNamed() throws {
        let (_, pre) = try fitted()
        XCTAssertThrowsError(try pre.match(header: ["kind", "rooms"], source: "score.csv")) { error in
            XCTAssertEqual("\(error)", "score.csv, line 1: missing column 'income' required by the model (the header has: kind, rooms)")
        }
    }

    func testCodableRoundTripTransformsIdentically() throws {
        let (table, pre) = try fitted(.ignore)
        let data = try JSONEncoder().encode(pre)
        let decoded = try JSONDecoder().decode(TabularPreprocessor.self, from: data)
        XCTAssertEqual(decoded, pre)
        XCTAssertEqual(try decoded.transform(table), try pre.transform(table))
        let schema = table.schema
        XCTAssertEqual(try JSONDecoder().decode(TableSchema.self, from: JSONEncoder().encode(schema)), schema)
    }

    func testLatin1CategoriesMatchInBatchPath() throws {
        let train = try DataTestSupport.table("city,n\ncafé,1\nbar,2\n")
        let pre = try TabularPreprocessor(fittingOn: train)
        let bytes: [UInt8] = Array("city,n\ncaf".utf8) + [0xE9] + Array(",3\n".utf8)
        let reader = try CSVRecordReader(MemoryByteSource(bytes))
        let result = pre.transform(try XCTUnwrap(reader.nextBatch()), using: try pre.match(header: reader.columnNames))
        XCTAssertEqual(result.rejections, [])
        XCTAssertEqual(Array(result.features.scalars[1...]), [0, 1])  // city=bar, city=café
    }

    func testLogTargetRoundTrip() throws {
        let targets = [0.0, 14_999, 452_600, 500_001, 0.5]
        let forward = try TargetTransform.log1p.forward(targets)
        XCTAssertEqual(forward[2], log1p(452_600), accuracy: 1e-12)
        for (y, z) in zip(targets, forward) { XCTAssertEqual(TargetTransform.log1p.inverse(z), y, accuracy: y * 1e-12 + 1e-12) }
        XCTAssertEqual(try TargetTransform.identity.forward(targets), targets)
        XCTAssertThrowsError(try TargetTransform.log1p.forward([1, -1])) { error in
            XCTAssertEqual(error as? PreprocessingError, .targetOutOfDomain(index: 1, value: -1, transform: "log1p"))
        }
        let coded = try JSONDecoder().decode(TargetTransform.self, from: JSONEncoder().encode(TargetTransform.log1p))
        XCTAssertEqual(coded, .log1p)
    }

    func testTableColumnOperations() throws {
        var table = try DataTestSupport.table(csv)
        XCTAssertEqual(table.rowCount, 6)
        let target = try table.removeColumn(named: "target")
        XCTAssertEqual(target.numeric?.values, [10, 20, 30, 40, 50, 60])
        XCTAssertEqual(table.columnNames, ["rooms", "income", "kind"])
        XCTAssertNil(table["target"])
        let picked = try table.selectingRows([5, 0])
        XCTAssertEqual(picked["kind"]?.categorical?[0], "B")
        XCTAssertEqual(picked["rooms"]?.numeric?[0], nil)
        XCTAssertThrowsError(try table.selectingRows([6]))
        XCTAssertThrowsError(try table.column(named: "nope")) { error in
            XCTAssertEqual("\(error)", "no column 'nope'; the columns are: rooms, income, kind")
        }
        XCTAssertThrowsError(try Table(columns: [.numeric("a", NumericColumn(values: [1])), .numeric("b", NumericColumn(values: []))]))
    }
}
