import Foundation
import Recommendation
import SolutionKit
import SolutionKitConformance
import XCTest

/// Edited recommendation bundles (checksums resealed) are refused with an error naming the file and key, never a
/// crash or NaN scores: the cases of issue 13, then random edits of every recipe.
final class RecommendationBundleSafetyTests: XCTestCase {
    let plugin = RecommendationPlugin()
    let fixture = RecommendationPluginTests.conformanceFixture()

    func bundle(_ recipe: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rec-bundle-safety-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bundle-\(recipe)").path
        try BundleEditing.saveTrainedBundle(plugin, fixture: fixture, recipe: recipe, to: path)
        XCTAssertNil(BundleEditing.refusal(plugin, bundle: path, fixture: fixture), "the unedited bundle must score")
        return path
    }

    func assertRefused(_ path: String, naming parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(BundleEditing.unmetRefusal(plugin, bundle: path, fixture: fixture, naming: parts), file: file, line: line)
    }

    func testFewerTitlesThanItemsIsRefused() throws {
        let path = try bundle("popularity")
        // Was: SIGSEGV in RecommendationScorer.row, reading a title past the end of the list.
        try BundleEditing.edit(bundle: path, file: "vocabulary.json", keyPath: ["titles", "0"], to: .remove)
        assertRefused(path, naming: [path + "/vocabulary.json", "titles"])
    }

    func testADuplicateUserIdIsRefused() throws {
        let path = try bundle("baseline")
        let vocabulary = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: path + "/vocabulary.json")))
        let first = try XCTUnwrap(vocabulary["users"]?.arrayValue?.first)
        // Was: "Fatal error: Duplicate values for key" building the id lookup.
        try BundleEditing.edit(bundle: path, file: "vocabulary.json", keyPath: ["users", "1"], to: .value(first))
        assertRefused(path, naming: [path + "/vocabulary.json", "users.1", "appears twice"])
    }

    func testANaNMeanIsRefused() throws {
        let path = try bundle("baseline")
        // Was: NaN predictions for every pair.
        try BundleEditing.setWeight(bundle: path, array: "mean", index: 0, to: .nan)
        assertRefused(path, naming: [path + "/weights.bin", "mean"])
    }

    func testAnEmptyRatingScaleIsRefused() throws {
        let path = try bundle("popularity")
        try BundleEditing.edit(bundle: path, file: "vocabulary.json", keyPath: ["scale", "maximum"], to: .value(.number(0)))
        assertRefused(path, naming: [path + "/vocabulary.json", "scale"])
    }

    func testRandomSingleFieldEditsOfEveryRecipeNeverCrash() throws {
        let report = BundleEditFuzzer.run(plugin, fixture: fixture, editsPerRecipe: BundleEditFuzzer.defaultEditsPerRecipe)
        print(report)
        XCTAssertTrue(report.isPassing, "\(report)")
        XCTAssertEqual(Set(report.edits.keys), Set(plugin.recipes.map(\.name)), "\(report)")
    }
}
