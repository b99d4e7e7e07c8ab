/// Renders the Markdown plugins write for `report.md` as HTML: paragraphs, `-` lists, `#` headings, pipe tables,
/// **bold** and `code`. Anything else is text. No raw HTML passes through: the only tag kept from the source is
/// `<br>` inside table cells (how `MarkdownReport` writes line breaks there), and entities it wrote stay entities.
enum MarkdownHTML {
    static func render(_ markdown: String) -> String {
        var html: [String] = []
        let lines = markdown.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        var i = 0
        while i < lines.count {
            let line = lines[i].trimmingCharacters(in: .whitespaces)
            if line.isEmpty { i += 1; continue }
            if line.hasPrefix("|") {
                var block: [String] = []
                while i < lines.count, lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                    block.append(lines[i].trimmingCharacters(in: .whitespaces))
                    i += 1
                }
                html.append(table(block))
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                var items: [String] = []
                while i < lines.count {
                    let item = lines[i].trimmingCharacters(in: .whitespaces)
                    guard item.hasPrefix("- ") || item.hasPrefix("* ") else { break }
                    items.append("<li>\(inline(String(item.dropFirst(2))))</li>")
                    i += 1
                }
                html.append("<ul>" + items.joined() + "</ul>")
            } else if line.hasPrefix("#") {
                let level = min(6, max(3, line.prefix(while: { $0 == "#" }).count + 1))
                html.append("<h\(level)>\(inline(line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)))</h\(level)>")
                i += 1
            } else {
                var paragraph: [String] = []
                while i < lines.count {
                    let text = lines[i].trimmingCharacters(in: .whitespaces)
                    if text.isEmpty || text.hasPrefix("|") || text.hasPrefix("- ") || text.hasPrefix("* ") || text.hasPrefix("#") { break }
                    paragraph.append(text)
                    i += 1
                }
                html.append("<p>\(inline(paragraph.joined(separator: " ")))</p>")
            }
        }
        return html.joined(separator: "\n")
    }

    /// A pipe table: header row, the `---` row (its colons set alignment), body rows.
    static func table(_ lines: [String]) -> String {
        let rows = lines.map(cells)
        guard let header = rows.first else { return "" }
        var body = Array(rows.dropFirst())
        var alignRight = Set<Int>()
        if let separator = body.first, separator.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } && $0.contains("-") }) {
            for (index, cell) in separator.enumerated() where cell.hasSuffix(":") { alignRight.insert(index) }
            body.removeFirst()
        }
        var html = "<div class=\"scroll\"><table><thead><tr>"
        for (index, cell) in header.enumerated() { html += "<th\(alignRight.contains(index) ? " class=\"num\"" : "")>\(inline(cell))</th>" }
        html += "</tr></thead><tbody>"
        for row in body {
            html += "<tr>"
            for index in header.indices {
                let text = index < row.count ? row[index] : ""
                html += "<td\(alignRight.contains(index) ? " class=\"num\"" : "")>\(inline(text))</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table></div>"
    }

    /// The cells of one `| a | b |` row, with `\|` and `\\` unescaped.
    static func cells(_ line: String) -> [String] {
        var cells: [String] = [], current = ""
        var characters = Array(line)
        if characters.first == "|" { characters.removeFirst() }
        var index = 0
        while index < characters.count {
            let c = characters[index]
            if c == "\\", index + 1 < characters.count, characters[index + 1] == "|" || characters[index + 1] == "\\" {
                current.append(characters[index + 1])
                index += 2
                continue
            }
            if c == "|" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(c)
            }
            index += 1
        }
        let last = current.trimmingCharacters(in: .whitespaces)
        if !last.isEmpty { cells.append(last) }
        return cells
    }

    /// Inline text: escaped, with **bold**, `code` and `<br>`; entities already written (&lt;) kept as they are.
    static func inline(_ text: String) -> String {
        var out = ""
        let characters = Array(text)
        var index = 0
        var bold = false
        while index < characters.count {
            let c = characters[index]
            if c == "`", let close = characters[(index + 1)...].firstIndex(of: "`") {
                out += "<code>" + escapeKeepingEntities(String(characters[(index + 1)..<close])) + "</code>"
                index = close + 1
                continue
            }
            if c == "*", index + 1 < characters.count, characters[index + 1] == "*" {
                out += bold ? "</strong>" : "<strong>"
                bold.toggle()
                index += 2
                continue
            }
            if c == "<", String(characters[index..<min(index + 4, characters.count)]).lowercased() == "<br>" {
                out += "<br>"
                index += 4
                continue
            }
            var run = ""
            while index < characters.count, characters[index] != "`", characters[index] != "*", characters[index] != "<" {
                run.append(characters[index])
                index += 1
            }
            if run.isEmpty {
                run.append(characters[index])
                index += 1
            }
            out += escapeKeepingEntities(run)
        }
        if bold { out += "</strong>" }
        return out
    }

    /// Escapes like `HTMLReport.escape`, except that `&name;` and `&#123;` entities are left alone.
    static func escapeKeepingEntities(_ text: String) -> String {
        var out = ""
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let c = characters[index]
            if c == "&", let semicolon = characters[(index + 1)...].prefix(10).firstIndex(of: ";") {
                let name = characters[(index + 1)..<semicolon]
                let isEntity = !name.isEmpty && (name.allSatisfy { $0.isASCII && $0.isLetter }
                    || (name.first == "#" && name.count > 1 && name.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }))
                if isEntity {
                    out += String(characters[index...semicolon])
                    index = semicolon + 1
                    continue
                }
            }
            out += HTMLReport.escape(String(c))
            index += 1
        }
        return out
    }
}
