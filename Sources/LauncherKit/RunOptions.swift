import ArgumentParser
import SolutionKit

/// The options every training command shares (`run`, `tune`): where folders go, the seed, threads, quietness.
struct RunOptions: ParsableArguments {
    @Option(help: "The folder run (and tune) folders go under.")
    var out: String = "runs"

    @Option(help: "The seed every random choice derives from (splits, folds, trials, models).")
    var seed: UInt64 = 42

    @Option(help: "Worker threads (default: all cores); tune runs this many cross-validation jobs at a time.")
    var threads: Int?

    @Flag(help: "Print only the results and errors.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        try validateOutputFolder(out, flag: "--out")
    }
}
