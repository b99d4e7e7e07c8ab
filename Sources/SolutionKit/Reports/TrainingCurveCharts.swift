extension TrainingCurves {
    /// The report charts of a training run: every recorded curve on one chart (training beside validation) and,
    /// when the rates were recorded, the learning rate by epoch.
    public func reportCharts(name: String = "training-curve", title: String = "Training curve", xLabel: String,
                             yLabel: String) -> [MetricReport.Chart] {
        var charts: [MetricReport.Chart] = []
        let drawn = series.filter { !$0.values.isEmpty }
        if !drawn.isEmpty {
            charts.append(.init(name: name, title: title, data: .line(LineChart(
                title: bestIteration.map { "\(title) (kept iteration \($0))" } ?? title, xLabel: xLabel, yLabel: yLabel,
                series: drawn.map { ChartSeries(name: $0.name, y: $0.values) }))))
        }
        if !learningRates.isEmpty {
            charts.append(.init(name: "learning-rate", title: "Learning rate by epoch", data: .line(LineChart(
                title: "Learning rate by epoch", xLabel: "epoch", yLabel: "learning rate",
                series: [ChartSeries(name: "", y: learningRates)]))))
        }
        return charts
    }
}
