import Foundation
import SolutionKit

/// What every plugin's bundle-safety tests share: a trained bundle of a recipe, saved in the test's folder and
/// checked to score before it is edited (so a refusal is the edit's doing), and the check that an edited bundle is
/// refused with an error naming the file and key.
public struct BundleSafetyHarness {
    public let plugin: any DomainPlugin
    public let fixture: ConformanceFixture
    /// A folder the test owns (and removes).
    public let folder: URL

    public init(_ plugin: any DomainPlugin, fixture: ConformanceFixture, folder: URL) {
        self.plugin = plugin
        self.fixture = fixture
        self.folder = folder
    }

    /// Saves a trained bundle of `recipe` in the folder and returns its path; throws when it does not score unedited.
    public func bundle(_ recipe: String) throws -> String {
        let path = folder.appendingPathComponent("bundle-\(recipe)").path
        try BundleEditing.saveTrainedBundle(plugin, fixture: fixture, recipe: recipe, to: path)
        if let refusal = BundleEditing.refusal(plugin, bundle: path, fixture: fixture) {
            throw InternalError("the unedited \(recipe) bundle must score, but: \(refusal)")
        }
        return path
    }

    /// Nil when the bundle at `path` is refused with an error containing every one of `parts`; else what went wrong.
    public func unmetRefusal(_ path: String, naming parts: [String]) -> String? {
        BundleEditing.unmetRefusal(plugin, bundle: path, fixture: fixture, naming: parts)
    }
}
