import Foundation
import SolutionKit

/// Opens `launcher score --input`: a file, `-` for standard input, or a folder for scorers that read folders.
///
/// A folder cannot be streamed as bytes, so for a scorer with `acceptsFolders` the launcher hands it a one-entry
/// path list (`path` header, then the folder) and the scorer walks the folder itself; any other scorer refuses it
/// here with a message naming the folder, before an output file is created.
enum ScoreInput {
    static func open(_ path: String, for scorer: any BatchScorer) throws -> any ByteSource {
        var isDirectory: ObjCBool = false
        guard path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            return try FileByteSource(path: path)
        }
        guard scorer.acceptsFolders else {
            throw DataRequestError("\(path) is a folder; this plugin scores files")
        }
        guard !path.contains(where: \.isNewline) else {
            throw DataRequestError("\(path): a folder name with a line break cannot be scored; list its files instead")
        }
        return MemoryByteSource("path\n\(path)\n", name: path)
    }
}
