import Foundation
import SolutionKit

/// Wraps the scoring input so `score` shows progress in MiB read without scorers knowing about it:
/// the bar's total is the file size when the input is a regular file, unknown for a pipe.
final class ProgressByteSource: ByteSource {
    private let inner: any ByteSource
    private let progress: any ProgressReporter
    private var bytesRead = 0
    private var mebibytesReported = 0

    init(_ inner: any ByteSource, path: String, progress: any ProgressReporter) {
        self.inner = inner
        self.progress = progress
        var total: Int?
        if path != "-", let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           attributes[.type] as? FileAttributeType == .typeRegular, let size = attributes[.size] as? NSNumber {
            total = (size.intValue + (1 << 20) - 1) >> 20
        }
        progress.begin("scoring \(inner.name)", total: total, unit: "MiB")
    }

    var name: String { inner.name }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        bytesRead += n
        let mebibytes = n == 0 ? (bytesRead + (1 << 20) - 1) >> 20 : bytesRead >> 20
        if mebibytes > mebibytesReported {
            progress.advance(by: mebibytes - mebibytesReported)
            mebibytesReported = mebibytes
        }
        return n
    }
}
