import Foundation

/// Ctrl-C during a search: the first SIGINT raises a flag the search polls before each job (so it stops and keeps the
/// best trial so far, then trains it); a second one ends the process at once, as the user then expects.
final class InterruptFlag: @unchecked Sendable {
    nonisolated(unsafe) private static var count: sig_atomic_t = 0
    private static let shared = InterruptFlag()

    var isRaised: Bool { Self.count > 0 }

    /// Installs the handler and returns the flag.
    static func install() -> InterruptFlag {
        count = 0
        signal(SIGINT) { _ in
            InterruptFlag.count += 1
            if InterruptFlag.count > 1 { _exit(130) }
        }
        return shared
    }

    /// Back to the default behaviour (Ctrl-C ends the process).
    static func restore() {
        signal(SIGINT, SIG_DFL)
    }
}
