import Foundation
import LauncherKit
import SolutionKit

/// A multipart upload scored one part at a time, each exactly as a single `image/png` body is, and joined into
/// one answer: the output header once, then each part's row in part order, so the bytes equal the scorer's
/// output for the same images listed in that order. A reject's `line` is the part's 1-based number.
enum ImagePartsScoring {
    static func score(_ parts: [FormPart], model: ScorableModel, options: ScoringOptions) throws -> ScoredBytes {
        // An empty input gives the headers alone (an image scorer reads it as an empty list, opening nothing).
        let empty = try model.score([], name: "request body", options: options)
        var joined = empty
        joined.summary = ScoringSummary()
        for (index, part) in parts.enumerated() {
            let scored = try model.score(Array(part.bytes), name: part.id, options: options)
            guard scored.output.starts(with: empty.output), scored.rejects.starts(with: empty.rejects) else {
                throw InternalError("part \(index + 1): the scorer's headers differ between passes")
            }
            joined.output += scored.output[empty.output.count...]
            joined.rejects += try renumbered(scored.rejects[empty.rejects.count...], line: index + 1)
            joined.summary.rowsRead += scored.summary.rowsRead
            joined.summary.rowsScored += scored.summary.rowsScored
            joined.summary.rowsRejected += scored.summary.rowsRejected
            for note in scored.summary.notes where !joined.summary.notes.contains(note) { joined.summary.notes.append(note) }
        }
        return joined
    }

    /// A one-image pass rejects its row as line 1; in the joined answer the line is the part's number.
    private static func renumbered(_ rejects: ArraySlice<UInt8>, line: Int) throws -> [UInt8] {
        guard !rejects.isEmpty else { return [] }
        guard rejects.starts(with: Array("1,".utf8)) else {
            throw InternalError("part \(line): a reject that is not line 1 of its one-image pass")
        }
        return Array("\(line)".utf8) + rejects.dropFirst()
    }
}
