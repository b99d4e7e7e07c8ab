import Foundation
import SolutionKit

/// Scores user ids: top-k unseen items per user (mode `top`, the default), or predicted ratings for
/// (user, item) rows (mode `pairs`, chosen automatically when the input has an item column).
///
/// Input: CSV with a header naming a user column (user/userId/user_id/…; `--option user=NAME`) and, for pairs, an
/// item column; or JSON lines with "user" (and "item"). The input is read in `options.readFormat`, so CSV rows can
/// be answered in JSON lines (as `launcher serve` does). Output, one row per input row, in input order:
/// top mode `user,cold_start,items,titles,scores` with the lists joined by `|` (JSON lines: an array of
/// {item, title, score}); pairs mode `user,item,prediction,cold_start`. A user the model never saw gets the most
/// popular items, with cold_start = true; in pairs mode an unknown user or item is predicted from the biases.
/// A row with an empty line, a missing or empty id, or unparseable JSON goes to the rejects with its line
/// number and reason, so rows read = rows scored + rows rejected.
struct RecommendationScorer: BatchScorer {
    let model: RecommendationModel
    /// Row k is the k-th line after the header (blank lines included: they are rows, rejected as empty).
    var supportsSharding: Bool { true }

    enum Mode: String { case top, pairs }

    func score(_ input: any ByteSource, into output: OutputSink, rejects: OutputSink?,
               options: ScoringOptions) throws -> ScoringSummary {
        let k = try Self.integerOption(options.values["k"], name: "k", default: 10, range: 1...10_000)
        let reader = LineReader(input)
        var summary = ScoringSummary()
        var userField = 0, itemField: Int?
        var separator = ","
        var lineNumber = 0
        if options.readFormat == .csv {
            guard let header = try reader.next() else { throw RatingsFileError(file: input.name, line: 0, reason: "the input is empty") }
            lineNumber = 1
            separator = TextLines.separator(of: header)
            let names = TextLines.fields(header, separator: separator)
            let lower = names.map { $0.lowercased() }
            if let given = options.values["user"] {
                guard let index = names.firstIndex(of: given) else {
                    throw RatingsFileError(file: input.name, line: 1, reason: "no user column \"\(given)\"; the header is: \(names.joined(separator: ", "))")
                }
                userField = index
            } else if let index = lower.firstIndex(where: { RatingsFileReader.aliases["user"]!.contains($0) }) {
                userField = index
            } else {
                throw RatingsFileError(file: input.name, line: 1, reason: "no user column (user, userId, user_id, …) in the header: \(names.joined(separator: ", ")); name it with --option user=COLUMN")
            }
            if let given = options.values["item"] {
                guard let index = names.firstIndex(of: given) else {
                    throw RatingsFileError(file: input.name, line: 1, reason: "no item column \"\(given)\"; the header is: \(names.joined(separator: ", "))")
                }
                itemField = index
            } else {
                itemField = lower.firstIndex(where: { RatingsFileReader.aliases["item"]!.contains($0) })
            }
        }
        let mode: Mode
        if let text = options.values["mode"] {
            guard let m = Mode(rawValue: text) else { throw DataRequestError("--option mode=\(text): expected top or pairs") }
            mode = m
        } else {
            mode = itemField != nil ? .pairs : .top
        }
        if mode == .pairs && options.readFormat == .csv && itemField == nil {
            throw RatingsFileError(file: input.name, line: 1, reason: "pairs mode needs an item column (item, itemId, movieId, …)")
        }
        if options.format == .csv {
            try output.write(mode == .top ? "user,cold_start,items,titles,scores\n" : "user,item,prediction,cold_start\n")
        }
        try rejects?.write("line,reason\n")

        var out = "", rej = ""
        var rowOrdinal = 0
        while let line = try reader.next() {
            lineNumber += 1
            rowOrdinal += 1
            guard options.shard.contains(row: rowOrdinal - 1) else { continue }
            summary.rowsRead += 1
            let parsed: (user: String, item: String?)
            do {
                parsed = try Self.parse(line, format: options.readFormat, separator: separator, userField: userField,
                                        itemField: itemField, needsItem: mode == .pairs)
            } catch let problem as RowProblem {
                summary.rowsRejected += 1
                rej += "\(lineNumber),\(OutputText.csvField(problem.reason))\n"
                if rej.utf8.count > 1 << 16 { try rejects?.write(rej); rej = "" }
                continue
            }
            summary.rowsScored += 1
            let u = model.userIndex[parsed.user] ?? -1
            switch mode {
            case .top:
                let list = model.recommend(user: u, k: k)
                out += row(user: parsed.user, cold: u < 0, list: list, format: options.format)
            case .pairs:
                let i = model.itemIndex[parsed.item!] ?? -1
                let prediction = model.predictRating(user: u, item: i)
                let cold = u < 0 || i < 0
                if options.format == .csv {
                    out += "\(OutputText.csvField(parsed.user)),\(OutputText.csvField(parsed.item!)),\(Self.number(prediction)),\(cold)\n"
                } else {
                    out += "{\"user\":\(OutputText.jsonString(parsed.user)),\"item\":\(OutputText.jsonString(parsed.item!)),\"prediction\":\(Self.number(prediction)),\"cold_start\":\(cold)}\n"
                }
            }
            if out.utf8.count > 1 << 16 { try output.write(out); out = "" }
        }
        try output.write(out)
        if !rej.isEmpty { try rejects?.write(rej) }
        return summary
    }

    func row(user: String, cold: Bool, list: [(item: Int, score: Float)], format: ScoringFormat) -> String {
        switch format {
        case .csv:
            let items = list.map { model.items[$0.item] }.joined(separator: "|")
            let titles = list.map { model.titles[$0.item].replacingOccurrences(of: "|", with: "/") }.joined(separator: "|")
            let scores = list.map { Self.number($0.score) }.joined(separator: "|")
            return "\(OutputText.csvField(user)),\(cold),\(OutputText.csvField(items)),\(OutputText.csvField(titles)),\(scores)\n"
        case .jsonl:
            let entries = list.map { "{\"item\":\(OutputText.jsonString(model.items[$0.item])),\"title\":\(OutputText.jsonString(model.titles[$0.item])),\"score\":\(Self.number($0.score))}" }
            return "{\"user\":\(OutputText.jsonString(user)),\"cold_start\":\(cold),\"items\":[\(entries.joined(separator: ","))]}\n"
        }
    }

    struct RowProblem: Error { var reason: String }

    static func parse(_ line: String, format: ScoringFormat, separator: String, userField: Int, itemField: Int?,
                      needsItem: Bool) throws -> (user: String, item: String?) {
        if line.allSatisfy(\.isWhitespace) { throw RowProblem(reason: "empty line") }
        switch format {
        case .csv:
            let fields = TextLines.fields(line, separator: separator)
            guard userField < fields.count else { throw RowProblem(reason: "missing the user column (\(fields.count) field(s))") }
            let user = fields[userField]
            guard !user.isEmpty else { throw RowProblem(reason: "the user id is empty") }
            guard needsItem else { return (user, nil) }
            guard let itemField, itemField < fields.count else { throw RowProblem(reason: "missing the item column (\(fields.count) field(s))") }
            guard !fields[itemField].isEmpty else { throw RowProblem(reason: "the item id is empty") }
            return (user, fields[itemField])
        case .jsonl:
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw RowProblem(reason: "not a JSON object")
            }
            guard let user = idText(object["user"]), !user.isEmpty else { throw RowProblem(reason: "no \"user\" id (text or number)") }
            let item = idText(object["item"])
            if needsItem || item != nil {
                guard let item, !item.isEmpty else { throw RowProblem(reason: "no \"item\" id (text or number)") }
                return (user, item)
            }
            return (user, nil)
        }
    }

    static func idText(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber:
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : n.stringValue
        default: return nil
        }
    }

    static func number(_ v: Float) -> String { String(format: "%.4f", Double(v)) }

    static func integerOption(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let v = Int(text), range.contains(v) else {
            throw DataRequestError("--option \(name)=\(text): expected an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }
}

/// Lines from a byte source in blocks (LF or CRLF), decoded as UTF-8 (Latin-1 when not valid UTF-8).
/// Memory holds one block and the current line.
final class LineReader {
    private let source: any ByteSource
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0, end = 0
    private var finished = false
    private var pending: [UInt8] = []

    init(_ source: any ByteSource) { self.source = source }

    func next() throws -> String? {
        while true {
            if start < end {
                if let newline = buffer[start..<end].firstIndex(of: UInt8(ascii: "\n")) {
                    pending.append(contentsOf: buffer[start..<newline])
                    start = newline + 1
                    return take()
                }
                pending.append(contentsOf: buffer[start..<end])
                start = end
            }
            if finished { return pending.isEmpty ? nil : take() }
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { finished = true } else { start = 0; end = n }
        }
    }

    private func take() -> String {
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        defer { pending.removeAll(keepingCapacity: true) }
        return TextLines.decode(pending)
    }
}
