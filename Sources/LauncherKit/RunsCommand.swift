import ArgumentParser
import Foundation
import SolutionKit

/// `launcher runs`: the run history, from the run index over the run folders.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List, sort, compare and pick runs from the run history.",
        discussion: "The history is an SQLite index (<runs folder>/index.sqlite) that run, evaluate and tune keep up to date; "
            + "the run folders stay the source of truth, and --rebuild recreates the index from them.",
        subcommands: [RunsListCommand.self, RunsCompareCommand.self, RunsBestCommand.self],
        defaultSubcommand: RunsListCommand.self)
}

/// Where the runs are: shared by every `runs` subcommand.
struct RunsFolderOptions: ParsableArguments {
    @Option(name: .customLong("runs-folder"), help: "The folder run folders are under (run's --out).")
    var folder: String = "runs"

    /// Whether the folder exists: `runs` reads a history, it does not start one where there is none.
    var exists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The index of the folder, warnings going to standard error.
    func openIndex() throws -> RunIndex {
        guard exists else {
            throw ValidationError("no runs folder at \(folder); give --runs-folder (the --out of `launcher run`)")
        }
        let environment = LauncherEnvironment.active
        return try RunIndex(root: folder, directions: environment.registry.higherIsBetter,
                            warn: { environment.standardError.write("warning: \($0)\n") })
    }
}

/// How `runs` prints its list.
enum RunsFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// `launcher runs [list]`: the runs, filtered and sorted.
struct RunsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List runs (the default).")

    @OptionGroup var runs: RunsFolderOptions

    @Option(help: "Only runs of this plugin.")
    var plugin: String?

    @Option(help: "Only runs on this dataset (its name, or a prefix of its fingerprint of 8 characters or more).")
    var dataset: String?

    @Option(help: "Sort by this metric, best first (the metric's own direction); runs without it go last. Default: newest first.")
    var sort: String?

    @Option(help: "table, json or csv.")
    var format: RunsFormat = .table

    @Option(help: "Show at most this many runs.")
    var limit: Int?

    @Flag(help: "Recreate the index from the run folders first.")
    var rebuild = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
    }

    func run() throws {
        let environment = LauncherEnvironment.active
        guard runs.exists else {
            environment.standardOutput.write(format == .json ? "[]\n" : "No runs (no folder \(runs.folder)).\n")
            return
        }
        let index = try runs.openIndex()
        if rebuild {
            let count = try index.rebuild()
            environment.standardError.write("rebuilt \(index.path) from \(count) run folders\n")
        }
        var records = try index.records(plugin: plugin, dataset: dataset)
        if let sort {
            guard records.isEmpty || records.contains(where: { $0.metric(sort) != nil }) else {
                let known = Set(records.flatMap { $0.metrics.map(\.name) }).sorted()
                throw ValidationError("--sort \(sort): no listed run has that metric; they have \(known.joined(separator: ", "))")
            }
            records = RunRanking.sorted(records, by: sort)
        }
        if let limit { records = Array(records.prefix(limit)) }
        let text: String
        switch format {
        case .table: text = RunsListing.table(records, sortMetric: sort)
        case .json: text = try RunsListing.json(records, root: runs.folder)
        case .csv: text = RunsListing.csv(records, root: runs.folder)
        }
        environment.standardOutput.write(text)
    }
}

/// `launcher runs best --plugin P --dataset D`: the best run's bundle path, alone on standard output.
struct RunsBestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best", abstract: "Print the model bundle of the best run (by the primary metric) on a dataset.",
        discussion: "Prints only the path, so `launcher score --model \"$(launcher runs best --plugin P --dataset D)\" ...` works.")

    @OptionGroup var runs: RunsFolderOptions

    @Option(help: "The plugin.")
    var plugin: String

    @Option(help: "The dataset (its name, or a prefix of its fingerprint of 8 characters or more).")
    var dataset: String

    @Option(help: "Judge by this metric instead of the plugin's primary one.")
    var metric: String?

    func run() throws {
        let environment = LauncherEnvironment.active
        let records = try runs.openIndex().records(plugin: plugin, dataset: dataset)
        let candidates = records.filter { record in
            FileManager.default.fileExists(atPath: (record.bundlePath(under: runs.folder) as NSString).appendingPathComponent("manifest.json"))
        }
        guard !candidates.isEmpty else {
            throw ValidationError("no run of \(plugin) on \(dataset) with a model bundle in \(runs.folder)"
                                  + (records.isEmpty ? "" : " (\(records.count) runs, but their bundles are gone)"))
        }
        let metricName = metric ?? candidates[0].primaryMetric
        let ranked = RunRanking.sorted(candidates, by: metricName)
        guard let best = ranked.first, best.metric(metricName)?.value != nil else {
            throw ValidationError("no run of \(plugin) on \(dataset) has a finite \(metricName)")
        }
        environment.standardOutput.write(best.bundlePath(under: runs.folder) + "\n")
    }
}

/// Orders runs by one metric, best first.
enum RunRanking {
    /// Best first by `metric`, in the metric's direction; runs without a finite value last; ties newest first.
    static func sorted(_ records: [RunRecord], by metric: String) -> [RunRecord] {
        let higher = records.lazy.compactMap { $0.metric(metric) }.first?.higherIsBetter ?? false
        return records.enumerated().sorted { a, b in
            switch (a.element.metric(metric)?.value, b.element.metric(metric)?.value) {
            case let (x?, y?) where x != y: return higher ? x > y : x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }
}
