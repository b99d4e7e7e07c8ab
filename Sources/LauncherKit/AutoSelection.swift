import Foundation
import SolutionKit

/// `run --recipe auto`: a budgeted selection across the plugin's recipes and their key settings by cross-validation
/// on the training part. The defaults of the plugin's default recipe are always scored on every fold, and the winner
/// is the best CV mean among the fully scored trials, so it never trails the defaults on the inner folds.
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
        guard let winner = board.winner, let estimate = winner.estimate else {
            let reasons = board.trials.compactMap(\.failure).prefix(3).joined(separator: "; ")
            throw CrossValidationError("--recipe auto: no recipe could be cross-validated" + (reasons.isEmpty ? "" : ": \(reasons)"))
        }
        let configuration = winner.chosenConfiguration(stagesKey: stagesKeys[winner.configuration.recipe])
        progress.note("auto: picked \(configuration.recipe) (trial \(winner.index)), CV \(estimate)")
        return Outcome(configuration: configuration, section: ModelSelection.section(board, plan: plan),
                       files: try ModelSelection.files(board, stagesKeys: stagesKeys, plugin: plugin),
                       values: [.init(name: "cv_\(estimate.metric)_mean", value: estimate.mean),
                                .init(name: "cv_\(estimate.metric)_sd", value: estimate.standardDeviation)])
    }
}
