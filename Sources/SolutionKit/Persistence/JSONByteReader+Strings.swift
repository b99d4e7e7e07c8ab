/// JSON strings: escapes (including `\uXXXX` and surrogate pairs), raw control characters refused, UTF-8 checked.
extension JSONByteReader {
    public mutating func readString() throws -> String {
        guard peek() == UInt8(ascii: "\"") else { throw mismatch(expected: "a string") }
        let start = position
        position += 1
        let contentStart = position
        // Most strings (all keys we write) have no escapes: validate and copy them in one go.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = try decodeUTF8(contentStart..<position, stringStart: start)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("unescaped control character in a string") }
            position += 1
        }
        guard position < bytes.count else { throw error("unexpected end of input inside a string", at: start) }
        var utf8 = Array(bytes[contentStart..<position])
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw error("invalid UTF-8 in a string", at: start)
                }
                return text
            case UInt8(ascii: "\\"):
                try readEscape(into: &utf8)
            case ..<0x20:
                throw error("unescaped control character in a string")
            default:
                utf8.append(byte)
                position += 1
            }
        }
        throw error("unexpected end of input inside a string", at: start)
    }

    private func decodeUTF8(_ range: Range<Int>, stringStart: Int) throws -> String {
        guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) else {
            throw error("invalid UTF-8 in a string", at: stringStart)
        }
        return text
    }

    /// Reads the escape at `position` (a backslash) and appends its UTF-8 encoding.
    private mutating func readEscape(into utf8: inout [UInt8]) throws {
        let escapeStart = position
        guard position + 1 < bytes.count else { throw error("unexpected end of input inside a string") }
        let letter = bytes[position + 1]
        position += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(letter)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try readHex4())
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low one; together they make one scalar.
                guard consumeLiteralBackslashU() else {
                    throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
                }
                let low = UInt32(try readHex4())
                guard (0xDC00..<0xE000).contains(low) else {
                    throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))", at: escapeStart)
            }
            utf8.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        default:
            throw error("invalid escape '\\\(Self.printable(letter))' in a string", at: escapeStart)
        }
    }

    private mutating func consumeLiteralBackslashU() -> Bool {
        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
              bytes[position + 1] == UInt8(ascii: "u") else { return false }
        position += 2
        return true
    }

    private mutating func readHex4() throws -> UInt16 {
        guard position + 4 <= bytes.count else { throw error("unexpected end of input inside a \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit '\(Self.printable(byte))' in a \\u escape")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}
