import Foundation
import SolutionKit

/// Trains each recipe on a dataset's training rows and sets the decision threshold on them.
enum CreditTraining {
    static func train(_ configuration: RecipeConfiguration, on data: CreditDataset, context: RunContext) throws -> CreditModel {
        let rows = data.split.train
        guard !rows.isEmpty else {
            throw DataRequestError("\(data.source): this dataset holds evaluation rows only; it cannot be trained on")
        }
        let bad = rows.map { data.bad[$0] }
        let bads = bad.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard bads > 0 && bads < bad.count else {
            throw DataRequestError("\(data.source): the \(bad.count) training rows are all \(bads > 0 ? "bad" : "good") "
                                   + "(\(data.targetName) = \(bads > 0 ? data.positiveValue : "not \(data.positiveValue)")); "
                                   + "a credit model needs both good and bad applicants")
        }
        let recipe = configuration.recipe
        let rawRecipe = recipe == "scorecard" || recipe == "gbdt"
        let compress = rawRecipe ? false : try configuration.boolean("log_skewed_features")
        let policy = UnseenCategoryPolicy(rawValue: try configuration.text("unseen_categories")) ?? .reject
        let table = try data.features.selectingRows(rows)
        let preprocessor = try TabularPreprocessor(fittingOn: table, unseenCategories: policy, standardizes: !rawRecipe,
                                                   compressingSkew: compress)
        let features = try preprocessor.transform(table)
        var derived: DelinquencyFeatures? = nil
        if recipe == "gbdt", try configuration.text("credit_features") == "auto" {
            derived = DelinquencyFeatures(detectingIn: FeatureLayout(preprocessor))
        }
        let layout = FeatureLayout(preprocessor, derived: derived)
        let scaling = ScoreScaling(baseScore: try configuration.real("base_score"), baseOdds: try configuration.real("base_odds"),
                                   pointsToDoubleOdds: try configuration.real("pdo"))

        var history: TrainingCurves? = nil
        let estimator: CreditEstimator
        context.progress.begin("training \(recipe)", total: nil, unit: "step")
        switch recipe {
        case "scorecard":
            let settings = BinningSettings(monotonicTrend: try configuration.text("monotonic_trend"),
                                           maxBins: try configuration.integer("max_bins"),
                                           maxPrebins: try configuration.integer("max_prebins"),
                                           prebinning: try configuration.text("prebinning"),
                                           minBinFraction: BinningSettings.minimumBinFraction(
                                               try configuration.real("min_bin_fraction"), rows: rows.count))
            estimator = .scorecard(try Scorecard.fit(raw: layout.rawView(features), layout: layout, bad: bad, settings: settings,
                                                     minimumIV: try configuration.real("min_iv"),
                                                     inverseRegularization: try configuration.real("C"), scaling: scaling))
        case "logistic":
            estimator = .logistic(try LogisticRegression(inverseRegularization: try configuration.real("C")).fit(features, labels: bad))
        case "gbdt":
            let (model, curves) = try trainTrees(configuration, raw: layout.treeView(features), layout: layout, bad: bad,
                                                 seed: context.seed)
            history = curves
            estimator = .gbdt(model, try model.forestScorer(), FastTreeSHAP(model: model))
        case "mlp":
            let (network, curves) = try trainNetwork(configuration, features: features, bad: bad, context: context)
            history = curves
            estimator = .mlp(network)
        default:
            throw ConfigurationError.unknownRecipe(recipe, plugin: "credit-risk", known: CreditRecipes.all.map(\.name))
        }
        context.progress.finish()

        var baseline = [Float](repeating: 0, count: features.columns)
        features.scalars.withUnsafeBufferPointer { x in
            let width = features.columns
            var sums = [Double](repeating: 0, count: width)
            for r in 0..<features.rows { for c in 0..<width { sums[c] += Double(x[r * width + c]) } }
            for c in 0..<width { baseline[c] = Float(sums[c] / Double(max(features.rows, 1))) }
        }
        let costFN = try configuration.real("cost_fn"), costFP = try configuration.real("cost_fp")
        let model = CreditModel(configuration: configuration, preprocessor: preprocessor, derived: derived,
                                estimator: estimator, scaling: scaling,
                                decision: CostDecision(threshold: 0.5, costFalseNegative: costFN, costFalsePositive: costFP),
                                baseline: baseline, history: history)
        let threshold: Double
        if try configuration.text("threshold_rule") == "bayes" {
            threshold = CostDecision.bayesThreshold(costFalseNegative: costFN, costFalsePositive: costFP)
        } else {
            threshold = CostDecision.minimisingCost(probabilities: try model.probabilities(features), bad: bad,
                                                    costFalseNegative: costFN, costFalsePositive: costFP)
        }
        return CreditModel(configuration: configuration, preprocessor: preprocessor, derived: derived,
                           estimator: estimator, scaling: scaling,
                           decision: CostDecision(threshold: threshold, costFalseNegative: costFN, costFalsePositive: costFP),
                           baseline: baseline, history: history)
    }

    static func trainTrees(_ configuration: RecipeConfiguration, raw: Tensor, layout: FeatureLayout, bad: [Bool],
                           seed: UInt64) throws -> (GradientBoostedModel, TrainingCurves?) {
        var parameters = GradientBoostingParameters()
        parameters.objective = .binary
        parameters.numberOfRounds = try configuration.integer("rounds")
        parameters.learningRate = try configuration.real("learning_rate")
        parameters.numberOfLeaves = try configuration.integer("num_leaves")
        let depth = try configuration.integer("max_depth")
        parameters.maxDepth = depth > 0 ? depth : nil
        parameters.minDataInLeaf = try configuration.integer("min_data_in_leaf")
        parameters.lambdaL1 = try configuration.real("lambda_l1")
        parameters.lambdaL2 = try configuration.real("lambda_l2")
        parameters.featureFraction = try configuration.real("feature_fraction")
        parameters.baggingFraction = try configuration.real("bagging_fraction")
        parameters.baggingFrequency = parameters.baggingFraction < 1 ? 1 : 0
        parameters.seed = seed
        let labels = bad.map { $0 ? 1.0 : 0.0 }
        let stopping = try configuration.integer("early_stopping_rounds")
        var trainer = GradientBoostingTrainer(parameters: parameters)
        if stopping > 0 {
            // Every tenth training row is held out to decide when to stop.
            let held = Array(stride(from: 9, to: raw.rows, by: 10))
            let heldSet = Set(held)
            let kept = (0..<raw.rows).filter { !heldSet.contains($0) }
            trainer.parameters.earlyStoppingRounds = stopping
            trainer.parameters.metric = .auc
            let model = try trainer.fit(features: raw.gatheringRows(kept), labels: kept.map { labels[$0] },
                                        categoricalFeatures: layout.categoricalIndices, featureNames: layout.names,
                                        validation: BoostingValidationSet(features: raw.gatheringRows(held), labels: held.map { labels[$0] }))
            let curve = model.history.compactMap(\.validation)
            return (model, curve.isEmpty ? nil : TrainingCurves(series: [.init(name: "validation_auc", values: curve)],
                                                                bestIteration: model.bestIteration))
        }
        // Bagging: models grown with different seeds (rows and features drawn differently), averaged. The average of
        // additive tree models is one additive model whose leaves are divided by the bag count, so prediction,
        // bundles and TreeSHAP treat it like any other boosted model.
        let bags = try configuration.integer("bags")
        var combined: GradientBoostedModel? = nil
        for bag in 0..<bags {
            trainer.parameters.seed = seed &+ UInt64(bag) &* 0x9E37_79B9
            var model = try trainer.fit(features: raw, labels: labels, categoricalFeatures: layout.categoricalIndices,
                                        featureNames: layout.names)
            guard bags > 1 else { return (model, nil) }
            for t in model.trees.indices {
                model.trees[t].leafValue = model.trees[t].leafValue.map { $0 / Double(bags) }
                model.trees[t].internalValue = model.trees[t].internalValue.map { $0 / Double(bags) }
            }
            if combined == nil { combined = model } else { combined!.trees += model.trees }
        }
        combined!.bestIteration = nil
        return (combined!, nil)
    }

    static func trainNetwork(_ configuration: RecipeConfiguration, features: Tensor, bad: [Bool],
                             context: RunContext) throws -> (Sequential, TrainingCurves?) {
        let hidden = try CreditRecipes.hiddenLayers(try configuration.text("hidden_layers"))
        let network = try Sequential(spec: NetworkSpec.multilayerPerceptron(inputs: features.columns, hidden: hidden, outputs: 1),
                                     seed: context.seed)
        let weightDecay = try configuration.real("weight_decay")
        let learningRate = Float(try configuration.real("learning_rate"))
        let optimizer: Adam = weightDecay > 0
            ? Adam.adamW(learningRate: learningRate, weightDecay: Float(weightDecay))
            : Adam(learningRate: learningRate)
        let epochs = try configuration.integer("epochs")
        let trainer = Trainer(
            network: network, loss: BinaryCrossEntropy(), optimizer: optimizer,
            configuration: TrainingConfiguration(
                epochs: epochs, batchSize: try configuration.integer("batch_size"), shuffle: true, seed: context.seed,
                validationFraction: try configuration.real("validation_fraction"),
                earlyStopping: EarlyStopping(patience: try configuration.integer("patience"), restoreBestWeights: true)))
        let history = try trainer.fit(inputs: features, targets: Tensor(shape: [bad.count, 1], scalars: bad.map { $0 ? 1 : 0 }),
                                      progress: { event in if case .epochEnded = event { context.progress.advance() } })
        return (network, history.curves)
    }
}
