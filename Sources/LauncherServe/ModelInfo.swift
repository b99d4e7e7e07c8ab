import Foundation
import SolutionKit

/// `GET /v1/models`.
struct ModelList: Encodable {
    var models: [ModelSummary]
}

/// One served model in a listing, and the answer to a reload.
struct ModelSummary: Encodable {
    var name: String
    var plugin: String
    var recipe: String
    var folder: String
    var loadedAt: String
    var generation: Int
    var createdAt: String

    init(_ served: ServedModel) {
        let manifest = served.model.bundle.manifest
        name = served.name
        plugin = manifest.plugin.id
        recipe = manifest.recipe
        folder = served.folder
        loadedAt = served.loadedAt
        generation = served.generation
        createdAt = manifest.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case name, plugin, recipe, folder, generation
        case loadedAt = "loaded_at"
        case createdAt = "created_at"
    }
}

/// `GET /v1/models/{name}`: the summary plus the verified manifest (input schema, metrics, hyperparameters).
struct ModelDetail: Encodable {
    var model: ModelSummary
    var manifest: BundleManifest

    init(_ served: ServedModel) {
        model = ModelSummary(served)
        manifest = served.model.bundle.manifest
    }
}
