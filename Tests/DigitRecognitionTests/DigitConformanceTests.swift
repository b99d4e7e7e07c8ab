import Foundation
import SolutionKit
import SolutionKitConformance
import XCTest
@testable import DigitRecognition

/// The plugin honours the whole contract, on a 40-image folder and one epoch per recipe.
final class DigitConformanceTests: XCTestCase {
    func testPassesTheConformanceSuite() throws {
        let fixture = try DigitTestSupport.conformanceFixture(self)
        let report = ConformanceSuite.run(DigitRecognitionPlugin(), fixture: fixture)
        XCTAssertTrue(report.isPassing, "\(report)")
        for recipe in ["cnn", "cnn-deep", "mlp"] {
            XCTAssertTrue(report.passed.contains("same seed gives identical weight files [\(recipe)]"), "\(report)")
            XCTAssertTrue(report.passed.contains("bundle round trip [\(recipe)]"), "\(report)")
        }
        XCTAssertTrue(report.passed.contains("dataset sample loads"), "\(report)")
    }
}
