import Foundation

/// Something bytes are read from in large blocks: a file, standard input, or memory.
///
/// Readers (CSV records, IDX, ratings) pull through this so the same parsing code serves files and pipes,
/// and memory stays bounded by the block size however large the input is.
public protocol ByteSource: AnyObject {
    /// A name for messages: the file path, or "<stdin>".
    var name: String { get }
    /// Reads up to `buffer.count` bytes; returns 0 at end of input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

public struct IOError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}

/// Reads a file descriptor (a file, or standard input) with `read(2)`.
public final class FileByteSource: ByteSource {
    public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Opens `path` for reading; `-` means standard input.
    public init(path: String) throws {
        if path == "-" {
            name = "<stdin>"
            descriptor = STDIN_FILENO
            ownsDescriptor = false
            return
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw IOError(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw IOError(path: path, reason: "is a directory, expected a file") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IOError(path: path, reason: String(cString: strerror(errno))) }
        name = path
        descriptor = fd
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Foundation.read(descriptor, base, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw IOError(path: name, reason: String(cString: strerror(errno)))
        }
    }
}

/// Serves bytes from memory; used for small inputs and in tests.
public final class MemoryByteSource: ByteSource {
    public let name: String
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8], name: String = "<memory>") {
        self.bytes = bytes
        self.name = name
    }

    public convenience init(_ text: String, name: String = "<memory>") {
        self.init(Array(text.utf8), name: name)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}
