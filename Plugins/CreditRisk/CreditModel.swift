import Foundation
import SolutionKit

/// The learner behind a credit model.
enum CreditEstimator {
    case scorecard(Scorecard)
    case logistic(LogisticRegressionModel)
    case gbdt(GradientBoostedModel, ForestScorer, FastTreeSHAP)
    case mlp(Sequential)
}

/// A trained credit model: preprocessing, the estimator, the score scaling and the cost-based decision rule.
///
/// As a `TabularPredictor` it writes, per applicant: `probability_of_default`, `score` (points), `decision`
/// (`decline` when the probability reaches the threshold, else `approve`) and `reason_1..3`, the inputs that cost
/// the applicant the most points.
final class CreditModel: TrainedModel, TabularPredictor {
    let configuration: RecipeConfiguration
    let preprocessor: TabularPreprocessor
    let layout: FeatureLayout
    let estimator: CreditEstimator
    let scaling: ScoreScaling
    let decision: CostDecision
    /// Mean of each preprocessed column over the training rows: the "average applicant" of linear and network reasons.
    let baseline: [Float]
    let history: TrainingCurves?
    /// Which rows get reason codes: all, only declined ones, or none (a scoring option).
    var reasonRows: ReasonRows = .all

    enum ReasonRows: String { case all, declined, none }

    init(configuration: RecipeConfiguration, preprocessor: TabularPreprocessor, derived: DelinquencyFeatures? = nil,
         estimator: CreditEstimator, scaling: ScoreScaling, decision: CostDecision, baseline: [Float],
         history: TrainingCurves?) {
        self.configuration = configuration
        self.preprocessor = preprocessor
        self.layout = FeatureLayout(preprocessor, derived: derived)
        self.estimator = estimator
        self.scaling = scaling
        self.decision = decision
        self.baseline = baseline
        self.history = history
    }

    static func cast(_ model: any TrainedModel) throws -> CreditModel {
        guard let model = model as? CreditModel else {
            throw InternalError("credit-risk was handed a model of type \(type(of: model))")
        }
        return model
    }

    /// A copy giving reasons for `reasonRows`; tree models get their explanation tables when reasons are wanted.
    func with(reasonRows: ReasonRows) -> CreditModel {
        var estimator = self.estimator
        if reasonRows != .none, case .gbdt(let model, let predictor, let tables) = estimator, !tables.explains {
            estimator = .gbdt(model, predictor, tables.explaining())
        }
        let copy = CreditModel(configuration: configuration, preprocessor: preprocessor, derived: layout.derived,
                               estimator: estimator, scaling: scaling,
                               decision: decision, baseline: baseline, history: history)
        copy.reasonRows = reasonRows
        return copy
    }

    // MARK: Prediction

    var outputColumns: [String] { ["probability_of_default", "score", "decision"] + ReasonCodes.columns }

    /// Log-odds of default for preprocessed rows. `parallel: false` keeps tree scoring on the calling thread.
    func logOdds(_ features: Tensor, parallel: Bool = true) throws -> [Double] {
        switch estimator {
        case .scorecard(let card):
            let m = card.entries.count
            let points = card.points(raw: layout.rawView(features))
            return (0..<features.rows).map { r in
                var score = 0.0
                for j in 0..<m { score += points[r * m + j] }
                return -(score - card.scaling.offset) / card.scaling.factor
            }
        case .logistic(let model):
            return try model.decisionFunction(features)
        case .gbdt(_, let scorer, _):
            // The same numbers as the explanation tables' scores, with far fewer mispredicted branches
            // (bench/gbdt/callgrind_predictors.sh).
            return try scorer.rawPredictions(for: layout.treeView(features), parallel: parallel)
        case .mlp(let network):
            return network.predict(features, batchSize: 4096).scalars.map(Double.init)
        }
    }

    func probabilities(_ features: Tensor) throws -> [Double] {
        try logOdds(features).map { 1 / (1 + exp(-$0)) }
    }

    func predict(features: Tensor) throws -> TabularPredictions {
        try predictions(features, textsAsBytes: false)
    }

    /// What the batch scorer writes: the same values, reason texts as UTF-8 columns. The scorer already gives each
    /// core its own part of a batch, so tree scoring stays on the calling thread (no nested parallelism).
    func predictForOutput(features: Tensor) throws -> TabularPredictions {
        try predictions(features, textsAsBytes: true, parallel: false)
    }

    private func predictions(_ features: Tensor, textsAsBytes: Bool, parallel: Bool = true) throws -> TabularPredictions {
        let z: [Double]
        // Trees explaining every row: the scores come out of the same pass as the contributions.
        var contributions: [Double]? = nil
        var raw: Tensor? = nil
        if reasonRows == .all, case .gbdt(_, _, let tables) = estimator, tables.explains {
            raw = layout.rawView(features)
            let explained = tables.explain(layout.treeView(raw: raw!), parallel: parallel)
            (z, contributions) = (explained.scores, explained.contributions)
        } else {
            z = try logOdds(features, parallel: parallel)
        }
        let p = z.map { 1 / (1 + exp(-$0)) }
        let declined = p.map(decision.declines)
        let rows: [Int]
        switch reasonRows {
        case .all: rows = Array(0..<p.count)
        case .declined: rows = p.indices.filter { declined[$0] }
        case .none: rows = []
        }
        let reasons: [TabularPredictions.Values]
        if rows.isEmpty {
            reasons = textsAsBytes
                ? [TabularPredictions.Values](repeating: .utf8Texts(Self.emptyTexts(p.count)), count: ReasonCodes.count)
                : [TabularPredictions.Values](repeating: .texts([String](repeating: "", count: p.count)), count: ReasonCodes.count)
        } else {
            let subset = rows.count == p.count ? features : features.gatheringRows(rows)
            let explained = try reasonLosses(subset, logOdds: rows.map { z[$0] }, contributions: contributions,
                                             raw: rows.count == p.count ? raw : nil, parallel: parallel)
            reasons = textsAsBytes
                ? reasonBytes(explained, rows: rows, total: p.count)
                : reasonStrings(explained, rows: rows, total: p.count)
        }
        return TabularPredictions(columns: [
            (name: "probability_of_default", values: .numbers(p)),
            (name: "score", values: .numbers(p.map { (scaling.score(probability: $0) * 10).rounded() / 10 })),
            (name: "decision", values: .texts(declined.map { $0 ? "decline" : "approve" })),
        ] + ReasonCodes.columns.enumerated().map { (name: $1, values: reasons[$0]) })
    }

    /// Points lost per input for the explained rows, with what the texts need.
    struct ReasonLosses {
        /// rows × inputs.
        var losses: [Double]
        /// The raw view of the explained rows (rows × inputs).
        var raw: [Float]
        /// Scorecards: the bin label of (row, input); others describe the raw value.
        var label: ((Int, Int) -> String)?
        /// The inputs of each row's top reasons (rows × `ReasonCodes.count`, -1 for none).
        var top: [Int32]
    }

    /// Points lost per input (rows × inputs) and the top inputs of each row. Tree models take `contributions`
    /// (rows × (inputs + 1)) and callers the raw view of `features` when they already have them.
    func reasonLosses(_ features: Tensor, logOdds z: [Double], contributions: [Double]? = nil, raw: Tensor? = nil,
                      parallel: Bool = true) throws -> ReasonLosses {
        let rows = features.rows, inputs = layout.inputs.count
        let raw = raw ?? layout.rawView(features)
        var losses = [Double](repeating: 0, count: rows * inputs)
        var labels: ((Int, Int) -> String)? = nil
        switch estimator {
        case .scorecard(let card):
            let points = card.points(raw: raw), m = card.entries.count
            for (j, entry) in card.entries.enumerated() {
                for r in 0..<rows { losses[r * inputs + entry.input] = entry.bestPoints - points[r * m + j] }
            }
            let entryOf = Dictionary(uniqueKeysWithValues: card.entries.map { ($0.input, $0) })
            labels = { r, k in
                let entry = entryOf[k]!
                let b = entry.binning.bin(of: raw.scalars[r * inputs + k])
                return b < 0 ? "unseen category" : entry.binning.allBins[b].label
            }
        case .gbdt(let model, _, let tables):
            let phi: [Double]
            if let contributions {
                phi = contributions
            } else {
                let trees = layout.treeView(raw: raw)
                phi = tables.explains ? tables.explain(trees, parallel: parallel).contributions : try model.contributions(for: trees).values
            }
            let factor = scaling.factor
            phi.withUnsafeBufferPointer { phi in
                losses.withUnsafeMutableBufferPointer { losses in
                    for r in 0..<rows { for k in 0..<inputs { losses[r * inputs + k] = factor * phi[r * (inputs + 1) + k] } }
                }
            }
        case .logistic(let model):
            let width = features.columns
            features.scalars.withUnsafeBufferPointer { x in
                for r in 0..<rows {
                    for (k, input) in layout.inputs.enumerated() {
                        var delta = 0.0
                        for c in input.outputs { delta += model.coefficients[c] * Double(x[r * width + c] - baseline[c]) }
                        losses[r * inputs + k] = scaling.factor * delta
                    }
                }
            }
        case .mlp(let network):
            // Occlusion: how much the log-odds fall when the input is set to the average applicant's.
            let width = features.columns
            for (k, input) in layout.inputs.enumerated() {
                var occluded = features.scalars
                for r in 0..<rows { for c in input.outputs { occluded[r * width + c] = baseline[c] } }
                let base = network.predict(Tensor(shape: [rows, width], scalars: occluded), batchSize: 4096).scalars
                for r in 0..<rows { losses[r * inputs + k] = scaling.factor * (z[r] - Double(base[r])) }
            }
        }
        return ReasonLosses(losses: losses, raw: raw.scalars, label: labels,
                            top: ReasonCodes.topInputs(losses: losses, rows: rows, inputs: inputs))
    }

    /// The reason columns as Strings; `rows[i]` is the batch row of explained row i, other rows get empty texts.
    private func reasonStrings(_ explained: ReasonLosses, rows: [Int], total: Int) -> [TabularPredictions.Values] {
        let inputs = layout.inputs.count, names = layout.names
        var columns = [[String]](repeating: [String](repeating: "", count: total), count: ReasonCodes.count)
        for (i, r) in rows.enumerated() {
            for c in 0..<ReasonCodes.count {
                let k = Int(explained.top[i * ReasonCodes.count + c])
                guard k >= 0 else { break }
                let value = explained.label?(i, k) ?? layout.describe(k, raw: explained.raw[i * inputs + k])
                columns[c][r] = ReasonCodes.format(name: names[k], value: value, points: explained.losses[i * inputs + k])
            }
        }
        return columns.map { .texts($0) }
    }

    /// The reason columns as UTF-8 (the same texts as `reasonStrings`), written without a String per text.
    private func reasonBytes(_ explained: ReasonLosses, rows: [Int], total: Int) -> [TabularPredictions.Values] {
        let inputs = layout.inputs.count
        let names = layout.names.map { Array($0.utf8) }
        var columns = [UTF8TextColumn](repeating: UTF8TextColumn(reservingBytes: rows.count * 48, texts: total),
                                       count: ReasonCodes.count)
        var next = 0
        for r in 0..<total {
            let i = next < rows.count && rows[next] == r ? next : -1
            if i >= 0 { next += 1 }
            for c in 0..<ReasonCodes.count {
                let k = i >= 0 ? Int(explained.top[i * ReasonCodes.count + c]) : -1
                guard k >= 0 else { columns[c].appendEmpty(); continue }
                ReasonText.append(name: names[k], value: { column in
                    if let label = explained.label {
                        column.append(contentsOf: label(i, k).utf8)
                    } else {
                        layout.appendDescription(k, raw: explained.raw[i * inputs + k], to: &column)
                    }
                }, points: explained.losses[i * inputs + k], to: &columns[c])
            }
        }
        return columns.map { .utf8Texts($0) }
    }

    private static func emptyTexts(_ count: Int) -> UTF8TextColumn {
        var column = UTF8TextColumn(texts: count)
        for _ in 0..<count { column.appendEmpty() }
        return column
    }

    // MARK: Bundles

    func bundleContents() throws -> BundleContents {
        var contents = BundleContents(inputSchema: try JSONValue(encoding: preprocessor.inputSchema))
        try contents.addJSONFile("preprocessing.json", preprocessor)
        try contents.addJSONFile("decision.json", DecisionFile(scaling: scaling, decision: decision))
        contents.arrays = [NamedArray(name: "baseline", shape: [baseline.count], values: baseline)]
        if let derived = layout.derived { try contents.addJSONFile("derived_features.json", derived) }
        switch estimator {
        case .scorecard(let card):
            try contents.addJSONFile("scorecard.json", card)
        case .logistic(let model):
            try contents.addJSONFile("logistic.json", model)
        case .gbdt(let model, _, _):
            contents.jsonFiles["trees.json"] = try model.jsonData()
        case .mlp(let network):
            try contents.addJSONFile("network.json", network.networkSpec)
            contents.arrays += network.namedParameters().map {
                NamedArray(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.scalars)
            }
        }
        return contents
    }

    struct DecisionFile: Codable {
        var scaling: ScoreScaling
        var decision: CostDecision
    }

    /// Reads a bundle, checking every part against the preprocessing's layout before anything is built.
    convenience init(bundle: ModelBundle, plugin: CreditRiskPlugin) throws {
        let configuration = try bundle.configuration(for: plugin)
        let preprocessor = try bundle.decodeJSONFile("preprocessing.json", as: TabularPreprocessor.self)
        try preprocessor.check(bundle.check("preprocessing.json"))
        // `FeatureLayout` reads raw values back out of one-hot blocks and indicators.
        try bundle.check("preprocessing.json").at("layout").require(preprocessor.layout == .oneHot,
                                                                    "credit-risk models read the oneHot layout")
        let width = preprocessor.featureCount
        let decision = try bundle.decodeJSONFile("decision.json", as: DecisionFile.self)
        try decision.scaling.check(bundle.check("decision.json").at("scaling"))
        try decision.decision.check(bundle.check("decision.json").at("decision"))
        let baseline = try bundle.array("baseline")
        let baselineCheck = bundle.check("weights.json").at("arrays").at("baseline")
        try baselineCheck.count(baseline.values.count, expected: width, of: "values for the preprocessing's features")
        try bundle.check("weights.bin").at("baseline").allFinite(baseline.values)
        var derived: DelinquencyFeatures? = nil
        if bundle.jsonFiles["derived_features.json"] != nil {
            let features = try bundle.decodeJSONFile("derived_features.json", as: DelinquencyFeatures.self)
            try bundle.check("derived_features.json").require(features.fits(inputs: FeatureLayout(preprocessor).inputs.count),
                                                              "the positions do not fit the preprocessing's inputs")
            derived = features
        }
        let estimator: CreditEstimator
        switch configuration.recipe {
        case "scorecard":
            let card = try bundle.decodeJSONFile("scorecard.json", as: Scorecard.self)
            try card.check(bundle.check("scorecard.json"), layout: FeatureLayout(preprocessor))
            estimator = .scorecard(card)
        case "logistic":
            let model = try bundle.decodeJSONFile("logistic.json", as: LogisticRegressionModel.self)
            let check = bundle.check("logistic.json")
            try check.at("coefficients").count(model.coefficients.count, expected: width, of: "coefficients for the preprocessing's features")
            try check.at("coefficients").allFinite(model.coefficients)
            try check.at("intercept").finite(model.intercept)
            estimator = .logistic(model)
        case "gbdt":
            let model = try bundle.boostedModel("trees.json")
            let inputs = FeatureLayout(preprocessor, derived: derived).inputs.count
            try bundle.check("trees.json").at("featureCount").require(
                model.featureCount == inputs, "\(model.featureCount) features; the preprocessing gives \(inputs)")
            estimator = .gbdt(model, try model.forestScorer(), FastTreeSHAP(model: model, explaining: false))
        case "mlp":
            estimator = .mlp(try bundle.network(inputShape: [1, width], outputShape: [1, 1], includingBuffers: false))
        default:
            throw ConfigurationError.unknownRecipe(configuration.recipe, plugin: plugin.id, known: CreditRecipes.all.map(\.name))
        }
        self.init(configuration: configuration, preprocessor: preprocessor, derived: derived, estimator: estimator,
                  scaling: decision.scaling, decision: decision.decision, baseline: baseline.values, history: nil)
    }
}
