import SolutionKit

/// What a plugin's test supplies so the suite can exercise it on tiny data.
public struct ConformanceFixture {
    /// Small labelled data every recipe trains on (a file or a named dataset).
    public var trainingData: DataRequest
    /// Valid scoring input text: a header line (when `hasHeader`) and a few rows, one per line.
    public var scoringInput: String
    /// One row the scorer must reject with a reason (e.g. text in a numeric column).
    public var invalidRow: String
    public var format: ScoringFormat
    /// Whether `scoringInput` starts with a header line.
    public var hasHeader: Bool
    public var scoringOptions: [String: String]
    /// `key=value` overrides per recipe name that keep training tiny (few epochs, few rounds).
    public var overrides: [String: [String]]
    public var seed: UInt64

    public init(trainingData: DataRequest, scoringInput: String, invalidRow: String, format: ScoringFormat = .csv,
                hasHeader: Bool = true, scoringOptions: [String: String] = [:], overrides: [String: [String]] = [:],
                seed: UInt64 = 7) {
        self.trainingData = trainingData
        self.scoringInput = scoringInput
        self.invalidRow = invalidRow
        self.format = format
        self.hasHeader = hasHeader
        self.scoringOptions = scoringOptions
        self.overrides = overrides
        self.seed = seed
    }
}

/// One broken promise of the plugin contract.
public struct ConformanceFailure: Error, Equatable, CustomStringConvertible {
    /// The check, e.g. "bundle round trip [mlp]".
    public var check: String
    public var message: String
    public init(check: String, message: String) {
        self.check = check
        self.message = message
    }
    public var description: String { "\(check): \(message)" }
}

/// What the suite found: checks passed, skipped (with why), and failures.
public struct ConformanceReport: CustomStringConvertible {
    public var plugin: String
    public var passed: [String] = []
    public var skipped: [String] = []
    public var failures: [ConformanceFailure] = []

    public var isPassing: Bool { failures.isEmpty && !passed.isEmpty }

    public var description: String {
        var text = "conformance of \(plugin): \(passed.count) passed, \(failures.count) failed, \(skipped.count) skipped\n"
        for failure in failures { text += "  FAILED \(failure)\n" }
        for skip in skipped { text += "  skipped \(skip)\n" }
        return text
    }
}
