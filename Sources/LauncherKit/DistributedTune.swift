import ArgumentParser
import Foundation
import SolutionKit

/// `tune --plan`, `--trial`, `--collect`: one search split into commands any engine (Ray tasks, Spark tasks, a Slurm
/// array, a for-loop) can run. A trial scores its configuration on every fold, so trials are independent; collect
/// then runs the local search's successive halving with the recorded scores in place of training, which is why the
/// leaderboard is the local one for the same seed (a fold's score depends only on configuration, fold and seed).
enum DistributedTune {
    static let planFormat = "solutionkit-tune-plan"
    static let planVersion = 1
    /// Trial files are small (a few numbers per fold); anything larger is not one.
    static let maximumTrialFileBytes = 16 << 20

    struct Plan: Codable {
        var format: String
        var version: Int
        var plugin: String
        /// The `tune` arguments that fix the search, parsed again by --trial and --collect.
        var arguments: [String]
        var trials: Int
        var folds: Int
        var seed: UInt64
        /// The training data's fingerprint: a worker reading other data refuses to score.
        var fingerprint: String
    }

    /// One trial's scores on every fold (a failing fold keeps its message, as a local tune records it).
    struct TrialResult: Codable {
        struct Fold: Codable {
            var score: FoldScore?
            var failure: String?
        }
        var trial: Int
        /// The plan's arguments and data fingerprint: a trial file left from another plan in the folder is not reused.
        var arguments: [String]
        var fingerprint: String
        var configuration: RecipeConfiguration
        var folds: [Fold]
    }

    static func writePlan(of command: TuneCommand, into folder: URL, progress: any ProgressReporter) throws {
        let setup = try command.prepare(progress: progress)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("trials"), withIntermediateDirectories: true)
        let plan = Plan(format: planFormat, version: planVersion, plugin: setup.plugin.id, arguments: command.searchArguments(),
                        trials: setup.search.candidates.count, folds: setup.validator.folds.count, seed: command.options.seed,
                        fingerprint: setup.data.fingerprint)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try OutputSink.write(String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n",
                             atomicallyTo: planURL(folder).path)
        let directory = shellQuoted(folder.standardized.path)
        let commands = (0..<plan.trials).map { "launcher tune --trial \(directory) \($0)\n" }.joined()
        try OutputSink.write(commands, atomicallyTo: folder.appendingPathComponent("commands.txt").path)
        LauncherEnvironment.active.standardOutput.write(
            "planned \(plan.trials) trial(s) × \(plan.folds) fold(s): \(folder.path)/commands.txt; then "
                + "launcher tune --collect \(directory)\n")
    }

    static func runTrial(_ index: Int, of folder: URL, progress: any ProgressReporter) throws {
        let (plan, setup) = try load(folder, progress: progress)
        guard index < plan.trials else {
            throw ValidationError("--trial \(folder.path) \(index): the plan has trials 0 to \(plan.trials - 1)")
        }
        let candidate = setup.search.candidates[index]
        let url = trialURL(folder, index)
        if let done = try? readTrial(url, index: index, plan: plan, setup: setup), sameConfiguration(done.configuration, candidate.configuration) {
            LauncherEnvironment.active.standardOutput.write("trial \(index): already scored in \(url.path)\n")
            return
        }
        let jobs = setup.validator.folds.indices.map { CrossValidator.Job(configuration: candidate.configuration, fold: $0) }
        let results = setup.validator.run(jobs, seed: plan.seed, workers: Parallelism.threadCount)
        let folds = try results.enumerated().map { fold, result -> TrialResult.Fold in
            switch result {
            case .success(let score)?: return TrialResult.Fold(score: score)
            case .failure(let error)?: return TrialResult.Fold(failure: "\(error)")
            case nil: throw InternalError("trial \(index): fold \(fold + 1) was not run")
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(TrialResult(trial: index, arguments: plan.arguments, fingerprint: plan.fingerprint,
                                                                 configuration: candidate.configuration, folds: folds)),
                          as: UTF8.self)
        try OutputSink.write(text + "\n", atomicallyTo: url.path)
        LauncherEnvironment.active.standardOutput.write("trial \(index): \(folds.count) fold(s) scored into \(url.path)\n")
    }

    static func collect(_ folder: URL, progress: any ProgressReporter) throws {
        let (plan, setup) = try load(folder, progress: progress)
        let missing = (0..<plan.trials).filter { !FileManager.default.fileExists(atPath: trialURL(folder, $0).path) }
        guard missing.isEmpty else {
            let list = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            throw ValidationError("\(folder.path)/trials: \(missing.count) trial(s) not run yet (\(list)); run "
                                  + "`launcher tune --trial \(folder.path) N` for each")
        }
        let recorded = try (0..<plan.trials).map { index -> TrialResult in
            let result = try readTrial(trialURL(folder, index), index: index, plan: plan, setup: setup)
            guard sameConfiguration(result.configuration, setup.search.candidates[index].configuration) else {
                throw IOError(path: trialURL(folder, index).path, reason: "the trial's configuration is not the plan's trial \(index)")
            }
            return result
        }
        progress.note("collect: \(plan.trials) trial(s) × \(plan.folds) fold(s); successive halving as a local tune")
        let board = try setup.search.run(metric: setup.validator.metric, folds: plan.folds, update: { board in
            try ModelSelection.write(board, stagesKeys: setup.search.stagesKeys, plugin: setup.plugin, into: folder)
        }) { jobs, _ in
            jobs.map { job -> Result<FoldScore, Error>? in
                let fold = recorded[job.trial].folds[job.fold]
                if let score = fold.score { return .success(score) }
                return .failure(RecordedFailure(description: fold.failure ?? "no score"))
            }
        }
        try command(plan, from: planURL(folder)).finish(setup, board: board, folder: folder,
                                                        indexRoot: TuneWinnerFolder.runsFolder(ofPlan: folder, plugin: plan.plugin),
                                                        progress: progress)
    }

    // MARK: Files

    static func planURL(_ folder: URL) -> URL { folder.appendingPathComponent("plan.json") }
    static func trialURL(_ folder: URL, _ index: Int) -> URL { folder.appendingPathComponent("trials/\(index).json") }

    /// The plan and the search it describes, refusing a plan whose data or candidates changed since it was written.
    static func load(_ folder: URL, progress: any ProgressReporter) throws -> (Plan, TuneCommand.Setup) {
        let url = planURL(folder)
        let plan = try decode(Plan.self, from: url, what: "a tune plan")
        guard plan.format == planFormat, plan.version == planVersion else {
            throw IOError(path: url.path, reason: "not a \(planFormat) version \(planVersion) file")
        }
        let setup = try command(plan, from: url).prepare(progress: progress)
        guard setup.data.fingerprint == plan.fingerprint else {
            throw IOError(path: url.path, reason: "the training data's fingerprint is \(setup.data.fingerprint), the plan's "
                          + "\(plan.fingerprint): the data changed since --plan")
        }
        guard setup.search.candidates.count == plan.trials, setup.validator.folds.count == plan.folds else {
            throw IOError(path: url.path, reason: "the plan has \(plan.trials) trial(s) × \(plan.folds) fold(s); its arguments now "
                          + "give \(setup.search.candidates.count) × \(setup.validator.folds.count)")
        }
        return (plan, setup)
    }

    static func command(_ plan: Plan, from url: URL) throws -> TuneCommand {
        do {
            return try TuneCommand.parse(plan.arguments)
        } catch {
            throw IOError(path: url.path, reason: "key 'arguments': \(TuneCommand.message(for: error))")
        }
    }

    static func readTrial(_ url: URL, index: Int, plan: Plan, setup: TuneCommand.Setup) throws -> TrialResult {
        let result = try decode(TrialResult.self, from: url, what: "a trial result")
        guard result.trial == index else { throw IOError(path: url.path, reason: "key 'trial': \(result.trial), expected \(index)") }
        guard result.arguments == plan.arguments, result.fingerprint == plan.fingerprint else {
            throw IOError(path: url.path, reason: "keys 'arguments' and 'fingerprint': written for another plan than "
                          + "\(planURL(url.deletingLastPathComponent().deletingLastPathComponent()).path)")
        }
        guard result.folds.count == plan.folds else {
            throw IOError(path: url.path, reason: "key 'folds': \(result.folds.count) fold(s), the plan has \(plan.folds)")
        }
        for (position, fold) in result.folds.enumerated() where (fold.score == nil) == (fold.failure == nil) {
            throw IOError(path: url.path, reason: "key 'folds', fold \(position + 1): give a score or a failure")
        }
        return result
    }

    static func decode<T: Decodable>(_ type: T.Type, from url: URL, what: String) throws -> T {
        let data = try readBounded(url)
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw IOError(path: url.path, reason: "not \(what): \(error.keyPathDescription)")
        }
    }

    static func readBounded(_ url: URL) throws -> Data {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let size = (attributes?[.size] as? NSNumber)?.intValue else {
            throw IOError(path: url.path, reason: "cannot read the file (missing or unreadable)")
        }
        guard size <= maximumTrialFileBytes else {
            throw IOError(path: url.path, reason: "\(size) bytes, more than the \(maximumTrialFileBytes) a tune file may have")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw IOError(path: url.path, reason: "cannot read the file (missing or unreadable)")
        }
        return data
    }

    /// Compared as written: JSON does not keep 1.0 apart from 1, and a trial file is JSON.
    static func sameConfiguration(_ a: RecipeConfiguration, _ b: RecipeConfiguration) -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(a)) == (try? encoder.encode(b))
    }

    static func shellQuoted(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:,".contains($0) } ? text
            : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A fold failure read back from a trial file: its message is the one the trial recorded.
struct RecordedFailure: Error, CustomStringConvertible {
    var description: String
}
