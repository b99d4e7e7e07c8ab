import Foundation
import XCTest
@testable import SolutionKit

/// `CSVRecordReader.shard`: only the records k with k mod N = I are handed out, with their line numbers in the
/// file, across block boundaries and multi-line quoted fields; the shards partition the records.
final class CSVShardTests: XCTestCase {
    func testRowShardValidatesAndPartitions() {
        XCTAssertNil(RowShard(index: 3, count: 3))
        XCTAssertNil(RowShard(index: -1, count: 3))
        XCTAssertNil(RowShard(index: 0, count: 0))
        XCTAssertTrue(RowShard.whole.isWhole)
        let shards = (0..<7).map { RowShard(index: $0, count: 7)! }
        for row in 0..<100 {
            XCTAssertEqual(shards.filter { $0.contains(row: row) }.map(\.index), [row % 7])
        }
    }

    func testShardsKeepLineNumbersAndPartitionTheRecords() throws {
        // Generated rows: some quoted fields span two lines, so line numbers and record numbers differ.
        let rows = 5_000
        let reader = try CSVRecordReader(GeneratedCSVSource(rows: rows), blockSize: 4096)
        var whole: [(line: Int, fields: [String])] = []
        while let batch = try reader.nextBatch(maxRecords: 333) {
            for r in 0..<batch.count { whole.append((batch.lineNumber(of: r), batch.strings(of: r))) }
        }
        XCTAssertEqual(whole.count, rows)
        for count in [1, 3, 7] {
            var seen = 0
            for index in 0..<count {
                let shardReader = try CSVRecordReader(GeneratedCSVSource(rows: rows), blockSize: 4096)
                shardReader.shard = RowShard(index: index, count: count)!
                XCTAssertEqual(shardReader.columnNames, ["id", "value", "label", "note"])
                var k = index
                while let batch = try shardReader.nextBatch(maxRecords: 100) {
                    for r in 0..<batch.count {
                        XCTAssertEqual(batch.lineNumber(of: r), whole[k].line, "shard \(index) of \(count), row \(k)")
                        XCTAssertEqual(batch.strings(of: r), whole[k].fields)
                        k += count
                        seen += 1
                    }
                }
                XCTAssertGreaterThanOrEqual(k, rows, "shard \(index) of \(count) stopped early")
            }
            XCTAssertEqual(seen, rows, "N = \(count)")
        }
    }

    /// Without a header the first record is data, and it is row 0 of shard 0.
    func testHeaderlessFileStartsAtRowZero() throws {
        let reader = try CSVRecordReader(MemoryByteSource("1,a\n2,b\n\n3,c\n4,d\n"), options: CSVOptions(hasHeader: false))
        reader.shard = RowShard(index: 0, count: 2)!
        XCTAssertEqual(try DataTestSupport.records(reader), [["1", "a"], ["3", "c"]])
        let second = try CSVRecordReader(MemoryByteSource("1,a\n2,b\n\n3,c\n4,d\n"), options: CSVOptions(hasHeader: false))
        second.shard = RowShard(index: 1, count: 2)!
        let batch = try XCTUnwrap(try second.nextBatch())
        XCTAssertEqual((0..<batch.count).map { batch.strings(of: $0) }, [["2", "b"], ["4", "d"]])
        XCTAssertEqual((0..<batch.count).map { batch.lineNumber(of: $0) }, [2, 5])
    }
}
