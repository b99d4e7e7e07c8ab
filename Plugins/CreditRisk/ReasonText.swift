import Foundation
import SolutionKit

/// Reason texts written straight into UTF-8 columns, byte for byte what `ReasonCodes.format` and
/// `FeatureLayout.describe` give as Strings: "name: value (-12 points)".
///
/// Scoring a large file writes a few reasons per applicant; formatting them through `String(format:)` and string
/// interpolation cost more than explaining the trees, so numbers are written here digit by digit, and only the
/// rare values outside the fast path go through the C formatter.
enum ReasonText {
    static func append(name: [UInt8], value: (inout UTF8TextColumn) -> Void, points: Double, to column: inout UTF8TextColumn) {
        column.append(contentsOf: name)
        column.append(contentsOf: ": ".utf8)
        value(&column)
        column.append(contentsOf: " (-".utf8)
        appendWholeNumber(points.rounded(), to: &column)
        column.append(contentsOf: " points)".utf8)
        column.finishText()
    }

    /// `String(format: "%.0f", value)` for a whole number.
    static func appendWholeNumber(_ value: Double, to column: inout UTF8TextColumn) {
        if abs(value) < 1e15 {
            appendInteger(Int64(value), to: &column)
        } else {
            column.append(contentsOf: String(format: "%.0f", value).utf8)
        }
    }

    static func appendInteger(_ value: Int64, to column: inout UTF8TextColumn) {
        if value < 0 { column.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { column.append(buffer[i]) }
        }
    }

    /// `String(format: "%.4g", Double(value))`: four significant digits, trailing zeros dropped. Values from 1e-4
    /// up to 1e4 are formatted here exactly (a Float times a power of ten up to 1e7 is exact in a Double, so
    /// rounding half to even matches the C library); others go to the C library.
    static func appendFourSignificant(_ value: Float, to column: inout UTF8TextColumn) {
        let v = Double(value), magnitude = abs(v)
        if magnitude >= 1e-4 && magnitude < 1e4 {
            var exponent = 3
            while exponent > -4 && magnitude < powersOfTen[exponent + 4] { exponent -= 1 }
            let digits = (magnitude * powersOfTen[3 - exponent + 4]).rounded(.toNearestOrEven)
            if digits >= 1000 && digits <= 9999 {
                var d = Int(digits)
                var text: (UInt64, UInt64) = (0, 0)
                withUnsafeMutableBytes(of: &text) { buffer in
                    for i in stride(from: 3, through: 0, by: -1) { buffer[i] = UInt8(ascii: "0") + UInt8(d % 10); d /= 10 }
                }
                if v < 0 { column.append(UInt8(ascii: "-")) }
                withUnsafeBytes(of: &text) { buffer in
                    var last = 3
                    let integerDigits = exponent + 1
                    while last >= integerDigits && buffer[last] == UInt8(ascii: "0") { last -= 1 }
                    if exponent >= 0 {
                        for i in 0..<integerDigits { column.append(buffer[i]) }
                        if last >= integerDigits {
                            column.append(UInt8(ascii: "."))
                            for i in integerDigits...last { column.append(buffer[i]) }
                        }
                    } else {
                        column.append(contentsOf: "0.".utf8)
                        for _ in 0..<(-exponent - 1) { column.append(UInt8(ascii: "0")) }
                        var end = 3
                        while end > 0 && buffer[end] == UInt8(ascii: "0") { end -= 1 }
                        for i in 0...end { column.append(buffer[i]) }
                    }
                }
                return
            }
        }
        column.append(contentsOf: String(format: "%.4g", v).utf8)
    }

    /// 10^-4 ... 10^7, indexed by exponent + 4.
    static let powersOfTen: [Double] = [1e-4, 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7]
}
