import Foundation

/// Reads one file of a bundle, refusing anything but a regular file that belongs to the bundle alone.
///
/// The file is opened with `O_NOFOLLOW` (a symbolic link, even one pointing back into the bundle, is refused
/// rather than followed to `/etc/passwd`), and every further check is made on the open descriptor (`fstat`), so
/// the file cannot be swapped between the check and the read. A hard link (`st_nlink > 1`) is refused because the
/// same bytes then live outside the bundle too, where someone else may change them. `O_NONBLOCK` keeps a FIFO
/// from hanging the open; the regular-file check refuses it right after.
enum BundleFileReader {
    /// The bytes of `name` in the bundle at `root`; nil when there is no such file. `expectedBytes`, when given,
    /// is checked against the file's size before anything is read.
    static func read(bundle root: String, name: String, expectedBytes: Int? = nil,
                     limit: Int = BundleLimits.maximumFileBytes) throws -> Data? {
        let path = URL(fileURLWithPath: root).appendingPathComponent(name).path
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            if code == ELOOP {
                throw BundleError.unsafeFile(path: root, file: name, reason: "is a symbolic link")
            }
            throw BundleError.unsafeFile(path: root, file: name, reason: "cannot be opened (\(String(cString: strerror(code))))")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw BundleError.unsafeFile(path: root, file: name, reason: "cannot be examined (\(String(cString: strerror(errno))))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw BundleError.unsafeFile(path: root, file: name, reason: "is not a regular file")
        }
        guard status.st_nlink == 1 else {
            throw BundleError.unsafeFile(path: root, file: name, reason: "has \(status.st_nlink) hard links (it is shared with files outside the bundle)")
        }
        let size = Int(status.st_size)
        guard size <= limit else {
            throw BundleError.unsafeFile(path: root, file: name, reason: "is \(size) bytes, more than the \(limit) a bundle file may hold")
        }
        if let expectedBytes, size != expectedBytes {
            throw BundleError.sizeMismatch(path: root, file: name, expected: expectedBytes, found: size)
        }
        var data = Data(count: size)
        let complete = data.withUnsafeMutableBytes { (buffer: UnsafeMutableRawBufferPointer) -> Bool in
            var done = 0
            while done < size {
                let n = Foundation.read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        guard complete else {
            throw BundleError.unsafeFile(path: root, file: name, reason: "changed or shrank while it was read")
        }
        return data
    }
}
