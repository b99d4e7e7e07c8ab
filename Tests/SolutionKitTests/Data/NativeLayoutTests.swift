import SolutionKit
import XCTest

/// The native layout for tree learners: raw numbers, NaN for missing, one column of category positions.
final class NativeLayoutTests: XCTestCase {
    private let csv = "size,colour,price\n10,red,1\n,blue,2\n30,,3\n40,red,4\n"

    func testTableTransformKeepsRawValuesAndMissing() throws {
        let table = try Table(csv: MemoryByteSource(csv, name: "t.csv"))
        let features = try table.takingColumn(named: "price").table
        let pre = try TabularPreprocessor(fittingOn: features, layout: .native)
        XCTAssertEqual(pre.featureNames, ["size", "colour"])
        XCTAssertEqual(pre.categoricalFeatureIndices, [1])
        let x = try pre.transform(features)
        XCTAssertEqual(x.shape, [4, 2])
        // Categories are sorted: blue = 0, red = 1.
        XCTAssertEqual(x.scalars[0], 10)
        XCTAssertEqual(x.scalars[1], 1)
        XCTAssertTrue(x.scalars[2].isNaN)
        XCTAssertEqual(x.scalars[3], 0)
        XCTAssertEqual(x.scalars[4], 30)
        XCTAssertTrue(x.scalars[5].isNaN)
    }

    func testBatchPathMatchesTablePath() throws {
        let table = try Table(csv: MemoryByteSource(csv, name: "t.csv"))
        let features = try table.takingColumn(named: "price").table
        let pre = try TabularPreprocessor(fittingOn: features, unseenCategories: .ignore, layout: .native)
        let reader = try CSVRecordReader(MemoryByteSource("colour,size\nred,10\nblue,\n,30\ngreen,5\n", name: "s.csv"))
        let match = try pre.match(header: reader.columnNames)
        let batch = try XCTUnwrap(try reader.nextBatch())
        let out = pre.transform(batch, using: match)
        XCTAssertEqual(out.acceptedRecords, [0, 1, 2, 3])
        let v = out.features.scalars
        XCTAssertEqual(v[0], 10); XCTAssertEqual(v[1], 1)
        XCTAssertTrue(v[2].isNaN); XCTAssertEqual(v[3], 0)
        XCTAssertEqual(v[4], 30); XCTAssertTrue(v[5].isNaN)
        // An unseen category under `ignore` is treated as missing.
        XCTAssertEqual(v[6], 5); XCTAssertTrue(v[7].isNaN)
    }

    func testLayoutSurvivesCoding() throws {
        let table = try Table(csv: MemoryByteSource(csv, name: "t.csv"))
        let pre = try TabularPreprocessor(fittingOn: try table.takingColumn(named: "price").table, layout: .native)
        let decoded = try JSONDecoder().decode(TabularPreprocessor.self, from: try JSONEncoder().encode(pre))
        XCTAssertEqual(decoded.layout, .native)
        XCTAssertEqual(decoded.featureNames, pre.featureNames)
    }
}
