import Foundation
import SolutionKit

/// How log-odds become points: `score = offset + factor · ln(odds good:bad)`, `factor = pdo / ln 2`,
/// `offset = baseScore − factor · ln(baseOdds)`. Every recipe's score column uses it, so scores are comparable.
struct ScoreScaling: Codable, Equatable, Sendable {
    var baseScore: Double = 600
    var baseOdds: Double = 50
    var pointsToDoubleOdds: Double = 20

    var factor: Double { pointsToDoubleOdds / log(2) }
    var offset: Double { baseScore - factor * log(baseOdds) }

    /// Points for a probability of default.
    func score(probability p: Double) -> Double {
        let q = min(max(p, 1e-15), 1 - 1e-15)
        return offset + factor * log((1 - q) / q)
    }

    /// Points for a change of the log-odds of default (a positive change costs points).
    func points(logOdds delta: Double) -> Double { -factor * delta }
}

/// A points scorecard: WoE bins of the selected features, a logistic regression on their WoE, and the points of
/// every bin. The score of an applicant is the sum of its bins' points; it equals `scaling.score(p)` exactly.
struct Scorecard: Codable, Equatable, Sendable {
    struct Entry: Codable, Equatable, Sendable {
        /// Index of the input column in the `FeatureLayout`.
        var input: Int
        var binning: FeatureBinning
        var coefficient: Double
        /// Points of each bin (then of the missing bin, when there is one).
        var points: [Double]
        /// Points of a value without a bin (an unseen category): WoE 0.
        var neutralPoints: Double
        var bestPoints: Double { max(points.max() ?? neutralPoints, neutralPoints) }
    }

    var entries: [Entry]
    var intercept: Double
    var scaling: ScoreScaling
    /// Every input's binning and information value, selected or not (for the IV table).
    var allBinnings: [FeatureBinning]

    /// Fits the scorecard on raw-view training rows.
    static func fit(raw: Tensor, layout: FeatureLayout, bad: [Bool], settings: BinningSettings, minimumIV: Double,
                    inverseRegularization: Double, scaling: ScoreScaling) throws -> Scorecard {
        let rows = raw.rows, width = raw.columns
        var binnings: [FeatureBinning] = []
        for (k, input) in layout.inputs.enumerated() {
            var column = [Float](repeating: 0, count: rows)
            raw.scalars.withUnsafeBufferPointer { x in for r in 0..<rows { column[r] = x[r * width + k] } }
            binnings.append(input.isCategorical
                ? WoEBinner.categorical(name: input.name, positions: column, categories: input.categories, bad: bad, settings: settings)
                : WoEBinner.numeric(name: input.name, values: column, bad: bad, settings: settings))
        }
        var selected = binnings.indices.filter { binnings[$0].informationValue >= minimumIV && binnings[$0].allBins.count > 1 }
        guard !selected.isEmpty else {
            throw DataRequestError("scorecard: no feature reaches the minimum information value \(minimumIV) "
                                   + "(the largest is \(String(format: "%.4f", binnings.map(\.informationValue).max() ?? 0))); lower min_iv")
        }
        // A WoE coefficient must be negative (more evidence of good, less risk); a positive one means the feature
        // only corrects for others it is collinear with, which a regulator cannot read: drop it and refit.
        while true {
            let woe = woeMatrix(raw: raw, binnings: selected.map { binnings[$0] }, inputs: selected)
            let model = try LogisticRegression(inverseRegularization: inverseRegularization).fit(woe, labels: bad)
            if let wrong = model.coefficients.indices.filter({ model.coefficients[$0] > 0 }).max(by: {
                model.coefficients[$0] < model.coefficients[$1] }), selected.count > 1 {
                selected.remove(at: wrong)
                continue
            }
            let m = Double(selected.count)
            let entries = zip(selected, model.coefficients).map { k, beta -> Entry in
                let binning = binnings[k]
                let share = scaling.offset / m - scaling.factor * model.intercept / m
                let points = binning.allBins.map { share - scaling.factor * beta * $0.woe }
                return Entry(input: k, binning: binning, coefficient: beta, points: points, neutralPoints: share)
            }
            return Scorecard(entries: entries, intercept: model.intercept, scaling: scaling, allBinnings: binnings)
        }
    }

    static func woeMatrix(raw: Tensor, binnings: [FeatureBinning], inputs: [Int]) -> Tensor {
        let rows = raw.rows, width = raw.columns, m = inputs.count
        var out = [Float](repeating: 0, count: rows * m)
        raw.scalars.withUnsafeBufferPointer { x in
            for r in 0..<rows {
                for (j, k) in inputs.enumerated() {
                    out[r * m + j] = Float(binnings[j].woe(ofBin: binnings[j].bin(of: x[r * width + k])))
                }
            }
        }
        return Tensor(shape: [rows, m], scalars: out)
    }

    /// Points of each entry for each raw-view row (rows × entries), row-major.
    func points(raw: Tensor) -> [Double] {
        let rows = raw.rows, width = raw.columns, m = entries.count
        var out = [Double](repeating: 0, count: rows * m)
        raw.scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { out in
                for (j, entry) in entries.enumerated() {
                    for r in 0..<rows {
                        let b = entry.binning.bin(of: x[r * width + entry.input])
                        out[r * m + j] = b < 0 ? entry.neutralPoints : entry.points[b]
                    }
                }
            }
        }
        return out
    }

    /// The probability of default that a total score stands for.
    func probability(score: Double) -> Double {
        let logOddsGood = (score - scaling.offset) / scaling.factor
        return 1 / (1 + exp(logOddsGood))
    }
}
