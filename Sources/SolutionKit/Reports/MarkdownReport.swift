import Foundation

/// Builds a Markdown report (`report.md`) block by block: headings, paragraphs, tables, key/value blocks
/// and references to chart files.
///
/// Table cells and key/value text are escaped so that data (a category called "a|b", a newline in a
/// column name) cannot break the table layout; paragraphs are written as given, so callers may use Markdown.
public struct MarkdownReport: Equatable, Sendable {
    private var blocks: [String] = []

    /// A report starting with a level-1 title.
    public init(title: String) {
        blocks.append("# " + Self.escapeInline(title))
    }

    /// A heading; `level` 2 is a section, 3 a subsection (clamped to 1…6).
    public mutating func addHeading(_ text: String, level: Int = 2) {
        blocks.append(String(repeating: "#", count: min(6, max(1, level))) + " " + Self.escapeInline(text))
    }

    public mutating func addParagraph(_ text: String) {
        blocks.append(text)
    }

    /// A table; rows shorter than the header are padded with empty cells, longer ones are cut.
    /// `alignRight` right-aligns columns (for numbers) by index.
    public mutating func addTable(headers: [String], rows: [[String]], alignRight: Set<Int> = []) {
        guard !headers.isEmpty else { return }
        blocks.append(Self.table(headers: headers, rows: rows, alignRight: alignRight))
    }

    /// A Markdown table on its own, for report sections built outside a `MarkdownReport`.
    public static func table(headers: [String], rows: [[String]], alignRight: Set<Int> = []) -> String {
        var lines = ["| " + headers.map(Self.escapeCell).joined(separator: " | ") + " |"]
        lines.append("|" + headers.indices.map { alignRight.contains($0) ? " ---: " : " --- " }.joined(separator: "|") + "|")
        for row in rows {
            let cells = headers.indices.map { $0 < row.count ? Self.escapeCell(row[$0]) : "" }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// A two-column table of names and values (the hyperparameters, the run settings).
    public mutating func addKeyValues(_ pairs: [(key: String, value: String)]) {
        addTable(headers: ["key", "value"], rows: pairs.map { [$0.key, $0.value] })
    }

    /// An image reference to a chart file, by a path relative to the report.
    public mutating func addImage(path: String, altText: String) {
        let escapedPath = path.replacingOccurrences(of: " ", with: "%20")
            .replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")
        blocks.append("![\(Self.escapeInline(altText).replacingOccurrences(of: "]", with: "\\]"))](\(escapedPath))")
    }

    /// The Markdown text, blocks separated by blank lines, ending with a newline.
    public var markdown: String { blocks.joined(separator: "\n\n") + "\n" }

    /// Writes the report to `path` atomically.
    public func write(toFile path: String) throws {
        try OutputSink.write(markdown, atomicallyTo: path)
    }

    /// A table cell: pipes and backslashes escaped, line breaks turned into `<br>`, `<`/`>`/`&` as entities
    /// so raw data cannot open HTML.
    static func escapeCell(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "|": result += "\\|"
            case "\\": result += "\\\\"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\r\n", "\n", "\r": result += "<br>"
            default: result.append(character)
            }
        }
        return result
    }

    /// Heading and alt text: one line, no HTML.
    static func escapeInline(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\r\n", "\n", "\r": result += " "
            default: result.append(character)
            }
        }
        return result
    }
}
