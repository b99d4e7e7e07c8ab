import Foundation
import XCTest
@testable import SolutionKit

final class JSONByteReaderTests: XCTestCase {
    private func read<T>(_ text: String, _ body: (inout JSONByteReader) throws -> T) throws -> T {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer in
            var reader = JSONByteReader(bytes: UnsafeBufferPointer(buffer))
            let value = try body(&reader)
            try reader.expectEnd()
            return value
        }
    }

    private func problem<T>(_ text: String, _ body: (inout JSONByteReader) throws -> T) -> String {
        do {
            _ = try read(text, body)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    func testStringsDecodeEscapesAndSurrogatePairs() throws {
        XCTAssertEqual(try read(#" "a\"b\\c\/d\b\f\n\r\t" "#) { try $0.readString() }, "a\"b\\c/d\u{8}\u{C}\n\r\t")
        XCTAssertEqual(try read(#""\u00e9\u4E2D\ud83d\ude00x""#) { try $0.readString() }, "é中😀x")
        XCTAssertEqual(try read("\"é中😀\"") { try $0.readString() }, "é中😀")
        XCTAssertEqual(try read(#""\u0000""#) { try $0.readString() }, "\u{0}")
        XCTAssertTrue(problem(#""\ude00""#) { try $0.readString() }.hasPrefix("unpaired surrogate \\uDE00"))
        XCTAssertTrue(problem(#""\ud83dx""#) { try $0.readString() }.hasPrefix("unpaired surrogate \\uD83D"))
        XCTAssertTrue(problem(#""\ud83d\u0041""#) { try $0.readString() }.hasPrefix("unpaired surrogate"))
        XCTAssertTrue(problem(#""\x""#) { try $0.readString() }.hasPrefix("invalid escape '\\x'"))
        XCTAssertTrue(problem(#""\u12"#) { try $0.readString() }.hasPrefix("unexpected end of input inside a \\u escape"))
        XCTAssertTrue(problem("\"abc") { try $0.readString() }.hasPrefix("unexpected end of input inside a string"))
        XCTAssertTrue(problem("\"a\nb\"") { try $0.readString() }.hasPrefix("unescaped control character"))
    }

    func testNumbersFollowTheStrictGrammar() throws {
        for bad in ["01", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "0x10", "1.e5", "Infinity", "NaN"] {
            XCTAssertNotEqual(problem(bad) { try $0.readDouble() }, "accepted", bad)
        }
        XCTAssertEqual(try read("-0") { try $0.readDouble() }.sign, .minus)
        XCTAssertEqual(try read("1E+2") { try $0.readDouble() }, 100)
        XCTAssertEqual(try read("\"-inf\"") { try $0.readDouble() }, -.infinity)
        XCTAssertTrue(try read("\"nan\"") { try $0.readFloat() }.isNaN)
        XCTAssertEqual(try read("-9223372036854775808") { try $0.readInt() }, Int.min)
        XCTAssertEqual(try read("18446744073709551615") { try $0.readUInt64() }, UInt64.max)
        XCTAssertTrue(problem("9223372036854775808") { try $0.readInt() }.contains("does not fit in Int"))
        XCTAssertTrue(problem("2147483648") { try $0.readInt32() }.contains("does not fit in Int32"))
        XCTAssertTrue(problem("-1") { try $0.readUInt64() }.contains("expected a non-negative integer"))
        XCTAssertTrue(problem("1e39") { try $0.readFloat() }.contains("does not fit in a Float"))
        XCTAssertEqual(try read("0.\(String(repeating: "0", count: 400))1e400") { try $0.readDouble() }, 0.1)
    }

    func testFloatingPointIsCorrectlyRounded() throws {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<20_000 {
            let double = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()) & 0x7F7F_FFFF)
            XCTAssertEqual(try read(double.description) { try $0.readDouble() }.bitPattern, double.bitPattern)
            XCTAssertEqual(try read(float.description) { try $0.readFloat() }.bitPattern, float.bitPattern)
            // Long and odd spellings, where only a correctly rounded parser agrees with the standard library.
            let digits = String(generator.next() % 100_000_000_000_000_000) + String(generator.next() % 1_000_000)
            let exponent = Int(generator.next() % 76) - 40
            let text = "\(digits.prefix(1)).\(digits.dropFirst())e\(exponent)"
            XCTAssertEqual(try read(text) { try $0.readDouble() }.bitPattern, Double(text)!.bitPattern, text)
            XCTAssertEqual(try read(text) { try $0.readFloat() }.bitPattern, Float(text)!.bitPattern, text)
        }
        // What shortest-form encoders write for model weights: 15 to 19 digits, exponents near zero.
        for _ in 0..<50_000 {
            let double = Double.random(in: -1e6...1e6, using: &generator) * [1, 1e-5, 1e-9, 1e-14][Int(generator.next() % 4)]
            XCTAssertEqual(try read(double.description) { try $0.readDouble() }.bitPattern, double.bitPattern)
            let digits = String(generator.next() % 10_000_000_000_000_000_000)
            let text = "-\(digits)e\(Int(generator.next() % 61) - 30)"
            XCTAssertEqual(try read(text) { try $0.readDouble() }.bitPattern, Double(text)!.bitPattern, text)
        }
        // Exactly halfway between two doubles (ties to even) and just beside it.
        for text in ["9007199254740993", "9007199254740995", "9.007199254740993e-12", "9007199254740993.0000000001",
                     "9007199254740992.9999999999", "1.7976931348623157e308", "2.2250738585072011e-308", "4.9e-324"] {
            XCTAssertEqual(try read(text) { try $0.readDouble() }.bitPattern, Double(text)!.bitPattern, text)
        }
        // Halfway cases between two floats, which a parse through Double could round the wrong way.
        for text in ["1.00000005960464477539062500001", "16777217", "1.000000059604644775390625",
                     "7.038531e-26", "3.4028235677973366e38"] {
            XCTAssertEqual(try read(text) { try $0.readFloat() }.bitPattern, Float(text)!.bitPattern, text)
        }
    }

    func testStructureNestingAndErrors() throws {
        let value = try read(#" { "a" : [ 1 , 2 ] , "b" : { "c" : [ ] , "d" : null , "e" : true } } "#) { reader in
            var total = 0
            try reader.readObject { reader, key in
                if key == "a" { total += try reader.readArray { try $0.readInt() }.reduce(0, +) } else { try reader.skipValue() }
            }
            return total
        }
        XCTAssertEqual(value, 3)
        XCTAssertTrue(problem(#"{"a":1,}"#) { try $0.skipValue() }.hasPrefix("expected a key string, found the character '}'"))
        XCTAssertTrue(problem(#"{"a" 1}"#) { try $0.skipValue() }.hasPrefix("expected ':' after the key \"a\""))
        XCTAssertTrue(problem(#"[1 2]"#) { try $0.skipValue() }.hasPrefix("expected ',' or ']' in an array, found '2'"))
        XCTAssertTrue(problem(#"[1,2"#) { try $0.skipValue() }.hasPrefix("unexpected end of input inside an array"))
        XCTAssertTrue(problem(#"{"a":[1,{"b":[true,nul]}]}"#) { try $0.skipValue() }.hasPrefix("invalid literal"))
        let nested = problem(#"{"a":[1,{"b":[true,"x"]}]}"#) { reader in
            try reader.readObject { reader, _ in
                _ = try reader.readArray { reader -> Int in
                    guard reader.peek() == UInt8(ascii: "{") else { return try reader.readInt() }
                    try reader.readObject { reader, _ in _ = try reader.readArray { try $0.readBool() } }
                    return 0
                }
            }
        }
        XCTAssertEqual(nested, "expected a boolean, found a string at a.1.b.1 (byte 19, line 1, column 20)")
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        XCTAssertTrue(problem(deep) { try $0.skipValue() }.hasPrefix("nesting deeper than 256 levels"))
        XCTAssertEqual(problem(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) { try $0.skipValue() },
                       "accepted")
    }
}
