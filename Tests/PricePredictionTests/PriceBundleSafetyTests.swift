import Foundation
import PricePrediction
import SolutionKit
import SolutionKitConformance
import XCTest

/// Edited price bundles (checksums resealed, so only the loader's own checks stand between them and the model)
/// are refused with an error naming the file and key, never a crash: the cases of issue 13, then random edits.
final class PriceBundleSafetyTests: XCTestCase {
    let plugin = PricePredictionPlugin()

    func bundle(_ recipe: String) throws -> (path: String, fixture: ConformanceFixture) {
        let fixture = try PriceTestSupport.conformanceFixture(self)
        let path = try PriceTestSupport.temporaryFolder(self).appendingPathComponent("bundle-\(recipe)").path
        try BundleEditing.saveTrainedBundle(plugin, fixture: fixture, recipe: recipe, to: path)
        XCTAssertNil(BundleEditing.refusal(plugin, bundle: path, fixture: fixture), "the unedited bundle must score")
        return (path, fixture)
    }

    func assertRefused(_ path: String, _ fixture: ConformanceFixture, naming parts: [String],
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(BundleEditing.unmetRefusal(plugin, bundle: path, fixture: fixture, naming: parts), file: file, line: line)
    }

    func testADenseLayerOfHugeSizesIsRefusedBeforeAllocation() throws {
        let (path, fixture) = try bundle("mlp")
        let copy = path + "-inputs"
        try BundleEditing.copy(bundle: path, to: copy)
        // Was: SIGSEGV in Dense.init.
        try BundleEditing.edit(bundle: copy, file: "network.json", keyPath: ["layers", "0", "dense", "inputs"],
                               to: .raw("9223372036854775807"))
        assertRefused(copy, fixture, naming: [copy + "/network.json", "layers.0.dense"])
        // Was: an abort on allocating 10^9 × inputs weights.
        try BundleEditing.edit(bundle: path, file: "network.json", keyPath: ["layers", "0", "dense", "outputs"],
                               to: .raw("1000000000"))
        assertRefused(path, fixture, naming: [path + "/network.json", "layers.0.dense"])
    }

    func testAZeroScaleOrANonFiniteMeanIsRefused() throws {
        let (path, fixture) = try bundle("ridge")
        let copy = path + "-mean"
        try BundleEditing.copy(bundle: path, to: copy)
        // Were: inf and NaN predictions.
        try BundleEditing.edit(bundle: path, file: "preprocessing.json", keyPath: ["numericFeatures", "0", "scale"],
                               to: .value(.number(0)))
        assertRefused(path, fixture, naming: [path + "/preprocessing.json", "numericFeatures.0.scale"])
        try BundleEditing.edit(bundle: copy, file: "preprocessing.json", keyPath: ["numericFeatures", "1", "mean"],
                               to: .raw("1e400"))
        // JSON has no NaN; the nearest a file can hold is a number no Double holds.
        assertRefused(copy, fixture, naming: [copy + "/preprocessing.json", "1e400 is not representable"])
    }

    func testAFileThatIsASymbolicLinkIsNotFollowed() throws {
        let (path, fixture) = try bundle("ridge")
        let target = path + "/target.json"
        try FileManager.default.removeItem(atPath: target)
        try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: "/etc/passwd")
        try BundleEditing.reseal(bundle: path)
        assertRefused(path, fixture, naming: [target, "symbolic link"])
    }

    func testAFileHardLinkedOutsideTheBundleIsRefused() throws {
        let (path, fixture) = try bundle("ridge")
        let inside = path + "/ridge.json", outside = path + "-ridge.json"
        try FileManager.default.moveItem(atPath: inside, toPath: outside)
        try FileManager.default.linkItem(atPath: outside, toPath: inside)
        assertRefused(path, fixture, naming: [inside, "hard links"])
    }

    func testRandomSingleFieldEditsOfEveryRecipeNeverCrash() throws {
        let report = BundleEditFuzzer.run(plugin, fixture: try PriceTestSupport.conformanceFixture(self),
                                          editsPerRecipe: BundleEditFuzzer.defaultEditsPerRecipe)
        print(report)
        XCTAssertTrue(report.isPassing, "\(report)")
        XCTAssertEqual(Set(report.edits.keys), ["gbdt", "mlp", "ridge"], "\(report)")
        XCTAssertGreaterThan(report.refused, 0, "\(report)")
    }
}
