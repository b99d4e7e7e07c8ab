import CreditRisk
import SolutionKit
import SolutionKitConformance
import XCTest

/// The plugin honours the whole plugin contract, checked by the suite every plugin must pass.
final class CreditConformanceTests: XCTestCase {
    func fixture() throws -> ConformanceFixture {
        let path = try SyntheticCredit.file(self)
        return ConformanceFixture(
            trainingData: .file(path, options: ["target": "bad"]),
            scoringInput: "id,income,age,purpose,housing\nx1,2500,40,car,own\nx2,1200,22,cash,rent\nx3,,35,education,free\nx4,4100,61,furniture,own\n",
            invalidRow: "x5,lots,30,car,own", overrides: ["gbdt": ["rounds=20"], "mlp": ["epochs=3"]])
    }

    func testCreditRiskPassesTheConformanceSuite() throws {
        let report = ConformanceSuite.run(CreditRiskPlugin(), fixture: try fixture())
        XCTAssertTrue(report.isPassing, "\(report)")
        for recipe in ["scorecard", "logistic", "gbdt", "mlp"] {
            XCTAssertTrue(report.passed.contains("bundle round trip [\(recipe)]"), "\(report)")
            XCTAssertTrue(report.passed.contains("same seed gives identical weight files [\(recipe)]"), "\(report)")
        }
        XCTAssertTrue(report.passed.contains("scorer rejects a bad row with a reason"), "\(report)")
        XCTAssertTrue(report.passed.contains("dataset sample loads"), "\(report)")
    }
}
