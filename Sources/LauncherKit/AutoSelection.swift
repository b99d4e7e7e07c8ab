import Foundation
import SolutionKit

/// `run --recipe auto`: a budgeted selection across the plugin's recipes and their key settings by cross-validation
/// on the training part. The defaults of the plugin's default recipe are always scored on every fold; the best CV mean
/// among the fully scored trials replaces them only when it is better beyond the CV noise.
enum AutoSelection {
    struct Outcome {
        var configuration: RecipeConfiguration
        var section: MetricReport.Section
        var files: [(path: String, data: Data)]
        /// `cv_<metric>_mean` and `_sd` of the winner, added to the run's metrics.
        var values: [MetricReport.Value]
    }

    static func select(plugin: any DomainPlugin, data: any DomainDataset, selection: SelectionArguments, seed: UInt64,
                       progress: any ProgressReporter) throws -> Outcome {
        let candidates = try ModelSelection.candidates(selectingIn: plugin, budget: selection.budget, seed: seed)
        let stagesKeys = ModelSelection.stagesKeys(plugin).filter { !$0.value.isEmpty }
        let plan = selection.plan(seed: seed)
        let validator = try CrossValidator(plugin: plugin, data: data, plan: plan)
        var search = ModelSearch(candidates: candidates, stagesKeys: stagesKeys, seed: seed)
        search.workers = Parallelism.threadCount
        let board = try ModelSelection(plugin: plugin, search: search, validator: validator, timeLimit: selection.timeLimit)
            .run(progress: progress) { _ in }
        guard let best = board.winner, best.estimate != nil else {
            let reasons = board.trials.compactMap(\.failure).prefix(3).joined(separator: "; ")
            throw CrossValidationError("--recipe auto: no recipe could be cross-validated" + (reasons.isEmpty ? "" : ": \(reasons)"))
        }
        // The defaults stay unless the best trial beats them beyond the CV noise (a paired difference over the folds
        // of more than two standard errors), twice: on the selection folds, and again on fresh folds (another
        // shuffle, repeated) that played no part in picking it. The best of many trials is optimistic on the folds
        // that picked it (winner's curse); re-measuring on new folds removes that fold-level luck, so on small data
        // a trial that won by chance (German credit: an MLP won one fold's selection by 2.8 SE, then tested 0.712)
        // falls back to the defaults.
        var winner = best
        var confirmation: String? = nil
        if let defaults = board.trials.first(where: { $0.index == 0 }), let reference = defaults.estimate,
           reference.values.count == best.estimate!.values.count, best.index != 0 {
            if !beatsBeyondNoise(best.estimate!, reference) {
                progress.note("auto: \(best.configuration.recipe) (trial \(best.index)) is not better than the defaults beyond the "
                              + "CV noise; keeping the defaults")
                winner = defaults
            } else {
                var draws = SeededGenerator.derived(from: seed, stream: confirmationStream)
                let fresh = CrossValidation(folds: plan.folds, repeats: max(2, plan.repeats), seed: draws.next())
                let confirming = try CrossValidator(plugin: plugin, data: data, plan: fresh)
                progress.note("auto: confirming \(best.configuration.recipe) (trial \(best.index)) against the defaults on \(fresh)")
                let challenger = try confirming.estimate(best.configuration, seed: seed)
                let baseline = try confirming.estimate(defaults.configuration, seed: seed)
                let paired = ModelSelection.pairedDifference(challenger, baseline)
                let held = beatsBeyondNoise(challenger, baseline)
                confirmation = String(format: "Confirmation on fresh folds (%@): trial %d %@ the defaults by %+.4g (standard error %.3g).",
                                      fresh.description, best.index, held ? "beat" : "did not beat", paired.mean, paired.standardError)
                if !held {
                    progress.note("auto: \(best.configuration.recipe) (trial \(best.index)) did not hold its lead on fresh folds; keeping the defaults")
                    winner = defaults
                }
            }
        }
        let estimate = winner.estimate!
        let configuration = winner.chosenConfiguration(stagesKey: stagesKeys[winner.configuration.recipe])
        progress.note("auto: picked \(configuration.recipe) (trial \(winner.index)), CV \(estimate)")
        var section = ModelSelection.section(board, plan: plan)
        if let confirmation { section.markdown = confirmation + "\n\n" + section.markdown }
        if winner.index != best.index {
            section.markdown = "Picked: the defaults (trial 0): the best trial (\(best.index)) was not better beyond the CV noise.\n\n"
                + section.markdown
        }
        return Outcome(configuration: configuration, section: section,
                       files: try ModelSelection.files(board, stagesKeys: stagesKeys, plugin: plugin),
                       values: [.init(name: "cv_\(estimate.metric)_mean", value: estimate.mean),
                                .init(name: "cv_\(estimate.metric)_sd", value: estimate.standardDeviation)])
    }

    /// True when `challenger` beats `reference` by more than two standard errors of their paired difference.
    static func beatsBeyondNoise(_ challenger: CrossValidationEstimate, _ reference: CrossValidationEstimate) -> Bool {
        guard challenger.values.count == reference.values.count else { return false }
        let paired = ModelSelection.pairedDifference(challenger, reference)
        let gain = reference.higherIsBetter ? paired.mean : -paired.mean
        return gain > 2 * paired.standardError
    }

    /// Confirmation folds never share draws with the selection folds.
    static let confirmationStream: UInt64 = 0x434F_4E46_524D
}
