import CreditRisk
import DigitRecognition
import Foundation
import PricePrediction
@testable import Recommendation
import SolutionKit

/// One libFuzzer target per reader of hostile input. Each gets arbitrary bytes and must either succeed or
/// throw: a trap, a crash, a leak or a hang is a finding. `FUZZ_TARGET` picks the target (scripts/fuzz.sh).
enum FuzzTargets {
    static let all: [String: (UnsafeBufferPointer<UInt8>) -> Void] = [
        "csv": csv,
        "number": number,
        "idx": idx,
        "png": png,
        "json": json,
        "ratings": ratings,
        "bundle": BundleFuzzing.run,
    ]

    /// The CSV reader, with the table builder on top (types inferred, bad cells as missing).
    static func csv(_ bytes: UnsafeBufferPointer<UInt8>) {
        let source = MemoryByteSource(Array(bytes), name: "fuzz.csv")
        _ = try? Table.readCSV(source, options: CSVOptions())
        // The record reader alone, in small blocks so records straddle block ends.
        if let reader = try? CSVRecordReader(MemoryByteSource(Array(bytes), name: "fuzz.csv"), blockSize: 64) {
            while let batch = try? reader.nextBatch(maxRecords: 7) {
                for record in 0..<batch.count {
                    for field in 0..<batch.fieldCount(of: record) { _ = batch.double(field, of: record) }
                }
            }
        }
    }

    /// The byte number parser, on the whole input and on every prefix split at a comma.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let value = ByteNumberParser.parseDouble(base, 0, bytes.count)
        // It must agree with Swift's own parser on what is a finite number (Double(String) is the reference).
        if let value, let text = String(bytes: bytes, encoding: .utf8), let reference = Double(text), reference.isFinite {
            precondition(value == reference, "parseDouble(\(text)) = \(value), Double() = \(reference)")
        }
        for split in bytes.indices where bytes[split] == UInt8(ascii: ",") { _ = ByteNumberParser.parseDouble(base, 0, split) }
    }

    static func idx(_ bytes: UnsafeBufferPointer<UInt8>) {
        if let array = try? IDXArray.parse(Array(bytes), name: "fuzz.idx"), array.dimensions.count == 3 {
            _ = LabelledImages.imageTensor(array)
        }
    }

    static func png(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = try? PNGCodec.decodeGray(Array(bytes), name: "fuzz.png", maximumPixels: 1 << 20)
    }

    /// The JSON byte reader: walks any value, reading every scalar as each type.
    static func json(_ bytes: UnsafeBufferPointer<UInt8>) {
        var reader = JSONByteReader(bytes: bytes)
        func walk(_ reader: inout JSONByteReader) throws {
            switch reader.peek() {
            case UInt8(ascii: "{"):
                try reader.beginObject()
                while try reader.nextKey() != nil { try walk(&reader) }
            case UInt8(ascii: "["):
                try reader.beginArray()
                while try reader.nextElement() { try walk(&reader) }
            case UInt8(ascii: "\""): _ = try reader.readString()
            case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try reader.readBool()
            case UInt8(ascii: "n"): _ = try reader.readNullIfPresent()
            default:
                var copy = reader
                _ = try? copy.readInt()
                var copy32 = reader
                _ = try? copy32.readInt32()
                var copyFloat = reader
                _ = try? copyFloat.readFloat()
                _ = try reader.readDouble()
            }
        }
        _ = try? { try walk(&reader); try reader.expectEnd() }()
    }

    static func ratings(_ bytes: UnsafeBufferPointer<UInt8>) {
        for options in [[:], ["duplicates": "last", "scale": "0-10"]] as [[String: String]] {
            guard let reader = try? RatingsFileReader(options: options) else { continue }
            _ = try? reader.read(bytes: Array(bytes), name: "fuzz.csv")
        }
    }
}
