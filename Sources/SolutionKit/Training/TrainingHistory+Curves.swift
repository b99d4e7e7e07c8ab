extension TrainingHistory {
    /// The per-epoch curves in the plugin contract's form, for reports and run records.
    public var curves: TrainingCurves {
        var series = [TrainingCurves.Series(name: "train_\(lossName)", values: trainLoss)]
        if validationLoss.contains(where: { $0 != nil }) {
            series.append(.init(name: "validation_\(lossName)", values: validationLoss.map { $0 ?? .nan }))
        }
        if monitorName != "validation_loss", monitoredValues.contains(where: { $0 != nil }) {
            series.append(.init(name: monitorName, values: monitoredValues.map { $0 ?? .nan }))
        }
        return TrainingCurves(series: series, bestIteration: bestEpoch, learningRates: epochs.map { Double($0.learningRate) })
    }
}
