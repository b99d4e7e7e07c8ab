import Foundation
import PricePrediction
import XCTest

extension LauncherTestSupport {
    /// Trains price-prediction's ridge recipe on the shipped sample with `run` and returns the run folder.
    static func priceRun(in folder: URL, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let runs = folder.appendingPathComponent("runs")
        let trained = launch(["run", "price-prediction", "--recipe", "ridge", "--out", runs.path, "--quiet"],
                             plugins: [PricePredictionPlugin()])
        XCTAssertEqual(trained.status, 0, trained.standardError, file: file, line: line)
        return try XCTUnwrap(try FileManager.default.contentsOfDirectory(
            at: runs.appendingPathComponent("price-prediction"), includingPropertiesForKeys: nil).first)
    }
}
