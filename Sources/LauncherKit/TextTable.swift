import Foundation

/// Plain-text tables for terminals: columns padded to their widest cell.
enum TextTable {
    static func render(header: [String], rows: [[String]], indent: String = "") -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }
            return indent + padded.joined(separator: "  ") + "\n"
        }
        var text = line(header)
        text += line(widths.enumerated().map { i, w in String(repeating: "-", count: i == widths.count - 1 ? header[i].count : w) })
        for row in rows { text += line(row) }
        return text
    }
}

/// Numbers as people read them in tables: 6 significant digits, no exponent for ordinary magnitudes.
func formatMetric(_ value: Double) -> String {
    // Swift prints NaN as "nan" or "-nan" by its sign bit; a report says what it means.
    guard value.isFinite else { return value.isNaN ? "not finite (nan)" : "not finite (\(value < 0 ? "-inf" : "inf"))" }
    let magnitude = abs(value)
    if magnitude != 0 && (magnitude >= 1e9 || magnitude < 1e-4) { return String(format: "%.6g", value) }
    if magnitude >= 1000 { return String(format: "%.1f", value) }
    return String(format: "%.6g", value)
}
