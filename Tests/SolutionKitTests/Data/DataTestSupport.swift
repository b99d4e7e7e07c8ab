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
