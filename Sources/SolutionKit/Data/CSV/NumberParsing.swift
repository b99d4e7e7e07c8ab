import Foundation

/// Parses decimal numbers straight from bytes, so reading a CSV never allocates a String per field.
///
/// The common case (at most 19 significant digits, a decimal exponent within ±22 after scaling, a mantissa that
/// fits in 53 bits) is exact by Clinger's fast path: one integer-to-double conversion and one multiplication or
/// division by an exactly representable power of ten, so the result is correctly rounded. Anything else
/// (long mantissas, large exponents such as `1e999`) falls back to `strtod` on a small stack copy.
public enum ByteNumberParser {
    /// The value of `bytes[start..<end]` as a decimal number (leading and trailing spaces allowed),
    /// `inf`/`infinity`/`nan` in any case, or nil when the bytes are not a number.
    @inlinable
    public static func parseDouble(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var e = end
        while i < e && (base[i] == 0x20 || base[i] == 0x09) { i += 1 }
        while e > i && (base[e - 1] == 0x20 || base[e - 1] == 0x09) { e -= 1 }
        guard i < e else { return nil }
        let numberStart = i
        var negative = false
        if base[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if base[i] == UInt8(ascii: "+") { i += 1 }
        guard i < e else { return nil }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var droppedDigits = 0  // integer digits beyond 19 that did not fit
        var fractionDigits = 0
        var sawDigit = false
        while i < e {
            let d = base[i] &- 0x30
            if d > 9 { break }
            sawDigit = true
            if significantDigits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { significantDigits += 1 }
            } else {
                droppedDigits += 1
                if d != 0 { significantDigits = 99 }  // inexact: let strtod round it
            }
            i += 1
        }
        if i < e && base[i] == UInt8(ascii: ".") {
            i += 1
            while i < e {
                let d = base[i] &- 0x30
                if d > 9 { break }
                sawDigit = true
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    fractionDigits += 1
                    if mantissa != 0 { significantDigits += 1 }
                } else if d != 0 {
                    significantDigits = 99  // inexact: let strtod round it
                }
                i += 1
            }
        }
        if !sawDigit { return parseSpecial(base, numberStart, e) }
        var exponent = 0
        if i < e && (base[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            var negativeExponent = false
            if i < e && base[i] == UInt8(ascii: "-") { negativeExponent = true; i += 1 } else if i < e && base[i] == UInt8(ascii: "+") { i += 1 }
            guard i < e else { return nil }
            var any = false
            while i < e {
                let d = base[i] &- 0x30
                if d > 9 { break }
                any = true
                if exponent < 100_000 { exponent = exponent * 10 + Int(d) }
                i += 1
            }
            guard any else { return nil }
            if negativeExponent { exponent = -exponent }
        }
        guard i == e else { return nil }
        let scale = exponent - fractionDigits + droppedDigits
        if significantDigits <= 19 && mantissa <= (UInt64(1) << 53) && scale >= -22 && scale <= 22 {
            var value = Double(mantissa)
            if scale < 0 { value /= exactPowerOfTen(-scale) } else if scale > 0 { value *= exactPowerOfTen(scale) }
            return negative ? -value : value
        }
        return slowParse(base, numberStart, e)
    }

    @usableFromInline
    static func slowParse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let length = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double? in
            for k in 0..<length { buffer[k] = CChar(bitPattern: base[start + k]) }
            buffer[length] = 0
            var stop: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(buffer.baseAddress!, &stop)
            guard let stop, stop == buffer.baseAddress! + length else { return nil }
            return value
        }
    }

    /// `inf`, `infinity`, `nan` with an optional sign, any case.
    @usableFromInline
    static func parseSpecial(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        if base[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if base[i] == UInt8(ascii: "+") { i += 1 }
        let length = end - i
        guard length == 3 || length == 8 else { return nil }
        var word: UInt64 = 0
        for k in 0..<length { word = word << 8 | UInt64(base[i + k] | 0x20) }
        switch word {
        case 0x696E66, 0x696E66696E697479: return negative ? -.infinity : .infinity  // "inf", "infinity"
        case 0x6E616E: return .nan  // "nan"
        default: return nil
        }
    }

    /// Convenience for tests and small inputs.
    public static func parseDouble<Bytes: Collection>(_ bytes: Bytes) -> Double? where Bytes.Element == UInt8 {
        let array = Array(bytes)
        return array.withUnsafeBufferPointer { buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            return parseDouble(base, 0, buffer.count)
        }
    }
}
