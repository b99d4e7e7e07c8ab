import Foundation

/// Cross-validates any plugin's recipes on the training part of a dataset: each fold is the dataset refolded
/// (`DomainDataset.refolded`), trained with `DomainPlugin.train` and measured with `DomainPlugin.evaluate`, so every
/// plugin gets cross-validation, `tune` and `--recipe auto` from the same five verbs.
///
/// Jobs (one configuration on one fold) run on all cores at once, each single-threaded, so small models keep both
/// cores busy and results never depend on scheduling: job results come back in job order.
public struct CrossValidator {
    public let plugin: any DomainPlugin
    public let plan: CrossValidation
    public let folds: [CrossValidationFold]
    public let metric: MetricDescriptor
    private let foldData: [any DomainDataset]

    public init(plugin: any DomainPlugin, data: any DomainDataset, plan: CrossValidation) throws {
        guard let units = data.foldingUnits else {
            throw CrossValidationError("\(data.name): plugin \(plugin.id) cannot cross-validate this dataset")
        }
        guard let metric = plugin.primaryMetric else {
            throw InternalError("plugin \(plugin.id) declares no primary metric to cross-validate")
        }
        self.plugin = plugin
        self.plan = plan
        self.metric = metric
        folds = try plan.splits(of: units)
        foldData = try folds.map { try data.refolded(training: $0.train, evaluation: $0.test) }
    }

    /// One configuration on one fold (an index into `folds`), with `threads` worker threads for the model itself.
    public func score(_ configuration: RecipeConfiguration, fold index: Int, seed: UInt64, threads: Int = 1) throws -> FoldScore {
        let fold = folds[index]
        var context = RunContext(seed: seed, threads: threads, progress: SilentProgress(), isQuiet: true)
        context.isCrossValidationFold = true
        let started = Date()
        let model = try plugin.train(configuration, on: foldData[index], context: context)
        let report = try plugin.evaluate(model, on: foldData[index], context: context)
        guard let value = report[metric.name] else {
            throw InternalError("plugin \(plugin.id) reported no \(metric.name) on a cross-validation fold")
        }
        return FoldScore(repetition: fold.repetition, fold: fold.fold, value: value, staged: report.stagedPrimary,
                         seconds: Date().timeIntervalSince(started))
    }

    /// A job: a configuration and a fold index.
    public struct Job {
        public var configuration: RecipeConfiguration
        public var fold: Int
        public init(configuration: RecipeConfiguration, fold: Int) {
            self.configuration = configuration
            self.fold = fold
        }
    }

    /// Runs `jobs` on `workers` cores at once (each job single-threaded when more than one runs), in job order.
    /// A job not started because `shouldStop` turned true is nil; a failing job is its error.
    public func run(_ jobs: [Job], seed: UInt64, workers: Int = Parallelism.threadCount,
                    shouldStop: @escaping @Sendable () -> Bool = { false },
                    finished: ((Int) -> Void)? = nil) -> [Result<FoldScore, Error>?] {
        let results = JobResults(count: jobs.count)
        let workers = max(1, min(workers, jobs.count))
        let saved = Parallelism.threadCount
        let inner = workers > 1 ? 1 : saved
        // The kit's loops and OpenBLAS run one thread per job, so two jobs fill two cores without oversubscribing.
        if workers > 1 { Parallelism.threadCount = 1 }
        defer { if workers > 1 { Parallelism.threadCount = saved } }
        let next = JobCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = next.take(below: jobs.count) {
                // The first job always runs, so a stop (or a tiny time limit) still leaves a scored trial.
                if index > 0 && shouldStop() { continue }
                let job = jobs[index]
                let result = Result { try score(job.configuration, fold: job.fold, seed: seed, threads: inner) }
                results.set(index, result)
                if let finished { results.serialized { finished(index) } }
            }
        }
        return results.values
    }

    /// The estimate of one configuration over every fold; a failing fold is an error naming it.
    public func estimate(_ configuration: RecipeConfiguration, seed: UInt64,
                         workers: Int = Parallelism.threadCount) throws -> CrossValidationEstimate {
        let jobs = folds.indices.map { Job(configuration: configuration, fold: $0) }
        let scores = try run(jobs, seed: seed, workers: workers).enumerated().map { index, result -> FoldScore in
            guard let result else { throw InternalError("cross-validation fold \(index + 1) was not run") }
            return try result.get()
        }
        return CrossValidationEstimate(metric: metric.name, higherIsBetter: metric.higherIsBetter, scores: scores)
    }
}

/// Results written by concurrent jobs, each to its own slot, under a lock.
private final class JobResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<FoldScore, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: Result<FoldScore, Error>) {
        lock.lock(); defer { lock.unlock() }
        values[index] = result
    }
    private let callbackLock = NSLock()
    func serialized(_ body: () -> Void) {
        callbackLock.lock(); defer { callbackLock.unlock() }
        body()
    }
}

/// Hands out job indices in order to concurrent workers.
private final class JobCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    func take(below count: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}
