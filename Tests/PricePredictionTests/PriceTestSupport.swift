import Foundation
import SolutionKitConformance
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

    /// 400 sample rows to train on and four rows to score, with tiny training settings: the fixture of the
    /// conformance suite and of the bundle edit tests.
    static func conformanceFixture(_ test: XCTestCase) throws -> ConformanceFixture {
        let folder = try temporaryFolder(test)
        let training = folder.appendingPathComponent("train.csv")
        try write(try sampleSlice(rows: 400), to: training)
        return ConformanceFixture(
            trainingData: .file(training.path, options: ["target": "median_house_value"]),
            scoringInput: """
                id,longitude,latitude,housing_median_age,total_rooms,total_bedrooms,population,households,median_income,ocean_proximity
                a,-122.23,37.88,41,880,129,322,126,8.3252,NEAR BAY
                b,-118.3,34.2,20,2000,,1000,400,3.1,<1H OCEAN
                c,-121.9,37.4,30,1500,300,900,280,5.0,INLAND
                d,-117.1,32.7,15,3000,600,1600,580,2.5,NEAR OCEAN

                """,
            invalidRow: "e,-120,36,10,abc,100,300,90,4.0,INLAND",
            overrides: ["mlp": ["epochs=3"], "gbdt": ["num_iterations=20"]])
    }
}
