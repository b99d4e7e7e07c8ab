/// The data section of a run's report: what the rows were, and per column its kind, missing share, spread or
/// commonest values, so a reader sees at a glance what the model was trained on (and what looks wrong).
public struct DataProfile: Codable, Equatable, Sendable {
    /// One line of the summary: "training rows" = "16,512".
    public struct Fact: Codable, Equatable, Sendable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public struct ValueCount: Codable, Equatable, Sendable {
        public var value: String
        public var count: Int
        public init(_ value: String, _ count: Int) {
            self.value = value
            self.count = count
        }
    }

    public struct Column: Codable, Equatable, Sendable {
        public var name: String
        public var kind: ColumnKind
        public var rows: Int
        public var missingShare: Double
        public var distinctCount: Int
        /// Numeric columns: over the present values; nil when none is present.
        public var minimum: Double?
        public var mean: Double?
        public var maximum: Double?
        /// Categorical columns: the commonest values, most frequent first.
        public var commonest: [ValueCount]

        /// The profile of one table column.
        public init(_ column: SolutionKit.Column, maximumCategories: Int = 6) {
            name = column.name
            kind = column.kind
            rows = column.count
            missingShare = column.count > 0 ? Double(column.missingCount) / Double(column.count) : 0
            commonest = []
            switch column.storage {
            case .numeric(let numeric):
                var low = Double.infinity, high = -Double.infinity, sum = 0.0, present = 0
                var distinct = Set<Double>()
                for (value, missing) in zip(numeric.values, numeric.missing) where !missing && value.isFinite {
                    low = min(low, value)
                    high = max(high, value)
                    sum += value
                    present += 1
                    distinct.insert(value)
                }
                distinctCount = distinct.count
                if present > 0 { (minimum, mean, maximum) = (low, sum / Double(present), high) }
            case .categorical(let categorical):
                let counts = categorical.valueCounts()
                distinctCount = counts.count
                commonest = counts.map { ValueCount($0.key, $0.value) }
                    .sorted { $0.count > $1.count || ($0.count == $1.count && $0.value < $1.value) }
                commonest = Array(commonest.prefix(max(0, maximumCategories)))
            }
        }

        /// The profile of a numeric series that is not a table column (a target).
        public init(numeric name: String, values: [Double]) {
            self.init(.numeric(name, NumericColumn(values: values, missing: values.map { !$0.isFinite })))
        }
    }

    /// Counts of one labelled quantity: classes, ratings, good and bad applicants.
    public struct Counts: Codable, Equatable, Sendable {
        public var title: String
        public var counts: [ValueCount]
        public init(title: String, counts: [ValueCount]) {
            self.title = title
            self.counts = counts
        }
    }

    public var facts: [Fact]
    public var columns: [Column]
    public var counts: [Counts]

    public init(facts: [Fact] = [], columns: [Column] = [], counts: [Counts] = []) {
        self.facts = facts
        self.columns = columns
        self.counts = counts
    }

    /// The profile of every column of `table`, after the given facts.
    public init(table: Table, facts: [Fact] = [], counts: [Counts] = []) {
        self.init(facts: facts, columns: table.columns.map { Column($0) }, counts: counts)
    }

    public var isEmpty: Bool { facts.isEmpty && columns.isEmpty && counts.isEmpty }
}

extension DataProfile.Counts {
    /// Counts of each distinct value, in the order of `order` (values not in it follow, sorted).
    public init(title: String, values: [String], order: [String] = []) {
        var tally: [String: Int] = [:]
        for value in values { tally[value, default: 0] += 1 }
        let known = order.filter { tally[$0] != nil }
        let rest = tally.keys.filter { !order.contains($0) }.sorted()
        self.init(title: title, counts: (known + rest).map { DataProfile.ValueCount($0, tally[$0]!) })
    }
}
