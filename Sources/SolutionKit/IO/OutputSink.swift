import Foundation

/// A buffered byte writer to a file descriptor.
///
/// `OutputSink.file(atomicallyAt:)` writes to a temporary file beside the target and renames it into place
/// only on `commit()`, so a failed run never leaves a half-written output behind; `-` means standard output.
public final class OutputSink {
    public let name: String
    private let descriptor: Int32
    private let temporaryPath: String?
    private let finalPath: String?
    private var buffer: [UInt8] = []
    private let capacity: Int
    private var finished = false
    private let ownsDescriptor: Bool
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
        let temporary = directory + "/." + url.lastPathComponent + ".partial-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw IOError(path: path, reason: String(cString: strerror(errno))) }
        return OutputSink(name: path, descriptor: fd, temporaryPath: temporary, finalPath: path, capacity: capacity,
                          ownsDescriptor: true)
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

    /// Flushes, and for an atomic file renames it into place.
    public func commit() throws {
        try flush()
        finished = true
        guard let temporaryPath, let finalPath else { return }
        close(descriptor)
        guard rename(temporaryPath, finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw IOError(path: finalPath, reason: "could not move the finished output into place: \(reason)")
        }
    }

    /// Abandons the output: an atomic file's temporary is deleted and the target is left untouched.
    public func discard() {
        finished = true
        guard let temporaryPath else { return }
        close(descriptor)
        unlink(temporaryPath)
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
