import Foundation
import XCTest
@testable import SolutionKit

/// Produces generated CSV text lazily, so a large input streams without ever existing in memory.
final class GeneratedCSVSource: ByteSource {
    let name = "<generated>"
    private let rows: Int
    private var row = -1
    private var pending: [UInt8] = []
    private var offset = 0
    static let header = "id,value,label,note\r\n"

    init(rows: Int) { self.rows = rows }

    static func line(_ i: Int) -> String {
        let value = i % 7 == 0 ? "NA" : String(Double(i) * 0.25 - 100)
        let label = ["A", "B", "C, with comma", "D \"quoted\""][i % 4]
        let note = i % 5 == 0 ? "\"two\nlines\"" : "n\(i % 3)"
        let quotedLabel = label.contains(",") || label.contains("\"") ? "\"" + label.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : label
        return "\(i),\(value),\(quotedLabel),\(note)\r\n"
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var written = 0
        while written < buffer.count {
            if offset == pending.count {
                row += 1
                guard row <= rows else { break }
                pending = Array((row == 0 ? Self.header : Self.line(row - 1)).utf8)
                offset = 0
            }
            let n = min(buffer.count - written, pending.count - offset)
            pending.withUnsafeBytes { src in
                buffer.baseAddress!.advanced(by: written).copyMemory(from: src.baseAddress! + offset, byteCount: n)
            }
            offset += n
            written += n
        }
        return written
    }
}

final class CSVStreamingTests: XCTestCase {
    /// A small block size forces records (including quoted newlines and CRLF pairs) to straddle block boundaries.
    func testMultiBlockStreamEqualsWholeRead() throws {
        let rowCount = 2_000
        let whole = try DataTestSupport.records(CSVRecordReader(GeneratedCSVSource(rows: rowCount), blockSize: 1 << 22),
                                                batchSize: 1 << 20)
        for blockSize in [16, 37, 1000] {
            let reader = try CSVRecordReader(GeneratedCSVSource(rows: rowCount), blockSize: blockSize)
            XCTAssertEqual(reader.columnNames, ["id", "value", "label", "note"])
            var streamed: [[String]] = []
            var lines: [Int] = []
            while let batch = try reader.nextBatch(maxRecords: 97) {
                XCTAssertLessThanOrEqual(batch.count, 97)
                for r in 0..<batch.count {
                    streamed.append(batch.strings(of: r))
                    lines.append(batch.lineNumber(of: r))
                }
            }
            XCTAssertEqual(streamed, whole, "block size \(blockSize)")
            // Line numbers advance by 2 after each row whose note holds a newline (every 5th row).
            XCTAssertEqual(lines[0], 2)
            XCTAssertEqual(lines[1], 4)
            XCTAssertEqual(lines[2], 5)
        }
        XCTAssertEqual(whole.count, rowCount)
        XCTAssertEqual(whole[2], ["2", "-99.5", "C, with comma", "n2"])
        XCTAssertEqual(whole[3], ["3", "-99.25", "D \"quoted\"", "n0"])
        XCTAssertEqual(whole[5][3], "two\nlines")
        // The whole-table reader agrees with the stream.
        let table = try Table(csv: GeneratedCSVSource(rows: rowCount))
        XCTAssertEqual(table.rowCount, rowCount)
        let value = try table.numericColumn(named: "value")
        XCTAssertEqual(value.missingCount, (rowCount + 6) / 7)
        XCTAssertEqual(value[1], -99.75)
        XCTAssertEqual(table["label"]?.categorical?.categories.count, 4)
    }

    func testHeaderOnlyStreamsNoBatchAndEmptyInputFails() throws {
        let reader = try CSVRecordReader(MemoryByteSource("a,b\r\n"))
        XCTAssertEqual(reader.columnNames, ["a", "b"])
        XCTAssertNil(try reader.nextBatch())
        XCTAssertThrowsError(try CSVRecordReader(MemoryByteSource("", name: "in.csv"))) { error in
            XCTAssertEqual(error as? CSVError, .emptyInput(file: "in.csv"))
        }
    }

    func testRecordLongerThanTheBlockAndNoHeader() throws {
        let long = String(repeating: "x", count: 5_000)
        let text = "\"\(long)\nmore\",1\n2,3\n"
        let reader = try CSVRecordReader(MemoryByteSource(text), options: CSVOptions(hasHeader: false), blockSize: 64)
        XCTAssertEqual(reader.columnNames, ["col1", "col2"])
        XCTAssertEqual(try DataTestSupport.records(reader), [["\(long)\nmore", "1"], ["2", "3"]])
    }

    func testRaggedRecordsAreKeptForTheCallerToReject() throws {
        let reader = try CSVRecordReader(MemoryByteSource("a,b\n1\n1,2,3\n"))
        let batch = try XCTUnwrap(reader.nextBatch())
        XCTAssertEqual([batch.fieldCount(of: 0), batch.fieldCount(of: 1)], [1, 3])
    }

    /// About a million California rows (the file repeated 49 times, served lazily) stream through small batches
    /// with every numeric field parsed: the scoring path's reading cost (release run only).
    func testMillionRowsStreamInBatches() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        let path = try DataTestSupport.datasetFile("california-housing/housing.csv")
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let headerEnd = bytes.firstIndex(of: 0x0A)! + 1
        let copies = 49
        let source = RepeatingDataSource(header: Array(bytes[..<headerEnd]), body: Array(bytes[headerEnd...]), count: copies)
        let reader = try CSVRecordReader(source, blockSize: 1 << 16)
        var records = 0
        var missing = 0
        var sum = 0.0
        let start = Date()
        let cpuStart = DataTestSupport.processCPUSeconds()
        let residentBefore = DataTestSupport.residentBytes()
        var residentPeak = residentBefore
        while let batch = try reader.nextBatch(maxRecords: 4096) {
            residentPeak = max(residentPeak, DataTestSupport.residentBytes())
            for r in 0..<batch.count {
                for f in 0..<9 {
                    if batch.isMissing(f, of: r) { missing += 1 } else { sum += batch.double(f, of: r)! }
                }
            }
            records += batch.count
        }
        let cpu = DataTestSupport.processCPUSeconds() - cpuStart
        let megabytes = Double((bytes.count - headerEnd) * copies) / 1e6
        print("streamed \(records) rows (\(Int(megabytes)) MB) in \(String(format: "%.2f", Date().timeIntervalSince(start))) s wall, "
              + "\(String(format: "%.2f", cpu)) s CPU (\(Int(megabytes / cpu)) MB/s per core)")
        print("resident memory grew by \((residentPeak - residentBefore) / 1_000_000) MB while streaming")
        // Bounded memory: one 64 KiB block and one batch of 4,096 records, whatever the input size (69 MB here).
        XCTAssertLessThan(residentPeak - residentBefore, 16_000_000)
        XCTAssertEqual(records, 20_640 * copies)
        XCTAssertEqual(missing, 207 * copies)
        XCTAssertTrue(sum.isFinite)
    }

    /// The same million rows through the fitted preprocessing, batch by batch, as `launcher score` does it.
    func testMillionRowsThroughPreprocessing() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        let path = try DataTestSupport.datasetFile("california-housing/housing.csv")
        var table = try Table(csvFile: path)
        try table.removeColumn(named: "median_house_value")
        let pre = try TabularPreprocessor(fittingOn: table, rows: TrainTestSplit.byRowIndex(rowCount: table.rowCount).train)
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let headerEnd = bytes.firstIndex(of: 0x0A)! + 1
        let copies = 49
        let reader = try CSVRecordReader(RepeatingDataSource(header: Array(bytes[..<headerEnd]), body: Array(bytes[headerEnd...]), count: copies),
                                         blockSize: 1 << 16)
        let match = try pre.match(header: reader.columnNames)
        var rows = 0
        var checksum: Float = 0
        let start = Date()
        let cpuStart = DataTestSupport.processCPUSeconds()
        while let batch = try reader.nextBatch(maxRecords: 4096) {
            let result = pre.transform(batch, using: match)
            XCTAssertEqual(result.rejections.count, 0)
            rows += result.acceptedRecords.count
            checksum += result.features.scalars[0]
        }
        let cpu = DataTestSupport.processCPUSeconds() - cpuStart
        print("preprocessed \(rows) streamed rows in \(String(format: "%.2f", Date().timeIntervalSince(start))) s wall, "
              + "\(String(format: "%.2f", cpu)) s CPU (\(Int(Double(rows) / cpu)) rows/s)")
        XCTAssertEqual(rows, 20_640 * copies)
        XCTAssertTrue(checksum.isFinite)
    }
}
