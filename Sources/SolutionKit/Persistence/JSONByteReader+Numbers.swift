#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// JSON numbers: strict grammar, correctly rounded `Double` and `Float`, exact integers with overflow checks.
///
/// Floating-point values take Clinger's fast path when the decimal significand and the power of ten are both
/// exact in a `Double` (one correctly rounded multiply or divide is then the correctly rounded result). The
/// 17-digit doubles a shortest-form encoder writes are too long for it; on x86 they take the same path in
/// `Float80`, which is exact when its 64-bit result does not fall exactly halfway between two doubles (checked).
/// The rest go to the C library's correctly rounded `strtod` / `strtof` (about 200 ns each, 5x the fast paths). A `Float` is never parsed via a rounded
/// `Double`, except on that fast path, where a single operation in 53 bits rounded to 24 bits is innocuous
/// (53 >= 2 * 24 + 2, Figueroa 1995).
extension JSONByteReader {
    /// A scanned number token: its bytes and, when it fits, its value as `significand × 10^exponent`.
    struct NumberToken {
        var range: Range<Int>
        var negative = false
        var significand: UInt64 = 0
        var exponent = 0
        /// No digit was dropped from `significand` and the exponent was small enough to track exactly.
        var isExact = true
        /// No fraction and no exponent: an integer literal.
        var isInteger = true
    }

    /// Scans a number at the current position, checking RFC 8259's grammar.
    mutating func scanNumber() throws -> NumberToken {
        guard let first = peek() else { throw mismatch(expected: "a number") }
        guard first == UInt8(ascii: "-") || Self.isDigit(first) else { throw mismatch(expected: "a number") }
        var token = NumberToken(range: position..<position)
        var significantDigits = 0
        @inline(__always) func take(_ digit: UInt8, fraction: Bool) {
            if token.significand == 0 && digit == 0 {
                if fraction { token.exponent -= 1 }
                return
            }
            if significantDigits < 19 {
                token.significand = token.significand &* 10 &+ UInt64(digit)
                significantDigits += 1
                if fraction { token.exponent -= 1 }
            } else {
                if digit != 0 { token.isExact = false }
                if !fraction { token.exponent += 1 }
            }
        }
        if bytes[position] == UInt8(ascii: "-") {
            token.negative = true
            position += 1
        }
        guard position < bytes.count, Self.isDigit(bytes[position]) else { throw numberError(token, "a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, Self.isDigit(bytes[position]) {
                take(bytes[position] - UInt8(ascii: "0"), fraction: false)
                position += 1
            }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            token.isInteger = false
            position += 1
            guard position < bytes.count, Self.isDigit(bytes[position]) else {
                throw numberError(token, "a digit after the decimal point")
            }
            while position < bytes.count, Self.isDigit(bytes[position]) {
                take(bytes[position] - UInt8(ascii: "0"), fraction: true)
                position += 1
            }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            token.isInteger = false
            position += 1
            var exponentNegative = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                exponentNegative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            guard position < bytes.count, Self.isDigit(bytes[position]) else {
                throw numberError(token, "a digit in the exponent")
            }
            var exponent = 0
            while position < bytes.count, Self.isDigit(bytes[position]) {
                // Saturate: anything this large is out of range anyway, and the C parser sees the real text.
                exponent = min(exponent * 10 + Int(bytes[position] - UInt8(ascii: "0")), 1_000_000)
                position += 1
            }
            token.exponent += exponentNegative ? -exponent : exponent
        }
        token.range = token.range.lowerBound..<position
        return token
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private func numberError(_ token: NumberToken, _ expected: String) -> JSONReadError {
        error("invalid number: expected \(expected)", at: position)
    }

    func text(of token: NumberToken) -> String { String(decoding: bytes[token.range], as: UTF8.self) }

    /// Reads a number and returns its text exactly as written (checked against RFC 8259's grammar), for callers
    /// that pass numbers on as text, e.g. JSON rows turned into CSV fields, where `1.50` must stay `1.50`.
    public mutating func readNumberText() throws -> String { text(of: try scanNumber()) }

    // MARK: Floating point

    /// A number, or one of the strings "inf", "-inf", "nan" that the model encoder writes for non-finite values.
    public mutating func readDouble() throws -> Double {
        if let special = try readNonConformingFloat() { return special }
        let token = try scanNumber()
        let value: Double
        if let fast = Self.exactDouble(token) ?? Self.extendedPrecisionDouble(token) {
            value = fast
        } else {
            value = try parse(token, with: strtod, fallback: { Double($0) })
        }
        guard value.isFinite else { throw error("number \(text(of: token)) does not fit in a Double", at: token.range.lowerBound) }
        return value
    }

    public mutating func readFloat() throws -> Float {
        if let special = try readNonConformingFloat() { return Float(special) }
        let token = try scanNumber()
        let value: Float
        if let fast = Self.exactDouble(token) {
            value = Float(fast)
        } else {
            value = try parse(token, with: strtof, fallback: { Float($0) })
        }
        guard value.isFinite else { throw error("number \(text(of: token)) does not fit in a Float", at: token.range.lowerBound) }
        return value
    }

    private mutating func readNonConformingFloat() throws -> Double? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        let start = position
        switch try readString() {
        case "inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        case let other: throw error("expected a number, found the string \"\(other)\"", at: start)
        }
    }

    /// Clinger's fast path: the correctly rounded value when significand and power of ten are exact doubles.
    @inline(__always)
    static func exactDouble(_ token: NumberToken) -> Double? {
        guard token.isExact, token.significand <= 1 << 53, token.exponent >= -22, token.exponent <= 22 else { return nil }
        let significand = Double(token.significand)
        let magnitude = token.exponent < 0 ? significand / exactPowerOfTen(-token.exponent)
                                           : significand * exactPowerOfTen(token.exponent)
        return token.negative ? -magnitude : magnitude
    }

    #if arch(x86_64) && !os(Windows) && !os(Android)
    private static let exactExtendedPowersOfTen: [Float80] = (0...27).map { power in
        var value: Float80 = 1
        for _ in 0..<power { value *= 10 }  // 5^27 < 2^64, so every step is exact
        return value
    }

    /// Clinger's fast path with 64-bit significands: any 19-digit significand and powers of ten up to 10^27 are
    /// exact in `Float80`, so one operation gives the exact value rounded to 64 bits. Rounding that to 53 bits
    /// is wrong only when it lands exactly on a midpoint between two doubles (it cannot cross one), which is
    /// detected and left to `strtod`.
    @inline(__always)
    static func extendedPrecisionDouble(_ token: NumberToken) -> Double? {
        guard token.isExact, token.significand != 0, token.exponent >= -27, token.exponent <= 27 else { return nil }
        let significand = Float80(token.significand)
        let magnitude = token.exponent < 0 ? significand / exactExtendedPowersOfTen[-token.exponent]
                                           : significand * exactExtendedPowersOfTen[token.exponent]
        // Float80 keeps 63 fraction bits, a double 52: the 11 dropped bits must not be exactly one half.
        guard magnitude.significandBitPattern & 0x7FF != 0x400 else { return nil }
        let value = Double(magnitude)
        return token.negative ? -value : value
    }
    #else
    static func extendedPrecisionDouble(_ token: NumberToken) -> Double? { nil }
    #endif

    /// Runs a C parser on a NUL-terminated copy of the token (the input itself is not NUL-terminated).
    private func parse<Value>(_ token: NumberToken,
                              with parser: (UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Value,
                              fallback: (String) -> Value?) throws -> Value {
        let length = token.range.count
        let parsed: Value? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer in
            for index in 0..<length { buffer[index] = CChar(bitPattern: bytes[token.range.lowerBound + index]) }
            buffer[length] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = parser(buffer.baseAddress!, &end)
            // A process locale with another decimal separator stops the C parser early; Swift's parser then.
            return end == buffer.baseAddress! + length ? value : nil
        }
        if let parsed { return parsed }
        guard let value = fallback(text(of: token)) else {
            throw error("invalid number \(text(of: token))", at: token.range.lowerBound)
        }
        return value
    }

    // MARK: Integers

    public mutating func readInt() throws -> Int {
        let token = try scanNumber()
        guard token.isInteger else {
            throw error("expected an integer, found \(text(of: token))", at: token.range.lowerBound)
        }
        // Accumulate towards the sign so Int.min is representable.
        var value = 0
        for index in token.range where Self.isDigit(bytes[index]) {
            let digit = Int(bytes[index] - UInt8(ascii: "0"))
            let (scaled, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = token.negative ? scaled.subtractingReportingOverflow(digit)
                                                   : scaled.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else {
                throw error("number \(text(of: token)) does not fit in Int", at: token.range.lowerBound)
            }
            value = next
        }
        return value
    }

    public mutating func readInt32() throws -> Int32 {
        let start = valueStart()
        let value = try readInt()
        guard let narrow = Int32(exactly: value) else { throw error("number \(value) does not fit in Int32", at: start) }
        return narrow
    }

    public mutating func readUInt64() throws -> UInt64 {
        let token = try scanNumber()
        guard token.isInteger, !token.negative || token.significand == 0 else {
            throw error("expected a non-negative integer, found \(text(of: token))", at: token.range.lowerBound)
        }
        var value: UInt64 = 0
        for index in token.range where Self.isDigit(bytes[index]) {
            let (scaled, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = scaled.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else {
                throw error("number \(text(of: token)) does not fit in UInt64", at: token.range.lowerBound)
            }
            value = next
        }
        return value
    }
}
