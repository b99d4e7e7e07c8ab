import Foundation

/// Reads CSV batches on a background thread, a bounded number ahead of the consumer.
///
/// Tokenising is the one step of scoring that must run in file order; doing it ahead on its own thread lets
/// the scoring of the previous batch use the other core. At most `depth` batches wait, so memory stays bounded.
/// The consumer calls `cancel()` when it stops early so the reading thread ends too.
final class BatchPrefetcher {
    private let reader: CSVRecordReader
    private let maxRecords: Int
    private let freeSlots: DispatchSemaphore
    private let filledSlots = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var queue: [Result<CSVRecordBatch?, Error>] = []
    private var cancelled = false
    /// Set once the end or an error has been handed out, so later calls repeat it without waiting.
    private var terminal: Result<CSVRecordBatch?, Error>?

    init(reader: CSVRecordReader, maxRecords: Int, depth: Int = 2) {
        self.reader = reader
        self.maxRecords = maxRecords
        freeSlots = DispatchSemaphore(value: depth)
        let thread = Thread { [self] in produce() }
        thread.start()
    }

    private func produce() {
        while true {
            freeSlots.wait()
            lock.lock()
            let stop = cancelled
            lock.unlock()
            if stop { return }
            let result = Result { try reader.nextBatch(maxRecords: maxRecords) }
            lock.lock()
            queue.append(result)
            lock.unlock()
            filledSlots.signal()
            guard case .success(.some) = result else { return }
        }
    }

    /// The next batch in file order, nil at the end; rethrows the reader's error where it happened.
    func next() throws -> CSVRecordBatch? {
        if let terminal { return try terminal.get() }
        filledSlots.wait()
        lock.lock()
        let result = queue.removeFirst()
        lock.unlock()
        freeSlots.signal()
        if case .success(.some) = result {} else { terminal = result }
        return try result.get()
    }

    /// Stops the reading thread (it finishes the batch it is reading, if any).
    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
        freeSlots.signal()
    }
}
