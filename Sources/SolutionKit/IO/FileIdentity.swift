import Foundation

/// Which file a path names, by device and inode rather than spelling, so `./a/x.csv`, `a/../a/x.csv`, a
/// symlink and a hard link to one file all compare equal.
///
/// A path that does not exist yet is identified by its folder's identity and its last component: two
/// outputs `a/new.csv` and `./a/new.csv` would be the same file once written, and must be refused too.
public enum FileIdentity: Hashable, Sendable {
    case existing(device: UInt64, inode: UInt64)
    case planned(folderDevice: UInt64, folderInode: UInt64, name: String)

    /// The identity of `path`, or nil when neither it nor its folder can be examined (the open that follows
    /// will then report the real error).
    public init?(path: String) {
        var status = stat()
        if stat(path, &status) == 0 {
            self = .existing(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
            return
        }
        // A dangling symlink is replaced by the rename of an atomic output: identify the link's own place.
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        guard stat(folder, &status) == 0 else { return nil }
        self = .planned(folderDevice: UInt64(status.st_dev), folderInode: UInt64(status.st_ino), name: url.lastPathComponent)
    }

    /// The identity of an open descriptor (standard input or output redirected from or to a file).
    public init?(descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        self = .existing(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }
}

/// Refuses a set of named paths in which two name one file (the input and an output, or two outputs).
public enum DistinctFiles {
    /// `paths` are (flag, path) pairs; `-` stands for `standardDescriptor` of that flag when given. Throws a
    /// `DistinctFilesError` naming both flags when two resolve to one file.
    public static func check(_ paths: [(flag: String, path: String, standardDescriptor: Int32?)]) throws {
        var seen: [FileIdentity: (flag: String, path: String)] = [:]
        for entry in paths {
            let identity: FileIdentity?
            if entry.path == "-" {
                identity = entry.standardDescriptor.flatMap { FileIdentity(descriptor: $0) }
            } else {
                identity = FileIdentity(path: entry.path)
            }
            guard let identity else { continue }
            if let earlier = seen[identity] {
                throw DistinctFilesError(first: earlier, second: (entry.flag, entry.path))
            }
            seen[identity] = (entry.flag, entry.path)
        }
    }
}

/// Two command-line paths that name one file; writing one would destroy or mix with the other.
public struct DistinctFilesError: Error, CustomStringConvertible {
    public let first: (flag: String, path: String)
    public let second: (flag: String, path: String)

    public var description: String {
        func spell(_ entry: (flag: String, path: String)) -> String {
            entry.path == "-" ? "\(entry.flag) - (\(entry.flag == "--input" ? "standard input" : "standard output"))" : "\(entry.flag) \(entry.path)"
        }
        return "\(spell(second)) is the same file as \(spell(first)); give a different file so nothing is overwritten"
    }
}
