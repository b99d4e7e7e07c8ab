/// A strict, pull-style JSON reader over raw UTF-8 bytes, for loading large machine-written files quickly.
///
/// Foundation's `JSONDecoder` pays several hundred nanoseconds per value for the generality of `Codable`; this
/// reader lets a type read its own fields directly from the bytes instead. It accepts exactly RFC 8259 JSON
/// (no comments, no trailing commas, no leading zeros, UTF-8 only) and reports the first problem with its byte
/// offset and line, plus the key path once the caller's readers have added it (see `JSONReadError.under`).
///
/// Usage: `beginObject()` then `while let key = try nextKey() { read the value }`, likewise `beginArray()` and
/// `while try nextElement() { ... }`; scalars with `readString()`, `readDouble()`, `readInt()`, ...; anything
/// unwanted with `skipValue()`; finally `expectEnd()`. The bytes must outlive the reader.
public struct JSONByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Offset of the next unread byte.
    var position = 0
    private var depth = 0
    private let maxDepth: Int
    /// Set by `beginObject` / `beginArray` so the first `nextKey` / `nextElement` expects no comma.
    private var atFirstMember = false

    public init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = 256) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    // MARK: Errors

    /// An error at `offset` (default: the current position), with its line and column worked out.
    public func error(_ problem: String, at offset: Int? = nil) -> JSONReadError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return JSONReadError(problem: problem, offset: offset, line: line, column: offset - lineStart + 1)
    }

    /// "expected a number, found a string": names what stands at the current position.
    func mismatch(expected: String) -> JSONReadError {
        skipWhitespaceCopy().map { error("expected \(expected), found \(Self.kindName($0.byte))", at: $0.offset) }
            ?? error("expected \(expected), found the end of the input")
    }

    private func skipWhitespaceCopy() -> (byte: UInt8, offset: Int)? {
        var copy = self
        copy.skipWhitespace()
        return copy.position < bytes.count ? (bytes[copy.position], copy.position) : nil
    }

    static func kindName(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        default: return "the character '\(Self.printable(byte))'"
        }
    }

    static func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
    }

    // MARK: Structure

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    /// The next significant byte, without consuming it; nil at the end of the input.
    @inline(__always)
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// Where the next value begins (after whitespace), for errors about the value as a whole.
    public mutating func valueStart() -> Int {
        skipWhitespace()
        return position
    }

    /// Consumes `byte` (after whitespace) if it comes next.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    private mutating func enter(_ open: UInt8, expected: String) throws {
        guard peek() == open else { throw mismatch(expected: expected) }
        guard depth < maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
        position += 1
        depth += 1
        atFirstMember = true
    }

    /// Consumes the closing byte or the comma before the next member; true when a member follows.
    @inline(__always)
    private mutating func advanceToMember(close: UInt8, what: String) throws -> Bool {
        let first = atFirstMember
        atFirstMember = false
        guard let byte = peek() else { throw error("unexpected end of input inside \(what)") }
        if byte == close {
            position += 1
            depth -= 1
            return false
        }
        if first { return true }
        guard byte == UInt8(ascii: ",") else {
            throw error("expected ',' or '\(Self.printable(close))' in \(what), found '\(Self.printable(byte))'")
        }
        position += 1
        return true
    }

    public mutating func beginObject() throws { try enter(UInt8(ascii: "{"), expected: "an object") }

    /// The next key of the current object (its value is to be read next), or nil after the closing brace.
    public mutating func nextKey() throws -> String? {
        guard try advanceToMember(close: UInt8(ascii: "}"), what: "an object") else { return nil }
        guard peek() == UInt8(ascii: "\"") else {
            throw position < bytes.count ? error("expected a key string, found \(Self.kindName(bytes[position]))")
                                         : error("unexpected end of input inside an object")
        }
        let key = try readString()
        guard consume(UInt8(ascii: ":")) else { throw error("expected ':' after the key \"\(key)\"") }
        return key
    }

    public mutating func beginArray() throws { try enter(UInt8(ascii: "["), expected: "an array") }

    /// Whether another element follows in the current array (then read it); false after the closing bracket.
    @inline(__always)
    public mutating func nextElement() throws -> Bool {
        try advanceToMember(close: UInt8(ascii: "]"), what: "an array")
    }

    /// Reads an array whose elements `element` reads; a failing element's index is added to the error path.
    @inline(__always)
    public mutating func readArray<Element>(_ element: (inout JSONByteReader) throws -> Element) throws -> [Element] {
        try beginArray()
        var result: [Element] = []
        // Growing from empty reallocates at 1, 2, 4, 8 and 16 elements; per-node arrays of a tree are mostly
        // 10 to 30 long, so start with room for 16 unless the array is empty (those stay allocation-free).
        if peek() != UInt8(ascii: "]") { result.reserveCapacity(16) }
        while try nextElement() {
            do { result.append(try element(&self)) } catch let error as JSONReadError {
                throw error.under(String(result.count))
            }
        }
        return result
    }

    /// Reads an object member by member; a failing member's key is added to the error path.
    public mutating func readObject(_ member: (inout JSONByteReader, String) throws -> Void) throws {
        try beginObject()
        while let key = try nextKey() {
            do { try member(&self, key) } catch let error as JSONReadError { throw error.under(key) }
        }
    }

    /// Skips one value of any kind, checking its syntax (used for unknown keys).
    public mutating func skipValue() throws {
        guard let byte = peek() else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): guard try readNullIfPresent() else { throw error("invalid literal") }
        default: _ = try scanNumber()
        }
    }

    /// Checks that nothing but whitespace follows the document.
    public mutating func expectEnd() throws {
        if let byte = peek() { throw error("unexpected '\(Self.printable(byte))' after the end of the document") }
    }

    // MARK: Literals

    /// Consumes `literal` exactly at the current position.
    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        let text = literal.utf8Start
        for index in 0..<count where bytes[position + index] != text[index] { return false }
        position += count
        return true
    }

    public mutating func readBool() throws -> Bool {
        switch peek() {
        case UInt8(ascii: "t"): if consumeLiteral("true") { return true }
        case UInt8(ascii: "f"): if consumeLiteral("false") { return false }
        default: throw mismatch(expected: "a boolean")
        }
        throw error("invalid literal")
    }

    /// Consumes `null` if it comes next (for optional values, which may also be absent).
    public mutating func readNullIfPresent() throws -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        guard consumeLiteral("null") else { throw error("invalid literal") }
        return true
    }
}
