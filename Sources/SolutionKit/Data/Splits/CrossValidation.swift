/// k-fold cross-validation of a training part: plain, stratified by class, or spread within groups (users), repeated
/// and seeded.
///
/// Folds are positions `0..<units.count` into the training part (never the test part), so selection never sees a test
/// row. Each repeat reshuffles with its own generator stream, and fold `f` of repeat `r` depends only on
/// (`seed`, `r`, the units): the same seed gives the same folds on any machine and thread count.
public struct CrossValidation: Equatable, Sendable, CustomStringConvertible {
    public var folds: Int
    public var repeats: Int
    public var seed: UInt64

    public static let defaultFolds = 5

    public init(folds: Int = CrossValidation.defaultFolds, repeats: Int = 1, seed: UInt64 = 42) {
        self.folds = folds
        self.repeats = repeats
        self.seed = seed
    }

    /// Every (repeat, fold) split, repeat-major.
    public func splits(of units: FoldingUnits) throws -> [CrossValidationFold] {
        guard folds >= 2 else { throw CrossValidationError("\(folds) fold(s): cross-validation needs at least 2 folds") }
        guard repeats >= 1 else { throw CrossValidationError("\(repeats) repeat(s): give at least 1 repeat") }
        guard units.count >= 2 * folds else {
            throw CrossValidationError("\(units.count) training \(units.unit)(s) are too few for \(folds)-fold cross-validation "
                                       + "(each fold needs at least 2); use fewer folds, e.g. \(max(2, units.count / 2))")
        }
        var result: [CrossValidationFold] = []
        for r in 0..<repeats {
            var generator = SeededGenerator.derived(from: seed, stream: Self.stream &+ UInt64(r))
            let assignment = assign(units, using: &generator)
            var tests = [[Int]](repeating: [], count: folds)
            var trains = [[Int]](repeating: [], count: folds)
            for (position, fold) in assignment.enumerated() {
                for f in 0..<folds { if f == fold { tests[f].append(position) } else { trains[f].append(position) } }
            }
            for f in 0..<folds {
                let fold = CrossValidationFold(repetition: r, fold: f, train: trains[f], test: tests[f])
                try check(fold, units: units)
                result.append(fold)
            }
        }
        return result
    }

    /// The fold (0..<folds) of each unit.
    private func assign(_ units: FoldingUnits, using generator: inout SeededGenerator) -> [Int] {
        var assignment = [Int](repeating: 0, count: units.count)
        switch units.grouping {
        case .none:
            // A shuffled order dealt round-robin: fold sizes differ by at most one.
            let order = shuffled(Array(0..<units.count), using: &generator)
            for (rank, position) in order.enumerated() { assignment[position] = rank % folds }
        case .strata(let classes):
            // StratifiedKFold: each class shuffled and dealt round-robin, continuing the deal across classes so the
            // fold sizes stay balanced; every fold then holds each class in proportion (±1 row).
            var dealt = 0
            for members in Self.members(of: classes) {
                for position in shuffled(members, using: &generator) {
                    assignment[position] = dealt % folds
                    dealt += 1
                }
            }
        case .withinGroups(let groups):
            // Each group's (user's) units are dealt over the folds from a random starting fold, so every fold tests
            // about 1/k of every user's ratings and every user keeps most of theirs for training.
            for members in Self.members(of: groups) {
                let start = Int(generator.next() % UInt64(folds))
                for (rank, position) in shuffled(members, using: &generator).enumerated() {
                    assignment[position] = (start + rank) % folds
                }
            }
        }
        return assignment
    }

    private func check(_ fold: CrossValidationFold, units: FoldingUnits) throws {
        let name = "fold \(fold.fold + 1) of \(folds)" + (repeats > 1 ? " (repeat \(fold.repetition + 1))" : "")
        guard !fold.test.isEmpty, !fold.train.isEmpty else {
            throw CrossValidationError("\(name) is empty; use fewer folds")
        }
        guard case .strata(let classes) = units.grouping else { return }
        // A metric such as AUC is undefined on one class, and a model cannot learn from one: say which class is short.
        for (part, rows) in [("evaluation", fold.test), ("training", fold.train)] {
            let present = Set(rows.map { classes[$0] })
            guard present.count >= 2 else {
                let counts = Dictionary(classes.map { ($0, 1) }, uniquingKeysWith: +)
                let smallest = counts.min { $0.value < $1.value }!
                throw CrossValidationError("\(name): its \(part) part holds a single class; the smallest class has "
                                           + "\(smallest.value) training \(units.unit)(s), fewer than the \(folds) folds: use "
                                           + "\(max(2, min(folds - 1, smallest.value))) folds or more data")
            }
        }
    }

    private static func members(of labels: [Int]) -> [[Int]] {
        var members: [Int: [Int]] = [:]
        for (position, label) in labels.enumerated() { members[label, default: []].append(position) }
        return members.keys.sorted().map { members[$0]! }
    }

    private func shuffled(_ values: [Int], using generator: inout SeededGenerator) -> [Int] {
        var values = values
        values.seededShuffle(using: &generator)
        return values
    }

    /// Folds never share draws with splits or model initialisation.
    static let stream: UInt64 = 0x4356_464F_4C44

    public var description: String {
        "\(folds)-fold cross-validation" + (repeats > 1 ? " × \(repeats) repeats" : "") + " of the training part (seed \(seed))"
    }
}

/// What cross-validation folds: the training part's units (rows, images, ratings) and how they are grouped.
public struct FoldingUnits: Sendable {
    public enum Grouping: Sendable {
        /// Plain k-fold.
        case none
        /// Stratified: one class per unit; every fold holds each class in proportion.
        case strata([Int])
        /// One group (a user) per unit; each group's units are spread over the folds.
        case withinGroups([Int])
    }

    public var count: Int
    public var grouping: Grouping
    /// The unit's name in messages: "row", "image", "rating".
    public var unit: String

    public init(count: Int, grouping: Grouping = .none, unit: String = "row") {
        self.count = count
        self.grouping = grouping
        self.unit = unit
    }
}

/// One fold: positions into the training part.
public struct CrossValidationFold: Equatable, Sendable {
    public var repetition: Int
    public var fold: Int
    public var train: [Int]
    public var test: [Int]

    public init(repetition: Int, fold: Int, train: [Int], test: [Int]) {
        self.repetition = repetition
        self.fold = fold
        self.train = train
        self.test = test
    }
}

/// Cross-validation that cannot be run as asked, saying what to change.
public struct CrossValidationError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
