/// How a single labelled file is cut into a training part and a test part.
///
/// `random` (the default for a user's file) draws a seeded random share of the rows, stratified by class when the
/// plugin gives classes, as scikit-learn's `train_test_split(stratify=y)` does. `row` and `id` are the PROTOCOL
/// rules: test rows are those whose row index (0-based, header excluded), or whose integer id, is
/// `remainder` modulo `1 / testFraction` (0.2 → every fifth). Named datasets use the rule their PROTOCOL names.
public struct SplitPolicy: Equatable, Sendable, CustomStringConvertible {
    public enum Method: String, CaseIterable, Sendable {
        case random
        case row
        case id
    }

    public var method: Method
    /// The share of rows in the test part, in (0, 1).
    public var testFraction: Double
    /// The seed of a random split (the run's `--seed`).
    public var seed: UInt64
    /// `row` and `id`: which remainder is the test part (a PROTOCOL fold).
    public var remainder: Int

    public static let defaultTestFraction = 0.2

    public init(_ method: Method, testFraction: Double = SplitPolicy.defaultTestFraction, seed: UInt64 = 42, remainder: Int = 0) {
        self.method = method
        self.testFraction = testFraction
        self.seed = seed
        self.remainder = remainder
    }

    /// `row` and `id` test the rows whose index or id is `remainder` modulo this (5 for a fraction of 0.2).
    public var modulus: Int { testFraction > 0 ? Int((1 / testFraction).rounded()) : 0 }

    /// Checks the fraction (and for `row`/`id` that it is 1/k), naming the options to change.
    public func validated() throws -> SplitPolicy {
        guard testFraction > 0 && testFraction < 1 else {
            throw DataSplitError("--option test_fraction=\(testFraction): the test share must be between 0 and 1 (exclusive), e.g. 0.2")
        }
        if method != .random {
            let k = modulus
            guard k >= 2, abs(1 / Double(k) - testFraction) < 1e-9 else {
                throw DataSplitError("--option test_fraction=\(testFraction) with split=\(method.rawValue): the \(method.rawValue) rule tests "
                                     + "every k-th \(method == .row ? "row" : "id"), so the fraction must be 1/k (0.5, 0.25, 0.2, 0.1, ...); "
                                     + "use split=random for any other share")
            }
            guard remainder >= 0 && remainder < k else {
                throw DataSplitError("split=\(method.rawValue): fold \(remainder) is outside 0...\(k - 1)")
            }
        }
        return self
    }

    /// The split of `rowCount` rows. `ids` is needed by `id`; `strata` (one class per row) makes `random` stratified.
    public func split(rowCount: Int, ids: SplitIDs? = nil, strata: [Int]? = nil) throws -> TrainTestSplit {
        let policy = try validated()
        switch method {
        case .random:
            var generator = SeededGenerator.derived(from: seed, stream: SplitPolicy.stream)
            if let strata {
                precondition(strata.count == rowCount, "one stratum per row")
                return TrainTestSplit.stratifiedRandom(strata: strata, testFraction: testFraction, using: &generator)
            }
            return TrainTestSplit.random(rowCount: rowCount, testFraction: testFraction, using: &generator)
        case .row:
            return TrainTestSplit.byRowIndex(rowCount: rowCount, modulus: policy.modulus, remainder: remainder)
        case .id:
            guard let ids else {
                throw DataSplitError("split=id needs an id column: name it with --option id=COLUMN (or call it id)")
            }
            guard let numeric = ids.column.numeric else {
                throw DataSplitError("split=id needs integer ids, but column '\(ids.column.name)' holds text; use split=random or split=row")
            }
            return try TrainTestSplit.byID(numeric, columnName: ids.column.name, origins: ids.origins,
                                           modulus: policy.modulus, remainder: remainder)
        }
    }

    /// The rule in words, for reports: "test = a seeded random 20% of the rows (seed 42)", "test rows: id % 5 == 0".
    public var description: String {
        switch method {
        case .random:
            return "test = a seeded random \(Self.percent(testFraction)) of the rows (split=random, seed \(seed))"
        case .row:
            return "test rows: row_index % \(modulus) == \(remainder)"
        case .id:
            return "test rows: id % \(modulus) == \(remainder)"
        }
    }

    /// The generator stream of random splits, so a split never shares draws with model initialisation.
    static let stream: UInt64 = 0x5350_4C49_54

    static func percent(_ fraction: Double) -> String {
        let value = 100 * fraction
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}

/// The id column a `SplitPolicy.id` split reads, with the rows' origins for messages.
public struct SplitIDs {
    public var column: Column
    public var origins: RowOrigins?

    public init(column: Column, origins: RowOrigins? = nil) {
        self.column = column
        self.origins = origins
    }
}

/// A split that cannot be made as asked, saying what to change.
public struct DataSplitError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
