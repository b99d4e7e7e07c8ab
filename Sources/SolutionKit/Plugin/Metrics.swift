/// A metric a plugin reports, as `describe` shows it.
public struct MetricDescriptor: Codable, Equatable, Sendable {
    public var name: String
    public var summary: String
    public var higherIsBetter: Bool
    /// The one metric runs are judged on.
    public var isPrimary: Bool

    public init(name: String, summary: String, higherIsBetter: Bool, isPrimary: Bool = false) {
        self.name = name
        self.summary = summary
        self.higherIsBetter = higherIsBetter
        self.isPrimary = isPrimary
    }
}

/// What `evaluate` returns: metric values in a stable order with the primary one marked, and the rendered
/// pieces of the report. Plugins render their own markdown and SVG so the launcher needs no domain knowledge.
public struct MetricReport: Equatable, Sendable {
    /// One metric. JSON has no infinity or NaN: a non-finite value is written as `null` and read back as NaN
    /// (reports say which metrics were not finite), so an overflowing target never makes a run unreadable.
    public struct Value: Codable, Equatable, Sendable {
        public var name: String
        public var value: Double
        public init(name: String, value: Double) {
            self.name = name
            self.value = value
        }

        private enum CodingKeys: String, CodingKey { case name, value }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            value = try container.decodeIfPresent(Double.self, forKey: .value) ?? .nan
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            if value.isFinite {
                try container.encode(value, forKey: .value)
            } else {
                try container.encodeNil(forKey: .value)
            }
        }

        /// NaN and NaN are the same missing value here (the default `==` would make a report unequal to itself).
        public static func == (lhs: Value, rhs: Value) -> Bool {
            lhs.name == rhs.name && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
        }
    }

    /// A sentence for reports naming the metrics that are not finite, or nil when all are.
    public var nonFiniteNote: String? {
        let names = values.filter { !$0.value.isFinite }.map(\.name)
        guard !names.isEmpty else { return nil }
        return "\(names.joined(separator: ", ")) \(names.count == 1 ? "is" : "are") not finite (the values overflow Double, "
            + "or there are too few rows or too little spread to compute \(names.count == 1 ? "it" : "them")); "
            + "metrics.json records \(names.count == 1 ? "it" : "them") as null"
    }

    /// A block of markdown under a heading.
    public struct Section: Equatable, Sendable {
        public var title: String
        public var markdown: String
        public init(title: String, markdown: String) {
            self.title = title
            self.markdown = markdown
        }
    }

    /// A chart already drawn as SVG; `name` becomes the file name `charts/<name>.svg`.
    public struct Chart: Equatable, Sendable {
        public var name: String
        public var title: String
        public var svg: String
        /// The numbers behind the chart when it is one that two runs' charts can be overlaid on
        /// (`launcher runs compare`); saved as `charts/<name>.json`.
        public var data: ChartData?

        public init(name: String, title: String, svg: String) {
            self.name = name
            self.title = title
            self.svg = svg
        }

        /// A chart drawn from its data, which is kept for overlays.
        public init(name: String, title: String, data: ChartData) {
            self.init(name: name, title: title, svg: data.chart.svg())
            self.data = data
        }
    }

    /// A JSON-able table (confusion matrix, per-class scores, metrics by cut-off) saved beside the metrics.
    public struct Table: Equatable, Sendable {
        public var name: String
        public var content: JSONValue
        public init(name: String, content: JSONValue) {
            self.name = name
            self.content = content
        }
    }

    public var values: [Value]
    public var primary: String
    public var sections: [Section]
    public var charts: [Chart]
    public var tables: [Table]
    /// The primary metric on the evaluation part after each boosting round or epoch, when the context asked for it
    /// (`RunContext.isCrossValidationFold`) and the model has stages: what cross-validation early stopping reads.
    public var stagedPrimary: [Double]?

    public init(values: [Value], primary: String, sections: [Section] = [], charts: [Chart] = [], tables: [Table] = [],
                stagedPrimary: [Double]? = nil) {
        self.values = values
        self.primary = primary
        self.sections = sections
        self.charts = charts
        self.tables = tables
        self.stagedPrimary = stagedPrimary
    }

    public subscript(name: String) -> Double? { values.first(where: { $0.name == name })?.value }

    /// The value of the primary metric, if it was reported.
    public var primaryValue: Double? { self[primary] }
}
