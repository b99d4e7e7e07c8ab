import Foundation
import SolutionKit

/// Metrics and report charts for a price model on the evaluation rows.
enum PriceEvaluation {
    static func evaluate(_ model: PriceModel, on data: PriceDataset) throws -> MetricReport {
        let rows = data.split.test
        guard !rows.isEmpty else { throw DataRequestError("\(data.source): no evaluation rows") }
        let features = try model.preprocessor.transform(try data.features.selectingRows(rows))
        let predictions = try model.predictTargets(features)
        let actual = rows.map { data.targets[$0] }

        let values: [MetricReport.Value] = [
            .init(name: "rmse", value: try RootMeanSquaredError().evaluate(predictions: predictions, targets: actual)),
            .init(name: "mae", value: try MeanAbsoluteError().evaluate(predictions: predictions, targets: actual)),
            .init(name: "r2", value: try CoefficientOfDetermination().evaluate(predictions: predictions, targets: actual)),
            .init(name: "mape", value: (try? MeanAbsolutePercentageError().evaluate(predictions: predictions, targets: actual)) ?? .nan),
        ]
        let residuals = zip(actual, predictions).map { $0 - $1 }
        let unit = data.targetName

        var charts: [MetricReport.Chart] = [
            .init(name: "predicted-vs-actual", title: "Predicted against actual",
                  svg: ScatterChart(title: "Predicted against actual (\(rows.count) evaluation rows)",
                                    xLabel: "actual \(unit)", yLabel: "predicted \(unit)",
                                    x: actual, y: predictions, showsIdentityLine: true).svg()),
            .init(name: "residuals", title: "Residuals",
                  svg: HistogramChart(title: "Residuals (actual − predicted)", xLabel: "residual \(unit)",
                                      distributions: [.init(name: "residuals", values: residuals)], binCount: 40).svg()),
            .init(name: "residuals-vs-predicted", title: "Residuals against predicted",
                  svg: ScatterChart(title: "Residuals against predicted", xLabel: "predicted \(unit)",
                                    yLabel: "residual \(unit)", x: predictions, y: residuals).svg()),
        ]
        if let history = model.history, !history.series.isEmpty {
            charts.insert(.init(name: "training-curve", title: "Training curve",
                                svg: LineChart(title: "Training curve", xLabel: "epoch", yLabel: "loss (standardised target)",
                                               series: history.series.map { ChartSeries(name: $0.name, y: $0.values) }).svg()),
                          at: 0)
        }

        var sections = [MetricReport.Section(title: "Data", markdown: data.summary)]
        if let weights = featureWeights(model) {
            let table = MarkdownReport.table(headers: ["feature", "coefficient (per standard deviation)"],
                                             rows: weights.map { [$0.name, String(format: "%.1f", $0.weight)] },
                                             alignRight: [1])
            sections.append(.init(title: "Largest ridge coefficients", markdown: table))
        }
        return MetricReport(values: values, primary: "rmse", sections: sections, charts: charts)
    }

    /// The ridge coefficients by absolute size, in target units per standard deviation of the feature.
    static func featureWeights(_ model: PriceModel) -> [(name: String, weight: Double)]? {
        guard case .ridge(let ridge) = model.estimator, model.target.transform == .identity else { return nil }
        let named = zip(model.preprocessor.featureNames, ridge.coefficients).map { (name: $0, weight: $1) }
        return Array(named.sorted { abs($0.weight) > abs($1.weight) }.prefix(12))
    }
}
