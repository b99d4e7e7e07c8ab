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

    @OptionGroup var data: DataArguments
    @OptionGroup var recipe: RecipeArguments

    @Option(help: ArgumentHelp("Also report a K-fold cross-validation estimate (mean ± sd over folds) of the recipe on the "
                               + "training part, beside the test metrics.", valueName: "K"))
    var cv: Int?

    @OptionGroup(title: "Selection (--recipe auto)") var selection: SelectionArguments

    @OptionGroup var options: RunOptions

    var out: String { options.out }
    var seed: UInt64 { options.seed }
    var threads: Int? { options.threads }
    var quiet: Bool { options.quiet }

    func validate() throws {
        if let cv, cv < 2 { throw ValidationError("--cv \(cv): cross-validation needs at least 2 folds") }
        if recipe.isAuto && !(recipe.overrides.isEmpty && recipe.config == nil) {
            throw ValidationError("--recipe auto selects every recipe's settings itself; --set and --config go with one recipe")
        }
    }

    func run() throws {
        let environment = LauncherEnvironment.active
        let plugin = try environment.registry.plugin(self.plugin)
        let named = recipe.isAuto ? nil : try recipe.configuration(for: plugin)
        if let threads { Parallelism.threadCount = threads }
        let progress = environment.progressReporter(quiet: quiet)
        let context = RunContext(seed: seed, threads: Parallelism.threadCount, progress: progress, isQuiet: quiet)
        let request = try data.request(for: plugin, seed: seed)

        let clock = ContinuousClock()
        let loadStart = clock.now
        let data = try plugin.load(request)
        let trainStart = clock.now
        progress.note("data: \(data.name) from \(data.source): \(data.trainingCount) training rows, \(data.evaluationCount) evaluation rows")
        for note in data.notes { progress.note(note) }

        var sections: [MetricReport.Section] = []
        var attachments: [(path: String, data: Data)] = []
        var cvValues: [MetricReport.Value] = []
        let configuration: RecipeConfiguration
        if let named {
            configuration = named
        } else {
            let selected = try AutoSelection.select(plugin: plugin, data: data, selection: selection, seed: seed, progress: progress)
            configuration = selected.configuration
            sections.append(selected.section)
            attachments = selected.files.map { (path: "selection/\($0.path)", data: $0.data) }
            cvValues = selected.values
        }
        progress.note("recipe: \(configuration.recipe) (\(configuration.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")))")
        if let cv {
            let estimate = try CrossValidationReport(configuration: configuration, plugin: plugin, data: data, folds: cv,
                                                     repeats: selection.repeats, seed: seed, progress: progress)
            cvValues = estimate.values
            sections.append(estimate.section)
        }
        let model = try plugin.train(configuration, on: data, context: context)
        let evaluateStart = clock.now
        var report = try plugin.evaluate(model, on: data, context: context)
        report.values += cvValues
        report.sections.insert(contentsOf: sections, at: 0)
        let end = clock.now
        let timings = RunTimings(loadSeconds: (trainStart - loadStart).seconds,
                                 trainingSeconds: (evaluateStart - trainStart).seconds,
                                 evaluationSeconds: (end - evaluateStart).seconds)
        var folder = RunFolder(plugin: plugin, dataset: data, configuration: model.configuration, model: model, report: report,
                               seed: seed, threads: Parallelism.threadCount, createdAt: environment.now(), timings: timings)
        folder.attachments = attachments
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

    @Option(help: ArgumentHelp("Also report a K-fold cross-validation estimate (mean ± sd over folds) of the bundle's recipe "
                               + "and settings, retrained in each fold of the data's training part (a --data file is split "
                               + "as `run` splits it; the bundle itself is still measured on all of it).", valueName: "K"))
    var cv: Int?

    @Option(help: "The seed of the cross-validation folds and of the --data split they fold.")
    var seed: UInt64 = 42

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Print only the results and errors.")
    var quiet = false

    func validate() throws {
        if (dataset == nil) == (data == nil) { throw ValidationError("give exactly one of --data PATH or --dataset NAME") }
        if let cv, cv < 2 { throw ValidationError("--cv \(cv): cross-validation needs at least 2 folds") }
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
        var report = try plugin.evaluate(trained, on: evaluationData, context: context)
        if let cv {
            // Folds need a training part: the file as `run` would load it (its own split), or the named dataset's.
            var training: DataRequest = data.map { .file($0, options: options) } ?? .dataset(dataset!, options: options)
            training.modelColumnKinds = request.modelColumnKinds
            training.seed = seed
            let estimate = try CrossValidationReport(configuration: trained.configuration, plugin: plugin,
                                                     data: try plugin.load(training), folds: cv, repeats: 1, seed: seed,
                                                     progress: progress)
            report.values += estimate.values
            report.sections.insert(estimate.section, at: 0)
        }
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
