import Foundation
import SolutionKit

/// What a run of random bundle edits found.
public struct BundleEditReport: CustomStringConvertible {
    public var plugin: String
    /// Edits tried per recipe.
    public var edits: [String: Int] = [:]
    /// Edits the loader refused with an error naming the bundle.
    public var refused = 0
    /// Edits that loaded and scored (harmless ones: a title, a name, a value still in range).
    public var accepted = 0
    /// Edits that loaded but then failed to score with an error (allowed, and counted).
    public var scoringErrors = 0
    /// Errors that did not name the bundle, or internal errors: each is a finding.
    public var unclear: [String] = []
    /// Recipes that could not be trained for the run.
    public var setupFailures: [String] = []

    public var total: Int { edits.values.reduce(0, +) }
    /// Every edit ended in a clear refusal or a clean load and score (a crash ends the process instead).
    public var isPassing: Bool { unclear.isEmpty && setupFailures.isEmpty && total > 0 }

    public var description: String {
        var text = "bundle edits of \(plugin): \(total) (\(edits.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))); "
            + "refused \(refused), loaded and scored \(accepted), scoring errors \(scoringErrors), unclear \(unclear.count)\n"
        for failure in setupFailures { text += "  SETUP \(failure)\n" }
        for finding in unclear.prefix(20) { text += "  UNCLEAR \(finding)\n" }
        return text
    }
}

/// Random single-field edits of every recipe's bundle, checksums resealed, each loaded and scored.
///
/// A bundle of each recipe is trained on the fixture once; then each edit copies it, changes one value of one file
/// (a JSON number, string, boolean, list or key, or one float or the length of `weights.bin`) to something a hostile
/// user would try (0, −1, 2^63 − 1, 10^9, 1e400, a duplicate, an empty list, a removed key, NaN), reseals the manifest,
/// and loads and scores the copy. The process surviving is the main result; an error that does not name the bundle
/// is reported as unclear.
public enum BundleEditFuzzer {
    /// Edits per recipe: `BUNDLE_EDITS` from the environment, else 40 in debug builds and 200 in release (what fits the
    /// CI budget); `BUNDLE_EDITS=2000` runs the full count.
    public static var defaultEditsPerRecipe: Int {
        if let text = ProcessInfo.processInfo.environment["BUNDLE_EDITS"], let n = Int(text), n > 0 { return n }
        #if DEBUG
        return 40
        #else
        return 200
        #endif
    }

    public static func run(_ plugin: any DomainPlugin, fixture: ConformanceFixture, editsPerRecipe: Int,
                           recipes: [String]? = nil, seed: UInt64 = 1) -> BundleEditReport {
        var report = BundleEditReport(plugin: plugin.id)
        let workspace = FileManager.default.temporaryDirectory
            .appendingPathComponent("solutionkit-bundle-edits-\(plugin.id)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: workspace) }
        var generator = SeededGenerator(seed: seed)
        for recipe in plugin.recipes where recipes?.contains(recipe.name) ?? true {
            let original = workspace.appendingPathComponent("\(recipe.name)-original").path
            do {
                try BundleEditing.saveTrainedBundle(plugin, fixture: fixture, recipe: recipe.name, to: original)
                _ = try score(plugin, bundle: original, fixture: fixture)
            } catch {
                report.setupFailures.append("\(recipe.name): \(error)")
                continue
            }
            let files = (try? FileManager.default.contentsOfDirectory(atPath: original).sorted()) ?? []
            for n in 0..<editsPerRecipe {
                let copy = workspace.appendingPathComponent("\(recipe.name)-edit").path
                try? FileManager.default.removeItem(atPath: copy)
                let edit: String
                do {
                    try BundleEditing.copy(bundle: original, to: copy)
                    edit = try editOnce(bundle: copy, files: files, using: &generator)
                } catch {
                    report.setupFailures.append("\(recipe.name) edit \(n): \(error)")
                    break
                }
                report.edits[recipe.name, default: 0] += 1
                let bundle: ModelBundle
                let scorer: any BatchScorer
                do {
                    bundle = try ModelBundle.load(from: copy, expectingPlugin: plugin.id)
                    scorer = try plugin.scorer(for: bundle)
                } catch {
                    if isClear(error, bundle: copy) { report.refused += 1 } else {
                        report.unclear.append("[\(recipe.name)] \(edit) → \(type(of: error)): \(error)")
                    }
                    continue
                }
                do {
                    _ = try score(scorer, fixture: fixture)
                    report.accepted += 1
                } catch is InternalError {
                    report.unclear.append("[\(recipe.name)] \(edit) → scoring: internal error")
                } catch {
                    report.scoringErrors += 1
                }
            }
        }
        return report
    }

    /// An error that says which bundle it is about and is not an internal failure.
    static func isClear(_ error: Error, bundle: String) -> Bool {
        if error is InternalError { return false }
        return "\(error)".contains(bundle)
    }

    static func score(_ plugin: any DomainPlugin, bundle: String, fixture: ConformanceFixture) throws -> ScoringSummary {
        try score(plugin.scorer(for: ModelBundle.load(from: bundle, expectingPlugin: plugin.id)), fixture: fixture)
    }

    static func score(_ scorer: any BatchScorer, fixture: ConformanceFixture) throws -> ScoringSummary {
        let output = try OutputSink.file(atomicallyAt: "/dev/null")
        let rejects = try OutputSink.file(atomicallyAt: "/dev/null")
        let summary = try scorer.score(MemoryByteSource(Array(fixture.scoringInput.utf8), name: "fixture"), into: output,
                                       rejects: rejects, options: ScoringOptions(format: fixture.format, values: fixture.scoringOptions))
        try output.commit()
        try rejects.commit()
        return summary
    }

    // MARK: One edit

    /// Changes one thing in one file of the bundle at `bundle` and reseals it; returns what was done.
    static func editOnce(bundle: String, files: [String], using generator: inout SeededGenerator) throws -> String {
        let file = files[Int.random(in: 0..<files.count, using: &generator)]
        let url = URL(fileURLWithPath: bundle).appendingPathComponent(file)
        if !file.hasSuffix(".json") {
            let description = try editBinary(url, using: &generator)
            try BundleEditing.reseal(bundle: bundle)
            return "\(file): \(description)"
        }
        let tree = try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: url))
        var paths: [[String]] = []
        collectPaths(tree, [], into: &paths)
        let path = paths[Int.random(in: 0..<paths.count, using: &generator)]
        let value = try lookup(tree, path[...])
        var replacement = mutation(of: value, in: tree, using: &generator)
        if path.isEmpty, case .remove = replacement { replacement = .value(.array([])) }
        try BundleEditing.edit(bundle: bundle, file: file, keyPath: path, to: replacement)
        return "\(file): \(path.isEmpty ? "(top level)" : path.joined(separator: ".")) = \(replacement)"
    }

    static func collectPaths(_ value: JSONValue, _ path: [String], into paths: inout [[String]]) {
        paths.append(path)
        switch value {
        case .object(let fields): for (key, inner) in fields { collectPaths(inner, path + [key], into: &paths) }
        case .array(let elements): for (i, inner) in elements.enumerated() { collectPaths(inner, path + [String(i)], into: &paths) }
        default: break
        }
    }

    static func lookup(_ value: JSONValue, _ path: ArraySlice<String>) throws -> JSONValue {
        guard let key = path.first else { return value }
        switch value {
        case .object(let fields): return try lookup(fields[key] ?? .null, path.dropFirst())
        case .array(let elements): return try lookup(elements[Int(key)!], path.dropFirst())
        default: throw BundleEditingError("no value at \(path)")
        }
    }

    static let rawNumbers = ["9223372036854775807", "-9223372036854775808", "18446744073709551616", "1e400", "-1e400",
                             "1000000000", "4294967296", "16777216", "2147483648", "-1", "0", "1e-320", "0.5", "-0"]

    static func mutation(of value: JSONValue, in tree: JSONValue, using g: inout SeededGenerator) -> BundleEditing.Replacement {
        let pick = { (n: Int, g: inout SeededGenerator) in Int.random(in: 0..<n, using: &g) }
        // One edit in eight replaces the value by something of another kind (or removes it).
        if pick(8, &g) == 0 {
            let others: [BundleEditing.Replacement] = [.remove, .value(.null), .value(.array([])), .value(.object([:])),
                                                       .value(.string("nan")), .value(.number(0)), .value(.bool(true))]
            return others[pick(others.count, &g)]
        }
        switch value {
        case .number(let x):
            let choices: [BundleEditing.Replacement] = [
                .value(.number(0)), .value(.number(-1)), .value(.number(1)), .value(.number(x + 1)), .value(.number(x - 1)),
                .value(.number(-x)), .value(.number(x * 2)), .value(.number(x * 1000)), .value(.number((x / 2).rounded(.down))),
                .value(.string("nan")), .value(.string("inf")), .raw(rawNumbers[pick(rawNumbers.count, &g)]),
                .raw(rawNumbers[pick(rawNumbers.count, &g)]), .raw(rawNumbers[pick(rawNumbers.count, &g)]),
            ]
            return choices[pick(choices.count, &g)]
        case .string(let s):
            var strings: [String] = []
            collectStrings(tree, into: &strings)
            let choices: [BundleEditing.Replacement] = [
                .value(.string("")), .value(.string(strings.isEmpty ? s : strings[pick(strings.count, &g)])),
                .value(.string(s + "x")), .value(.string(String(repeating: s.isEmpty ? "a" : s, count: 50))),
                .value(.string("../../etc/passwd")), .value(.string("nan")), .value(.number(1)),
            ]
            return choices[pick(choices.count, &g)]
        case .bool(let b):
            return [.value(.bool(!b)), .value(.number(1)), .value(.null)][pick(3, &g)]
        case .null:
            return [.value(.number(0)), .value(.string("")), .value(.array([])), .raw("1e400")][pick(4, &g)]
        case .array(let elements):
            var copy = elements
            switch pick(6, &g) {
            case 0: return .value(.array([]))
            case 1 where !copy.isEmpty: copy.append(copy[pick(copy.count, &g)])
            case 2 where !copy.isEmpty: copy.remove(at: pick(copy.count, &g))
            case 3: copy.reverse()
            case 4 where copy.count > 1: copy.removeLast(copy.count / 2)
            default: copy += copy
            }
            return .value(.array(copy))
        case .object(let fields):
            var copy = fields
            if let key = fields.keys.sorted().randomElement(using: &g), pick(2, &g) == 0 {
                copy[key] = nil
            } else {
                copy["unexpected_key"] = .number(1)
            }
            return .value(.object(copy))
        }
    }

    static func collectStrings(_ value: JSONValue, into strings: inout [String]) {
        switch value {
        case .string(let s): strings.append(s)
        case .object(let fields): for inner in fields.values { collectStrings(inner, into: &strings) }
        case .array(let elements): for inner in elements { collectStrings(inner, into: &strings) }
        default: break
        }
    }

    /// One float of a binary file set to a hostile value, or the file cut or extended.
    static func editBinary(_ url: URL, using g: inout SeededGenerator) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: url))
        let floats = bytes.count / 4
        let choice = Int.random(in: 0..<10, using: &g)
        if choice == 0 || floats == 0 {
            let cut = Int.random(in: 0...bytes.count, using: &g)
            bytes.removeLast(bytes.count - cut)
            try Data(bytes).write(to: url)
            return "cut to \(cut) bytes"
        }
        if choice == 1 {
            bytes += [UInt8](repeating: 0x7F, count: 4 * Int.random(in: 1...4, using: &g))
            try Data(bytes).write(to: url)
            return "extended to \(bytes.count) bytes"
        }
        let values: [Float] = [.nan, .infinity, -.infinity, 0, -1, 1e30, -1e30, 16_777_216, 1e9, 0.5, 3, .leastNonzeroMagnitude]
        let value = values[Int.random(in: 0..<values.count, using: &g)]
        let index = Int.random(in: 0..<floats, using: &g)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { raw in
            for b in 0..<4 { bytes[index * 4 + b] = raw[b] }
        }
        try Data(bytes).write(to: url)
        return "float \(index) = \(value)"
    }
}
