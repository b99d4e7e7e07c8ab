/// Fits gradient-boosted decision trees (LightGBM's algorithm: histogram bins, leaf-wise trees).
///
/// ```swift
/// var parameters = GradientBoostingParameters()
/// parameters.objective = .binary
/// let model = try GradientBoostingTrainer(parameters: parameters)
///     .fit(features: x, labels: y, categoricalFeatures: [3])
/// let probabilities = try model.predictions(for: xTest)
/// ```
/// The same parameters and seed give bit-identical trees whatever `Parallelism.threadCount` is.
public struct GradientBoostingTrainer: Sendable {
    public var parameters: GradientBoostingParameters
    /// Whether to evaluate the metric on the training rows every round (costs one pass per round).
    public var recordsTrainingMetric = false

    /// Early stopping only ends training and keeps every round grown: cross-validation folds need their whole curve,
    /// since the round count is chosen by the mean curve over folds (`lgb.cv`), not by each fold's own best.
    public var keepsRoundsAfterBest = false

    public init(parameters: GradientBoostingParameters = GradientBoostingParameters()) {
        self.parameters = parameters
    }

    /// Trains on `features` (rows × features, NaN = missing) and `labels`.
    ///
    /// - Parameters:
    ///   - categoricalFeatures: indices of features holding category codes 0, 1, 2, ... (NaN = missing).
    ///     Only the `maxBin` most frequent categories of a feature can be split on; rarer ones, and
    ///     categories unseen in training, go with missing values (always to the right of a categorical split).
    ///   - validation: scored every round; with `earlyStoppingRounds` set, training stops when its metric
    ///     has not improved for that many rounds and the model keeps the best iteration.
    /// - Throws: `BoostingError` for zero rows, mismatched counts, NaN/infinite labels, labels other than
    ///   0/1 with the binary objective, invalid category codes or parameters. A constant or all-missing feature
    ///   is not an error: it is never split on.
    public func fit(features: Tensor, labels: [Double], categoricalFeatures: Set<Int> = [],
                    featureNames: [String]? = nil,
                    validation: BoostingValidationSet? = nil) throws -> GradientBoostedModel {
        try parameters.validate()
        let rows = features.rows
        let featureCount = features.rank >= 2 ? features.columns : (rows > 0 ? 1 : 0)
        guard rows > 0, !labels.isEmpty, featureCount > 0 else { throw BoostingError.emptyTrainingSet }
        guard labels.count == rows else { throw BoostingError.labelCountMismatch(rows: rows, labels: labels.count) }
        try Self.checkLabels(labels, objective: parameters.objective)
        if let validation {
            guard validation.features.columns == featureCount else {
                throw BoostingError.featureCountMismatch(expected: featureCount, got: validation.features.columns)
            }
            guard validation.labels.count == validation.features.rows else {
                throw BoostingError.labelCountMismatch(rows: validation.features.rows, labels: validation.labels.count)
            }
            try Self.checkLabels(validation.labels, objective: parameters.objective)
        }
        if let names = featureNames, names.count != featureCount {
            throw BoostingError.invalidParameter(name: "featureNames", value: "\(names.count) names",
                                                 allowed: "one name per feature (\(featureCount))")
        }

        let matrix = try BinnedMatrix(features: features, categorical: categoricalFeatures, parameters: parameters)
        let objective = parameters.objective
        let metric = parameters.metric ?? objective.defaultMetric
        let initialScore = objective.initialScore(labels: labels)
        var model = GradientBoostedModel(
            objective: objective, parameters: parameters, featureCount: featureCount,
            featureNames: featureNames ?? (0..<featureCount).map { "f\($0)" },
            categoricalFeatures: categoricalFeatures.sorted(), initialScore: initialScore)

        let usable = (0..<featureCount).filter { !matrix.mappers[$0].isTrivial }
        if usable.isEmpty { return model }   // every feature constant or missing: the model is the constant.

        let learner = TreeLearner(matrix: matrix, parameters: parameters)
        var scores = [Double](repeating: initialScore, count: rows)
        var gradients = [Float](repeating: 0, count: rows)
        var hessians = [Float](repeating: 0, count: rows)
        var validationScores = [Double](repeating: initialScore, count: validation?.labels.count ?? 0)
        var bagged: [Int32]? = nil
        var outOfBag: [Int32] = []
        var bestMetric: Double? = nil
        var bestIteration = 0

        for iteration in 0..<parameters.numberOfRounds {
            scores.withUnsafeBufferPointer { s in
                labels.withUnsafeBufferPointer { y in
                    gradients.withUnsafeMutableBufferPointer { g in
                        hessians.withUnsafeMutableBufferPointer { h in
                            objective.computeDerivatives(scores: s.baseAddress!, labels: y.baseAddress!, count: rows,
                                                         gradients: g.baseAddress!, hessians: h.baseAddress!)
                        }
                    }
                }
            }
            if parameters.baggingFrequency > 0 && parameters.baggingFraction < 1
                && iteration % parameters.baggingFrequency == 0 {
                let drawn = Self.drawBag(rows: rows, fraction: parameters.baggingFraction,
                                         seed: parameters.seed, iteration: iteration)
                bagged = drawn.bag
                outOfBag = drawn.outOfBag
            }
            let treeFeatures = Self.drawFeatures(usable, fraction: parameters.featureFraction,
                                                 seed: parameters.seed, iteration: iteration)
            var result = gradients.withUnsafeBufferPointer { g in
                hessians.withUnsafeBufferPointer { h in
                    learner.grow(gradients: g.baseAddress!, hessians: h.baseAddress!, rows: bagged,
                                 features: treeFeatures)
                }
            }
            if result.tree.internalNodeCount == 0 { break }  // nothing left worth splitting (as LightGBM)
            if let q = objective.refitQuantile {
                refit(&result, quantile: q, scores: scores, labels: labels, rowIndices: learner.rowIndices)
            }
            let tree = result.tree
            // Rows the tree was grown on are found through the leaf ranges; only rows left out of the bag
            // need a walk down the tree.
            let leafRows = learner.rowIndices
            scores.withUnsafeMutableBufferPointer { s in
                for (leaf, range) in result.leafRanges.enumerated() {
                    let value = tree.leafValue[leaf]
                    for i in range { s[Int(leafRows[i])] += value }
                }
            }
            if bagged != nil {
                Self.addTree(tree, features: features, rows: outOfBag, to: &scores)
            }
            model.trees.append(tree)

            var record = BoostingRecord(iteration: iteration + 1, training: nil, validation: nil)
            if recordsTrainingMetric {
                record.training = metric.evaluate(rawScores: scores, labels: labels, objective: objective)
            }
            if let validation {
                Self.addTree(tree, features: validation.features, to: &validationScores)
                let value = metric.evaluate(rawScores: validationScores, labels: validation.labels, objective: objective)
                record.validation = value
                if let best = bestMetric, !(metric.higherIsBetter ? value > best : value < best) {
                    // not an improvement
                } else {
                    bestMetric = value
                    bestIteration = iteration + 1
                }
            }
            model.history.append(record)
            if let patience = parameters.earlyStoppingRounds, validation != nil,
               iteration + 1 - bestIteration >= patience {
                break
            }
        }
        if parameters.earlyStoppingRounds != nil, validation != nil, bestIteration > 0, !keepsRoundsAfterBest {
            model.trees.removeLast(model.trees.count - bestIteration)
            model.bestIteration = bestIteration
        }
        return model
    }

    /// Trains on labels of another floating-point type, e.g. `[Float]` (converted to `Double`); see the
    /// `[Double]` overload.
    public func fit<Label: BinaryFloatingPoint>(features: Tensor, labels: [Label], categoricalFeatures: Set<Int> = [],
                    featureNames: [String]? = nil,
                    validation: BoostingValidationSet? = nil) throws -> GradientBoostedModel {
        try fit(features: features, labels: labels.map { Double($0) }, categoricalFeatures: categoricalFeatures,
                featureNames: featureNames, validation: validation)
    }

    static func checkLabels(_ labels: [Double], objective: BoostingObjective) throws {
        let binary: Bool
        if case .binaryLogLoss = objective { binary = true } else { binary = false }
        for (row, y) in labels.enumerated() {
            guard y.isFinite else { throw BoostingError.nonFiniteLabel(row: row, value: y) }
            if binary && y != 0 && y != 1 { throw BoostingError.labelOutsideBinaryRange(row: row, value: y) }
        }
    }

    /// Exactly `round(rows × fraction)` distinct rows drawn with the seed (Knuth's selection sampling, so
    /// both lists come out in row order without sorting), and the rows left out.
    static func drawBag(rows: Int, fraction: Double, seed: UInt64, iteration: Int) -> (bag: [Int32], outOfBag: [Int32]) {
        let take = max(1, Int((Double(rows) * fraction).rounded()))
        var generator = SeededGenerator.derived(from: seed, stream: 0xBA6 &+ UInt64(iteration) << 8)
        var bag: [Int32] = [], outOfBag: [Int32] = []
        bag.reserveCapacity(take)
        outOfBag.reserveCapacity(rows - take)
        var needed = take
        for r in 0..<rows {
            if needed > 0 && generator.nextUnitDouble() * Double(rows - r) < Double(needed) {
                bag.append(Int32(r)); needed -= 1
            } else {
                outOfBag.append(Int32(r))
            }
        }
        return (bag, outOfBag)
    }

    /// The features one tree may use: all of them, or a seeded subset of `max(1, round(n × fraction))`.
    static func drawFeatures(_ usable: [Int], fraction: Double, seed: UInt64, iteration: Int) -> [Int] {
        if fraction >= 1 { return usable }
        let take = max(1, Int((Double(usable.count) * fraction).rounded()))
        var generator = SeededGenerator.derived(from: seed, stream: 0xFEA7 &+ UInt64(iteration) << 8)
        var pool = usable
        for i in 0..<take { pool.swapAt(i, i + Int(generator.next() % UInt64(pool.count - i))) }
        return pool[0..<take].sorted()
    }

    /// Adds one tree's output for the given rows of `features` to `scores`.
    static func addTree(_ tree: DecisionTree, features: Tensor, rows: [Int32], to scores: inout [Double]) {
        let width = features.columns
        features.scalars.withUnsafeBufferPointer { x in
            scores.withUnsafeMutableBufferPointer { s in
                let s = s
                rows.withUnsafeBufferPointer { rows in
                    parallelFor(rows.count, minimumChunkSize: 4096) { _, range in
                        for i in range {
                            let r = Int(rows[i])
                            s[r] += tree.value(row: x.baseAddress! + r * width)
                        }
                    }
                }
            }
        }
    }

    /// Adds one tree's output for every row of `features` to `scores`.
    static func addTree(_ tree: DecisionTree, features: Tensor, to scores: inout [Double]) {
        let width = features.columns
        features.scalars.withUnsafeBufferPointer { x in
            scores.withUnsafeMutableBufferPointer { s in
                let s = s
                parallelFor(s.count, minimumChunkSize: 4096) { _, range in
                    for r in range { s[r] += tree.value(row: x.baseAddress! + r * width) }
                }
            }
        }
    }

    /// L1 and quantile loss: replaces each leaf value by the residual quantile of its rows (LightGBM's
    /// `RenewTreeOutput`), since the unit hessian only gives the gradient's sign.
    private func refit(_ result: inout TreeLearner.Result, quantile q: Double, scores: [Double],
                       labels: [Double], rowIndices: UnsafePointer<Int32>) {
        var residuals: [Double] = []
        for (leaf, range) in result.leafRanges.enumerated() where !range.isEmpty {
            residuals.removeAll(keepingCapacity: true)
            for i in range { let r = Int(rowIndices[i]); residuals.append(labels[r] - scores[r]) }
            residuals.sort()
            result.tree.leafValue[leaf] = quantileOfSorted(residuals, q) * parameters.learningRate
        }
    }
}
