import Foundation

/// Finds a data folder by name. It knows no dataset names: plugins ask for their own.
///
/// Searched in order: `$SOLUTIONKIT_DATASETS/<name>`, `../shared/datasets/<name>` relative to the working
/// directory, then the same relative to each folder above the executable (so a built launcher inside
/// `.build/` finds the datasets beside the package root). `DatasetLocator.samples` searches the kit's own
/// `samples/` folder the same way (`$SOLUTIONKIT_SAMPLES` first).
public struct DatasetLocator: Sendable {
    public var environmentRoot: String?
    public var workingDirectory: String
    public var executablePath: String?
    /// The root searched relative to the working directory and the executable's folders.
    public var relativeRoot: String

    public init(environmentRoot: String? = ProcessInfo.processInfo.environment["SOLUTIONKIT_DATASETS"],
                workingDirectory: String = FileManager.default.currentDirectoryPath,
                executablePath: String? = Bundle.main.executableURL?.path ?? CommandLine.arguments.first,
                relativeRoot: String = "../shared/datasets") {
        self.environmentRoot = environmentRoot
        self.workingDirectory = workingDirectory
        self.executablePath = executablePath
        self.relativeRoot = relativeRoot
    }

    /// Finds the kit's shipped samples (`samples/<plugin>`), from a checkout or a built launcher inside it.
    public static var samples: DatasetLocator {
        DatasetLocator(environmentRoot: ProcessInfo.processInfo.environment["SOLUTIONKIT_SAMPLES"], relativeRoot: "samples")
    }

    /// The folders searched for `name`, in order.
    public func candidates(for name: String) -> [String] {
        var roots: [String] = []
        if let root = environmentRoot, !root.isEmpty { roots.append(root) }
        roots.append(URL(fileURLWithPath: workingDirectory).appendingPathComponent(relativeRoot).standardized.path)
        if let executable = executablePath, !executable.isEmpty {
            var folder = URL(fileURLWithPath: executable, relativeTo: URL(fileURLWithPath: workingDirectory, isDirectory: true))
                .standardized.resolvingSymlinksInPath().deletingLastPathComponent()
            while folder.path != "/" && !folder.path.isEmpty {
                roots.append(folder.appendingPathComponent(relativeRoot).standardized.path)
                folder = folder.deletingLastPathComponent()
            }
        }
        var seen = Set<String>()
        return roots.map { $0 + "/" + name }.filter { seen.insert($0).inserted }
    }

    /// The first existing folder for `name`, or `DatasetNotFound` listing every place searched.
    public func folder(named name: String) throws -> String {
        let places = candidates(for: name)
        for path in places {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                return path
            }
        }
        throw DatasetNotFound(name: name, searched: places)
    }
}

/// A named dataset whose files are absent. The conformance suite skips such datasets instead of failing.
public struct DatasetNotFound: Error, Equatable, CustomStringConvertible {
    public var name: String
    public var searched: [String]
    public init(name: String, searched: [String]) {
        self.name = name
        self.searched = searched
    }

    public var description: String {
        "dataset folder \"\(name)\" not found; looked in: \(searched.joined(separator: ", "))"
            + " (set SOLUTIONKIT_DATASETS to the folder that holds it)"
    }
}
