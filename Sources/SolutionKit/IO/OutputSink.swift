import CTemporaryFiles
import Foundation

/// A buffered byte writer to a file descriptor.
///
/// `OutputSink.file(atomicallyAt:)` writes to a temporary file beside the target and renames it into place
/// only on `commit()`, so a failed run never leaves a half-written output behind; `-` means standard output.
/// The temporary is flushed to disk (`fsync`) before the rename, so a crash of the machine cannot leave a
/// renamed but empty file, and it is registered with `TemporaryFiles` so a fatal signal removes it too.
public final class OutputSink {
    public let name: String
    private let descriptor: Int32
    private let temporaryPath: String?
    private let finalPath: String?
    private var buffer: [UInt8] = []
    private let capacity: Int
    private var finished = false
    private let ownsDescriptor: Bool
    private var cleanupSlot: Int32 = -1
    /// For `OutputSink.memory()`: where flushed bytes go instead of a file descriptor.
    private var collected: [UInt8]?

    private init(name: String, descriptor: Int32, temporaryPath: String?, finalPath: String?, capacity: Int,
                 ownsDescriptor: Bool = false) {
        self.ownsDescriptor = ownsDescriptor
        self.name = name
        self.descriptor = descriptor
        self.temporaryPath = temporaryPath
        self.finalPath = finalPath
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    /// Standard output.
    public static func standardOutput(capacity: Int = 1 << 20) -> OutputSink {
        OutputSink(name: "<stdout>", descriptor: STDOUT_FILENO, temporaryPath: nil, finalPath: nil, capacity: capacity)
    }

    /// Bytes kept in memory (an HTTP response body): read them with `collectedBytes` after `commit()`.
    public static func memory(name: String = "<memory>", capacity: Int = 1 << 16) -> OutputSink {
        let sink = OutputSink(name: name, descriptor: -1, temporaryPath: nil, finalPath: nil, capacity: capacity)
        sink.collected = []
        return sink
    }

    /// Everything flushed so far to a memory sink (empty for a file sink).
    public var collectedBytes: [UInt8] { collected ?? [] }

    /// A file written under a temporary name and renamed to `path` on `commit()`; `-` means standard output.
    public static func file(atomicallyAt path: String, capacity: Int = 1 << 20) throws -> OutputSink {
        if path == "-" { return standardOutput(capacity: capacity) }
        // A device or a pipe (/dev/null, a FIFO) is written in place: renaming over it would replace it.
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
            guard (status.st_mode & S_IFMT) != S_IFDIR else { throw IOError(path: path, reason: "is a directory, expected a file") }
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { throw IOError(path: path, reason: String(cString: strerror(errno))) }
            return OutputSink(name: path, descriptor: fd, temporaryPath: nil, finalPath: nil, capacity: capacity,
                              ownsDescriptor: true)
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw IOError(path: path, reason: "the folder \(directory) does not exist")
        }
        // The temporary lives in the target's folder (a rename across file systems is not atomic) under a name
        // no other run can take: O_EXCL with a random suffix.
        var attempt = 0
        while true {
            let temporary = directory + "/." + url.lastPathComponent + ".partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd < 0 {
                attempt += 1
                if errno == EEXIST && attempt < 16 { continue }
                throw IOError(path: path, reason: String(cString: strerror(errno)))
            }
            let sink = OutputSink(name: path, descriptor: fd, temporaryPath: temporary, finalPath: path,
                                  capacity: capacity, ownsDescriptor: true)
            sink.cleanupSlot = sk_temporary_register(temporary)
            return sink
        }
    }

    deinit {
        // An output never committed is an output that failed: remove the partial file.
        if !finished { discard() }
        if ownsDescriptor && temporaryPath == nil { close(descriptor) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes.bindMemory(to: UInt8.self))
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, and for an atomic file writes it to disk and renames it into place. On failure the temporary
    /// is removed and the target left as it was.
    public func commit() throws {
        do {
            try flush()
        } catch {
            discard()
            throw error
        }
        guard let temporaryPath, let finalPath else {
            finished = true
            return
        }
        finished = true
        defer { releaseSlot() }
        guard fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            unlink(temporaryPath)
            throw IOError(path: finalPath, reason: "could not write the output to disk: \(reason)")
        }
        close(descriptor)
        guard rename(temporaryPath, finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw IOError(path: finalPath, reason: "could not move the finished output into place: \(reason)")
        }
        // The rename itself is durable once the folder is synced (best effort: some file systems refuse it).
        let folder = open(URL(fileURLWithPath: finalPath).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
    }

    /// Abandons the output: an atomic file's temporary is deleted and the target is left untouched.
    public func discard() {
        guard !finished else { return }
        finished = true
        guard let temporaryPath else { return }
        close(descriptor)
        unlink(temporaryPath)
        releaseSlot()
    }

    private func releaseSlot() {
        sk_temporary_unregister(cleanupSlot)
        cleanupSlot = -1
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        if collected != nil {
            collected!.append(contentsOf: bytes.bindMemory(to: UInt8.self))
            return
        }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError(path: name, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }
}

/// Temporary outputs that a fatal signal must not leave behind.
public enum TemporaryFiles {
    /// Makes SIGINT, SIGTERM, SIGPIPE and SIGHUP remove every unfinished atomic output and exit with status
    /// 128 + the signal (130, 143, 141, 129). Executables call it once at start-up; a library does not.
    public static func removeOnFatalSignals() {
        sk_temporary_install_signal_handlers()
    }

    /// How many atomic outputs (and temporary folders) are open and unfinished in this process.
    public static var pendingCount: Int { Int(sk_temporary_count()) }

    /// Runs `body` with the temporary folder at `path` registered, so a fatal signal while it runs removes the
    /// folder and everything in it. Registered before `body` creates it: the handler ignores a missing folder,
    /// and once `body` has renamed it into place the registered path no longer names anything.
    public static func removingFolderOnFatalSignals<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
        let slot = sk_temporary_register_folder(path)
        defer { sk_temporary_unregister(slot) }
        return try body()
    }
}

extension OutputSink {
    /// Writes `text` to `path` atomically: a temporary file renamed on success, nothing left on failure.
    public static func write(_ text: String, atomicallyTo path: String) throws {
        let sink = try OutputSink.file(atomicallyAt: path)
        do {
            try sink.write(text)
            try sink.commit()
        } catch {
            sink.discard()
            throw error
        }
    }
}
