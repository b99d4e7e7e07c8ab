import Foundation

/// LeakSanitizer's own switch (`__lsan_disable`/`__lsan_enable`, found at run time so a build without it still runs).
///
/// The bundle target keeps its verified seed bundles in globals for the whole run. LeakSanitizer still reported them
/// as leaked at the first input (libFuzzer's leak check scans the whole heap): a `Data` inside an enum payload
/// (`Optional<Data>`, `Data`'s own representation) is stored with the enum's tag in the pointer's spare bits, which
/// LeakSanitizer does not take for a pointer. Allocations made while the checks are off are never reported; what an
/// input allocates stays checked.
enum LeakChecks {
    private typealias Switch = @convention(c) () -> Void

    static func off<T>(_ body: () -> T) -> T {
        let program = dlopen(nil, RTLD_NOW)
        let disable = dlsym(program, "__lsan_disable").map { unsafeBitCast($0, to: Switch.self) }
        let enable = dlsym(program, "__lsan_enable").map { unsafeBitCast($0, to: Switch.self) }
        disable?()
        defer { enable?() }
        return body()
    }
}
