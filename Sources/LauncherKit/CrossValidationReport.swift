import Foundation
import SolutionKit

/// The `--cv K` estimate of `run` and `evaluate`: one configuration cross-validated on a dataset's training part
/// (folds of the training rows only, retrained in each fold), as metric values and a report section.
struct CrossValidationReport {
    var values: [MetricReport.Value]
    var section: MetricReport.Section

    init(configuration: RecipeConfiguration, plugin: any DomainPlugin, data: any DomainDataset, folds: Int,
         repeats: Int, seed: UInt64, progress: any ProgressReporter) throws {
        let validator = try CrossValidator(plugin: plugin, data: data,
                                           plan: CrossValidation(folds: folds, repeats: repeats, seed: seed))
        progress.note("cross-validating \(configuration.recipe): \(validator.plan)")
        let estimate = try validator.estimate(configuration, seed: seed)
        progress.note("cross-validated \(estimate.metric): \(estimate)")
        values = [.init(name: "cv_\(estimate.metric)_mean", value: estimate.mean),
                  .init(name: "cv_\(estimate.metric)_sd", value: estimate.standardDeviation)]
        section = .init(title: "Cross-validation", markdown: "\(validator.plan), \(data.trainingCount) rows: "
                        + "\(estimate.metric) " + String(format: "%.6g ± %.3g", estimate.mean, estimate.standardDeviation)
                        + " (folds: \(estimate.values.map { String(format: "%.5g", $0) }.joined(separator: ", ")))"
                        + (estimate.stages.map { ", \($0) stages" } ?? "") + ".")
    }
}
