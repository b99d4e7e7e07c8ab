import Foundation
import PricePrediction
import SolutionKit
import SolutionKitConformance
import XCTest

/// Edited price bundles (checksums resealed, so only the loader's own checks stand between them and the model)
/// are refused with an error naming the file and key, never a crash: the cases of issue 13, then random edits.
final class PriceBundleSafetyTests: XCTestCase {
    let plugin = PricePredictionPlugin()

    func harness() throws -> BundleSafetyHarness {
        BundleSafetyHarness(plugin, fixture: try PriceTestSupport.conformanceFixture(self), folder: try PriceTestSupport.temporaryFolder(self))
    }

    func testADenseLayerOfHugeSizesIsRefusedBeforeAllocation() throws {
        let lab = try harness(), path = try lab.bundle("mlp")
        let copy = path + "-inputs"
        try BundleEditing.copy(bundle: path, to: copy)
        // Was: SIGSEGV in Dense.init.
        try BundleEditing.edit(bundle: copy, file: "network.json", keyPath: ["layers", "0", "dense", "inputs"],
                               to: .raw("9223372036854775807"))
        XCTAssertNil(lab.unmetRefusal(copy, naming: [copy + "/network.json", "layers.0.dense"]))
        // Was: an abort on allocating 10^9 × inputs weights.
        try BundleEditing.edit(bundle: path, file: "network.json", keyPath: ["layers", "0", "dense", "outputs"],
                               to: .raw("1000000000"))
        XCTAssertNil(lab.unmetRefusal(path, naming: [path + "/network.json", "layers.0.dense"]))
    }

    func testAZeroScaleOrANonFiniteMeanIsRefused() throws {
        let lab = try harness(), path = try lab.bundle("ridge")
        let copy = path + "-mean"
        try BundleEditing.copy(bundle: path, to: copy)
        // Were: inf and NaN predictions.
        try BundleEditing.edit(bundle: path, file: "preprocessing.json", keyPath: ["numericFeatures", "0", "scale"],
                               to: .value(.number(0)))
        XCTAssertNil(lab.unmetRefusal(path, naming: [path + "/preprocessing.json", "numericFeatures.0.scale"]))
        try BundleEditing.edit(bundle: copy, file: "preprocessing.json", keyPath: ["numericFeatures", "1", "mean"],
                               to: .raw("1e400"))
        // JSON has no NaN; the nearest a file can hold is a number no Double holds.
        XCTAssertNil(lab.unmetRefusal(copy, naming: [copy + "/preprocessing.json", "1e400 is not representable"]))
    }

    func testAFileThatIsASymbolicLinkIsNotFollowed() throws {
        let lab = try harness(), path = try lab.bundle("ridge")
        let target = path + "/target.json"
        try FileManager.default.removeItem(atPath: target)
        try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: "/etc/passwd")
        try BundleEditing.reseal(bundle: path)
        XCTAssertNil(lab.unmetRefusal(path, naming: [target, "symbolic link"]))
    }

    func testAFileHardLinkedOutsideTheBundleIsRefused() throws {
        let lab = try harness(), path = try lab.bundle("ridge")
        let inside = path + "/ridge.json", outside = path + "-ridge.json"
        try FileManager.default.moveItem(atPath: inside, toPath: outside)
        try FileManager.default.linkItem(atPath: outside, toPath: inside)
        XCTAssertNil(lab.unmetRefusal(path, naming: [inside, "hard links"]))
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
