/// Scores sorted once, with ties grouped, shared by AUC, ROC and KS so they agree exactly on tie handling.
struct ScoreRanking {
    /// Distinct scores in ascending order.
    var distinctScores: [Double] = []
    /// Positives and negatives at each distinct score.
    var positivesAt: [Int] = []
    var negativesAt: [Int] = []
    var positives = 0
    var negatives = 0

    /// Validates `scores` and `labels` for `metric` (same non-zero count, finite scores, both classes).
    init(metric: String, scores: [Double], labels: [Bool]) throws {
        try MetricValidation.checkPaired(metric, scores.count, labels.count)
        try MetricValidation.checkFinite(metric, "scores", scores)
        (positives, negatives) = try MetricValidation.checkBothClasses(metric, labels)
        // Sorting indices keeps the pairing with labels without building an array of tuples per element.
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var index = 0
        while index < order.count {
            let score = scores[order[index]]
            var pos = 0, neg = 0
            while index < order.count, scores[order[index]] == score {
                if labels[order[index]] { pos += 1 } else { neg += 1 }
                index += 1
            }
            distinctScores.append(score)
            positivesAt.append(pos)
            negativesAt.append(neg)
        }
    }

    /// ROC AUC by the Mann–Whitney statistic with midranks for ties, which equals the trapezoidal area under
    /// the ROC curve: a tie between a positive and a negative counts one half.
    var areaUnderROC: Double {
        var below = 0.0            // negatives with a strictly lower score
        var pairs = 0.0
        for k in 0..<distinctScores.count {
            let pos = Double(positivesAt[k]), neg = Double(negativesAt[k])
            pairs += pos * (below + 0.5 * neg)
            below += neg
        }
        return pairs / (Double(positives) * Double(negatives))
    }
}
