import ArgumentParser
import Foundation
import SolutionKit

/// The launcher's commands as a library: the executable calls `Launcher.main(registry:)`, tests call
/// `Launcher.run(_:environment:)` with their own plugins and captured output.
public enum Launcher {
    /// Exit statuses: 0 success, 1 bad input or usage, 2 internal failure.
    public enum ExitStatus: Int32 {
        case success = 0
        case badInput = 1
        case internalFailure = 2
    }

    /// Parses `arguments` (without the program name), runs the command, prints errors, returns the exit status.
    public static func run(_ arguments: [String], environment: LauncherEnvironment) -> Int32 {
        let previous = LauncherEnvironment.current
        LauncherEnvironment.current = environment
        defer { LauncherEnvironment.current = previous }
        var command: ParsableCommand
        do {
            command = try LauncherCommand.parseAsRoot(arguments)
        } catch {
            let code = LauncherCommand.exitCode(for: error)
            let message = LauncherCommand.fullMessage(for: error)
            if code == .success {
                environment.standardOutput.write(message + "\n")
                return ExitStatus.success.rawValue
            }
            environment.standardError.write(message + "\n")
            return ExitStatus.badInput.rawValue
        }
        do {
            try command.run()
            return ExitStatus.success.rawValue
        } catch {
            let code = LauncherCommand.exitCode(for: error)
            if code == .success {
                environment.standardOutput.write(LauncherCommand.fullMessage(for: error) + "\n")
                return ExitStatus.success.rawValue
            }
            let status = exitStatus(for: error)
            let prefix = status == .internalFailure ? "internal error" : "error"
            var text = "\(error)"
            if error is ValidationError || error is ExitCode { text = LauncherCommand.fullMessage(for: error) }
            if text.hasPrefix("internal error: ") { text.removeFirst("internal error: ".count) }
            // On a terminal, clear a progress bar the failure interrupted.
            let clear = environment.standardErrorIsTerminal ? "\r\u{1B}[2K" : ""
            // A message may quote a hostile file: escape control bytes, cut 69 KB lines.
            environment.standardError.write("\(clear)\(prefix): \(MessageText.sanitized(text))\n")
            return status.rawValue
        }
    }

    /// Commands from other targets (`launcher serve` lives in LauncherServe, so only it pulls the HTTP stack);
    /// the executable adds them before `main`.
    public static func addCommands(_ commands: [ParsableCommand.Type]) {
        LauncherCommand.extraSubcommands += commands
    }

    /// The executable's entry point.
    public static func main(registry: PluginRegistry) -> Never {
        // Ctrl-C, kill, a closed pipe or a closed terminal removes unfinished outputs (exit 130, 143, 141, 129).
        TemporaryFiles.removeOnFatalSignals()
        exit(run(Array(CommandLine.arguments.dropFirst()), environment: LauncherEnvironment(registry: registry)))
    }

    /// Bad input is anything the user can fix (data, paths, flags, bundles); internal failures are the kit's
    /// own broken invariants and failures of the machine (a Foundation error while writing outputs).
    static func exitStatus(for error: Error) -> ExitStatus {
        switch error {
        case is InternalError: return .internalFailure
        case let error as CocoaError:
            // A path the user gave that cannot be written is theirs to fix; anything else is the machine's.
            let userFixable: Set<CocoaError.Code> = [.fileNoSuchFile, .fileWriteNoPermission, .fileWriteInvalidFileName,
                                                     .fileReadNoSuchFile, .fileReadNoPermission, .fileWriteFileExists]
            return userFixable.contains(error.code) ? .badInput : .internalFailure
        default: return .badInput
        }
    }
}

/// `launcher`: the root command.
struct LauncherCommand: ParsableCommand {
    nonisolated(unsafe) static var extraSubcommands: [ParsableCommand.Type] = []

    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "launcher",
            abstract: "Runs SolutionKit domain solutions: train, evaluate and batch-score models.",
            discussion: "Exit status: 0 success, 1 bad input or usage, 2 internal failure.",
            version: LauncherCommand.versionText,
            subcommands: [ListCommand.self, DescribeCommand.self, RunCommand.self, TuneCommand.self, EvaluateCommand.self, ScoreCommand.self,
                          RunsCommand.self] + extraSubcommands)
    }

    /// `launcher --version`: what a cluster operator checks before shipping a binary and bundles to executors.
    static let versionText = "launcher \(SolutionKitInfo.version) (kit \(SolutionKitInfo.version), bundle format "
        + "\(BundleManifest.formatName) \(BundleManifest.currentFormatVersion))"
}

/// Options of the form `key=value`, split once at the first `=`.
public func parseKeyValues(_ texts: [String], flag: String) throws -> [String: String] {
    var result: [String: String] = [:]
    for text in texts {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("\(flag) \(text): expected key=value")
        }
        result[String(text[..<equals])] = String(text[text.index(after: equals)...])
    }
    return result
}

/// Reads a text file named on the command line, with an error naming the flag and the path.
func readTextFile(_ path: String, flag: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw IOError(path: path, reason: "\(flag): cannot read the file (missing or unreadable)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw IOError(path: path, reason: "\(flag): the file is not UTF-8 text")
    }
    return text
}

/// Refuses an output folder flag (`--out`) that names a file, or whose nearest existing ancestor is a file,
/// before any work is done: creating it would fail only at the end, with a Foundation error.
func validateOutputFolder(_ path: String, flag: String) throws {
    var url = URL(fileURLWithPath: path).standardized
    while true {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                let what = url.path == URL(fileURLWithPath: path).standardized.path ? "is a file" : "is inside \(url.path), which is a file"
                throw ValidationError("\(flag) \(path) \(what); give a folder (it is created if missing)")
            }
            return
        }
        let parent = url.deletingLastPathComponent()
        guard parent.path != url.path else { return }
        url = parent
    }
}
