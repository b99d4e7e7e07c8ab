import SolutionKit

/// A plugin that only declares things: enough for registry and configuration tests, which never call its
/// verbs (the full contract is exercised by the line-fit plugin in LauncherTests).
struct DeclarationOnlyPlugin: DomainPlugin {
    var id: String
    var version = "0.0.1"
    var summary = "declarations for tests"
    var datasets: [DatasetDescriptor] = [DatasetDescriptor(name: "full", summary: "", location: ""),
                                         DatasetDescriptor(name: "sample", summary: "", location: "")]
    var recipes: [Recipe] = [
        Recipe(name: "mlp", summary: "a network", hyperparameters: [
            .integer("epochs", default: 50, in: 1...1000, "passes"),
            .real("learning_rate", default: 0.001, in: 1e-6...1, "step"),
            .boolean("log_target", default: false, "log"),
            .choice("activation", default: "relu", from: ["relu", "tanh"], "nonlinearity"),
            .text("note", default: "", "free text"),
        ]),
        Recipe(name: "ridge", summary: "linear", hyperparameters: [.real("alpha", default: 1, in: 0...1e6, "penalty")]),
    ]
    var metrics: [MetricDescriptor] = [MetricDescriptor(name: "rmse", summary: "", higherIsBetter: false, isPrimary: true)]

    init(id: String = "declarations") { self.id = id }

    func load(_ request: DataRequest) throws -> any DomainDataset { throw InternalError("not used by these tests") }
    func train(_ configuration: RecipeConfiguration, on data: any DomainDataset, context: RunContext) throws -> any TrainedModel {
        throw InternalError("not used by these tests")
    }
    func evaluate(_ model: any TrainedModel, on data: any DomainDataset, context: RunContext) throws -> MetricReport {
        throw InternalError("not used by these tests")
    }
    func model(from bundle: ModelBundle) throws -> any TrainedModel { throw InternalError("not used by these tests") }
    func scorer(for bundle: ModelBundle) throws -> any BatchScorer { throw InternalError("not used by these tests") }
}
