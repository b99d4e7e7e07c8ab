import Foundation
import XCTest

/// Files for the price-prediction tests: the shipped sample, temporary folders, and the shared datasets.
enum PriceTestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var samplePath: String { packageRoot.appendingPathComponent("samples/price-prediction/housing-sample.csv").path }

    /// The shared California file, or a skip when the shared datasets are absent.
    static func californiaPath() throws -> String {
        let path = packageRoot.appendingPathComponent("../shared/datasets/california-housing/housing.csv").standardized.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("../shared/datasets/california-housing is absent")
        }
        return path
    }

    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("price-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    /// The first `rows` data lines of the sample, with its header.
    static func sampleSlice(rows: Int) throws -> String {
        let lines = try String(contentsOfFile: samplePath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        return lines.prefix(rows + 1).joined(separator: "\n") + "\n"
    }
}
