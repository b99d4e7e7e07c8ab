import Foundation

/// Every trial of a search with its cross-validation scores, ranked: what `tune` and `--recipe auto` write as
/// `leaderboard.csv`, `leaderboard.json` and `leaderboard.svg`.
public struct Leaderboard: Codable, Sendable {
    public struct Trial: Codable, Sendable {
        public var index: Int
        public var configuration: RecipeConfiguration
        /// The keys the search set; the rest are the base configuration's.
        public var searched: [String]
        public var scores: [FoldScore] = []
        public var estimate: CrossValidationEstimate?
        /// The last rung (0-based) the trial was scored in.
        public var rung = 0
        public var failure: String?
        public var stopped = false

        public init(index: Int, configuration: RecipeConfiguration, searched: [String]) {
            self.index = index
            self.configuration = configuration
            self.searched = searched
        }

        /// The configuration to train: the CV-chosen stage count written into its stages key.
        public func chosenConfiguration(stagesKey: String?) -> RecipeConfiguration {
            var configuration = self.configuration
            if let stagesKey, let stages = estimate?.stages { configuration.values[stagesKey] = .integer(stages) }
            return configuration
        }

        mutating func refresh(_ board: Leaderboard, stagesKeys: [String: String]) {
            guard failure == nil, !scores.isEmpty else { estimate = nil; return }
            estimate = CrossValidationEstimate(metric: board.metric, higherIsBetter: board.higherIsBetter, scores: scores)
        }

        /// More folds first (later rungs), then the better mean, then the lower index: a total, seed-stable order.
        func isRankedBefore(_ other: Trial) -> Bool {
            let (a, b) = (estimate, other.estimate)
            guard let a else { return false }
            guard let b else { return true }
            if a.values.count != b.values.count { return a.values.count > b.values.count }
            if a.mean != b.mean, a.mean.isFinite || b.mean.isFinite { return a.isBetter(than: b) }
            return index < other.index
        }

        public var status: String {
            if let failure { return "failed: \(failure)" }
            if stopped { return "stopped" }
            return "scored"
        }
    }

    public var metric: String
    public var higherIsBetter: Bool
    public var folds: Int
    public var seed: UInt64
    public var trials: [Trial]
    /// Fold counts of the rungs run so far.
    public var rungs: [Int] = []
    /// True when a stop (Ctrl-C) or the time limit cut the search short.
    public var stoppedEarly = false

    public init(metric: String, higherIsBetter: Bool, folds: Int, seed: UInt64, trials: [Trial]) {
        self.metric = metric
        self.higherIsBetter = higherIsBetter
        self.folds = folds
        self.seed = seed
        self.trials = trials
    }

    /// Trials best first.
    public var ranked: [Trial] { trials.sorted { $0.isRankedBefore($1) } }

    /// The best trial with an estimate, if any.
    public var winner: Trial? { ranked.first { $0.estimate != nil } }

    /// One row per trial, best first: rank, trial, recipe, mean, sd, folds, stages, status, then every hyperparameter.
    public func csv() -> String {
        let keys = Array(Set(trials.flatMap { $0.configuration.values.keys })).sorted()
        var lines = [(["rank", "trial", "recipe", "cv_\(metric)_mean", "cv_\(metric)_sd", "folds", "stages", "status"] + keys)
            .map(Self.field).joined(separator: ",")]
        for (rank, trial) in ranked.enumerated() {
            let e = trial.estimate
            var row = [String(rank + 1), String(trial.index), trial.configuration.recipe,
                       e.map { Self.number($0.mean) } ?? "", e.flatMap { $0.values.count > 1 ? Self.number($0.standardDeviation) : nil } ?? "",
                       String(e?.values.count ?? 0), e?.stages.map(String.init) ?? "", trial.status]
            row += keys.map { trial.configuration.values[$0]?.description ?? "" }
            lines.append(row.map(Self.field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Score against trial: every trial's CV mean (by the folds it reached) and the best so far.
    public func chart() -> LineChart {
        let scored = trials.filter { $0.estimate != nil }
        var best: [Double] = []
        var running: Double?
        for trial in trials {
            if let mean = trial.estimate?.mean, mean.isFinite, trial.estimate!.values.count == (rungs.last ?? folds) {
                running = running.map { higherIsBetter ? max($0, mean) : min($0, mean) } ?? mean
            }
            best.append(running ?? .nan)
        }
        return LineChart(title: "Cross-validated \(metric) by trial", xLabel: "trial", yLabel: "CV \(metric) (mean over folds)",
                         series: [ChartSeries(name: "trial (mean over the folds it reached)",
                                              x: scored.map { Double($0.index) }, y: scored.map { $0.estimate!.mean }),
                                  ChartSeries(name: "best fully scored so far", x: trials.map { Double($0.index) }, y: best)])
    }

    /// A markdown table of the first `limit` trials, for reports.
    public func markdown(limit: Int = 15) -> String {
        var text = "| rank | trial | recipe | CV \(metric) | folds | settings searched |\n|---:|---:|---|---|---:|---|\n"
        for (rank, trial) in ranked.prefix(limit).enumerated() {
            let score = trial.estimate.map {
                $0.values.count > 1 ? String(format: "%.5g ± %.2g", $0.mean, $0.standardDeviation) : String(format: "%.5g", $0.mean)
            } ?? trial.status
            let settings = trial.searched.isEmpty ? "(defaults)"
                : trial.searched.compactMap { key in trial.configuration.values[key].map { "\(key)=\($0)" } }.joined(separator: ", ")
            let stages = trial.estimate?.stages.map { ", stages \($0)" } ?? ""
            text += "| \(rank + 1) | \(trial.index) | \(trial.configuration.recipe) | \(score) | \(trial.estimate?.values.count ?? 0) "
                + "| \(settings)\(stages) |\n"
        }
        if trials.count > limit { text += "\n\(trials.count - limit) more trial(s) in leaderboard.csv.\n" }
        return text
    }

    static func number(_ value: Double) -> String { value.isFinite ? String(value) : "nan" }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
