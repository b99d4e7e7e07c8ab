#if canImport(Glibc)
import Glibc
#endif

/// An immutable array of numbers in memory the kernel may back with 2 MB pages.
///
/// Cell tables are tens of megabytes read at random: with 4 KB pages nearly every lookup also misses the TLB.
/// Large tables are therefore aligned to 2 MB and offered to transparent huge pages (`madvise`), which the
/// kernel may or may not honour; the contents are the same either way.
final class LargeTableBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    let count: Int
    let base: UnsafeMutablePointer<Element>

    static var hugePageBytes: Int { 2 << 20 }

    /// A buffer of `count` elements the caller fills (through `base`) before anyone reads it.
    init(uninitializedCount count: Int) {
        self.count = count
        let bytes = max(count * MemoryLayout<Element>.stride, 1)
        let large = bytes >= Self.hugePageBytes
        let alignment = large ? Self.hugePageBytes : max(MemoryLayout<Element>.alignment, 64)
        let rounded = (bytes + alignment - 1) / alignment * alignment
        let raw = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: alignment)
        #if canImport(Glibc)
        if large { _ = madvise(raw, rounded, MADV_HUGEPAGE) }
        #endif
        base = raw.bindMemory(to: Element.self, capacity: max(count, 1))
    }

    convenience init(_ values: [Element]) {
        self.init(uninitializedCount: values.count)
        values.withUnsafeBufferPointer { source in
            if let from = source.baseAddress { base.initialize(from: from, count: count) }
        }
    }

    deinit { UnsafeMutableRawPointer(base).deallocate() }
}
