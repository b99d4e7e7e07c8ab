import ArgumentParser
import SolutionKit

/// The data options `run` and `tune` share: a named dataset or a user's file, its target, a test file, loader options.
struct DataArguments: ParsableArguments {
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

    func validate() throws {
        if dataset != nil && data != nil { throw ValidationError("give either --dataset or --data, not both") }
        if test != nil && data == nil {
            throw ValidationError("--test FILE goes with --data FILE (named datasets keep their PROTOCOL split)")
        }
    }

    /// The loader request for `plugin`, seeded for a random split.
    func request(for plugin: any DomainPlugin, seed: UInt64) throws -> DataRequest {
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
        return request
    }
}

/// The recipe options `run` and `tune` share.
struct RecipeArguments: ParsableArguments {
    @Option(help: "The recipe (default: the plugin's first); `auto` selects among the plugin's recipes by cross-validation.")
    var recipe: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a hyperparameter (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: "A YAML file: `recipe: NAME` and `hyperparameters: {key: value}`, or flat keys (tune: also `search_space:`).")
    var config: String?

    static let auto = "auto"

    var isAuto: Bool { recipe == Self.auto }

    func configurationText() throws -> String? { try config.map { try readTextFile($0, flag: "--config") } }

    /// The resolved configuration of a named recipe (not `auto`).
    func configuration(for plugin: any DomainPlugin) throws -> RecipeConfiguration {
        try RecipeConfiguration.resolve(for: plugin, recipe: recipe, configurationText: try configurationText(),
                                        configurationPath: config ?? "config", overrides: overrides)
    }
}

/// How cross-validation and the search are sized: shared by `run` (`--cv`, `--recipe auto`) and `tune`.
struct SelectionArguments: ParsableArguments {
    @Option(help: "Cross-validation folds of the training part, for selection (--recipe auto, tune).")
    var folds: Int = CrossValidation.defaultFolds

    @Option(help: "Repeats of the k-fold cross-validation, each with its own shuffle.")
    var repeats: Int = 1

    @Option(help: ArgumentHelp("Trials (configurations) to try (tune: default 20; --recipe auto: 4 per recipe).",
                               valueName: "n"))
    var budget: Int?

    @Option(help: ArgumentHelp("Stop starting new trials after this wall-clock time: 90s, 10m, 1h.", valueName: "duration"))
    var time: String?

    func validate() throws {
        if folds < 2 { throw ValidationError("--folds \(folds): cross-validation needs at least 2 folds") }
        if repeats < 1 { throw ValidationError("--repeats \(repeats): give at least 1") }
        if let budget, budget < 1 { throw ValidationError("--budget \(budget): give at least 1 trial") }
        if let time { _ = try Self.seconds(time) }
    }

    func plan(seed: UInt64) -> CrossValidation { CrossValidation(folds: folds, repeats: repeats, seed: seed) }

    var timeLimit: Double? { time.flatMap { try? Self.seconds($0) } }

    /// "90s", "10m", "1.5h" or plain seconds.
    static func seconds(_ text: String) throws -> Double {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var number = Substring(text)
        var scale = 1.0
        if let last = text.last, let unit = units[last] { number = number.dropLast(); scale = unit }
        guard let value = Double(number), value.isFinite, value > 0 else {
            throw ValidationError("--time \(text): give a positive duration such as 90s, 10m or 1h")
        }
        return value * scale
    }
}
