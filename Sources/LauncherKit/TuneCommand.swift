import ArgumentParser
import Foundation
import SolutionKit

/// `launcher tune <plugin>`: search a recipe's hyperparameters (or, with `--recipe auto`, the plugin's recipes) by
/// cross-validation on the training part, then train the winner on the whole training part and evaluate it once on
/// the test part. `--plan`, `--trial` and `--collect` split the same search into commands any engine can run.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune", abstract: "Search hyperparameters by cross-validation on the training part; train and test the winner.",
        discussion: "Writes <out>/<plugin>/<timestamp>-<recipe>-tune/: leaderboard.csv, leaderboard.json, leaderboard.svg "
            + "(CV score by trial), winner.yaml (usable as `run --config`), selection.md, and run/ (the winner trained on the "
            + "whole training part: bundle/, metrics.json, report). The leaderboard and winner.yaml are rewritten after each "
            + "rung, so Ctrl-C (or --time) keeps the best trial so far; the winner is then still trained. The same --seed "
            + "gives the same leaderboard. The search space is the recipe's (see `describe`) or `search_space:` in --config.\n\n"
            + "Distributed: `tune <plugin> ... --plan DIR` writes DIR/plan.json and DIR/commands.txt (one `tune --trial DIR N` "
            + "per trial); each trial scores its configuration on every fold into DIR/trials/N.json (atomically; a rerun of a "
            + "finished trial does nothing); `tune --collect DIR` replays the successive halving on the recorded scores, so the "
            + "leaderboard is the local one for the same seed, then trains and tests the winner into DIR.")

    @Argument(help: "The plugin id, as `list` shows it (not with --trial or --collect: the plan names it).")
    var plugin: String?

    @OptionGroup var data: DataArguments
    @OptionGroup var recipe: RecipeArguments
    @OptionGroup var selection: SelectionArguments
    @OptionGroup var options: RunOptions

    @Option(help: ArgumentHelp("Write the trials as independent commands into DIR instead of running them.", valueName: "DIR"))
    var plan: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Run trial N of the plan in DIR on every fold.", valueName: "DIR N"))
    var trial: [String] = []

    @Option(help: ArgumentHelp("Merge the trials of the plan in DIR, pick, train and test the winner.", valueName: "DIR"))
    var collect: String?

    func validate() throws {
        let modes = [plan != nil, !trial.isEmpty, collect != nil].filter { $0 }.count
        if modes > 1 { throw ValidationError("give one of --plan, --trial and --collect") }
        if !trial.isEmpty {
            guard trial.count == 2, let index = Int(trial[1]), index >= 0 else {
                throw ValidationError("--trial \(trial.joined(separator: " ")): expected --trial DIR N (N a trial number from 0)")
            }
        }
        if !trial.isEmpty || collect != nil {
            if let plugin { throw ValidationError("the plan names the plugin and data; give no plugin (got \(plugin)) with --trial or --collect") }
        } else if plugin == nil {
            throw ValidationError("missing the plugin id, as `list` shows it")
        }
        if plan != nil, selection.time != nil {
            throw ValidationError("--time goes with a local tune: a planned search runs every trial")
        }
    }

    func run() throws {
        let environment = LauncherEnvironment.active
        if let threads = options.threads { Parallelism.threadCount = threads }
        let progress = environment.progressReporter(quiet: options.quiet)
        if let plan {
            try DistributedTune.writePlan(of: self, into: URL(fileURLWithPath: plan), progress: progress)
        } else if !trial.isEmpty {
            try DistributedTune.runTrial(Int(trial[1])!, of: URL(fileURLWithPath: trial[0]), progress: progress)
        } else if let collect {
            try DistributedTune.collect(URL(fileURLWithPath: collect), progress: progress)
        } else {
            let setup = try prepare(progress: progress)
            let folder = try Self.createFolder(under: options.out, plugin: setup.plugin, label: setup.label, at: environment.now())
            let board = try ModelSelection(plugin: setup.plugin, search: setup.search, validator: setup.validator,
                                           timeLimit: selection.timeLimit).run(progress: progress) { board in
                try ModelSelection.write(board, stagesKeys: setup.search.stagesKeys, plugin: setup.plugin, into: folder)
            }
            try finish(setup, board: board, folder: folder, indexRoot: options.out, progress: progress)
        }
    }

    /// Everything the search needs, from the options: the same for a local tune, a plan, a trial and a collect.
    struct Setup {
        var plugin: any DomainPlugin
        var label: String
        var data: any DomainDataset
        var plan: CrossValidation
        var validator: CrossValidator
        var search: ModelSearch
        var loadSeconds: Double
    }

    func prepare(progress: any ProgressReporter) throws -> Setup {
        guard let pluginID = self.plugin else { throw ValidationError("missing the plugin id, as `list` shows it") }
        let plugin = try LauncherEnvironment.active.registry.plugin(pluginID)
        let seed = options.seed
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
        let loadSeconds = (ContinuousClock.now - loadStart).seconds
        progress.note("data: \(data.name) from \(data.source): \(data.trainingCount) training rows, \(data.evaluationCount) evaluation rows")
        for note in data.notes { progress.note(note) }
        let plan = selection.plan(seed: seed)
        let validator = try CrossValidator(plugin: plugin, data: data, plan: plan)
        var search = ModelSearch(candidates: candidates, stagesKeys: stagesKeys, seed: seed)
        search.workers = Parallelism.threadCount
        return Setup(plugin: plugin, label: label, data: data, plan: plan, validator: validator, search: search,
                     loadSeconds: loadSeconds)
    }

    /// After the search: selection.md, the winner trained on the whole training part and measured once on the test part,
    /// recorded in the run index of `indexRoot` (nil: in none).
    func finish(_ setup: Setup, board: Leaderboard, folder: URL, indexRoot: String?, progress: any ProgressReporter) throws {
        let environment = LauncherEnvironment.active
        let (plugin, data, seed) = (setup.plugin, setup.data, options.seed)
        let section = ModelSelection.section(board, plan: setup.plan)
        try Data(("# Model selection: \(plugin.id) \(setup.label)\n\n" + section.markdown).utf8)
            .write(to: folder.appendingPathComponent("selection.md"), options: .atomic)
        guard let winner = board.winner else {
            let reasons = board.trials.compactMap(\.failure).prefix(3).joined(separator: "; ")
            throw CrossValidationError("no trial could be scored" + (reasons.isEmpty ? "" : ": \(reasons)")
                                       + "; see \(folder.path)/leaderboard.csv")
        }
        let configuration = winner.chosenConfiguration(stagesKey: setup.search.stagesKeys[winner.configuration.recipe])
        progress.note("winner: trial \(winner.index), \(configuration.recipe), CV \(winner.estimate!)")

        let context = RunContext(seed: seed, threads: Parallelism.threadCount, progress: progress, isQuiet: options.quiet)
        let trainStart = ContinuousClock.now
        let model = try plugin.train(configuration, on: data, context: context)
        let evaluateStart = ContinuousClock.now
        var report = try plugin.evaluate(model, on: data, context: context)
        report.sections.insert(section, at: 0)
        report.charts.insert(.init(name: "leaderboard", title: "Cross-validated score by trial", data: .line(board.chart())), at: 0)
        let timings = RunTimings(loadSeconds: setup.loadSeconds, trainingSeconds: (evaluateStart - trainStart).seconds,
                                 evaluationSeconds: (ContinuousClock.now - evaluateStart).seconds)
        var runFolder = RunFolder(plugin: plugin, dataset: data, configuration: model.configuration, model: model, report: report,
                                  seed: seed, threads: Parallelism.threadCount, createdAt: environment.now(), timings: timings)
        runFolder.kind = .tune
        try TuneWinnerFolder.write(runFolder, into: folder, indexRoot: indexRoot)
        environment.standardOutput.write("cross-validated \(board.metric): \(winner.estimate!) (trial \(winner.index) of "
                                         + "\(board.trials.count))\n" + metricsTable(report) + "tune folder: \(folder.path)\n")
    }

    /// The options that fix a search, as arguments `tune` parses again in `--trial` and `--collect` (paths absolute,
    /// so a worker started elsewhere reads the same files).
    func searchArguments() -> [String] {
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardized.path }
        var arguments = [plugin ?? ""]
        if let dataset = data.dataset { arguments += ["--dataset", dataset] }
        if let file = data.data { arguments += ["--data", absolute(file)] }
        if let target = data.target { arguments += ["--target", target] }
        if let test = data.test { arguments += ["--test", absolute(test)] }
        for option in data.dataOptions { arguments += ["--option", option] }
        if let name = recipe.recipe { arguments += ["--recipe", name] }
        for override in recipe.overrides { arguments += ["--set", override] }
        if let config = recipe.config { arguments += ["--config", absolute(config)] }
        arguments += ["--folds", String(selection.folds), "--repeats", String(selection.repeats)]
        if let budget = selection.budget { arguments += ["--budget", String(budget)] }
        arguments += ["--seed", String(options.seed)]
        return arguments
    }

    /// `<out>/<plugin>/<timestamp>-<label>-tune[-n]/`, created now so the leaderboard can be written as the search goes.
    static func createFolder(under root: String, plugin: any DomainPlugin, label: String, at date: Date) throws -> URL {
        let pluginFolder = URL(fileURLWithPath: root).appendingPathComponent(plugin.id)
        try FileManager.default.createDirectory(at: pluginFolder, withIntermediateDirectories: true)
        let stem = "\(FolderTimestamp.stem(date))-\(label)-tune"
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
