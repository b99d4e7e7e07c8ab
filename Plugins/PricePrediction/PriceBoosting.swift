import Foundation
import SolutionKit

/// The `gbdt` recipe: boosted trees on the native layout (raw numbers, NaN for missing, category positions).
enum PriceBoosting {
    static func parameters(_ configuration: RecipeConfiguration, seed: UInt64) throws -> GradientBoostingParameters {
        var parameters = GradientBoostingParameters()
        let objective = try configuration.text("objective")
        for key in PriceRecipes.boostingKeys {
            // alpha and huber_delta only mean something with their own objective.
            if key == "alpha" && objective != "quantile" { continue }
            if key == "huber_delta" && objective != "huber" { continue }
            guard let value = configuration.values[key] else { continue }
            try parameters.set(key, to: value.description)
        }
        let rounds = try configuration.integer("early_stopping_rounds")
        parameters.earlyStoppingRounds = rounds > 0 ? rounds : nil
        parameters.seed = seed
        return parameters
    }

    static func train(_ configuration: RecipeConfiguration, data: PriceDataset, transform: TargetTransform,
                      context: RunContext) throws -> PriceModel {
        let policy = UnseenCategoryPolicy(rawValue: try configuration.text("unseen_categories")) ?? .ignore
        let preprocessor = try TabularPreprocessor(fittingOn: data.features, rows: data.split.train,
                                                   unseenCategories: policy, layout: .native)
        let encoding = TargetEncoding(name: data.targetName, transform: transform, mean: 0, scale: 1)
        var parameters = try parameters(configuration, seed: context.seed)
        var trainRows = data.split.train
        var validation: BoostingValidationSet? = nil
        if parameters.earlyStoppingRounds != nil {
            let held = TrainTestSplit.random(rowCount: trainRows.count,
                                             testFraction: try configuration.real("validation_fraction"), seed: context.seed)
            let validationRows = held.test.map { trainRows[$0] }
            trainRows = held.train.map { trainRows[$0] }
            validation = BoostingValidationSet(
                features: try preprocessor.transform(try data.features.selectingRows(validationRows)),
                labels: try encoding.encode(validationRows.map { data.targets[$0] }))
        }
        var keepsRoundsAfterBest = false
        if validation == nil, context.isCrossValidationFold, !data.split.test.isEmpty {
            // A cross-validation fold stops once its own evaluation curve has stalled (rounds are then chosen on the
            // mean curve over folds), so a slow trial stops paying for rounds that cannot win.
            let evaluation = try preprocessor.transformForEvaluation(try data.features.selectingRows(data.split.test))
            validation = BoostingValidationSet(
                features: evaluation.features,
                labels: try encoding.encode(evaluation.rows.map { data.targets[data.split.test[$0]] }))
            parameters.earlyStoppingRounds = foldPatience(learningRate: parameters.learningRate)
            keepsRoundsAfterBest = true
        }
        let features = try preprocessor.transform(try data.features.selectingRows(trainRows))
        let labels = try encoding.encode(trainRows.map { data.targets[$0] })
        let categorical = Set(preprocessor.categoricalFeatureIndices)

        let coverage = try configuration.real("interval")
        context.progress.begin("training gbdt", total: coverage > 0 ? 3 : 1, unit: "model")
        let estimator: PriceEstimator
        if coverage > 0 {
            parameters.earlyStoppingRounds = nil
            let interval = try QuantileIntervalModel(parameters: parameters, lowerAlpha: (1 - coverage) / 2,
                                                     upperAlpha: (1 + coverage) / 2, features: features, labels: labels,
                                                     categoricalFeatures: categorical, featureNames: preprocessor.featureNames)
            estimator = .gbdtInterval(interval)
        } else {
            var trainer = GradientBoostingTrainer(parameters: parameters)
            trainer.recordsTrainingMetric = true
            trainer.keepsRoundsAfterBest = keepsRoundsAfterBest
            let model = try trainer.fit(
                features: features, labels: labels, categoricalFeatures: categorical,
                featureNames: preprocessor.featureNames, validation: validation)
            if let best = model.bestIteration, parameters.earlyStoppingRounds != nil {
                context.progress.note("early stopping: kept \(best) of \(model.history.count) rounds")
            }
            estimator = .gbdt(model, try model.forestScorer())
        }
        context.progress.advance(by: coverage > 0 ? 3 : 1)
        context.progress.finish()
        return PriceModel(configuration: configuration, preprocessor: preprocessor, target: encoding,
                          estimator: estimator, history: curves(estimator))
    }

    /// Rounds without improvement before a fold stops: patience measured in shrinkage (5 / rate, i.e. 100 rounds at
    /// the default rate 0.05, as `lgb.cv` users commonly set), at least 50.
    static func foldPatience(learningRate: Double) -> Int {
        max(50, Int((5 / max(learningRate, 1e-6)).rounded(.up)))
    }

    /// Per-round curves of the point model for the report.
    static func curves(_ estimator: PriceEstimator) -> TrainingCurves? {
        let model: GradientBoostedModel
        switch estimator {
        case .gbdt(let m, _): model = m
        case .gbdtInterval(let interval): model = interval.point
        default: return nil
        }
        var series: [TrainingCurves.Series] = []
        let training = model.history.compactMap(\.training)
        if training.count == model.history.count, !training.isEmpty { series.append(.init(name: "train", values: training)) }
        let validation = model.history.compactMap(\.validation)
        if validation.count == model.history.count, !validation.isEmpty {
            series.append(.init(name: "validation", values: validation))
        }
        return series.isEmpty ? nil : TrainingCurves(series: series, bestIteration: model.bestIteration)
    }
}
