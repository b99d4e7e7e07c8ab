import PricePrediction
import SolutionKit
import SolutionKitConformance
import XCTest

/// The price-prediction plugin honours the whole plugin contract, checked by the shared suite.
final class PriceConformanceTests: XCTestCase {
    func testPassesTheConformanceSuite() throws {
        let fixture = try PriceTestSupport.conformanceFixture(self)
        let report = ConformanceSuite.run(PricePredictionPlugin(), fixture: fixture)
        XCTAssertTrue(report.isPassing, "\(report)")
        for recipe in ["gbdt", "mlp", "ridge"] {
            XCTAssertTrue(report.passed.contains("bundle round trip [\(recipe)]"), "\(report)")
        }
        XCTAssertTrue(report.passed.contains("scorer rejects a bad row with a reason"), "\(report)")
        XCTAssertTrue(report.passed.contains("dataset sample loads"), "\(report)")
    }
}
