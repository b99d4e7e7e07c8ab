import Foundation
import COpenBLAS

/// How many threads the kit's own parallel loops use.
///
/// Defaults to the number of active processors; the launcher's `--threads` sets it. OpenBLAS is kept
/// single-threaded inside our parallel loops so the two never oversubscribe the cores.
public enum Parallelism {
    nonisolated(unsafe) private static var configured: Int = ProcessInfo.processInfo.activeProcessorCount

    /// The worker count used by `parallelFor`; always at least 1.
    public static var threadCount: Int {
        get { max(1, configured) }
        set {
            configured = max(1, newValue)
            openblas_set_num_threads(Int32(configured))
        }
    }
}

/// Runs `body` over `0..<count` split into contiguous chunks, one chunk per worker.
///
/// Chunk boundaries depend only on `count` and the chunk count, never on scheduling, so any reduction
/// that combines per-chunk results in chunk order is deterministic for a given thread count. Callers that
/// need results identical across thread counts pass a fixed `chunks` value.
@inlinable
public func parallelFor(
    _ count: Int,
    chunks requestedChunks: Int? = nil,
    minimumChunkSize: Int = 1,
    _ body: (_ chunk: Int, _ range: Range<Int>) -> Void
) {
    guard count > 0 else { return }
    let maxByGrain = max(1, count / max(1, minimumChunkSize))
    let chunks = max(1, min(requestedChunks ?? Parallelism.threadCount, maxByGrain, count))
    if chunks == 1 {
        body(0, 0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let lower = count * chunk / chunks
            let upper = count * (chunk + 1) / chunks
            body(chunk, lower..<upper)
        }
    }
}
