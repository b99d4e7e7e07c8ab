extension GradientBoostedModel {
    /// The charts a tree-model user looks for first (LightGBM's `plot_importance`, shap's `summary_plot`):
    /// each feature's share of the total split gain, and a SHAP summary of up to `sampleRows` rows of `features`
    /// (an evenly spaced subset, so the same rows give the same picture). Categorical features are drawn grey in
    /// the summary: their codes have no low or high.
    public func explanationCharts(for features: Tensor, sampleRows: Int = 1_000) throws -> [MetricReport.Chart] {
        var charts: [MetricReport.Chart] = []
        let gains = featureImportance(.gain)
        let total = gains.reduce(0, +)
        if total > 0 {
            let order = gains.indices.sorted { gains[$0] > gains[$1] || (gains[$0] == gains[$1] && $0 < $1) }
                .filter { gains[$0] > 0 }
            charts.append(.init(name: "feature-importance", title: "Feature importance (gain)", svg: HorizontalBarChart(
                title: "Feature importance (share of total split gain)", xLabel: "share of gain", yLabel: "feature",
                categories: order.map { featureNames[$0] }, values: order.map { gains[$0] / total }).svg()))
        }
        guard features.rows > 0, !trees.isEmpty else { return charts }
        let picked = features.rows <= sampleRows ? Array(0..<features.rows)
            : (0..<max(1, sampleRows)).map { $0 * features.rows / max(1, sampleRows) }
        let sample = picked.count == features.rows ? features : features.gatheringRows(picked)
        let explained = try contributions(for: sample)
        let width = featureCount
        var contributions = [Double](repeating: 0, count: sample.rows * width)
        var values = [Double](repeating: .nan, count: sample.rows * width)
        let categorical = Set(categoricalFeatures)
        for r in 0..<sample.rows {
            for j in 0..<width {
                contributions[r * width + j] = explained[r, j]
                if !categorical.contains(j) { values[r * width + j] = Double(sample.scalars[r * width + j]) }
            }
        }
        charts.append(.init(name: "shap-summary", title: "SHAP summary", svg: SHAPSummaryChart(
            title: "SHAP summary (\(sample.rows) evaluation rows)", featureNames: featureNames,
            contributions: contributions, featureValues: values).svg()))
        return charts
    }
}
