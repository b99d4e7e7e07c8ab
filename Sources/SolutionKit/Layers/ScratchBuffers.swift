import COpenBLAS

/// Per-worker float buffers with stable addresses, for layers that split a batch over threads.
///
/// Each worker writes only its own buffer, so no locking is needed; the memory is owned here and freed on
/// deinit, which keeps raw pointers valid for as long as the owning layer holds this object.
final class WorkerBuffers {
    let workers: Int
    let count: Int
    private let storage: UnsafeMutablePointer<Float>

    init(workers: Int, count: Int) {
        self.workers = workers
        self.count = count
        storage = .allocate(capacity: max(workers * count, 1))
        storage.initialize(repeating: 0, count: max(workers * count, 1))
    }

    deinit { storage.deallocate() }

    /// The buffer of `worker`, `count` floats long.
    subscript(worker: Int) -> UnsafeMutablePointer<Float> { storage + worker * count }

    /// These buffers if they fit, otherwise new ones.
    static func reuse(_ existing: WorkerBuffers?, workers: Int, count: Int) -> WorkerBuffers {
        if let existing, existing.workers >= workers, existing.count == count { return existing }
        return WorkerBuffers(workers: workers, count: count)
    }
}

/// Runs `body` with OpenBLAS on one thread (our own loops parallelise over the batch), restoring the setting.
func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
    let previous = openblas_get_num_threads()
    if previous != 1 { openblas_set_num_threads(1) }
    defer { if previous != 1 { openblas_set_num_threads(previous) } }
    return try body()
}
