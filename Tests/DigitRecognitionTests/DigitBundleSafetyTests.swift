import DigitRecognition
import Foundation
import SolutionKit
import SolutionKitConformance
import XCTest

/// Edited digit bundles (checksums resealed) are refused with an error naming the file and key, never a crash:
/// layer sizes are believed only when the stored weights back them, then random edits of every recipe.
final class DigitBundleSafetyTests: XCTestCase {
    let plugin = DigitRecognitionPlugin()

    func testConvolutionSizesMustMatchTheStoredWeights() throws {
        let fixture = try DigitTestSupport.conformanceFixture(self)
        let path = try DigitTestSupport.temporaryFolder(self).appendingPathComponent("bundle-cnn").path
        try BundleEditing.saveTrainedBundle(plugin, fixture: fixture, recipe: "cnn", to: path)
        XCTAssertNil(BundleEditing.refusal(plugin, bundle: path, fixture: fixture))
        let copy = path + "-side"
        try BundleEditing.copy(bundle: path, to: copy)
        try BundleEditing.edit(bundle: path, file: "network.json", keyPath: ["layers", "0", "conv2D", "filters"],
                               to: .raw("1000000000"))
        let message = try XCTUnwrap(BundleEditing.refusal(plugin, bundle: path, fixture: fixture))
        XCTAssertTrue(message.contains(path + "/network.json") && message.contains("layers.0.conv2D"), message)
        try BundleEditing.edit(bundle: copy, file: "input.json", keyPath: ["height"], to: .raw("9223372036854775807"))
        let side = try XCTUnwrap(BundleEditing.refusal(plugin, bundle: copy, fixture: fixture))
        XCTAssertTrue(side.contains(copy + "/input.json") && side.contains("key height"), side)
    }

    func testRandomSingleFieldEditsOfEveryRecipeNeverCrash() throws {
        let report = BundleEditFuzzer.run(plugin, fixture: try DigitTestSupport.conformanceFixture(self),
                                          editsPerRecipe: BundleEditFuzzer.defaultEditsPerRecipe)
        print(report)
        XCTAssertTrue(report.isPassing, "\(report)")
        XCTAssertEqual(Set(report.edits.keys), ["cnn", "cnn-deep", "mlp"], "\(report)")
    }
}
