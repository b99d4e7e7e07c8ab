import Foundation
import SolutionKit

/// A verified bundle with its plugin's batch scorer: what `launcher score` and `launcher serve` both score with,
/// so the two give the same bytes for the same rows.
///
/// `@unchecked Sendable`: every field is set once at load and never changed; a scorer reads its model and writes
/// only to the sinks of the call, so passes may run at the same time on different threads.
public final class ScorableModel: @unchecked Sendable {
    public let path: String
    public let bundle: ModelBundle
    public let scorer: any BatchScorer

    private init(path: String, bundle: ModelBundle, scorer: any BatchScorer) {
        self.path = path
        self.bundle = bundle
        self.scorer = scorer
    }

    /// Loads and verifies the bundle at `path`, finds its plugin in `registry` and builds the plugin's scorer.
    public static func load(from path: String, registry: PluginRegistry) throws -> ScorableModel {
        let bundle = try ModelBundle.load(from: path)
        let plugin = try registry.plugin(bundle.manifest.plugin.id)
        return ScorableModel(path: path, bundle: bundle, scorer: try plugin.scorer(for: bundle))
    }

    /// One pass over bytes held in memory (a request body). `output` and `rejects` are exactly what
    /// `launcher score` writes to `--output` and `--rejects` for the same bytes and options.
    public func score(_ bytes: [UInt8], name: String, options: ScoringOptions) throws -> ScoredBytes {
        let output = OutputSink.memory(name: name)
        let rejects = OutputSink.memory(name: name + " rejects")
        let summary = try scorer.score(MemoryByteSource(bytes, name: name), into: output, rejects: rejects, options: options)
        guard summary.isBalanced else {
            throw InternalError("rows read (\(summary.rowsRead)) != rows scored (\(summary.rowsScored)) + rows rejected (\(summary.rowsRejected))")
        }
        try output.commit()
        try rejects.commit()
        return ScoredBytes(output: output.collectedBytes, rejects: rejects.collectedBytes, summary: summary)
    }
}

/// The outputs of one in-memory scoring pass.
public struct ScoredBytes: Sendable {
    /// Scored rows, with the header line a CSV output has.
    public var output: [UInt8]
    /// Rejected rows as CSV with a header (`line,reason`, or the plugin's columns), possibly just the header.
    public var rejects: [UInt8]
    public var summary: ScoringSummary
}
