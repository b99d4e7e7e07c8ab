import Foundation
import XCTest
@testable import SolutionKit

/// Helpers for the Data tests: in-memory CSV sources and the location of the shared datasets.
enum DataTestSupport {
    /// `../shared/datasets` relative to the package root (found from this file's path).
    static var datasetsFolder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Data
            .deletingLastPathComponent()  // SolutionKitTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .deletingLastPathComponent()
            .appendingPathComponent("shared/datasets")
    }

    /// The path of a dataset file, or an XCTSkip when the datasets are absent.
    static func datasetFile(_ relativePath: String) throws -> String {
        let url = datasetsFolder.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("dataset \(relativePath) not found under \(datasetsFolder.path)")
        }
        return url.path
    }

    /// CPU time of the whole process (all threads), a steadier figure than wall time on a shared machine.
    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// The resident memory of this process now, in bytes (Linux: /proc/self/statm).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    static func table(_ text: String, options: CSVOptions = CSVOptions(), name: String = "test.csv") throws -> Table {
        try Table(csv: MemoryByteSource(text, name: name), options: options)
    }

    static func table(bytes: [UInt8], options: CSVOptions = CSVOptions(), name: String = "test.csv") throws -> Table {
        try Table(csv: MemoryByteSource(bytes, name: name), options: options)
    }

    /// Every record of a stream, as strings.
    static func records(_ reader: CSVRecordReader, batchSize: Int = 3) throws -> [[String]] {
        var all: [[String]] = []
        while let batch = try reader.nextBatch(maxRecords: batchSize) {
            for r in 0..<batch.count { all.append(batch.strings(of: r)) }
        }
        return all
    }

    /// The CSVError thrown by `body`, failing the test when another error or none is thrown.
    static func csvError(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) -> CSVError? {
        do {
            try body()
            XCTFail("expected a CSVError", file: file, line: line)
        } catch let error as CSVError {
            return error
        } catch {
            XCTFail("expected a CSVError, got \(error)", file: file, line: line)
        }
        return nil
    }
}

/// Serves a header once and then a body repeated `count` times, without holding the repetition in memory.
final class RepeatingDataSource: ByteSource {
    let name: String
    private let header: [UInt8]
    private let body: [UInt8]
    private var remaining: Int
    private var part: [UInt8]
    private var offset = 0

    init(header: [UInt8], body: [UInt8], count: Int, name: String = "<repeated>") {
        self.header = header
        self.body = body
        self.remaining = count
        self.part = header
        self.name = name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var written = 0
        while written < buffer.count {
            if offset == part.count {
                guard remaining > 0 else { break }
                remaining -= 1
                part = body
                offset = 0
            }
            let n = min(buffer.count - written, part.count - offset)
            part.withUnsafeBytes { src in
                buffer.baseAddress!.advanced(by: written).copyMemory(from: src.baseAddress! + offset, byteCount: n)
            }
            offset += n
            written += n
        }
        return written
    }
}
