import ArgumentParser
import Foundation
import SolutionKit

/// `launcher run <plugin>`: load → train → evaluate → write a run folder with the bundle and the report.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Train a recipe on a dataset, evaluate it, and save the model bundle and report.",
        discussion: "Writes <out>/<plugin>/<timestamp>-<recipe>/ with bundle/, metrics.json, report.html, report.md and charts/, "
            + "and records it in the run index (<out>/index.sqlite; see `launcher runs`).")

    @Argument(help: "The plugin id, as `list` shows it.")
    var plugin: String

    @Option(help: "A dataset the plugin declares (default: its `sample`).")
    var dataset: String?

    @Option(help: "A data file instead of a named dataset.")
    var data: String?

    @Option(help: "The target column, for --data files.")
    var target: String?

    @Option(help: ArgumentHelp("A separately labelled evaluation file for --data (same format and columns): the --data file "
                               + "is then all training rows.", valueName: "file"))
    var test: String?

    @Option(name: .customLong("option"), help: ArgumentHelp(
        "A data option key=value for the plugin's loader (repeatable). Every plugin: split=random|row|id (default random, "
            + "seeded by --seed; named datasets keep their PROTOCOL split), test_fraction=F (default 0.2), fold=F; tabular "
            + "plugins: types=COL:numeric,COL2:categorical, bad_cells=error|missing. `describe` lists each plugin's.",
        valueName: "key=value"))
    var dataOptions: [String] = []

    @Option(help: "The recipe (default: the plugin's first).")
    var recipe: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a hyperparameter (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: "A YAML file: `recipe: NAME` and `hyperparameters: {key: value}`, or flat keys.")
    var config: String?

    @Option(help: "The folder run folders go under.")
    var out: String = "runs"

    @Option(help: "The seed every random choice derives from.")
    var seed: UInt64 = 42

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Print only the results and errors.")
    var quiet = false

    func validate() throws {
        if dataset != nil && data != nil { throw ValidationError("give either --dataset or --data, not both") }
        if test != nil && data == nil {
            throw ValidationError("--test FILE goes with --data FILE (named datasets keep their PROTOCOL split)")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        try validateOutputFolder(out, flag: "--out")
    }

    func run() throws {
        let environment = LauncherEnvironment.active
        let plugin = try environment.registry.plugin(self.plugin)
        let configText = try config.map { try readTextFile($0, flag: "--config") }
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: recipe, configurationText: configText,
                                                            configurationPath: config ?? "config", overrides: overrides)
        if let threads { Parallelism.threadCount = threads }
        let progress = environment.progressReporter(quiet: quiet)
        let context = RunContext(seed: seed, threads: Parallelism.threadCount, progress: progress, isQuiet: quiet)

        var options = try parseKeyValues(dataOptions, flag: "--option")
        if let target { options["target"] = target }
        var request: DataRequest
        if let data {
            request = .file(data, options: options, testFile: test)
        } else {
            guard let name = dataset ?? plugin.defaultDatasetName else {
                throw ValidationError("plugin \(plugin.id) declares no dataset; give --data PATH")
            }
            guard plugin.datasets.contains(where: { $0.name == name }) else {
                throw DataRequestError.unknownDataset(name, plugin: plugin.id, known: plugin.datasets.map(\.name))
            }
            request = .dataset(name, options: options)
        }
        request.seed = seed

        let clock = ContinuousClock()
        let loadStart = clock.now
        let data = try plugin.load(request)
        let trainStart = clock.now
        progress.note("data: \(data.name) from \(data.source): \(data.trainingCount) training rows, \(data.evaluationCount) evaluation rows")
        for note in data.notes { progress.note(note) }
        progress.note("recipe: \(configuration.recipe) (\(configuration.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")))")
        let model = try plugin.train(configuration, on: data, context: context)
        let evaluateStart = clock.now
        let report = try plugin.evaluate(model, on: data, context: context)
        let end = clock.now
        let timings = RunTimings(loadSeconds: (trainStart - loadStart).seconds,
                                 trainingSeconds: (evaluateStart - trainStart).seconds,
                                 evaluationSeconds: (end - evaluateStart).seconds)
        let folder = RunFolder(plugin: plugin, dataset: data, configuration: configuration, model: model, report: report,
                               seed: seed, threads: Parallelism.threadCount, createdAt: environment.now(), timings: timings)
        let path = try folder.write(under: out)
        RunIndex.record(folder: path, under: out, registry: environment.registry,
                        warn: { environment.standardError.write("warning: \($0)\n") })
        environment.standardOutput.write(metricsTable(report) + "run folder: \(path)\n")
    }
}

/// `launcher evaluate --model DIR --data PATH`: the metrics of a saved model on labelled data.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Measure a saved model bundle on labelled data.")

    @Option(help: "The model bundle folder (a run's bundle/).")
    var model: String

    @Option(help: "A labelled data file; all of it is evaluation data.")
    var data: String?

    @Option(help: "A dataset the plugin declares, instead of --data (its evaluation part is used).")
    var dataset: String?

    @Option(help: "The target column, for --data files.")
    var target: String?

    @Option(name: .customLong("option"), help: ArgumentHelp("A data option key=value for the plugin's loader (repeatable).", valueName: "key=value"))
    var dataOptions: [String] = []

    @Option(help: "The folder the evaluation's folder (report.html, metrics.json, charts/) goes under (default: the runs folder the bundle's run is in, else runs).")
    var out: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Print only the results and errors.")
    var quiet = false

    func validate() throws {
        if (dataset == nil) == (data == nil) { throw ValidationError("give exactly one of --data PATH or --dataset NAME") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let out { try validateOutputFolder(out, flag: "--out") }
    }

    func run() throws {
        let environment = LauncherEnvironment.active
        let bundle = try ModelBundle.load(from: model)
        let plugin = try environment.registry.plugin(bundle.manifest.plugin.id)
        if let threads { Parallelism.threadCount = threads }
        var options = try parseKeyValues(dataOptions, flag: "--option")
        if let target {
            options["target"] = target
        } else if options["target"] == nil, let recorded = bundle.manifest.extra["target"]?.stringValue {
            // The model knows the column it learned; evaluation data names it the same way by default.
            options["target"] = recorded
        }
        var request: DataRequest = data.map { .file($0, options: options, isEvaluationOnly: true) }
            ?? .dataset(dataset!, options: options)
        // A tabular model's schema says how each column was read in training (declared types included).
        if let schema = try? JSONDecoder().decode(TableSchema.self, from: JSONEncoder().encode(bundle.manifest.inputSchema)) {
            request.modelColumnKinds = Dictionary(schema.columns.map { ($0.name, $0.kind) }) { first, _ in first }
        }
        let progress = environment.progressReporter(quiet: quiet)
        let context = RunContext(seed: bundle.manifest.seed, threads: Parallelism.threadCount, progress: progress, isQuiet: quiet)
        let clock = ContinuousClock()
        let loadStart = clock.now
        let trained = try plugin.model(from: bundle)
        let evaluationData = try plugin.load(request)
        progress.note("data: \(evaluationData.name) from \(evaluationData.source): \(evaluationData.evaluationCount) evaluation rows")
        for note in evaluationData.notes { progress.note(note) }
        let evaluateStart = clock.now
        let report = try plugin.evaluate(trained, on: evaluationData, context: context)
        let timings = RunTimings(loadSeconds: (evaluateStart - loadStart).seconds, trainingSeconds: 0,
                                 evaluationSeconds: (clock.now - evaluateStart).seconds)
        var folder = RunFolder(plugin: plugin, dataset: evaluationData, configuration: trained.configuration, model: trained,
                               report: report, seed: bundle.manifest.seed, threads: Parallelism.threadCount,
                               createdAt: environment.now(), timings: timings)
        folder.kind = .evaluate
        folder.evaluatedBundle = URL(fileURLWithPath: model).standardizedFileURL.path
        let root = out ?? Self.runsFolder(of: model) ?? "runs"
        let path = try folder.write(under: root)
        RunIndex.record(folder: path, under: root, registry: environment.registry,
                        warn: { environment.standardError.write("warning: \($0)\n") })
        environment.standardOutput.write(metricsTable(report) + "evaluation folder: \(path)\n")
    }

    /// The runs folder a run's bundle (`<runs>/<plugin>/<run>/bundle`) belongs to; nil for a bundle kept elsewhere.
    static func runsFolder(of bundle: String) -> String? {
        let run = URL(fileURLWithPath: bundle).standardizedFileURL.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: run.appendingPathComponent("metrics.json").path) else { return nil }
        return run.deletingLastPathComponent().deletingLastPathComponent().path
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
