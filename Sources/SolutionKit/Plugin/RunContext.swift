/// What a run is given besides its data and hyperparameters.
public struct RunContext {
    /// The seed every random choice derives from (`SeededGenerator.derived(from:stream:)`).
    public var seed: UInt64
    /// The thread count in force (`Parallelism.threadCount`).
    public var threads: Int
    /// Where long work reports its progress.
    public var progress: any ProgressReporter
    /// True when the user asked for no output but results and errors.
    public var isQuiet: Bool
    /// Set by cross-validation for each fold: `evaluate` then computes the metrics (and `MetricReport.stagedPrimary`
    /// when the model has stages) and may skip charts, tables and explanations nobody reads.
    public var isCrossValidationFold = false

    public init(seed: UInt64 = 42, threads: Int = Parallelism.threadCount,
                progress: any ProgressReporter = SilentProgress(), isQuiet: Bool = false) {
        self.seed = seed
        self.threads = threads
        self.progress = progress
        self.isQuiet = isQuiet
    }

    /// An independent generator for one purpose (shuffling, initialisation, ...), fixed by the seed.
    public func generator(stream: UInt64) -> SeededGenerator {
        SeededGenerator.derived(from: seed, stream: stream)
    }
}

/// Receives progress from long work. The launcher draws a bar on a terminal, plain lines otherwise, and
/// nothing with `--quiet`; plugins only call these four methods, at most a few hundred times per task.
public protocol ProgressReporter: AnyObject {
    /// Starts a task of `total` steps (nil when unknown) counted in `unit` ("epoch", "row", "round").
    func begin(_ task: String, total: Int?, unit: String)
    /// Marks `steps` more steps done.
    func advance(by steps: Int)
    /// A message worth showing (e.g. "early stopping at epoch 31").
    func note(_ message: String)
    /// Ends the current task.
    func finish()
}

extension ProgressReporter {
    public func advance() { advance(by: 1) }
}

/// Reports nothing: the default for library use and tests.
public final class SilentProgress: ProgressReporter {
    public init() {}
    public func begin(_ task: String, total: Int?, unit: String) {}
    public func advance(by steps: Int) {}
    public func note(_ message: String) {}
    public func finish() {}
}
