/// The ROC curve: one point per distinct score threshold, from (0, 0) to (1, 1).
///
/// Follows scikit-learn's `roc_curve(drop_intermediate=False)`: thresholds descend, the first threshold is +∞
/// (nothing predicted positive), and a sample is predicted positive when its score is ≥ the threshold.
/// Its trapezoidal `area` equals `AreaUnderROC`.
public struct ROCCurve: Equatable, Sendable {
    public var falsePositiveRates: [Double]
    public var truePositiveRates: [Double]
    public var thresholds: [Double]

    public init(scores: [Double], labels: [Bool]) throws {
        let ranking = try ScoreRanking(metric: "roc_curve", scores: scores, labels: labels)
        let p = Double(ranking.positives), n = Double(ranking.negatives)
        falsePositiveRates = [0]
        truePositiveRates = [0]
        thresholds = [.infinity]
        var tp = 0, fp = 0
        for k in stride(from: ranking.distinctScores.count - 1, through: 0, by: -1) {
            tp += ranking.positivesAt[k]
            fp += ranking.negativesAt[k]
            falsePositiveRates.append(Double(fp) / n)
            truePositiveRates.append(Double(tp) / p)
            thresholds.append(ranking.distinctScores[k])
        }
    }

    /// The area under the curve by the trapezoidal rule.
    public var area: Double {
        var sum = 0.0
        for i in 1..<falsePositiveRates.count {
            sum += (falsePositiveRates[i] - falsePositiveRates[i - 1])
                * (truePositiveRates[i] + truePositiveRates[i - 1]) / 2
        }
        return sum
    }
}

/// The KS curve: cumulative distributions of the scores of negatives and of positives, by score.
///
/// At each distinct score t (ascending), `negativeCumulative` is the share of negatives scoring ≤ t and
/// `positiveCumulative` the share of positives. The KS statistic is the largest vertical gap between them;
/// `thresholdAtStatistic` is the score where it is reached (the first one, if several tie).
public struct KSCurve: Equatable, Sendable {
    public var thresholds: [Double]
    public var negativeCumulative: [Double]
    public var positiveCumulative: [Double]
    public var statistic: Double
    public var thresholdAtStatistic: Double

    public init(scores: [Double], labels: [Bool]) throws {
        let ranking = try ScoreRanking(metric: "ks", scores: scores, labels: labels)
        let p = Double(ranking.positives), n = Double(ranking.negatives)
        thresholds = ranking.distinctScores
        negativeCumulative = []
        positiveCumulative = []
        negativeCumulative.reserveCapacity(thresholds.count)
        positiveCumulative.reserveCapacity(thresholds.count)
        var pos = 0, neg = 0
        statistic = 0
        thresholdAtStatistic = ranking.distinctScores[0]
        for k in 0..<thresholds.count {
            pos += ranking.positivesAt[k]
            neg += ranking.negativesAt[k]
            let negShare = Double(neg) / n, posShare = Double(pos) / p
            negativeCumulative.append(negShare)
            positiveCumulative.append(posShare)
            let gap = abs(negShare - posShare)
            if gap > statistic {
                statistic = gap
                thresholdAtStatistic = thresholds[k]
            }
        }
    }
}
