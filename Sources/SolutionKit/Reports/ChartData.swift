import Foundation

/// The charts whose numbers a run keeps beside the SVG (`charts/<name>.json`), so that the same chart of two
/// runs can be drawn as one: curves over curves, distributions over distributions, bars beside bars.
public enum ChartData: Codable, Equatable, Sendable {
    case line(LineChart)
    case histogram(HistogramChart)
    case bars(GroupedBarChart)

    /// The chart itself, to draw.
    public var chart: any SVGChart {
        switch self {
        case .line(let chart): chart
        case .histogram(let chart): chart
        case .bars(let chart): chart
        }
    }

    /// This chart and `other` in one, each series named after its run; nil when the two are of different kinds.
    public func overlaid(with other: ChartData, names: (String, String)) -> ChartData? {
        func prefixed(_ run: String, _ name: String) -> String { name.isEmpty ? run : "\(run): \(name)" }
        switch (self, other) {
        case let (.line(a), .line(b)):
            var chart = a
            chart.series = a.series.map { ChartSeries(name: prefixed(names.0, $0.name), x: $0.x, y: $0.y) }
                + b.series.map { ChartSeries(name: prefixed(names.1, $0.name), x: $0.x, y: $0.y) }
            if a.xRange != b.xRange { chart.xRange = nil }
            if a.yRange != b.yRange { chart.yRange = nil }
            return .line(chart)
        case let (.histogram(a), .histogram(b)):
            var chart = a
            chart.distributions = a.distributions.map { .init(name: prefixed(names.0, $0.name), values: $0.values) }
                + b.distributions.map { .init(name: prefixed(names.1, $0.name), values: $0.values) }
            // Runs on different data have different row counts: compare shapes, not counts.
            chart.normalized = true
            return .histogram(chart)
        case let (.bars(a), .bars(b)):
            var categories = a.categories
            for category in b.categories where !categories.contains(category) { categories.append(category) }
            func aligned(_ chart: GroupedBarChart, _ run: String) -> [GroupedBarChart.Group] {
                chart.groups.map { group in
                    .init(name: prefixed(run, group.name), values: categories.map { category in
                        chart.categories.firstIndex(of: category).flatMap { $0 < group.values.count ? group.values[$0] : nil } ?? .nan
                    })
                }
            }
            var chart = a
            chart.categories = categories
            chart.groups = aligned(a, names.0) + aligned(b, names.1)
            if a.yRange != b.yRange { chart.yRange = nil }
            return .bars(chart)
        default:
            return nil
        }
    }

    /// The JSON form saved in run folders (non-finite numbers as "nan", "inf", "-inf").
    public func encoded() throws -> Data { try JSONValue.encoder().encode(self) }

    public init(decoding data: Data) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        self = try decoder.decode(ChartData.self, from: data)
    }
}
