import Foundation

/// Successive halving over cross-validation folds: every candidate is scored on the first fold(s), the best third
/// go on to more folds, and the last rung scores its candidates on every fold. Folds are the resource, so the rule
/// needs nothing from a recipe and a partial score is an unbiased (only noisier) estimate of the full one.
///
/// The first candidate (the base configuration) always reaches the last rung, so the winner's CV estimate is never
/// below the defaults'. Candidates, folds and scores are fixed by the seed: the same seed gives the same leaderboard
/// (a time limit, or a stop, only cuts it short).
public struct ModelSearch {
    public struct Candidate: Sendable {
        public var configuration: RecipeConfiguration
        /// The keys the search set (for the leaderboard): the sampled dimensions, empty for a base configuration.
        public var searched: [String]
        public init(configuration: RecipeConfiguration, searched: [String]) {
            self.configuration = configuration
            self.searched = searched
        }
    }

    public var candidates: [Candidate]
    /// The stage key of each recipe (e.g. gbdt: num_iterations), set to the CV-chosen count in the winner.
    public var stagesKeys: [String: String]
    public var seed: UInt64
    /// Keep 1/eta of the candidates at each rung.
    public var eta = 3
    public var workers = Parallelism.threadCount

    public init(candidates: [Candidate], stagesKeys: [String: String] = [:], seed: UInt64) {
        self.candidates = candidates
        self.stagesKeys = stagesKeys
        self.seed = seed
    }

    /// The fold counts of the rungs for `folds` folds: 1, about a third, all (fewer rungs for few candidates).
    public func rungs(folds: Int) -> [Int] {
        guard candidates.count > 2, folds >= 3 else { return [folds] }
        var sizes = [1]
        if candidates.count > eta * eta { sizes.append(Int((Double(folds) / Double(eta)).rounded(.up))) }
        sizes.append(folds)
        return Array(Set(sizes)).sorted()
    }

    /// Runs the search; `update` receives the leaderboard after each rung (and `stop` is polled before each job).
    public func run(with validator: CrossValidator, shouldStop: @escaping @Sendable () -> Bool = { false },
                    progress: ((Int, Int) -> Void)? = nil,
                    update: ((Leaderboard) throws -> Void)? = nil) throws -> Leaderboard {
        var done = 0
        return try run(metric: validator.metric, folds: validator.folds.count, update: update) { jobs, total in
            validator.run(jobs.map { CrossValidator.Job(configuration: candidates[$0.trial].configuration, fold: $0.fold) },
                          seed: seed, workers: workers, shouldStop: shouldStop) { _ in
                done += 1
                progress?(done, total)
            }
        }
    }

    /// One fold of one candidate: what a rung asks its scorer for.
    public struct TrialFold: Sendable, Equatable {
        public var trial: Int
        public var fold: Int
    }

    /// The search with fold scores from `score` (given a rung's jobs and the total job count, their results in
    /// order; nil for a job not run): a local validator, or scores recorded by trials run elsewhere
    /// (`tune --trial`). Both paths promote by the same rule, so they give the same leaderboard.
    public func run(metric: MetricDescriptor, folds: Int,
                    update: ((Leaderboard) throws -> Void)? = nil,
                    score: ([TrialFold], Int) throws -> [Result<FoldScore, Error>?]) throws -> Leaderboard {
        var board = Leaderboard(metric: metric.name, higherIsBetter: metric.higherIsBetter,
                                folds: folds, seed: seed,
                                trials: candidates.enumerated().map { index, candidate in
                                    Leaderboard.Trial(index: index, configuration: candidate.configuration,
                                                      searched: candidate.searched)
                                })
        var alive = Array(candidates.indices)
        let sizes = rungs(folds: folds)
        let total = zip(sizes, [0] + sizes).enumerated().reduce(0) { sum, step in
            let (rung, (size, previous)) = step
            var count = candidates.count
            for _ in 0..<rung { count = max(1, (count + eta - 1) / eta) }
            return sum + count * (size - previous)
        }
        var previous = 0
        for (rung, size) in sizes.enumerated() {
            let jobs = alive.flatMap { trial in (previous..<size).map { TrialFold(trial: trial, fold: $0) } }
            let owners = jobs.map(\.trial)
            let results = try score(jobs, total)
            for (owner, result) in zip(owners, results) {
                switch result {
                case .success(let score)?: board.trials[owner].scores.append(score)
                case .failure(let error)?: board.trials[owner].failure = board.trials[owner].failure ?? "\(error)"
                case nil: board.trials[owner].stopped = true
                }
            }
            for trial in alive { board.trials[trial].rung = rung; board.trials[trial].refresh(board, stagesKeys: stagesKeys) }
            previous = size
            let stopped = results.contains { if case .none = $0 { return true } else { return false } }
            if stopped { board.stoppedEarly = true }
            if rung + 1 < sizes.count && !stopped {
                alive = promote(alive, board: board)
            }
            board.rungs = Array(sizes.prefix(rung + 1))
            try update?(board)
            if stopped { break }
        }
        return board
    }

    /// The best `1/eta` of the living candidates (by their estimate so far), always with candidate 0.
    private func promote(_ alive: [Int], board: Leaderboard) -> [Int] {
        let ranked = alive.filter { board.trials[$0].failure == nil && board.trials[$0].estimate != nil }
            .sorted { board.trials[$0].isRankedBefore(board.trials[$1]) }
        let keep = max(1, (alive.count + eta - 1) / eta)
        var kept = Array(ranked.prefix(keep))
        if alive.contains(0), !kept.contains(0), board.trials[0].failure == nil { kept.append(0) }
        return kept.sorted()
    }
}
