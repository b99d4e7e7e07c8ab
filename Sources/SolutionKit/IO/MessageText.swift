import Foundation

/// Error and note text made safe to print: a message may quote a cell, a key or a line of a hostile file,
/// which can hold terminal escape sequences, binary bytes or tens of kilobytes on one line.
public enum MessageText {
    /// Characters kept of one line (the head and the tail; the middle is cut and counted).
    public static let maximumLineLength = 400
    /// Lines kept of a message.
    public static let maximumLines = 60

    /// `text` with control and invisible formatting characters escaped (`\u{1B}`), undecodable bytes shown as
    /// U+FFFD escapes, each line cut to `maximumLineLength` and the message to `maximumLines` lines.
    public static func sanitized(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { excerpt(String($0)) }
        if lines.count > maximumLines {
            let cut = lines.count - maximumLines
            lines = Array(lines.prefix(maximumLines)) + ["… (\(cut) more lines cut)"]
        }
        return lines.joined(separator: "\n")
    }

    /// One line (or a quoted value): escaped, and cut in the middle when longer than `limit` characters.
    public static func excerpt(_ text: String, limit: Int = maximumLineLength) -> String {
        var escaped = ""
        var count = 0, total = 0
        let tailLength = max(1, limit / 5)
        let headLength = limit - tailLength
        // The last `tailLength` characters past the head, in a ring (a message may be megabytes long).
        var ring = [Unicode.Scalar](repeating: " ", count: tailLength)
        var ringCount = 0
        for scalar in text.unicodeScalars {
            total += 1
            if count < headLength {
                escaped += escape(scalar)
                count += 1
            } else {
                ring[ringCount % tailLength] = scalar
                ringCount += 1
            }
        }
        let kept = min(ringCount, tailLength)
        let start = ringCount - kept
        let tail = (start..<ringCount).map { escape(ring[$0 % tailLength]) }.joined()
        guard total > limit else { return escaped + tail }
        return escaped + " … (\(total - headLength - kept) characters cut) … " + tail
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
            if scalar == "\t" { return " " }
            return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default:
            return scalar == "\u{FFFD}" ? "\\u{FFFD}" : String(scalar)
        }
    }
}
