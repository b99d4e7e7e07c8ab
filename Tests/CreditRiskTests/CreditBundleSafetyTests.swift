import CreditRisk
import Foundation
import SolutionKit
import SolutionKitConformance
import XCTest

/// Edited credit bundles (checksums resealed) are refused with an error naming the file and key, never a crash or
/// an infinite score: the cases of issue 13, then random edits of every recipe.
final class CreditBundleSafetyTests: XCTestCase {
    let plugin = CreditRiskPlugin()

    func harness() throws -> BundleSafetyHarness {
        BundleSafetyHarness(plugin, fixture: try SyntheticCredit.conformanceFixture(self), folder: try CreditTestSupport.temporaryFolder(self))
    }

    func testACategoryBinOutOfRangeIsRefused() throws {
        let lab = try harness(), path = try lab.bundle("scorecard")
        let card = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: path + "/scorecard.json")))
        let entries = try XCTUnwrap(card["entries"]?.arrayValue)
        let categorical = try XCTUnwrap(entries.firstIndex { $0["binning"]?["isCategorical"] == .bool(true) },
                                        "the fixture's scorecard should select a categorical input")
        // Was: a trap indexing the points with bin 99.
        try BundleEditing.edit(bundle: path, file: "scorecard.json",
                               keyPath: ["entries", String(categorical), "binning", "binOfCategory", "0"], to: .value(.number(99)))
        XCTAssertNil(lab.unmetRefusal(path, naming: [path + "/scorecard.json", "entries.\(categorical).binning.binOfCategory.0"]))
    }

    func testANegativeOddsOrZeroPointsScaleIsRefused() throws {
        let lab = try harness(), path = try lab.bundle("logistic")
        let copy = path + "-pdo"
        try BundleEditing.copy(bundle: path, to: copy)
        // Were: NaN and infinite scores.
        try BundleEditing.edit(bundle: path, file: "decision.json", keyPath: ["scaling", "baseOdds"], to: .value(.number(-50)))
        XCTAssertNil(lab.unmetRefusal(path, naming: [path + "/decision.json", "scaling.baseOdds"]))
        try BundleEditing.edit(bundle: copy, file: "decision.json", keyPath: ["scaling", "pointsToDoubleOdds"], to: .value(.number(0)))
        XCTAssertNil(lab.unmetRefusal(copy, naming: [copy + "/decision.json", "scaling.pointsToDoubleOdds"]))
    }

    func testABaselineOfTheWrongLengthIsABundleErrorNotAnInternalOne() throws {
        let lab = try harness(), path = try lab.bundle("logistic")
        try BundleEditing.edit(bundle: path, file: "weights.json", keyPath: ["arrays", "0", "shape", "0"], to: .value(.number(1)))
        XCTAssertNil(lab.unmetRefusal(path, naming: [path + "/weights.json", "baseline"]))
    }

    func testRandomSingleFieldEditsOfEveryRecipeNeverCrash() throws {
        let report = BundleEditFuzzer.run(plugin, fixture: try SyntheticCredit.conformanceFixture(self),
                                          editsPerRecipe: BundleEditFuzzer.defaultEditsPerRecipe)
        print(report)
        XCTAssertTrue(report.isPassing, "\(report)")
        XCTAssertEqual(Set(report.edits.keys), ["gbdt", "logistic", "mlp", "scorecard"], "\(report)")
    }
}
