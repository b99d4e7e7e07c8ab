import Foundation
import SolutionKit

/// What a finished tune leaves beside its leaderboard: the winner's run folder `run/` (bundle, metrics, report),
/// the tune folder's own `report.html` (the winner's page, which opens with the leaderboard chart and the selection
/// section), and the winner's record in the run index, so `runs` lists tuned models and `runs best` can pick one.
enum TuneWinnerFolder {
    /// The folder inside a tune folder holding the winner trained on the whole training part.
    static let name = "run"

    /// Writes `run/` and `report.html` into `tuneFolder` and records the run under `indexRoot` (nil: not recorded).
    /// Returns the winner's folder.
    @discardableResult
    static func write(_ winner: RunFolder, into tuneFolder: URL, indexRoot: String?) throws -> URL {
        let environment = LauncherEnvironment.active
        let folder = tuneFolder.appendingPathComponent(name)
        try winner.write(at: folder)
        try winner.htmlReport(bundleLocation: "\(name)/bundle/ (in this tune folder)")
            .write(toFile: tuneFolder.appendingPathComponent("report.html").path)
        if let indexRoot {
            RunIndex.record(folder: folder.path, under: indexRoot, registry: environment.registry,
                            warn: { environment.standardError.write("warning: \($0)\n") })
        }
        return folder
    }

    /// The runs folder a `tune --collect` plan folder belongs to: `<runs>/<plugin>/<plan>` under a runs folder that
    /// already has an index. A plan kept anywhere else is not recorded (`runs --rebuild` adds one moved into place).
    static func runsFolder(ofPlan plan: URL, plugin: String) -> String? {
        let standardized = plan.standardizedFileURL
        let pluginFolder = standardized.deletingLastPathComponent()
        let root = pluginFolder.deletingLastPathComponent()
        guard pluginFolder.lastPathComponent == plugin,
              FileManager.default.fileExists(atPath: root.appendingPathComponent(RunIndex.fileName).path) else { return nil }
        return root.path
    }
}
