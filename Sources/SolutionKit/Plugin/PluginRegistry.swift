/// The plugins a launcher knows, looked up by id.
///
/// Adding a domain is one line: the plugin value is added to the list the executable builds.
public struct PluginRegistry: Sendable {
    public let plugins: [any DomainPlugin]

    /// Fails when two plugins share an id, naming it.
    public init(_ plugins: [any DomainPlugin]) throws {
        var seen = Set<String>()
        for plugin in plugins {
            guard !plugin.id.isEmpty else { throw PluginRegistryError.emptyIdentifier }
            guard seen.insert(plugin.id).inserted else { throw PluginRegistryError.duplicateIdentifier(plugin.id) }
        }
        self.plugins = plugins
    }

    public var identifiers: [String] { plugins.map(\.id) }

    /// The plugin with this id, or an error listing the known ids.
    public func plugin(_ id: String) throws -> any DomainPlugin {
        guard let plugin = plugins.first(where: { $0.id == id }) else {
            throw PluginRegistryError.unknownPlugin(id, known: identifiers)
        }
        return plugin
    }
}

public enum PluginRegistryError: Error, Equatable, CustomStringConvertible {
    case unknownPlugin(String, known: [String])
    case duplicateIdentifier(String)
    case emptyIdentifier

    public var description: String {
        switch self {
        case let .unknownPlugin(id, known):
            let list = known.isEmpty ? "none are registered" : "known plugins: \(known.joined(separator: ", "))"
            return "no plugin named \"\(id)\"; \(list)"
        case let .duplicateIdentifier(id):
            return "two plugins share the id \"\(id)\"; each plugin needs its own id"
        case .emptyIdentifier:
            return "a plugin has an empty id"
        }
    }
}
