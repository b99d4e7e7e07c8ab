import Foundation
import LauncherKit
import SolutionKit

/// One model the server answers for: its name in URLs, its bundle folder and the loaded scorer.
struct ServedModel: Sendable {
    var name: String
    var folder: String
    var model: ScorableModel
    /// When this version was loaded (ISO 8601), and how many reloads replaced an earlier one.
    var loadedAt: String
    var generation: Int
}

/// The models being served, by name; a reload swaps one entry atomically.
///
/// A request takes the entry it scores with once, at its start, and holds that `ScorableModel` to its end, so a
/// swap never changes the model under a request in flight: it finishes on the old one, which is freed after.
/// A bundle that fails to load or verify is refused and the entry is left as it was.
final class ServedModels: @unchecked Sendable {
    // @unchecked: `entries` is only touched under `lock`; loading happens outside it.
    private let lock = NSLock()
    private var entries: [String: ServedModel]
    private let order: [String]
    private let registry: PluginRegistry
    /// One reload at a time per server: two reloads of one model would race to be the last swap.
    private let reloadLock = NSLock()

    /// Loads every `name=folder`; any failure stops start-up with the bundle's own error.
    init(_ specs: [(name: String, folder: String)], registry: PluginRegistry) throws {
        self.registry = registry
        var entries: [String: ServedModel] = [:]
        for spec in specs {
            let model = try ScorableModel.load(from: spec.folder, registry: registry)
            entries[spec.name] = ServedModel(name: spec.name, folder: spec.folder, model: model,
                                             loadedAt: Self.now(), generation: 0)
        }
        self.entries = entries
        order = specs.map(\.name)
    }

    var names: [String] { order }

    subscript(name: String) -> ServedModel? {
        lock.lock()
        defer { lock.unlock() }
        return entries[name]
    }

    var all: [ServedModel] {
        lock.lock()
        defer { lock.unlock() }
        return order.compactMap { entries[$0] }
    }

    /// Loads the model's folder again and swaps it in; throws (leaving the old one) when the bundle is refused.
    /// Blocking: call it off the event loops.
    @discardableResult
    func reload(_ name: String) throws -> ServedModel {
        reloadLock.lock()
        defer { reloadLock.unlock() }
        guard let current = self[name] else { throw RequestProblem.unknownModel(name) }
        let model: ScorableModel
        do {
            model = try ScorableModel.load(from: current.folder, registry: registry)
        } catch {
            throw RequestProblem.reloadRefused("\(error)")
        }
        let next = ServedModel(name: name, folder: current.folder, model: model, loadedAt: Self.now(),
                               generation: current.generation + 1)
        lock.lock()
        entries[name] = next
        lock.unlock()
        return next
    }

    /// Reloads every model (SIGHUP); each one that fails keeps its old version. Returns the failures.
    func reloadAll() -> [(name: String, error: Error)] {
        var failures: [(String, Error)] = []
        for name in order {
            do { try reload(name) } catch { failures.append((name, error)) }
        }
        return failures
    }

    private static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
