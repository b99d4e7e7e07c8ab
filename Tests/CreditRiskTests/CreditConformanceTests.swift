import CreditRisk
import SolutionKit
import SolutionKitConformance
import XCTest

/// The plugin honours the whole plugin contract, checked by the suite every plugin must pass.
final class CreditConformanceTests: XCTestCase {
    func testCreditRiskPassesTheConformanceSuite() throws {
        let report = ConformanceSuite.run(CreditRiskPlugin(), fixture: try SyntheticCredit.conformanceFixture(self))
        XCTAssertTrue(report.isPassing, "\(report)")
        for recipe in ["scorecard", "logistic", "gbdt", "mlp"] {
            XCTAssertTrue(report.passed.contains("bundle round trip [\(recipe)]"), "\(report)")
            XCTAssertTrue(report.passed.contains("same seed gives identical weight files [\(recipe)]"), "\(report)")
        }
        XCTAssertTrue(report.passed.contains("scorer rejects a bad row with a reason"), "\(report)")
        XCTAssertTrue(report.passed.contains("dataset sample loads"), "\(report)")
    }
}
