import Foundation
import Yams

/// Reads a configuration file's YAML within fixed limits, so a hostile file of a few hundred bytes (nested
/// aliases: a "billion laughs") or deep flow nesting cannot take seconds, memory or the stack.
///
/// A recipe configuration is a mapping of a few dozen scalars: the limits are far above any real one.
enum BoundedYAML {
    /// Bytes in the file.
    static let maximumBytes = 256 * 1024
    /// Nesting of collections, counted with aliases followed.
    static let maximumDepth = 32
    /// Nodes in the document with every alias expanded where it is used.
    static let maximumNodes = 10_000

    struct LimitError: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    /// The document's root node, or nil for an empty document; throws `LimitError` past a limit and Yams's
    /// error for malformed YAML.
    static func compose(_ text: String) throws -> Node? {
        let bytes = text.utf8.count
        guard bytes <= maximumBytes else {
            throw LimitError(reason: "the file has \(bytes) bytes; a configuration may have at most \(maximumBytes)")
        }
        // Yams builds the tree recursively: refuse deep flow nesting ([[[[...) before it does.
        let flowDepth = maximumFlowDepth(text)
        guard flowDepth <= maximumDepth else {
            throw LimitError(reason: "collections nested \(flowDepth) deep; at most \(maximumDepth) levels are allowed")
        }
        guard let root = try Yams.compose(yaml: text) else { return nil }
        var budget = maximumNodes
        try count(root, depth: 1, budget: &budget)
        return root
    }

    /// Counts nodes as if every alias were expanded, stopping as soon as a limit is passed (so the walk itself
    /// is bounded by `maximumNodes` steps, whatever the aliases would expand to).
    private static func count(_ node: Node, depth: Int, budget: inout Int) throws {
        guard depth <= maximumDepth else {
            throw LimitError(reason: "collections nested more than \(maximumDepth) deep (aliases followed)")
        }
        budget -= 1
        guard budget >= 0 else {
            throw LimitError(reason: "more than \(maximumNodes) values once aliases are expanded (an alias bomb?)")
        }
        switch node {
        case .scalar, .alias: return
        case .mapping(let mapping):
            for (key, value) in mapping {
                try count(key, depth: depth + 1, budget: &budget)
                try count(value, depth: depth + 1, budget: &budget)
            }
        case .sequence(let sequence):
            for element in sequence { try count(element, depth: depth + 1, budget: &budget) }
        }
    }

    /// The deepest nesting of `[` and `{` outside quotes and comments (a conservative over-estimate is fine:
    /// it only decides whether the file is refused before parsing).
    static func maximumFlowDepth(_ text: String) -> Int {
        var depth = 0, deepest = 0
        var quote: UInt8? = nil, comment = false, previous: UInt8 = UInt8(ascii: "\n")
        for byte in text.utf8 {
            defer { previous = byte }
            if comment {
                if byte == UInt8(ascii: "\n") { comment = false }
                continue
            }
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "#") where previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\n") || previous == UInt8(ascii: "\t"):
                comment = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
        return deepest
    }
}
