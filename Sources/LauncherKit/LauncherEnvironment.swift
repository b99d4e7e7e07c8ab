import Foundation
import SolutionKit

/// Somewhere text goes: the process's standard output or error, or a buffer in tests.
public protocol TextOutput: AnyObject {
    func write(_ text: String)
}

/// Writes straight to a file descriptor (1 or 2), unbuffered, so messages interleave correctly with progress.
public final class DescriptorOutput: TextOutput {
    private let descriptor: Int32
    public init(descriptor: Int32) { self.descriptor = descriptor }
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }
}

/// Collects text in memory; tests read `text`.
public final class CapturedOutput: TextOutput {
    public private(set) var text = ""
    public init() {}
    public func write(_ text: String) { self.text += text }
}

/// Everything the commands need from outside: the plugins, where text goes, and whether stderr is a terminal.
/// Injected so tests run the real commands with their own plugins and capture what is printed.
public struct LauncherEnvironment {
    public var registry: PluginRegistry
    public var standardOutput: any TextOutput
    public var standardError: any TextOutput
    /// Chooses the progress style: a redrawn bar on a terminal, plain lines otherwise.
    public var standardErrorIsTerminal: Bool
    /// The clock for run-folder names and bundle times.
    public var now: () -> Date

    /// The wall clock, or the fixed time `SOURCE_DATE_EPOCH` (seconds since 1970) names, as reproducible builds do:
    /// two runs with the same seed then write byte-identical bundles.
    public static func clock() -> Date {
        if let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Double(text), seconds.isFinite {
            return Date(timeIntervalSince1970: seconds)
        }
        return Date()
    }

    public init(registry: PluginRegistry,
                standardOutput: any TextOutput = DescriptorOutput(descriptor: STDOUT_FILENO),
                standardError: any TextOutput = DescriptorOutput(descriptor: STDERR_FILENO),
                standardErrorIsTerminal: Bool = isatty(STDERR_FILENO) != 0,
                now: @escaping () -> Date = LauncherEnvironment.clock) {
        self.registry = registry
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardErrorIsTerminal = standardErrorIsTerminal
        self.now = now
    }

    /// The environment of the command being run. Argument-parser commands are decoded values with no way to
    /// pass context in, so `Launcher.run` sets this for the duration of one command.
    nonisolated(unsafe) static var current: LauncherEnvironment?

    public static var active: LauncherEnvironment {
        guard let current else { fatalError("launcher commands run through Launcher.run(_:environment:)") }
        return current
    }

    /// The progress reporter for a command's flags.
    func progressReporter(quiet: Bool) -> any ProgressReporter {
        if quiet { return SilentProgress() }
        return standardErrorIsTerminal ? TerminalProgressBar(output: standardError) : PlainProgressLines(output: standardError)
    }
}
