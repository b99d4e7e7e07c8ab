import Foundation
import SolutionKit

/// Rating and ranking metrics per PROTOCOL.md, and the report charts.
enum RecommendationEvaluation {
    static let maxK = 20

    struct Result {
        var rmse: Double
        var mae: Double
        var ranking: RankingAccumulator
        var novelty: NoveltyAccumulator
        var coldRatings: Int
    }

    /// RMSE/MAE on the evaluation ratings; top-10 metrics over users with a relevant evaluation rating
    /// (≥ `relevantThreshold`), ranking every item they did not rate in training (the popular list for users
    /// unknown to the model).
    static func measure(_ model: RecommendationModel, on data: RecommendationDataset, relevantThreshold: Float) throws -> Result {
        let test = data.test
        guard test.count > 0 else { throw DataRequestError("\(data.source): no evaluation ratings") }
        var squared = 0.0, absolute = 0.0, cold = 0
        var relevant: [String: Set<Int>] = [:]
        var unknownRelevant: [String: Int] = [:]
        for r in 0..<test.count {
            let u = model.userIndex[test.users[r]] ?? -1, i = model.itemIndex[test.items[r]] ?? -1
            if u < 0 || i < 0 { cold += 1 }
            let error = Double(model.predictRating(user: u, item: i) - test.ratings[r])
            squared += error * error
            absolute += abs(error)
            if test.ratings[r] >= relevantThreshold {
                // A relevant item the model never saw cannot be ranked but still counts in recall's denominator:
                // it is given a negative index that no list contains.
                if i >= 0 { relevant[test.users[r], default: []].insert(i) }
                else { unknownRelevant[test.users[r], default: 0] += 1; relevant[test.users[r], default: []].insert(-1 - unknownRelevant[test.users[r]]!) }
            }
        }
        let users = relevant.keys.sorted()
        var lists = [[Int]](repeating: [], count: users.count)
        lists.withUnsafeMutableBufferPointer { out in
            parallelFor(users.count, minimumChunkSize: 32) { _, range in
                for j in range { out[j] = model.recommend(user: model.userIndex[users[j]] ?? -1, k: maxK).map(\.item) }
            }
        }
        var ranking = RankingAccumulator(maxK: maxK, catalogueSize: model.itemCount, coverageK: 10)
        var novelty = NoveltyAccumulator(degrees: (0..<model.itemCount).map { model.seen.itemDegree($0) },
                                         users: model.users.count, k: 10)
        for (j, user) in users.enumerated() {
            ranking.add(ranked: lists[j], relevant: relevant[user]!)
            novelty.add(ranked: lists[j])
        }
        let n = Double(test.count)
        return Result(rmse: (squared / n).squareRoot(), mae: absolute / n, ranking: ranking, novelty: novelty, coldRatings: cold)
    }

    static func evaluate(_ model: RecommendationModel, on data: RecommendationDataset) throws -> MetricReport {
        let threshold = relevanceThreshold(model.scale)
        let result = try measure(model, on: data, relevantThreshold: threshold)
        let r = result.ranking
        let values: [MetricReport.Value] = [
            .init(name: "rmse", value: result.rmse),
            .init(name: "mae", value: result.mae),
            .init(name: "precision@10", value: r.precision(at: 10)),
            .init(name: "recall@10", value: r.recall(at: 10)),
            .init(name: "ndcg@10", value: r.ndcg(at: 10)),
            .init(name: "coverage@10", value: r.coverage),
            .init(name: "novelty@10", value: result.novelty.novelty),
        ]
        let ks = (1...maxK).map(Double.init)
        var charts: [MetricReport.Chart] = [
            .init(name: "ranking-by-cutoff", title: "Ranking metrics by cut-off",
                  data: .line(LineChart(title: "Ranking metrics by cut-off k (\(r.users) users)", xLabel: "k", yLabel: "metric",
                                        series: [
                                            ChartSeries(name: "precision@k", x: ks, y: (1...maxK).map { r.precision(at: $0) }),
                                            ChartSeries(name: "recall@k", x: ks, y: (1...maxK).map { r.recall(at: $0) }),
                                            ChartSeries(name: "ndcg@k", x: ks, y: (1...maxK).map { r.ndcg(at: $0) }),
                                        ]))),
        ]
        if let history = model.history {
            charts.insert(contentsOf: history.reportCharts(title: "Training RMSE", xLabel: "epoch / sweep", yLabel: "RMSE"), at: 0)
        }
        let table = MarkdownReport.table(
            headers: ["k", "precision@k", "recall@k", "ndcg@k"],
            rows: [1, 5, 10, 15, 20].map { k in [String(k), String(format: "%.4f", r.precision(at: k)),
                                                 String(format: "%.4f", r.recall(at: k)), String(format: "%.4f", r.ndcg(at: k))] },
            alignRight: [0, 1, 2, 3])
        var sections = [
            MetricReport.Section(title: "Data", markdown: data.summary),
            MetricReport.Section(title: "Ranking by cut-off",
                                 markdown: "Relevant = evaluation rating ≥ \(RatingScale.format(threshold)); every item the user did not rate in training is ranked.\n\n" + table),
        ]
        sections.append(.init(title: "Example lists", markdown: exampleLists(model, data: data, threshold: threshold)))
        if let selection = model.selectionSummary {
            sections.append(.init(title: "Model selection", markdown: selection.split(separator: "\n").map { "- " + $0 }.joined(separator: "\n")))
        }
        if result.coldRatings > 0 {
            sections.append(.init(title: "Cold start", markdown: "\(result.coldRatings) evaluation rating(s) involve a user or item unseen in training; they are predicted from the biases."))
        }
        let cutoffs = JSONValue.array((1...maxK).map { k in
            .object(["k": .number(Double(k)), "precision": .number(r.precision(at: k)), "recall": .number(r.recall(at: k)),
                     "ndcg": .number(r.ndcg(at: k))])
        })
        return MetricReport(values: values, primary: "rmse", sections: sections, charts: charts,
                            tables: [.init(name: "ranking-by-cutoff", content: cutoffs)])
    }

    /// Three evaluation users (the first, middle and last by id among those with a relevant evaluation rating):
    /// what they rated highest in training, and their top 10 with the evaluation ratings they gave those items.
    static func exampleLists(_ model: RecommendationModel, data: RecommendationDataset, threshold: Float, count: Int = 3) -> String {
        let candidates = Set((0..<data.test.count).filter { data.test.ratings[$0] >= threshold }.map { data.test.users[$0] }).sorted()
        guard !candidates.isEmpty else { return "No evaluation user has a relevant rating." }
        let picks = Array(Set([0, candidates.count / 2, candidates.count - 1].prefix(count))).sorted().map { candidates[$0] }
        func title(_ item: String) -> String { data.titles[item].map { "\(item) \($0)" } ?? item }
        var text = ""
        for user in picks {
            let trained = (0..<data.train.count).filter { data.train.users[$0] == user }
                .sorted { data.train.ratings[$0] > data.train.ratings[$1] || (data.train.ratings[$0] == data.train.ratings[$1] && $0 < $1) }
            var evaluation: [String: Float] = [:]
            for r in 0..<data.test.count where data.test.users[r] == user { evaluation[data.test.items[r]] = data.test.ratings[r] }
            let liked = trained.prefix(5).map { "\(title(data.train.items[$0])) (\(RatingScale.format(data.train.ratings[$0])))" }
            text += "**User \(user)**: \(trained.count) training ratings; rated highest: "
                + (liked.isEmpty ? "none (a new user: the popular list)" : liked.joined(separator: "; ")) + "\n\n"
            let list = model.recommend(user: model.userIndex[user] ?? -1, k: 10)
            text += MarkdownReport.table(headers: ["rank", "recommended item", "score", "evaluation rating"], rows: list.enumerated().map { rank, pick in
                let item = model.items[pick.item]
                return [String(rank + 1), title(item), String(format: "%.3f", pick.score),
                        evaluation[item].map { RatingScale.format($0) + ($0 >= threshold ? " (relevant)" : "") } ?? ""]
            }, alignRight: [0, 2]) + "\n\n"
        }
        return text
    }

    /// 4 on a 1–5 scale (PROTOCOL); in general the top 40% of the scale.
    static func relevanceThreshold(_ scale: RatingScale) -> Float {
        scale == .oneToFive ? 4 : scale.minimum + 0.75 * (scale.maximum - scale.minimum)
    }
}
