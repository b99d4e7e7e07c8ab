import Foundation

/// A decline rule `probability of default >= threshold`, and its expected cost under a cost matrix.
///
/// Accepting a bad applicant (a false negative, bad = positive) costs `costFalseNegative`; declining a good one
/// costs `costFalsePositive`. German credit's matrix is 5 and 1.
struct CostDecision: Codable, Equatable, Sendable {
    var threshold: Double
    var costFalseNegative: Double
    var costFalsePositive: Double

    /// The Bayes threshold for calibrated probabilities: decline when p·cost_fn > (1−p)·cost_fp.
    static func bayesThreshold(costFalseNegative: Double, costFalsePositive: Double) -> Double {
        costFalsePositive / (costFalsePositive + costFalseNegative)
    }

    /// The threshold that minimises the total cost on the given (training) rows: halfway between the probabilities
    /// of the last declined and the first accepted applicant, so nearby new applicants are treated alike.
    static func minimisingCost(probabilities: [Double], bad: [Bool], costFalseNegative: Double,
                               costFalsePositive: Double) -> Double {
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        // Declining nobody: every bad is accepted.
        var cost = Double(bad.reduce(0) { $0 + ($1 ? 1 : 0) }) * costFalseNegative
        var bestCost = cost, bestCount = 0
        var i = 0
        while i < order.count {
            // Applicants with equal probability are declined together.
            var j = i
            while j < order.count && probabilities[order[j]] == probabilities[order[i]] {
                cost += bad[order[j]] ? -costFalseNegative : costFalsePositive
                j += 1
            }
            if cost < bestCost { bestCost = cost; bestCount = j }
            i = j
        }
        if bestCount == 0 { return min(1, (probabilities.max() ?? 0.5) + 1e-9) }
        let lastDeclined = probabilities[order[bestCount - 1]]
        let firstAccepted = bestCount < order.count ? probabilities[order[bestCount]] : 0
        return (lastDeclined + firstAccepted) / 2
    }

    func declines(_ p: Double) -> Bool { p >= threshold }

    /// Mean cost per applicant of this rule on labelled rows.
    func expectedCost(probabilities: [Double], bad: [Bool]) -> Double {
        var total = 0.0
        for (p, y) in zip(probabilities, bad) {
            if declines(p) { if !y { total += costFalsePositive } } else if y { total += costFalseNegative }
        }
        return total / Double(max(probabilities.count, 1))
    }
}
