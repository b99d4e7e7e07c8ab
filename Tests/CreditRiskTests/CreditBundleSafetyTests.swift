import CreditRisk
import Foundation
import SolutionKit
import SolutionKitConformance
import XCTest

/// Edited credit bundles (checksums resealed) are refused with an error naming the file and key, never a crash or
/// an infinite score: the cases of issue 13, then random edits of every recipe.
final class CreditBundleSafetyTests: XCTestCase {
    let plugin = CreditRiskPlugin()

    func bundle(_ recipe: String) throws -> (path: String, fixture: ConformanceFixture) {
        let fixture = try SyntheticCredit.conformanceFixture(self)
        let path = try CreditTestSupport.temporaryFolder(self).appendingPathComponent("bundle-\(recipe)").path
        try BundleEditing.saveTrainedBundle(plugin, fixture: fixture, recipe: recipe, to: path)
        XCTAssertNil(BundleEditing.refusal(plugin, bundle: path, fixture: fixture), "the unedited bundle must score")
        return (path, fixture)
    }

    func assertRefused(_ path: String, _ fixture: ConformanceFixture, naming parts: [String],
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(BundleEditing.unmetRefusal(plugin, bundle: path, fixture: fixture, naming: parts), file: file, line: line)
    }

    func testACategoryBinOutOfRangeIsRefused() throws {
        let (path, fixture) = try bundle("scorecard")
        let card = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: path + "/scorecard.json")))
        let entries = try XCTUnwrap(card["entries"]?.arrayValue)
        let categorical = try XCTUnwrap(entries.firstIndex { $0["binning"]?["isCategorical"] == .bool(true) },
                                        "the fixture's scorecard should select a categorical input")
        // Was: a trap indexing the points with bin 99.
        try BundleEditing.edit(bundle: path, file: "scorecard.json",
                               keyPath: ["entries", String(categorical), "binning", "binOfCategory", "0"], to: .value(.number(99)))
        assertRefused(path, fixture, naming: [path + "/scorecard.json", "entries.\(categorical).binning.binOfCategory.0"])
    }

    func testANegativeOddsOrZeroPointsScaleIsRefused() throws {
        let (path, fixture) = try bundle("logistic")
        let copy = path + "-pdo"
        try BundleEditing.copy(bundle: path, to: copy)
        // Were: NaN and infinite scores.
        try BundleEditing.edit(bundle: path, file: "decision.json", keyPath: ["scaling", "baseOdds"], to: .value(.number(-50)))
        assertRefused(path, fixture, naming: [path + "/decision.json", "scaling.baseOdds"])
        try BundleEditing.edit(bundle: copy, file: "decision.json", keyPath: ["scaling", "pointsToDoubleOdds"], to: .value(.number(0)))
        assertRefused(copy, fixture, naming: [copy + "/decision.json", "scaling.pointsToDoubleOdds"])
    }

    func testABaselineOfTheWrongLengthIsABundleErrorNotAnInternalOne() throws {
        let (path, fixture) = try bundle("logistic")
        try BundleEditing.edit(bundle: path, file: "weights.json", keyPath: ["arrays", "0", "shape", "0"], to: .value(.number(1)))
        assertRefused(path, fixture, naming: [path + "/weights.json", "baseline"])
    }

    func testRandomSingleFieldEditsOfEveryRecipeNeverCrash() throws {
        let report = BundleEditFuzzer.run(plugin, fixture: try SyntheticCredit.conformanceFixture(self),
                                          editsPerRecipe: BundleEditFuzzer.defaultEditsPerRecipe)
        print(report)
        XCTAssertTrue(report.isPassing, "\(report)")
        XCTAssertEqual(Set(report.edits.keys), ["gbdt", "logistic", "mlp", "scorecard"], "\(report)")
    }
}
