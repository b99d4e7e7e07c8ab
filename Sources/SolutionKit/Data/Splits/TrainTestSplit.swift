/// Training and test row indices (ascending), as PROTOCOL.md defines the splits.
public struct TrainTestSplit: Equatable, Sendable {
    public var train: [Int]
    public var test: [Int]

    public init(train: [Int], test: [Int]) {
        self.train = train
        self.test = test
    }

    /// Test rows are those with `row_index % modulus == remainder` (PROTOCOL: modulus 5, remainder 0).
    public static func byRowIndex(rowCount: Int, modulus: Int = 5, remainder: Int = 0) -> TrainTestSplit {
        precondition(modulus > 0 && remainder >= 0 && remainder < modulus, "need 0 <= remainder < modulus")
        var split = TrainTestSplit(train: [], test: [])
        split.test.reserveCapacity(rowCount / modulus + 1)
        split.train.reserveCapacity(rowCount)
        for i in 0..<rowCount {
            if i % modulus == remainder { split.test.append(i) } else { split.train.append(i) }
        }
        return split
    }

    /// Test rows are those whose id satisfies `id % modulus == remainder` (PROTOCOL: the first column of
    /// Give Me Some Credit, modulus 5). Ids must be present, finite integers; an error names the row's line when
    /// `origins` are given.
    public static func byID(_ ids: NumericColumn, columnName: String = "id", origins: RowOrigins? = nil,
                            modulus: Int = 5, remainder: Int = 0) throws -> TrainTestSplit {
        precondition(modulus > 0 && remainder >= 0 && remainder < modulus, "need 0 <= remainder < modulus")
        var split = TrainTestSplit(train: [], test: [])
        func location(_ row: Int) -> RowLocation { origins?.location(ofRow: row) ?? RowLocation(row: row) }
        for row in 0..<ids.count {
            let value = ids.values[row]
            guard !ids.missing[row] else { throw SplitError.missingID(location(row), column: columnName) }
            guard value.isFinite, value == value.rounded(), abs(value) < 9.0e15 else {
                throw SplitError.nonIntegerID(location(row), column: columnName, value: value)
            }
            let id = Int(value)
            let r = ((id % modulus) + modulus) % modulus
            if r == remainder { split.test.append(row) } else { split.train.append(row) }
        }
        return split
    }

    /// k folds by `row_index % k` (PROTOCOL): fold f tests on the rows with `row_index % k == f`.
    public static func kFolds(rowCount: Int, k: Int) -> [TrainTestSplit] {
        precondition(k >= 2, "k-fold needs k >= 2")
        return (0..<k).map { byRowIndex(rowCount: rowCount, modulus: k, remainder: $0) }
    }

    /// A seeded random split: round(rowCount × testFraction) test rows drawn by a Fisher–Yates shuffle.
    public static func random(rowCount: Int, testFraction: Double, seed: UInt64) -> TrainTestSplit {
        var generator = SeededGenerator(seed: seed)
        return random(rowCount: rowCount, testFraction: testFraction, using: &generator)
    }

    /// `random(rowCount:testFraction:seed:)` drawing from `generator`.
    public static func random(rowCount: Int, testFraction: Double, using generator: inout SeededGenerator) -> TrainTestSplit {
        precondition(testFraction >= 0 && testFraction <= 1, "testFraction must be in [0, 1]")
        var order = Array(0..<rowCount)
        order.seededShuffle(using: &generator)
        let testCount = Int((Double(rowCount) * testFraction).rounded())
        return TrainTestSplit(train: order[testCount...].sorted(), test: order[..<testCount].sorted())
    }
}

extension TrainTestSplit {
    /// A seeded random split within each stratum (class): each class with n ≥ 2 rows puts round(n × testFraction)
    /// of them, at least one and at most n − 1, in the test part, so both parts hold every class that can be split.
    /// Classes of a single row are pooled and split together.
    public static func stratifiedRandom(strata: [Int], testFraction: Double, using generator: inout SeededGenerator) -> TrainTestSplit {
        precondition(testFraction >= 0 && testFraction <= 1, "testFraction must be in [0, 1]")
        var members: [Int: [Int]] = [:]
        for (row, stratum) in strata.enumerated() { members[stratum, default: []].append(row) }
        var groups = members.keys.sorted().compactMap { members[$0]!.count > 1 ? members[$0]! : nil }
        let singletons = members.keys.sorted().compactMap { members[$0]!.count == 1 ? members[$0]![0] : nil }
        if !singletons.isEmpty { groups.append(singletons) }
        var split = TrainTestSplit(train: [], test: [])
        for var rows in groups {
            rows.seededShuffle(using: &generator)
            var testCount = Int((Double(rows.count) * testFraction).rounded())
            if rows.count >= 2 && testFraction > 0 && testFraction < 1 { testCount = min(max(testCount, 1), rows.count - 1) }
            split.test += rows[..<testCount]
            split.train += rows[testCount...]
        }
        split.train.sort()
        split.test.sort()
        return split
    }
}

public enum SplitError: Error, Equatable, CustomStringConvertible {
    case missingID(RowLocation, column: String)
    case nonIntegerID(RowLocation, column: String, value: Double)

    public var description: String {
        switch self {
        case .missingID(let location, let column): return "\(location), column '\(column)': the id is missing"
        case .nonIntegerID(let location, let column, let value): return "\(location), column '\(column)': id \(value) is not an integer"
        }
    }
}
