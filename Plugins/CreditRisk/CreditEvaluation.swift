import Foundation
import SolutionKit

/// Metrics, tables and charts of a credit model on the evaluation rows.
enum CreditEvaluation {
    static let metricNames = ["roc_auc", "gini", "ks", "brier", "log_loss", "expected_cost", "threshold", "decline_rate"]

    static func evaluate(_ model: CreditModel, on data: CreditDataset, context: RunContext) throws -> MetricReport {
        let tested = data.split.test
        guard !tested.isEmpty else { throw DataRequestError("\(data.source): no evaluation rows") }
        let evaluation = try model.preprocessor.transformForEvaluation(try data.features.selectingRows(tested))
            .checked(source: data.source, progress: context.progress)
        let rows = evaluation.rows.map { tested[$0] }
        let p = try model.probabilities(evaluation.features)
        let bad = rows.map { data.bad[$0] }
        guard bad.contains(true) && bad.contains(false) else {
            throw DataRequestError("\(data.source): the \(rows.count) evaluation rows are all \(bad[0] ? "bad" : "good"); "
                                   + "ROC AUC needs both")
        }
        let auc = try AreaUnderROC().evaluate(scores: p, labels: bad)
        let declines = p.filter(model.decision.declines).count
        let values: [MetricReport.Value] = [
            .init(name: "roc_auc", value: auc),
            .init(name: "gini", value: 2 * auc - 1),
            .init(name: "ks", value: try KolmogorovSmirnovStatistic().evaluate(scores: p, labels: bad)),
            .init(name: "brier", value: try BrierScore().evaluate(scores: p, labels: bad)),
            .init(name: "log_loss", value: try LogLoss(epsilon: 1e-15).evaluate(scores: p, labels: bad)),
            .init(name: "expected_cost", value: model.decision.expectedCost(probabilities: p, bad: bad)),
            .init(name: "threshold", value: model.decision.threshold),
            .init(name: "decline_rate", value: Double(declines) / Double(p.count)),
        ]
        if context.isCrossValidationFold {
            // Cross-validation reads the metrics, and AUC round by round (AUC ignores the link: raw scores suffice).
            var staged: [Double]?
            if case .gbdt(let trees, _, _) = model.estimator, (try? model.configuration.integer("bags")) ?? 1 <= 1 {
                staged = try trees.stagedMetric(.auc, features: model.layout.treeView(evaluation.features),
                                                labels: bad.map { $0 ? 1 : 0 })
            }
            var report = MetricReport(values: values, primary: "roc_auc", stagedPrimary: staged)
            report.record(evaluation.unseen)
            return report
        }
        let calibration = try CalibrationTable(scores: p, labels: bad, binCount: 10)
        let scores = p.map(model.scaling.score(probability:))
        var sections = [MetricReport.Section(title: "Data", markdown: data.summary)]
        sections.append(.init(title: "Decision", markdown: String(
            format: "Decline when the probability of default is at least %.4f (rule: %@; cost of accepting a bad applicant %g, "
                + "of declining a good one %g). Scores: %g points at odds %g:1, %g points to double the odds.",
            model.decision.threshold, (try? model.configuration.text("threshold_rule")) ?? "", model.decision.costFalseNegative,
            model.decision.costFalsePositive, model.scaling.baseScore, model.scaling.baseOdds, model.scaling.pointsToDoubleOdds)))
        sections.append(.init(title: "Calibration by decile", markdown: MarkdownReport.table(
            headers: ["decile", "lowest p", "highest p", "applicants", "mean predicted", "observed bad rate"],
            rows: calibration.bins.enumerated().map { i, bin in
                [String(i + 1), String(format: "%.4f", bin.lowestScore), String(format: "%.4f", bin.highestScore), String(bin.count),
                 String(format: "%.4f", bin.meanPredicted), String(format: "%.4f", bin.observedRate)]
            }, alignRight: [1, 2, 3, 4, 5])))
        var tables: [MetricReport.Table] = [.init(name: "calibration", content: try JSONValue(encoding: calibration))]
        if case .scorecard(let card) = model.estimator {
            sections.append(.init(title: "Information value", markdown: ivTable(card)))
            sections.append(.init(title: "Points table", markdown: pointsTable(card)))
            tables.append(.init(name: "points", content: try JSONValue(encoding: card)))
        }
        var charts = try charts(p: p, bad: bad, scores: scores, calibration: calibration, model: model)
        if case .gbdt(let trees, _, _) = model.estimator {
            let treeFeatures = model.layout.treeView(evaluation.features)
            charts.insert(contentsOf: try treeCurves(trees, model: model, data: data, evaluationFeatures: treeFeatures, bad: bad),
                          at: 0)
            charts += try trees.explanationCharts(for: treeFeatures)
        }
        var report = MetricReport(values: values, primary: "roc_auc", sections: sections, charts: charts, tables: tables)
        report.record(evaluation.unseen)
        return report
    }

    /// Log loss round by round on the training rows and the evaluation rows (LightGBM's `valid_sets` curves).
    /// Bagged models are averages of independent runs, whose trees do not form one sequence of rounds: no curve.
    static func treeCurves(_ trees: GradientBoostedModel, model: CreditModel, data: CreditDataset, evaluationFeatures: Tensor,
                           bad: [Bool]) throws -> [MetricReport.Chart] {
        guard (try? model.configuration.integer("bags")) ?? 1 <= 1 else { return [] }
        var curves = TrainingCurves(series: [], bestIteration: trees.bestIteration)
        if !data.split.train.isEmpty {
            let train = model.layout.treeView(try model.preprocessor.transform(try data.features.selectingRows(data.split.train)))
            curves.series.append(.init(name: "training (\(train.rows) rows)", values: try trees.stagedMetric(
                .logLoss, features: train, labels: data.split.train.map { data.bad[$0] ? 1 : 0 })))
        }
        curves.series.append(.init(name: "evaluation (\(evaluationFeatures.rows) rows)", values: try trees.stagedMetric(
            .logLoss, features: evaluationFeatures, labels: bad.map { $0 ? 1 : 0 })))
        return curves.reportCharts(name: "log-loss-by-round", title: "Log loss by round", xLabel: "round", yLabel: "log loss")
    }

    static func ivTable(_ card: Scorecard) -> String {
        let selected = Set(card.entries.map { $0.binning.name })
        let ordered = card.allBinnings.sorted { $0.informationValue > $1.informationValue }
        return MarkdownReport.table(headers: ["feature", "information value", "bins", "trend", "in scorecard"],
                                    rows: ordered.map { [$0.name, String(format: "%.4f", $0.informationValue),
                                                         String($0.allBins.count), $0.trend, selected.contains($0.name) ? "yes" : "no"] },
                                    alignRight: [1, 2])
    }

    static func pointsTable(_ card: Scorecard) -> String {
        var rows: [[String]] = []
        for entry in card.entries {
            for (bin, points) in zip(entry.binning.allBins, entry.points) {
                rows.append([entry.binning.name, bin.label, String(bin.count),
                             String(format: "%.1f%%", 100 * Double(bin.bads) / Double(max(bin.count, 1))),
                             String(format: "%.3f", bin.woe), String(format: "%.1f", points)])
            }
        }
        return MarkdownReport.table(headers: ["feature", "bin", "training rows", "bad rate", "WoE", "points"], rows: rows,
                                    alignRight: [2, 3, 4, 5])
    }

    static func charts(p: [Double], bad: [Bool], scores: [Double], calibration: CalibrationTable,
                       model: CreditModel) throws -> [MetricReport.Chart] {
        let roc = try ROCCurve(scores: p, labels: bad)
        let ks = try KSCurve(scores: p, labels: bad)
        var charts: [MetricReport.Chart] = [
            .init(name: "roc", title: "ROC curve", data: .line(LineChart(
                title: String(format: "ROC (AUC %.4f)", roc.area), xLabel: "false positive rate (goods declined)",
                yLabel: "true positive rate (bads declined)",
                series: [ChartSeries(name: "model", x: roc.falsePositiveRates, y: roc.truePositiveRates),
                         ChartSeries(name: "chance", x: [0, 1], y: [0, 1])]))),
            .init(name: "ks", title: "KS curve", data: .line(LineChart(
                title: String(format: "KS (%.4f)", ks.statistic), xLabel: "probability of default threshold",
                yLabel: "cumulative share",
                series: [ChartSeries(name: "goods", x: ks.thresholds, y: ks.negativeCumulative),
                         ChartSeries(name: "bads", x: ks.thresholds, y: ks.positiveCumulative)]))),
            .init(name: "calibration", title: "Calibration", data: .line(LineChart(
                title: "Calibration by decile", xLabel: "mean predicted probability of default", yLabel: "observed bad rate",
                series: [ChartSeries(name: "model", x: calibration.bins.map(\.meanPredicted), y: calibration.bins.map(\.observedRate)),
                         ChartSeries(name: "perfect", x: [0, calibration.bins.last?.meanPredicted ?? 1],
                                     y: [0, calibration.bins.last?.meanPredicted ?? 1])]))),
            .init(name: "score-distribution", title: "Score distributions", data: .histogram(HistogramChart(
                title: "Scores of good and bad applicants", xLabel: "score (points)",
                distributions: [.init(name: "good", values: zip(scores, bad).filter { !$0.1 }.map(\.0)),
                                .init(name: "bad", values: zip(scores, bad).filter { $0.1 }.map(\.0))], binCount: 30))),
        ]
        if case .scorecard(let card) = model.estimator {
            let ordered = card.allBinnings.sorted { $0.informationValue > $1.informationValue }
            charts.append(.init(name: "information-value", title: "Information value", svg: HorizontalBarChart(
                title: "Information value per feature", xLabel: "information value", yLabel: "feature",
                categories: ordered.map(\.name), values: ordered.map(\.informationValue)).svg()))
        }
        if let history = model.history {
            let isNetwork: Bool
            if case .mlp = model.estimator { isNetwork = true } else { isNetwork = false }
            charts.insert(contentsOf: history.reportCharts(xLabel: isNetwork ? "epoch" : "round", yLabel: "value"), at: 0)
        }
        return charts
    }
}
