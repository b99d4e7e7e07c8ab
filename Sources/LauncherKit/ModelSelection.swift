import Foundation
import SolutionKit

/// A search by cross-validation on the training part, as `tune` and `run --recipe auto` run it: the candidates, the
/// folds, progress on the terminal, a stop on Ctrl-C or at the time limit, and the files that record it.
struct ModelSelection {
    let plugin: any DomainPlugin
    let search: ModelSearch
    let validator: CrossValidator
    let timeLimit: Double?

    /// `tune --recipe NAME`: trial 0 is `base`, trial i the i-th point of `space` (a pure function of seed and i).
    static func candidates(tuning recipe: Recipe, base: RecipeConfiguration, space: SearchSpace, budget: Int,
                           seed: UInt64) -> [ModelSearch.Candidate] {
        let sampler = TrialSampler(space: space, base: base, seed: seed)
        return unique((0..<budget).map { index in
            ModelSearch.Candidate(configuration: sampler.configuration(ofTrial: index),
                                  searched: index == 0 ? [] : space.dimensions.map(\.key))
        })
    }

    /// Drops repeated configurations (a space of few choices repeats itself), keeping the first of each.
    static func unique(_ candidates: [ModelSearch.Candidate]) -> [ModelSearch.Candidate] {
        var seen = Set<[String: HyperparameterValue]>()
        return candidates.filter { seen.insert($0.configuration.values.merging(["\u{0}recipe": .text($0.configuration.recipe)]) { $1 }).inserted }
    }

    /// `--recipe auto`: each selectable recipe's defaults, then points of its search space, `budget` trials in all
    /// shared evenly; the plugin's default recipe comes first (trial 0, always scored on every fold).
    static func candidates(selectingIn plugin: any DomainPlugin, budget: Int?, seed: UInt64) throws -> [ModelSearch.Candidate] {
        let recipes = try plugin.selectionRecipes.map { try plugin.recipe(named: $0) }
        guard !recipes.isEmpty else { throw ConfigurationError.unknownRecipe(RecipeArguments.auto, plugin: plugin.id, known: []) }
        let total = max(budget ?? 4 * recipes.count, recipes.count)
        var candidates: [ModelSearch.Candidate] = []
        for (position, recipe) in recipes.enumerated() {
            let share = total / recipes.count + (position < total % recipes.count ? 1 : 0)
            let sampler = TrialSampler(space: recipe.searchSpace, base: recipe.defaultConfiguration,
                                       seed: seed &+ UInt64(position) &* 0x9E37_79B9_7F4A_7C15)
            let trials = recipe.searchSpace.isEmpty ? 1 : share
            candidates += (0..<trials).map { index in
                ModelSearch.Candidate(configuration: sampler.configuration(ofTrial: index),
                                      searched: index == 0 ? [] : recipe.searchSpace.dimensions.map(\.key))
            }
        }
        return unique(candidates)
    }

    static func stagesKeys(_ plugin: any DomainPlugin, override: [String: String] = [:]) -> [String: String] {
        var keys: [String: String] = [:]
        for recipe in plugin.recipes { keys[recipe.name] = recipe.searchSpace.stagesKey }
        return keys.merging(override) { $1 }
    }

    /// Runs the search with a progress bar; `checkpoint` receives the leaderboard after each rung.
    func run(progress: any ProgressReporter, checkpoint: @escaping (Leaderboard) throws -> Void) throws -> Leaderboard {
        let started = Date()
        let limit = timeLimit
        let interrupt = InterruptFlag.install()
        defer { InterruptFlag.restore() }
        let stop: @Sendable () -> Bool = {
            interrupt.isRaised || (limit.map { Date().timeIntervalSince(started) > $0 } ?? false)
        }
        progress.note("selection: \(search.candidates.count) trial(s), \(validator.plan); rungs of "
                      + "\(search.rungs(folds: validator.folds.count).map(String.init).joined(separator: ", ")) fold(s); "
                      + "\(search.workers) job(s) at a time")
        var begun = false
        let board = try search.run(with: validator, shouldStop: stop, progress: { done, total in
            if !begun { progress.begin("cross-validating", total: total, unit: "fold"); begun = true }
            progress.advance()
        }, update: checkpoint)
        if begun { progress.finish() }
        if interrupt.isRaised { progress.note("interrupted: the search stopped; keeping the best trial so far") }
        else if board.stoppedEarly { progress.note("time limit reached: keeping the best trial so far") }
        return board
    }

    // MARK: Files

    /// `leaderboard.csv`, `leaderboard.json`, `leaderboard.svg` and `winner.yaml`, each replaced atomically.
    static func files(_ board: Leaderboard, stagesKeys: [String: String], plugin: any DomainPlugin) throws -> [(path: String, data: Data)] {
        var files: [(String, Data)] = [("leaderboard.csv", Data(board.csv().utf8)), ("leaderboard.json", try board.json()),
                                       ("leaderboard.svg", Data(board.chart().svg().utf8))]
        if let winner = board.winner {
            files.append(("winner.yaml", Data(winnerYAML(winner, board: board, stagesKeys: stagesKeys, plugin: plugin).utf8)))
        }
        return files
    }

    static func write(_ board: Leaderboard, stagesKeys: [String: String], plugin: any DomainPlugin, into folder: URL) throws {
        for (path, data) in try files(board, stagesKeys: stagesKeys, plugin: plugin) {
            try data.write(to: folder.appendingPathComponent(path), options: .atomic)
        }
    }

    /// The winner as a config file `run --config` reads, every key in the recipe's order.
    static func winnerYAML(_ winner: Leaderboard.Trial, board: Leaderboard, stagesKeys: [String: String],
                           plugin: any DomainPlugin) -> String {
        let configuration = winner.chosenConfiguration(stagesKey: stagesKeys[winner.configuration.recipe])
        let estimate = winner.estimate.map(\.description) ?? "not scored"
        var text = "# Chosen by cross-validation on the training part: trial \(winner.index), CV \(estimate).\n"
        text += "# Use it with: launcher run \(plugin.id) --config winner.yaml\n"
        text += "recipe: \(configuration.recipe)\nhyperparameters:\n"
        let ordered = (try? plugin.recipe(named: configuration.recipe)).map { configuration.orderedValues(for: $0) }
            ?? configuration.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (key, value) in ordered { text += "  \(key): \(yamlScalar(value))\n" }
        return text
    }

    /// Text is double-quoted (JSON escapes are valid YAML), so "64,64" or "none" stay text.
    static func yamlScalar(_ value: HyperparameterValue) -> String {
        switch value {
        case .text(let text):
            let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self)
        case .real(let v): return v == v.rounded() && abs(v) < 1e15 ? String(format: "%.1f", v) : "\(v)"
        default: return value.description
        }
    }

    /// The report section: what was tried, the CV scores, why the winner won.
    static func section(_ board: Leaderboard, defaultTrial: Int = 0, plan: CrossValidation) -> MetricReport.Section {
        var text = "Selection by \(plan) — the test part was not used. Successive halving over folds (rungs of "
            + "\(board.rungs.map(String.init).joined(separator: ", ")) fold(s)); the defaults (trial \(defaultTrial)) are scored on every fold.\n\n"
        if let winner = board.winner, let e = winner.estimate {
            text += "Winner: trial \(winner.index), \(winner.configuration.recipe), CV \(e).\n"
            if let reference = board.trials.first(where: { $0.index == defaultTrial })?.estimate, winner.index != defaultTrial {
                let paired = pairedDifference(winner.estimate!, reference)
                text += String(format: "Against the defaults (CV %@): a mean difference of %+.4g over the folds, with a standard "
                               + "error of %.2g (paired by fold): %@.\n", reference.description, paired.mean, paired.standardError,
                               abs(paired.mean) > 2 * paired.standardError ? "beyond the CV noise" : "within the CV noise")
            } else if winner.index == defaultTrial {
                text += "The defaults scored best.\n"
            }
        }
        if board.stoppedEarly { text += "\nThe search was stopped early (Ctrl-C or --time); the best trial so far was kept.\n" }
        text += "\n" + board.markdown()
        return MetricReport.Section(title: "Model selection", markdown: text)
    }

    static func pairedDifference(_ a: CrossValidationEstimate, _ b: CrossValidationEstimate) -> (mean: Double, standardError: Double) {
        let differences = zip(a.values, b.values).map { $0 - $1 }
        let (mean, sd) = CrossValidationEstimate.moments(differences)
        return (mean, differences.count > 1 ? sd / Double(differences.count).squareRoot() : .infinity)
    }
}
