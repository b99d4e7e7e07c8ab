import Foundation
import SolutionKit

/// Metrics and report charts for a price model on the evaluation rows.
enum PriceEvaluation {
    static func evaluate(_ model: PriceModel, on data: PriceDataset, context: RunContext) throws -> MetricReport {
        let tested = data.split.test
        guard !tested.isEmpty else { throw DataRequestError("\(data.source): no evaluation rows") }
        let evaluation = try model.preprocessor.transformForEvaluation(try data.features.selectingRows(tested))
            .checked(source: data.source, progress: context.progress)
        let features = evaluation.features
        let rows = evaluation.rows.map { tested[$0] }
        let predictions = try model.predictTargets(features)
        let actual = rows.map { data.targets[$0] }

        let values: [MetricReport.Value] = [
            .init(name: "rmse", value: try RootMeanSquaredError().evaluate(predictions: predictions, targets: actual)),
            .init(name: "mae", value: try MeanAbsoluteError().evaluate(predictions: predictions, targets: actual)),
            .init(name: "r2", value: try CoefficientOfDetermination().evaluate(predictions: predictions, targets: actual)),
            .init(name: "mape", value: (try? MeanAbsolutePercentageError().evaluate(predictions: predictions, targets: actual)) ?? .nan),
        ]
        if context.isCrossValidationFold { return try foldReport(values, model: model, features: features, actual: actual) }
        let residuals = zip(actual, predictions).map { $0 - $1 }
        let unit = data.targetName

        var charts: [MetricReport.Chart] = [
            .init(name: "predicted-vs-actual", title: "Predicted against actual",
                  svg: ScatterChart(title: "Predicted against actual (\(rows.count) evaluation rows)",
                                    xLabel: "actual \(unit)", yLabel: "predicted \(unit)",
                                    x: actual, y: predictions, showsIdentityLine: true).svg()),
            .init(name: "residuals", title: "Residuals",
                  data: .histogram(HistogramChart(title: "Residuals (actual − predicted)", xLabel: "residual \(unit)",
                                                  distributions: [.init(name: "residuals", values: residuals)], binCount: 40))),
            .init(name: "residuals-vs-predicted", title: "Residuals against predicted",
                  svg: ScatterChart(title: "Residuals against predicted", xLabel: "predicted \(unit)",
                                    yLabel: "residual \(unit)", x: predictions, y: residuals).svg()),
        ]
        let trees = pointTrees(model)
        if var history = model.history {
            if let trees {
                // The evaluation rows round by round, beside the training curve (LightGBM's valid_sets).
                let labels = try model.target.encode(actual)
                history.series.append(.init(name: "evaluation (\(rows.count) rows)",
                                            values: try trees.stagedMetric(features: features, labels: labels)))
            }
            let metricName = trees.map { "\($0.trainingMetric.rawValue)" } ?? "loss"
            charts.insert(contentsOf: history.reportCharts(
                xLabel: trees != nil ? "round" : "epoch",
                yLabel: trees != nil ? "\(metricName) (\(model.target.transform == .identity ? "target" : "transformed target"))"
                    : "loss (standardised target)"), at: 0)
        }
        if let trees { charts += try trees.explanationCharts(for: features) }

        var sections = [MetricReport.Section(title: "Data", markdown: data.summary)]
        if let weights = featureWeights(model) {
            let table = MarkdownReport.table(headers: ["feature", "coefficient (per standard deviation)"],
                                             rows: weights.map { [$0.name, String(format: "%.1f", $0.weight)] },
                                             alignRight: [1])
            sections.append(.init(title: "Largest ridge coefficients", markdown: table))
        }
        if let importance = treeImportance(model) {
            let table = MarkdownReport.table(headers: ["feature", "gain share"],
                                             rows: importance.map { [$0.name, String(format: "%.1f%%", 100 * $0.share)] },
                                             alignRight: [1])
            sections.append(.init(title: "Feature importance (total gain)", markdown: table))
        }
        if let intervals = try model.intervals(features) {
            let inside = zip(intervals, actual).filter { $0.0.lower <= $0.1 && $0.1 <= $0.0.upper }.count
            let width = zip(intervals, actual).map { $0.0.upper - $0.0.lower }.reduce(0, +) / Double(actual.count)
            let nominal = (try? model.configuration.real("interval")) ?? .nan
            sections.append(.init(title: "Prediction interval", markdown: String(
                format: "Nominal coverage %.0f%%; %.1f%% of the evaluation targets fall inside their interval; mean width %.0f.",
                100 * nominal, 100 * Double(inside) / Double(actual.count), width)))
        }
        var report = MetricReport(values: values, primary: "rmse", sections: sections, charts: charts)
        report.record(evaluation.unseen)
        return report
    }

    /// The point model's trees, for tree recipes.
    /// A cross-validation fold's report: the metrics, and RMSE in target units after each round when the trees learn
    /// squared error on the untransformed target (then the staged curve is the primary metric exactly).
    static func foldReport(_ values: [MetricReport.Value], model: PriceModel, features: Tensor,
                           actual: [Double]) throws -> MetricReport {
        var staged: [Double]?
        if let trees = pointTrees(model), model.target.transform == .identity, trees.trainingMetric == .rmse {
            staged = try trees.stagedMetric(features: features, labels: try model.target.encode(actual))
                .map { $0 * model.target.scale }
        }
        return MetricReport(values: values, primary: "rmse", stagedPrimary: staged)
    }

    static func pointTrees(_ model: PriceModel) -> GradientBoostedModel? {
        switch model.estimator {
        case .gbdt(let m, _): return m
        case .gbdtInterval(let interval): return interval.point
        default: return nil
        }
    }

    /// Each feature's share of the total split gain of the point model, largest first.
    static func treeImportance(_ model: PriceModel) -> [(name: String, share: Double)]? {
        guard let trees = pointTrees(model) else { return nil }
        let gains = trees.featureImportance(.gain)
        let total = gains.reduce(0, +)
        guard total > 0 else { return nil }
        let named = zip(model.preprocessor.featureNames, gains).map { (name: $0, share: $1 / total) }
        return Array(named.sorted { $0.share > $1.share }.prefix(12))
    }

    /// The ridge coefficients by absolute size, in target units per standard deviation of the feature.
    static func featureWeights(_ model: PriceModel) -> [(name: String, weight: Double)]? {
        guard case .ridge(let ridge) = model.estimator, model.target.transform == .identity else { return nil }
        let named = zip(model.preprocessor.featureNames, ridge.coefficients).map { (name: $0, weight: $1) }
        return Array(named.sorted { abs($0.weight) > abs($1.weight) }.prefix(12))
    }
}
