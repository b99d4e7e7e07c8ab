extension GradientBoostedModel {
    /// The metric the model was trained with (the objective's own when none was set), by name for reports.
    public var trainingMetric: BoostingMetric { parameters.metric ?? objective.defaultMetric }

    /// The metric on `features`/`labels` after each tree, in order: a curve for rows the trainer never saw,
    /// as LightGBM records for every set in `valid_sets`. Labels are on the scale the model was trained on.
    public func stagedMetric(_ metric: BoostingMetric? = nil, features: Tensor, labels: [Double]) throws -> [Double] {
        try checkWidth(features)
        guard features.rows == labels.count else {
            throw BoostingError.labelCountMismatch(rows: features.rows, labels: labels.count)
        }
        let metric = metric ?? trainingMetric
        var scores = [Double](repeating: initialScore, count: features.rows)
        var values: [Double] = []
        values.reserveCapacity(trees.count)
        for tree in trees {
            GradientBoostingTrainer.addTree(tree, features: features, to: &scores)
            values.append(metric.evaluate(rawScores: scores, labels: labels, objective: objective))
        }
        return values
    }
}
