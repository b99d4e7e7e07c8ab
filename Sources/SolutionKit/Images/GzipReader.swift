import CZlib
import Foundation

/// Reads a whole file through zlib's `gzopen`/`gzread`, which also passes uncompressed files through unchanged.
///
/// Every return value is checked: a truncated or corrupt gzip stream surfaces as a short read or a `gzerror`
/// message and becomes an `ImageError` naming the file, never a crash. `limit` bounds the decompressed size
/// so a gzip bomb cannot exhaust memory.
enum GzipReader {
    static func readAll(path: String, limit: Int = 1 << 31) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImageError.unreadable(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw ImageError.unreadable(path: path, reason: "is a directory") }
        guard let file = gzopen(path, "rb") else {
            throw ImageError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { gzclose(file) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "gzread failed"
                throw ImageError.corrupt(path: path, reason: "gzip error: \(message)")
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<Int(n)])
            guard result.count <= limit else {
                throw ImageError.unreadable(path: path, reason: "decompresses to more than \(limit) bytes")
            }
        }
        // A truncated stream may end a read early without a negative return: ask zlib explicitly.
        var code: Int32 = 0
        let message = gzerror(file, &code)
        if code != Z_OK && code != Z_STREAM_END {
            throw ImageError.corrupt(path: path, reason: "gzip error: \(message.map { String(cString: $0) } ?? "code \(code)")")
        }
        return result
    }
}
