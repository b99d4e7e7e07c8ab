import ArgumentParser
import Foundation
import SolutionKit

extension ScoringFormat: ExpressibleByArgument {}

/// `launcher score`: streams rows through a saved model. Outputs are atomic: on failure none is left.
/// The summary goes to stderr so stdout can be a pipe.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score", abstract: "Score a file (or stdin) with a saved model bundle, streaming.",
        discussion: "Bad rows go to --rejects as line,reason; rows read = rows scored + rows rejected is checked.")

    @Option(help: "The model bundle folder.")
    var model: String

    @Option(help: "The input file, - for standard input, or a folder when the plugin scores folders (e.g. images).")
    var input: String

    @Option(help: "The output file, or - for standard output.")
    var output: String

    @Option(help: "Where rejected rows go (line number and reason).")
    var rejects: String?

    @Option(help: "csv or jsonl.")
    var format: ScoringFormat = .csv

    @Option(name: .customLong("option"), help: ArgumentHelp("A scoring option key=value for the plugin (repeatable).", valueName: "key=value"))
    var scoringOptions: [String] = []

    @OptionGroup(title: "Sharding")
    var sharding: ShardOptions

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if rejects == "-" && output == "-" { throw ValidationError("--rejects and --output cannot both be standard output") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        let environment = LauncherEnvironment.active
        // By device and inode, not spelling: an output renamed over the input would destroy it, and two outputs
        // on one file would leave a mix. Standard streams redirected from or to a file count as that file.
        var named: [(flag: String, path: String, standardDescriptor: Int32?)] = [("--input", input, STDIN_FILENO),
                                                                               ("--output", output, STDOUT_FILENO)]
        if let rejects { named.append(("--rejects", rejects, STDOUT_FILENO)) }
        try DistinctFiles.check(named)
        if let threads { Parallelism.threadCount = threads }
        // Every scorer keeps the cores busy from here on (tables built in parallel, then batches); OpenBLAS's
        // workers spinning idle since start-up would only take cores from it. They restart on the next BLAS call.
        IdleBLASThreads.stop()
        let scorable = try ScorableModel.load(from: model, registry: environment.registry)
        let scorer = scorable.scorer
        guard sharding.shard.isWhole || scorer.supportsSharding else {
            throw ValidationError("the \(scorable.bundle.manifest.plugin.id) scorer cannot read a shard of its input; split the file instead of --shard-count")
        }
        let options = ScoringOptions(format: format, values: try parseKeyValues(scoringOptions, flag: "--option"),
                                     shard: sharding.shard)
        let progress = environment.progressReporter(quiet: quiet)
        let source = ProgressByteSource(try ScoreInput.open(input, for: scorer), path: input, progress: progress)
        let outputSink = try OutputSink.file(atomicallyAt: output)
        let rejectsSink: OutputSink?
        do {
            rejectsSink = try rejects.map { try OutputSink.file(atomicallyAt: $0) }
        } catch {
            outputSink.discard()
            throw error
        }
        let summary: ScoringSummary
        do {
            summary = try scorer.score(source, into: outputSink, rejects: rejectsSink, options: options)
            guard summary.isBalanced else {
                throw InternalError("rows read (\(summary.rowsRead)) != rows scored (\(summary.rowsScored)) + rows rejected (\(summary.rowsRejected)); no output was kept")
            }
            // Everything written first (standard output may be a closed pipe), then both renamed, so a failure
            // leaves neither file rather than rejects without their output.
            try outputSink.flush()
            try rejectsSink?.flush()
            try outputSink.commit()
            try rejectsSink?.commit()
            progress.finish()
        } catch {
            outputSink.discard()
            rejectsSink?.discard()
            throw error
        }
        guard !quiet else { return }
        var text = "rows read \(summary.rowsRead) = scored \(summary.rowsScored) + rejected \(summary.rowsRejected)\n"
        if !sharding.shard.isWhole { text += "note: \(sharding.shard): rows read counts this shard's rows only\n" }
        for note in summary.notes { text += "note: \(note)\n" }
        if summary.rowsRejected > 0 && rejects == nil {
            text += "note: \(summary.rowsRejected) rejected rows were dropped; give --rejects FILE to keep them with their reasons\n"
        }
        environment.standardError.write(text)
    }
}
