import Foundation
import SolutionKit

/// A bad line in a ratings file: the file, the 1-based line and what is wrong, for people.
struct RatingsFileError: Error, CustomStringConvertible, Equatable {
    var file: String
    var line: Int
    var reason: String
    var description: String { line > 0 ? "\(file), line \(line): \(reason)" : "\(file): \(reason)" }
}

/// The rating scale a file declares (`--option scale=1-5`, `scale=0.5-5` for half stars).
struct RatingScale: Codable, Equatable {
    var minimum: Float
    var maximum: Float

    static let oneToFive = RatingScale(minimum: 1, maximum: 5)

    init(minimum: Float, maximum: Float) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Parses "1-5", "0.5-5" or "1..10".
    init(parsing text: String) throws {
        let parts = text.replacingOccurrences(of: "..", with: "-").split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let low = Float(parts[0].trimmingCharacters(in: .whitespaces)),
              let high = Float(parts[1].trimmingCharacters(in: .whitespaces)), low.isFinite, high.isFinite, low < high else {
            throw DataRequestError("--option scale=\(text): expected MIN-MAX, e.g. 1-5 or 0.5-5")
        }
        self.init(minimum: low, maximum: high)
    }

    func contains(_ value: Float) -> Bool { value >= minimum && value <= maximum }
    func clamp(_ value: Float) -> Float { Swift.min(Swift.max(value, minimum), maximum) }
    var text: String { "\(Self.format(minimum))-\(Self.format(maximum))" }
    static func format(_ v: Float) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
}

/// Ratings as read from a file, ids kept as strings: (user, item, rating, timestamp?) in file order.
struct RatingsLog: Equatable {
    var users: [String] = []
    var items: [String] = []
    var ratings: [Float] = []
    var timestamps: [Double?] = []
    /// The 1-based line each rating came from, for messages.
    var lines: [Int] = []
    var count: Int { ratings.count }

    mutating func append(_ user: String, _ item: String, _ rating: Float, _ timestamp: Double?, line: Int) {
        users.append(user); items.append(item); ratings.append(rating); timestamps.append(timestamp); lines.append(line)
    }

    /// These ratings followed by `other`'s.
    func appending(_ other: RatingsLog) -> RatingsLog {
        var out = self
        out.users += other.users; out.items += other.items; out.ratings += other.ratings
        out.timestamps += other.timestamps; out.lines += other.lines
        return out
    }

    func subset(_ rows: [Int]) -> RatingsLog {
        var out = RatingsLog()
        for r in rows { out.append(users[r], items[r], ratings[r], timestamps[r], line: lines[r]) }
        return out
    }
}

/// What to do with a (user, item) pair that occurs twice: refuse the file (default), or keep the latest
/// rating (by timestamp when the file has one, else the later line).
enum DuplicatePolicy: String {
    case error
    case last
}

/// Reads a ratings file: CSV, TSV, `|`, `;` or `::` separated, with or without a header.
///
/// Columns are found by header name (user/userId/user_id, item/itemId/movieId/item_id, rating, timestamp) or
/// given with `--option user=COLUMN item=… rating=… timestamp=…` (a name, or a 1-based position for files with no
/// header); without a header the order is user, item, rating, [timestamp]. Ids may be any text. Every bad line is
/// an error naming the file, the line and the field: an empty line, a missing column, a non-numeric or
/// out-of-scale rating, a duplicate pair (unless `duplicates=last`).
struct RatingsFileReader {
    var scale: RatingScale = .oneToFive
    var duplicates: DuplicatePolicy = .error
    var columns: [String: String] = [:]

    static let aliases: [String: [String]] = [
        "user": ["user", "userid", "user_id", "uid", "customer", "customer_id"],
        "item": ["item", "itemid", "item_id", "movie", "movieid", "movie_id", "iid", "product", "product_id"],
        "rating": ["rating", "score", "stars", "value"],
        "timestamp": ["timestamp", "time", "ts", "date", "unix_time"],
    ]

    init(options: [String: String]) throws {
        if let text = options["scale"] { scale = try RatingScale(parsing: text) }
        if let text = options["duplicates"] {
            guard let policy = DuplicatePolicy(rawValue: text) else {
                throw DataRequestError("--option duplicates=\(text): expected error or last")
            }
            duplicates = policy
        }
        for key in ["user", "item", "rating", "timestamp"] { if let v = options[key] { columns[key] = v } }
    }

    func read(path: String) throws -> RatingsLog {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw RatingsFileError(file: path, line: 0, reason: "is a folder, expected a ratings file")
            }
            throw RatingsFileError(file: path, line: 0, reason: "no such file")
        }
        return try read(bytes: [UInt8](data), name: path)
    }

    func read(bytes: [UInt8], name: String) throws -> RatingsLog {
        // Lines as byte ranges (LF or CRLF); text is decoded per field, as UTF-8 when the file is valid UTF-8,
        // else as Latin-1, so a large file never becomes one big String.
        let utf8 = String(validating: bytes, as: UTF8.self) != nil
        var lines: [Range<Int>] = []
        var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        for index in lineStart..<bytes.count where bytes[index] == 0x0A {
            lines.append(lineStart..<(index > lineStart && bytes[index - 1] == 0x0D ? index - 1 : index))
            lineStart = index + 1
        }
        if lineStart < bytes.count { lines.append(lineStart..<(bytes.last == 0x0D ? bytes.count - 1 : bytes.count)) }
        func isBlank(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
        while let last = lines.last, isBlank(last) { lines.removeLast() }  // trailing blank lines are fine
        func text(_ range: Range<Int>) -> String {
            utf8 ? String(decoding: bytes[range], as: UTF8.self) : String(bytes[range].map { Character(Unicode.Scalar($0)) })
        }
        guard let firstRange = lines.first else { throw RatingsFileError(file: name, line: 0, reason: "the file is empty") }
        let first = text(firstRange)
        let separator = TextLines.separator(of: first)
        let firstFields = TextLines.fields(first, separator: separator)
        let separatorBytes = Array(separator.utf8)

        // A header is a first line whose third field (or named rating column) is not a number.
        let hasHeader = firstFields.count < 3 || Float(firstFields[min(2, firstFields.count - 1)]) == nil
            || firstFields.contains { Self.aliases["user"]!.contains($0.lowercased()) }
        var position: [String: Int] = [:]
        for key in ["user", "item", "rating", "timestamp"] {
            if let given = columns[key] {
                if hasHeader, let index = firstFields.firstIndex(of: given) { position[key] = index; continue }
                guard let number = Int(given), number >= 1 else {
                    throw RatingsFileError(file: name, line: 1, reason: "no column \"\(given)\" for \(key)"
                        + (hasHeader ? "; the columns are: \(firstFields.joined(separator: ", "))" : " (the file has no header: give a 1-based position)"))
                }
                position[key] = number - 1
            } else if hasHeader {
                if let index = firstFields.firstIndex(where: { Self.aliases[key]!.contains($0.lowercased()) }) { position[key] = index }
            } else {
                let defaults = ["user": 0, "item": 1, "rating": 2, "timestamp": 3]
                if key != "timestamp" || firstFields.count >= 4 { position[key] = defaults[key] }
            }
        }
        for key in ["user", "item", "rating"] where position[key] == nil {
            throw RatingsFileError(file: name, line: 1, reason: "no \(key) column; the header is: \(firstFields.joined(separator: ", "))"
                + "; name it with --option \(key)=COLUMN")
        }
        let u = position["user"]!, it = position["item"]!, r = position["rating"]!, t = position["timestamp"]
        let needed = max(u, it, r, t ?? 0) + 1

        var log = RatingsLog()
        log.users.reserveCapacity(lines.count)
        var seen: [String: [String: Int]] = [:]
        var fields: [String] = []
        for (index, line) in lines.enumerated() where !(hasHeader && index == 0) {
            let number = index + 1
            if isBlank(line) {
                throw RatingsFileError(file: name, line: number, reason: "empty line")
            }
            if bytes[line].contains(0x22) {
                fields = TextLines.fields(text(line), separator: separator)  // quoted fields: the careful path
            } else {
                fields.removeAll(keepingCapacity: true)
                var fieldStart = line.lowerBound, position = line.lowerBound
                let s0 = separatorBytes[0], width = separatorBytes.count
                while position < line.upperBound {
                    if bytes[position] == s0 && (width == 1 || (position + 1 < line.upperBound && bytes[position + 1] == separatorBytes[1])) {
                        fields.append(Self.trimmed(text, fieldStart..<position, bytes))
                        position += width
                        fieldStart = position
                    } else {
                        position += 1
                    }
                }
                fields.append(Self.trimmed(text, fieldStart..<line.upperBound, bytes))
            }
            guard fields.count >= needed else {
                throw RatingsFileError(file: name, line: number, reason: "\(fields.count) field(s), expected at least \(needed) (user, item, rating\(t == nil ? "" : ", timestamp"))")
            }
            let user = fields[u], item = fields[it]
            guard !user.isEmpty else { throw RatingsFileError(file: name, line: number, reason: "the user id is empty") }
            guard !item.isEmpty else { throw RatingsFileError(file: name, line: number, reason: "the item id is empty") }
            guard let rating = Float(fields[r]), rating.isFinite else {
                throw RatingsFileError(file: name, line: number, reason: "rating \"\(fields[r])\" is not a number")
            }
            guard scale.contains(rating) else {
                throw RatingsFileError(file: name, line: number, reason: "rating \(fields[r]) is outside the scale \(scale.text) (declare another with --option scale=MIN-MAX)")
            }
            var timestamp: Double?
            if let t {
                guard let value = Double(fields[t]), value.isFinite else {
                    throw RatingsFileError(file: name, line: number, reason: "timestamp \"\(fields[t])\" is not a number")
                }
                timestamp = value
            }
            if let previous = seen[user]?[item] {
                switch duplicates {
                case .error:
                    throw RatingsFileError(file: name, line: number, reason: "user \(user) already rated item \(item) on line \(log.lines[previous]); "
                        + "keep the latest rating with --option duplicates=last")
                case .last:
                    let replace = timestamp == nil || log.timestamps[previous] == nil || timestamp! >= log.timestamps[previous]!
                    if replace {
                        log.ratings[previous] = rating
                        log.timestamps[previous] = timestamp
                        log.lines[previous] = number
                    }
                    continue
                }
            }
            seen[user, default: [:]][item] = log.count
            log.append(user, item, rating, timestamp, line: number)
        }
        guard log.count > 0 else { throw RatingsFileError(file: name, line: 0, reason: "no ratings after the header") }
        return log
    }
}

extension RatingsFileReader {
    /// The field's text without surrounding spaces or tabs.
    static func trimmed(_ text: (Range<Int>) -> String, _ range: Range<Int>, _ bytes: [UInt8]) -> String {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper && (bytes[lower] == 0x20 || bytes[lower] == 0x09) { lower += 1 }
        while upper > lower && (bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09) { upper -= 1 }
        return text(lower..<upper)
    }
}

/// Small text helpers shared by the ratings reader, the title reader and the scorer.
enum TextLines {
    /// UTF-8 when valid, else Latin-1 (MovieLens' u.item is ISO-8859-1): every byte maps to U+00xx.
    static func decode(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    /// The field separator of a line: `::`, tab, `|`, `;` or comma, whichever appears first in that order.
    static func separator(of line: String) -> String {
        for candidate in ["::", "\t", "|", ";", ","] where line.contains(candidate) { return candidate }
        return ","
    }

    /// Splits a line into trimmed fields; a comma-separated field may be double-quoted (with "" for a quote).
    static func fields(_ line: String, separator: String) -> [String] {
        guard separator == ",", line.contains("\"") else {
            return line.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        var fields: [String] = [], current = "", quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars.removeFirst() } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { fields.append(current.trimmingCharacters(in: .whitespaces)); current = "" }
            else { current.append(c) }
        }
        fields.append(current.trimmingCharacters(in: .whitespaces))
        return fields
    }

}
