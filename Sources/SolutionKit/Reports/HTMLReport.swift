import Foundation

/// Builds one self-contained HTML page (`report.html`) block by block: headings, text, tables and inline SVG
/// figures, with its style sheet inside. It loads nothing (no script, font, image or style from anywhere), so
/// it opens from disk, by mail or on a plane, reads on a phone and prints.
///
/// Text is escaped; Markdown written by plugins for `report.md` is rendered by a small subset renderer
/// (`MarkdownHTML`), with no raw HTML let through.
public struct HTMLReport: Sendable {
    private var title: String
    private var blocks: [String] = []
    private var contents: [(id: String, title: String)] = []

    public init(title: String) {
        self.title = title
    }

    /// A section heading; level-2 headings are listed in the page's table of contents.
    public mutating func addHeading(_ text: String, level: Int = 2) {
        let level = min(6, max(2, level))
        let id = Self.anchor(text, taken: Set(contents.map(\.id)))
        if level == 2 { contents.append((id, text)) }
        blocks.append("<h\(level) id=\"\(id)\">\(Self.escape(text))</h\(level)>")
    }

    /// A paragraph of plain text.
    public mutating func addParagraph(_ text: String) {
        blocks.append("<p>\(Self.escape(text))</p>")
    }

    /// Markdown as plugins write it for `report.md` (paragraphs, lists, pipe tables, **bold**, `code`).
    public mutating func addMarkdown(_ markdown: String) {
        blocks.append(MarkdownHTML.render(markdown))
    }

    /// A two-column list of names and values.
    public mutating func addKeyValues(_ pairs: [(key: String, value: String)]) {
        var html = "<dl class=\"facts\">"
        for pair in pairs { html += "<dt>\(Self.escape(pair.key))</dt><dd>\(Self.escape(pair.value))</dd>" }
        blocks.append(html + "</dl>")
    }

    /// A table; `alignRight` right-aligns columns (numbers) by index, `emphasizedRows` are set in bold.
    public mutating func addTable(headers: [String], rows: [[String]], alignRight: Set<Int> = [],
                                  emphasizedRows: Set<Int> = []) {
        blocks.append(Self.table(headers: headers, rows: rows, alignRight: alignRight, emphasizedRows: emphasizedRows))
    }

    static func table(headers: [String], rows: [[String]], alignRight: Set<Int> = [], emphasizedRows: Set<Int> = []) -> String {
        func cell(_ tag: String, _ index: Int, _ text: String) -> String {
            "<\(tag)\(alignRight.contains(index) ? " class=\"num\"" : "")>\(text)</\(tag)>"
        }
        var html = "<div class=\"scroll\"><table><thead><tr>"
        for (i, header) in headers.enumerated() { html += cell("th", i, escape(header)) }
        html += "</tr></thead><tbody>"
        for (r, row) in rows.enumerated() {
            html += emphasizedRows.contains(r) ? "<tr class=\"em\">" : "<tr>"
            for i in headers.indices { html += cell("td", i, i < row.count ? escape(row[i]) : "") }
            html += "</tr>"
        }
        return html + "</tbody></table></div>"
    }

    /// Charts side by side where the page is wide enough, one under the other on a phone.
    public mutating func addFigures(_ figures: [(name: String, title: String, svg: String)]) {
        guard !figures.isEmpty else { return }
        var html = "<div class=\"figures\">"
        for figure in figures { html += Self.figure(name: figure.name, title: figure.title, svg: figure.svg) }
        blocks.append(html + "</div>")
    }

    /// One chart as a figure: the SVG inline (its XML declaration dropped) and its title as the caption.
    static func figure(name: String, title: String, svg: String) -> String {
        var body = Substring(svg)
        if body.hasPrefix("<?xml"), let end = body.range(of: "?>") { body = body[end.upperBound...] }
        return "<figure class=\"chart\" data-chart=\"\(escape(name))\">"
            + body.trimmingCharacters(in: .whitespacesAndNewlines)
            + "<figcaption>\(escape(title))</figcaption></figure>"
    }

    /// The page.
    public var html: String {
        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        // Nothing may be fetched: the policy makes the browser refuse any request the page would make.
        page += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        page += "<title>\(Self.escape(title))</title>\n<style>\(Self.styleSheet)</style>\n</head>\n<body>\n"
        page += "<header><h1>\(Self.escape(title))</h1>"
        if contents.count > 1 {
            page += "<nav>" + contents.map { "<a href=\"#\($0.id)\">\(Self.escape($0.title))</a>" }.joined(separator: " ") + "</nav>"
        }
        page += "</header>\n<main>\n" + blocks.joined(separator: "\n") + "\n</main>\n</body>\n</html>\n"
        return page
    }

    /// Writes the page to `path` atomically.
    public func write(toFile path: String) throws {
        try OutputSink.write(html, atomicallyTo: path)
    }

    /// Text as HTML: the XML escaping of the charts (the five special characters as entities, control
    /// characters dropped) is valid HTML too.
    static func escape(_ text: String) -> String { SVGCanvas.escape(text) }

    /// A fragment id from a heading: lower-case letters, digits and dashes, made unique.
    static func anchor(_ text: String, taken: Set<String>) -> String {
        var id = ""
        for character in text.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) { id.append(character) }
            else if !id.isEmpty && id.last != "-" { id.append("-") }
        }
        while id.hasSuffix("-") { id.removeLast() }
        if id.isEmpty { id = "section" }
        var unique = id, n = 2
        while taken.contains(unique) { unique = "\(id)-\(n)"; n += 1 }
        return unique
    }

    static let styleSheet = """
    :root{color-scheme:light}
    *{box-sizing:border-box}
    body{margin:0 auto;max-width:1180px;padding:0 16px 32px;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d1d1f;background:#fff}
    header{border-bottom:1px solid #ddd;margin-bottom:8px}
    h1{font-size:1.5em;margin:18px 0 6px;overflow-wrap:anywhere}
    h2{font-size:1.2em;margin:26px 0 8px;padding-top:4px;border-top:1px solid #eee}
    h3{font-size:1.05em;margin:18px 0 6px}
    nav{display:flex;flex-wrap:wrap;gap:4px 14px;margin:6px 0 12px;font-size:.92em}
    nav a{color:#0a58ca;text-decoration:none}
    p{margin:8px 0;overflow-wrap:anywhere}
    code{font:0.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f3f3;padding:0 3px;border-radius:3px;overflow-wrap:anywhere}
    dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:8px 0}
    dl.facts dt{color:#555}
    dl.facts dd{margin:0;overflow-wrap:anywhere}
    .scroll{overflow-x:auto;margin:8px 0;max-width:100%}
    table{border-collapse:collapse;font-size:.92em}
    th,td{border-bottom:1px solid #e3e3e3;padding:4px 10px;text-align:left;vertical-align:top}
    th{background:#f6f6f6;font-weight:600}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
    tr.em td{font-weight:600}
    .figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,520px),1fr));gap:14px;margin:10px 0}
    figure.chart{margin:0;padding:6px;border:1px solid #e6e6e6;border-radius:6px;background:#fff;min-width:0}
    figure.chart svg{display:block;width:100%;height:auto}
    figcaption{font-size:.85em;color:#555;text-align:center;margin-top:2px}
    @media (max-width:600px){body{padding:0 10px 24px;font-size:14px}dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:4px}}
    @media print{body{max-width:none;padding:0;font-size:11pt}nav{display:none}.scroll{overflow:visible}
    .figures{display:block}figure.chart{break-inside:avoid;page-break-inside:avoid;border:none;margin:0 0 10px}
    h2{break-after:avoid;page-break-after:avoid}table{break-inside:auto;width:100%;font-size:9pt}tr{break-inside:avoid}
    th,td{padding:2px 4px;overflow-wrap:anywhere}}
    """
}
