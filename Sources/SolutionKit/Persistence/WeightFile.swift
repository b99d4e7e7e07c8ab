import Foundation

/// The weight pair of a bundle: `weights.bin` (little-endian float32 arrays back to back) and
/// `weights.json` (name, shape, byte offset of each). Neither holds a timestamp, so identical weights give
/// identical bytes.
enum WeightFile {
    static let dataName = "weights.bin"
    static let indexName = "weights.json"

    struct Entry: Codable, Equatable {
        var name: String
        var shape: [Int]
        var offset: Int
    }

    struct Index: Codable, Equatable {
        var dtype: String
        var arrays: [Entry]
    }

    static func encode(_ arrays: [NamedArray]) throws -> (data: Data, index: Data) {
        var seen = Set<String>()
        var entries: [Entry] = []
        var data = Data(capacity: arrays.reduce(0) { $0 + $1.values.count * 4 })
        for array in arrays {
            guard seen.insert(array.name).inserted else {
                throw InternalError("two weight arrays are both named \"\(array.name)\"")
            }
            entries.append(Entry(name: array.name, shape: array.shape, offset: data.count))
            array.values.withUnsafeBufferPointer { values in
                var bits = [UInt32](repeating: 0, count: values.count)
                for i in 0..<values.count { bits[i] = values[i].bitPattern.littleEndian }
                bits.withUnsafeBytes { data.append(contentsOf: $0) }
            }
        }
        let index = try JSONValue.encoder().encode(Index(dtype: "float32-le", arrays: entries))
        return (data, index)
    }

    static func decode(data: Data, index indexData: Data, bundlePath: String) throws -> [String: NamedArray] {
        let index: Index
        do {
            index = try JSONDecoder().decode(Index.self, from: indexData)
        } catch {
            throw BundleError.malformed(path: bundlePath, file: indexName, reason: "unreadable index: \(error)")
        }
        guard index.dtype == "float32-le" else {
            throw BundleError.malformed(path: bundlePath, file: indexName, reason: "dtype \(index.dtype) is not float32-le")
        }
        var arrays: [String: NamedArray] = [:]
        for entry in index.arrays {
            guard entry.shape.allSatisfy({ $0 >= 0 }) else {
                throw BundleError.malformed(path: bundlePath, file: indexName, reason: "array \(entry.name) has a negative dimension")
            }
            let (count, overflow) = entry.shape.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d); return (p, acc.1 || o)
            }
            guard !overflow, entry.offset >= 0, entry.offset % 4 == 0, count <= (data.count - entry.offset) / 4,
                  entry.offset <= data.count else {
                throw BundleError.malformed(path: bundlePath, file: indexName,
                                            reason: "array \(entry.name) (shape \(entry.shape), offset \(entry.offset)) lies outside \(dataName) (\(data.count) bytes)")
            }
            guard arrays[entry.name] == nil else {
                throw BundleError.malformed(path: bundlePath, file: indexName, reason: "array \(entry.name) is listed twice")
            }
            var values = [Float](repeating: 0, count: count)
            data.withUnsafeBytes { raw in
                for i in 0..<count {
                    let bits = raw.loadUnaligned(fromByteOffset: entry.offset + i * 4, as: UInt32.self)
                    values[i] = Float(bitPattern: UInt32(littleEndian: bits))
                }
            }
            arrays[entry.name] = NamedArray(name: entry.name, shape: entry.shape, values: values)
        }
        return arrays
    }
}
