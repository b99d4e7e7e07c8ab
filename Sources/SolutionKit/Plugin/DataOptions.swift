import Foundation

/// A data option every plugin understands the same way, as `describe` and `run --help` show it.
public struct DataOptionDescriptor: Equatable, Sendable {
    /// How it is written: `--test FILE`, `--option split=random|row|id`, ...
    public var usage: String
    public var summary: String

    public init(usage: String, summary: String) {
        self.usage = usage
        self.summary = summary
    }

    /// How a user's file is split, or its separate test file: every plugin.
    public static let split: [DataOptionDescriptor] = [
        DataOptionDescriptor(usage: "--test FILE", summary: "a separately labelled evaluation file in the same format as --data: "
                             + "--data is then all training rows and FILE all test rows"),
        DataOptionDescriptor(usage: "--option split=random|row|id", summary: "how a --data file is split: a seeded random share "
                             + "(default; the run's --seed; stratified by class for classifiers), every k-th row (row_index % k == 0), "
                             + "or the rows whose integer id (--option id=COLUMN, or a column named id) is 0 mod k. "
                             + "Named datasets keep their PROTOCOL split"),
        DataOptionDescriptor(usage: "--option test_fraction=F", summary: "the test share, default 0.2 (row and id: 1/k, so 0.2 is every fifth)"),
        DataOptionDescriptor(usage: "--option fold=F", summary: "with split=row or id: the remainder that is tested, 0...k-1 "
                             + "(default 0), e.g. the five PROTOCOL folds of a file"),
    ]

    /// How the columns of a CSV file are read: tabular plugins.
    public static let columns: [DataOptionDescriptor] = [
        DataOptionDescriptor(usage: "--option types=COL:numeric,COL2:categorical", summary: "declare column types instead of "
                             + "inferring them (a column is numeric when its values are numbers, categorical when most are text; "
                             + "mostly numbers with a few text cells is an error naming the line)"),
        DataOptionDescriptor(usage: "--option bad_cells=error|missing", summary: "a cell of a numeric column that is not a finite "
                             + "number: an error naming file, line and column (default), or a missing value (counted in the run's notes)"),
        DataOptionDescriptor(usage: "a --test file's columns", summary: "must include every column of the --data file (else an error "
                             + "naming the missing ones); its other columns are ignored, with a note"),
    ]
}

/// The option keys of `DataOptionDescriptor`, parsed here once for every plugin.
public enum DataOptionKey {
    public static let split = "split"
    public static let testFraction = "test_fraction"
    public static let types = "types"
    public static let badCells = "bad_cells"
    public static let fold = "fold"
}

extension DataRequest {
    /// CSV options with the declared column types (`types=`) and the bad-cell policy (`bad_cells=`) applied.
    public func csvOptions(_ base: CSVOptions = CSVOptions()) throws -> CSVOptions {
        var options = base
        if let text = self.options[DataOptionKey.types] {
            for entry in text.split(separator: ",", omittingEmptySubsequences: true) {
                let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
                let kindText = parts.count >= 2 ? parts.last!.trimmingCharacters(in: .whitespaces) : ""
                let name = parts.dropLast().joined(separator: ":").trimmingCharacters(in: .whitespaces)
                guard parts.count >= 2, !name.isEmpty, let kind = ColumnKind(rawValue: kindText) else {
                    throw DataRequestError("--option types=\(text): '\(entry)' should be COLUMN:numeric or COLUMN:categorical")
                }
                options.columnKinds[name] = kind
            }
        }
        if let text = self.options[DataOptionKey.badCells] {
            guard let policy = BadCellPolicy(rawValue: text) else {
                throw DataRequestError("--option bad_cells=\(text): expected one of \(BadCellPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.badNumericCells = policy
        }
        return options
    }

    /// The split rule: `split=` and `test_fraction=` when given, over `named` (a named dataset's PROTOCOL rule) or,
    /// for a user's file, a seeded random split with the request's seed.
    public func splitPolicy(named: SplitPolicy? = nil) throws -> SplitPolicy {
        var policy = named ?? SplitPolicy(.random, seed: seed)
        if let text = options[DataOptionKey.split] {
            guard let method = SplitPolicy.Method(rawValue: text) else {
                throw DataRequestError("--option split=\(text): expected one of \(SplitPolicy.Method.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            policy.method = method
            policy.seed = seed
        }
        if let text = options[DataOptionKey.testFraction] {
            guard let fraction = Double(text), fraction.isFinite else {
                throw DataRequestError("--option test_fraction=\(text): expected a number between 0 and 1, e.g. 0.2")
            }
            policy.testFraction = fraction
        }
        if policy.method != .random, named == nil || options[DataOptionKey.split] != nil, let text = options[DataOptionKey.fold] {
            guard let fold = Int(text) else {
                throw DataRequestError("--option fold=\(text): expected an integer 0...\(max(policy.modulus - 1, 0))")
            }
            policy.remainder = fold
        }
        return try policy.validated()
    }

    /// The training and test rows of a loaded dataset of `rowCount` rows, with the rule in words.
    ///
    /// Evaluation-only data is all test rows. With a `--test` file (`testRows`: its rows, after the data file's)
    /// the parts are the two files. Otherwise the split policy (see `splitPolicy(named:)`) cuts the rows; `ids` is
    /// the id column for `split=id`, `strata` one class per row for a stratified random split. A part with fewer
    /// than `DataSplit.minimumRows` rows is an error saying what to change.
    public func split(rowCount: Int, testRows: Range<Int>? = nil, ids: SplitIDs? = nil, strata: [Int]? = nil,
                      named: SplitPolicy? = nil, source: String) throws -> DataSplit {
        if isEvaluationOnly {
            return DataSplit(split: TrainTestSplit(train: [], test: Array(0..<rowCount)), description: "all rows are evaluation data")
        }
        if let testRows {
            for key in [DataOptionKey.split, DataOptionKey.testFraction, DataOptionKey.fold] where options[key] != nil {
                throw DataRequestError("--option \(key)=\(options[key]!) and --test \(testFile ?? "FILE") both say which rows are tested; give one of them")
            }
            let split = TrainTestSplit(train: Array(0..<testRows.lowerBound), test: Array(testRows))
            let testFile = self.testFile ?? "the test file"
            if split.train.count < DataSplit.minimumRows {
                throw DataSplitError("\(source): \(split.train.count) training row(s); a model needs at least \(DataSplit.minimumRows) "
                                     + "rows to train on")
            }
            if split.test.count < DataSplit.minimumRows {
                throw DataSplitError("\(testFile): \(split.test.count) test row(s); give a test file with at least "
                                     + "\(DataSplit.minimumRows) rows")
            }
            return DataSplit(split: split, description: "training rows from \(source), test rows from \(testFile)")
        }
        let policy = try splitPolicy(named: named)
        let split = try policy.split(rowCount: rowCount, ids: ids, strata: strata)
        try DataSplit.check(split, policy: policy, rowCount: rowCount, source: source)
        return DataSplit(split: split, description: policy.description + (strata != nil && policy.method == .random ? ", stratified by class" : ""))
    }
}

/// Training and test rows with the rule that chose them, for the dataset's summary.
public struct DataSplit: Equatable, Sendable {
    public var split: TrainTestSplit
    public var description: String

    public init(split: TrainTestSplit, description: String) {
        self.split = split
        self.description = description
    }

    /// The fewest rows a training or test part may have.
    public static let minimumRows = 2

    /// Refuses an empty or tiny part, saying what to change.
    static func check(_ split: TrainTestSplit, policy: SplitPolicy, rowCount: Int, source: String) throws {
        let remedy: String
        switch policy.method {
        case .random:
            remedy = split.test.count < minimumRows
                ? "raise --option test_fraction (now \(policy.testFraction)), or give the evaluation rows in a file of their own with --test FILE"
                : "lower --option test_fraction (now \(policy.testFraction)), or give more rows"
        case .row, .id:
            remedy = "the file may already be split: give its evaluation rows with --test FILE, or use --option split=random "
                + "(the default for a file)"
        }
        for (part, rows) in [("training", split.train.count), ("test", split.test.count)] where rows < minimumRows {
            throw DataSplitError("\(source): \(policy.description) leaves \(rows) \(part) row(s) of \(rowCount) "
                                 + "(at least \(minimumRows) are needed); \(remedy)")
        }
    }
}
