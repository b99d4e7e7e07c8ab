#if canImport(Glibc)
import Glibc
#endif

/// Stops OpenBLAS's idle worker threads.
///
/// OpenBLAS starts its workers when the library loads and lets them spin (`sched_yield`) for about 0.1 s waiting
/// for work. A scorer that uses both cores from the start (loading tables in parallel, then scoring) loses much
/// of a core to them on a two-core machine. Stopping them is free: OpenBLAS starts them again on its next
/// threaded call (as it does after `fork`). A no-op where the symbol is absent.
public enum IdleBLASThreads {
    public static func stop() {
        #if canImport(Glibc)
        // RTLD_DEFAULT: search every loaded library.
        guard let symbol = dlsym(nil, "blas_thread_shutdown_") else { return }
        typealias Shutdown = @convention(c) () -> Int32
        _ = unsafeBitCast(symbol, to: Shutdown.self)()
        #endif
    }
}
