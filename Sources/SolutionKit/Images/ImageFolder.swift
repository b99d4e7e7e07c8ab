import Foundation

/// A folder of labelled images laid out `root/<label>/<file>.png`, as torchvision's `ImageFolder` and Keras'
/// `image_dataset_from_directory` read it: the sub-folder names are the classes, sorted by name.
///
/// Listing is separate from decoding, so a loader can split by position before reading a pixel. Hidden files
/// (".DS_Store") are skipped; any other file is listed and must decode as PNG, so a stray non-image file is a
/// clear error naming it rather than a silently smaller dataset.
public struct ImageFolderListing: Equatable, Sendable {
    public var root: String
    public var classNames: [String]
    /// Every image path with its class index, classes in order, files sorted by name within a class.
    public var items: [(path: String, label: Int)] {
        zip(paths, labels).map { (path: $0, label: $1) }
    }
    public var paths: [String]
    public var labels: [Int]

    public init(root: String) throws {
        self.root = root
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImageError.unreadable(path: root, reason: "not a folder")
        }
        let entries = try manager.contentsOfDirectory(atPath: root).filter { !$0.hasPrefix(".") }.sorted()
        var classes: [String] = []
        var paths: [String] = [], labels: [Int] = []
        for entry in entries {
            let folder = root + "/" + entry
            guard manager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let files = try manager.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
            let label = classes.count
            classes.append(entry)
            for file in files {
                let path = folder + "/" + file
                guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                paths.append(path)
                labels.append(label)
            }
        }
        guard !classes.isEmpty else {
            throw ImageError.unreadable(path: root, reason: "holds no class sub-folders (expected root/<label>/*.png)")
        }
        guard !paths.isEmpty else { throw ImageError.unreadable(path: root, reason: "the class folders hold no image") }
        classNames = classes
        self.paths = paths
        self.labels = labels
    }

    public static func == (a: ImageFolderListing, b: ImageFolderListing) -> Bool {
        a.root == b.root && a.classNames == b.classNames && a.paths == b.paths && a.labels == b.labels
    }

    /// Every PNG-looking file under `folder` (recursively), sorted: what scoring a folder reads.
    public static func imageFiles(under folder: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
            throw ImageError.unreadable(path: folder, reason: "cannot list the folder")
        }
        var result: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            let path = folder + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result.append(path)
            }
        }
        return result.sorted()
    }
}

/// Decodes and normalises many images on all cores, in order; the first failure (by position) is thrown.
public enum ImageBatchLoader {
    /// `[count, 1, field, field]` normalised digits for `paths`.
    public static func loadDigits(_ paths: [String], normalizer: DigitNormalizer) throws -> Tensor {
        let size = normalizer.fieldSize * normalizer.fieldSize
        var scalars = [Float](repeating: 0, count: paths.count * size)
        var errors = [Error?](repeating: nil, count: paths.count)
        scalars.withUnsafeMutableBufferPointer { target in
            errors.withUnsafeMutableBufferPointer { failures in
                parallelFor(paths.count, minimumChunkSize: 16) { _, range in
                    for index in range {
                        do {
                            let field = try normalizer.normalize(try PNGCodec.readGray(path: paths[index]), name: paths[index])
                            for i in 0..<size { target[index * size + i] = field[i] }
                        } catch {
                            failures[index] = error
                        }
                    }
                }
            }
        }
        if let failure = errors.first(where: { $0 != nil }) { throw failure! }
        return Tensor(shape: [paths.count, 1, normalizer.fieldSize, normalizer.fieldSize], scalars: scalars)
    }
}
