import ArgumentParser
import Foundation
import SolutionKit

/// `launcher tune <plugin>`: search a recipe's hyperparameters (or, with `--recipe auto`, the plugin's recipes) by
/// cross-validation on the training part, then train the winner on the whole training part and evaluate it once on
/// the test part.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune", abstract: "Search hyperparameters by cross-validation on the training part; train and test the winner.",
        discussion: "Writes <out>/<plugin>/<timestamp>-<recipe>-tune/: leaderboard.csv, leaderboard.json, leaderboard.svg "
            + "(CV score by trial), winner.yaml (usable as `run --config`), selection.md, and run/ (the winner trained on the "
            + "whole training part: bundle/, metrics.json, report). The leaderboard and winner.yaml are rewritten after each "
            + "rung, so Ctrl-C (or --time) keeps the best trial so far; the winner is then still trained. The same --seed "
            + "gives the same leaderboard. The search space is the recipe's (see `describe`) or `search_space:` in --config.")

    @Argument(help: "The plugin id, as `list` shows it.")
    var plugin: String

    @OptionGroup var data: DataArguments
    @OptionGroup var recipe: RecipeArguments
    @OptionGroup var selection: SelectionArguments

    @Option(help: "The folder tune folders go under.")
    var out: String = "runs"

    @Option(help: "The seed every random choice derives from (folds, trials, models).")
    var seed: UInt64 = 42

    @Option(help: "Worker threads (default: all cores); trials run this many at a time.")
    var threads: Int?

    @Flag(help: "Print only the results and errors.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        try validateOutputFolder(out, flag: "--out")
    }

    func run() throws {
        let environment = LauncherEnvironment.active
        let plugin = try environment.registry.plugin(self.plugin)
        if let threads { Parallelism.threadCount = threads }
        let progress = environment.progressReporter(quiet: quiet)

        let candidates: [ModelSearch.Candidate]
        var stagesOverride: [String: String] = [:]
        let label: String
        if recipe.isAuto {
            guard recipe.overrides.isEmpty, recipe.config == nil else {
                throw ValidationError("--recipe auto searches every recipe's own space; --set and --config go with one recipe")
            }
            candidates = try ModelSelection.candidates(selectingIn: plugin, budget: selection.budget, seed: seed)
            label = RecipeArguments.auto
        } else {
            let base = try recipe.configuration(for: plugin)
            let chosen = try plugin.recipe(named: base.recipe)
            let text = try recipe.configurationText()
            let space = try text.flatMap { try SearchSpace.parse(configurationText: $0, for: chosen, path: recipe.config ?? "config") }
                ?? chosen.searchSpace.validated(for: chosen, source: "recipe \(chosen.name)")
            guard !space.isEmpty else {
                throw SearchSpaceError("recipe \(chosen.name) declares no search space; give one as search_space: in --config")
            }
            if space.stagesKey != chosen.searchSpace.stagesKey { stagesOverride[chosen.name] = space.stagesKey ?? "" }
            candidates = ModelSelection.candidates(tuning: chosen, base: base, space: space, budget: selection.budget ?? 20,
                                                   seed: seed)
            label = chosen.name
        }
        let stagesKeys = ModelSelection.stagesKeys(plugin, override: stagesOverride).filter { !$0.value.isEmpty }

        let loadStart = ContinuousClock.now
        let data = try plugin.load(try self.data.request(for: plugin, seed: seed))
        progress.note("data: \(data.name) from \(data.source): \(data.trainingCount) training rows, \(data.evaluationCount) evaluation rows")
        for note in data.notes { progress.note(note) }
        let plan = selection.plan(seed: seed)
        let validator = try CrossValidator(plugin: plugin, data: data, plan: plan)
        var search = ModelSearch(candidates: candidates, stagesKeys: stagesKeys, seed: seed)
        search.workers = Parallelism.threadCount

        let folder = try Self.createFolder(under: out, plugin: plugin, label: label, at: environment.now())
        let selectionRun = ModelSelection(plugin: plugin, search: search, validator: validator, timeLimit: selection.timeLimit)
        let searchStart = ContinuousClock.now
        let board = try selectionRun.run(progress: progress) { board in
            try ModelSelection.write(board, stagesKeys: stagesKeys, plugin: plugin, into: folder)
        }
        let section = ModelSelection.section(board, plan: plan)
        try Data(("# Model selection: \(plugin.id) \(label)\n\n" + section.markdown).utf8)
            .write(to: folder.appendingPathComponent("selection.md"), options: .atomic)
        guard let winner = board.winner else {
            let reasons = board.trials.compactMap(\.failure).prefix(3).joined(separator: "; ")
            throw CrossValidationError("no trial could be scored" + (reasons.isEmpty ? "" : ": \(reasons)")
                                       + "; see \(folder.path)/leaderboard.csv")
        }
        let configuration = winner.chosenConfiguration(stagesKey: stagesKeys[winner.configuration.recipe])
        progress.note("winner: trial \(winner.index), \(configuration.recipe), CV \(winner.estimate!)")

        // The winner on the whole training part, measured once on the test part.
        let context = RunContext(seed: seed, threads: Parallelism.threadCount, progress: progress, isQuiet: quiet)
        let trainStart = ContinuousClock.now
        let model = try plugin.train(configuration, on: data, context: context)
        let evaluateStart = ContinuousClock.now
        var report = try plugin.evaluate(model, on: data, context: context)
        report.sections.insert(section, at: 0)
        let timings = RunTimings(loadSeconds: (searchStart - loadStart).seconds + (trainStart - searchStart).seconds,
                                 trainingSeconds: (evaluateStart - trainStart).seconds,
                                 evaluationSeconds: (ContinuousClock.now - evaluateStart).seconds)
        var runFolder = RunFolder(plugin: plugin, dataset: data, configuration: model.configuration, model: model, report: report,
                                  seed: seed, threads: Parallelism.threadCount, createdAt: environment.now(), timings: timings)
        runFolder.kind = .tune
        try runFolder.write(at: folder.appendingPathComponent("run"))
        environment.standardOutput.write("cross-validated \(board.metric): \(winner.estimate!) (trial \(winner.index) of "
                                         + "\(board.trials.count))\n" + metricsTable(report) + "tune folder: \(folder.path)\n")
    }

    /// `<out>/<plugin>/<timestamp>-<label>-tune[-n]/`, created now so the leaderboard can be written as the search goes.
    static func createFolder(under root: String, plugin: any DomainPlugin, label: String, at date: Date) throws -> URL {
        let pluginFolder = URL(fileURLWithPath: root).appendingPathComponent(plugin.id)
        try FileManager.default.createDirectory(at: pluginFolder, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stem = "\(formatter.string(from: date))-\(label)-tune"
        for suffix in 1...10_000 {
            let candidate = pluginFolder.appendingPathComponent(suffix == 1 ? stem : "\(stem)-\(suffix)")
            // mkdir fails on an existing name, so two tunes started in the same second never share a folder.
            if mkdir(candidate.path, 0o755) == 0 { return candidate }
            guard errno == EEXIST else {
                throw IOError(path: candidate.path, reason: "cannot create the tune folder: \(String(cString: strerror(errno)))")
            }
        }
        throw IOError(path: pluginFolder.path, reason: "no free tune folder name")
    }
}
