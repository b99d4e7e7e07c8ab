import Foundation

/// What one request may cost; each limit broken is a 4xx with a JSON error, never a crash or a stall.
struct ServeLimits: Sendable {
    /// The largest request body read (413 above it; the body is not read further).
    var maximumBodyBytes: Int = 16 << 20
    /// The most rows scored in one request (413 above it).
    var maximumRows: Int = 100_000
    /// Reading the body and scoring it must end within this many seconds (408 otherwise).
    var requestTimeout: Double = 30
    /// Requests scored at the same time; one more is answered 429 at once rather than queued.
    var maximumConcurrent: Int = 64
}

/// Runs blocking scoring work off the event loops, at most `limit` at a time, answering within a deadline.
///
/// Scoring is synchronous CPU work that cannot be interrupted halfway, so a request past its deadline is
/// answered 408 at the deadline while its work runs to the end; its slot is given back only then, so late work
/// still counts against the limit and cannot pile up behind clients that gave up.
final class ScoringExecutor: @unchecked Sendable {
    // @unchecked: `running` is only touched under `lock`.
    private let lock = NSLock()
    private var running = 0
    let limit: Int
    private let queue = DispatchQueue(label: "launcher.serve.scoring", qos: .userInitiated, attributes: .concurrent)

    init(limit: Int) { self.limit = limit }

    var inFlight: Int {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    /// Takes a slot, or throws 429 when all are taken.
    func acquire() throws -> Slot {
        lock.lock()
        defer { lock.unlock() }
        guard running < limit else { throw RequestProblem.tooManyConcurrent(limit: limit) }
        running += 1
        return Slot(executor: self)
    }

    fileprivate func release() {
        lock.lock()
        running -= 1
        lock.unlock()
    }

    /// A taken slot; released once, by `run` when its work ends (or by `giveBack` when no work was started).
    final class Slot: @unchecked Sendable {
        private let executor: ScoringExecutor
        private let lock = NSLock()
        private var released = false
        fileprivate init(executor: ScoringExecutor) { self.executor = executor }

        func giveBack() {
            lock.lock()
            let first = !released
            released = true
            lock.unlock()
            if first { executor.release() }
        }
    }

    /// Runs `work` on the scoring queue under `slot`; throws 408 if it has not finished by `deadline`.
    func run<T: Sendable>(_ slot: Slot, deadline: DispatchTime, timeout: Double,
                          _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let once = ResumeOnce<T>()
        return try await withCheckedThrowingContinuation { continuation in
            once.set(continuation)
            queue.async {
                let result = Result { try work() }
                slot.giveBack()
                once.resume(with: result)
            }
            queue.asyncAfter(deadline: deadline) {
                once.resume(with: .failure(RequestProblem.timedOut(seconds: timeout)))
            }
        }
    }
}

/// A continuation resumed by whichever comes first, the work or the deadline.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    // @unchecked: `continuation` is only touched under `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?

    func set(_ continuation: CheckedContinuation<T, Error>) {
        lock.lock()
        self.continuation = continuation
        lock.unlock()
    }

    func resume(with result: Result<T, Error>) {
        lock.lock()
        let waiting = continuation
        continuation = nil
        lock.unlock()
        waiting?.resume(with: result)
    }
}
