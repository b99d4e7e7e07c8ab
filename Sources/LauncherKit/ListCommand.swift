import ArgumentParser
import SolutionKit

/// `launcher list`: every plugin with its datasets and recipes.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List plugins with their datasets and recipes.")

    func run() throws {
        let environment = LauncherEnvironment.active
        let plugins = environment.registry.plugins
        guard !plugins.isEmpty else {
            environment.standardOutput.write("No plugins are registered.\n")
            return
        }
        var text = ""
        for plugin in plugins {
            text += "\(plugin.id) \(plugin.version)  \(plugin.summary)\n"
            text += "  datasets: \(plugin.datasets.map(\.name).joined(separator: ", "))\n"
            text += "  recipes:  \(plugin.recipes.map(\.name).joined(separator: ", "))\n"
        }
        environment.standardOutput.write(text)
    }
}

/// `launcher describe <plugin>`: datasets, recipes with hyperparameters, metrics.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe", abstract: "Show a plugin's datasets and input formats, recipes with hyperparameters, and metrics.")

    @Argument(help: "The plugin id, as `list` shows it.")
    var plugin: String

    func run() throws {
        let environment = LauncherEnvironment.active
        let plugin = try environment.registry.plugin(self.plugin)
        var text = "\(plugin.id) \(plugin.version)\n\(plugin.summary)\n\nDatasets (--dataset NAME, or --data PATH):\n"
        for dataset in plugin.datasets {
            text += "  \(dataset.name)\(dataset.name == plugin.defaultDatasetName ? " (default)" : "")  \(dataset.summary)\n"
            text += "      found at: \(dataset.location)\n"
            if !dataset.formats.isEmpty { text += "      --data formats: \(dataset.formats.joined(separator: "; "))\n" }
        }
        if !plugin.dataOptions.isEmpty {
            text += "\nData options (for --data files):\n"
            text += TextTable.render(header: ["option", "meaning"], rows: plugin.dataOptions.map { [$0.usage, $0.summary] }, indent: "  ")
        }
        text += "\nRecipes (--recipe NAME; --set key=value or --config FILE to change hyperparameters):\n"
        for recipe in plugin.recipes {
            text += "  \(recipe.name)\(recipe.name == plugin.defaultRecipe?.name ? " (default)" : "")  \(recipe.summary)\n"
            let rows = recipe.hyperparameters.map { [$0.name, $0.defaultValue.description, $0.constraint.allowedDescription, $0.summary] }
            if !rows.isEmpty {
                text += TextTable.render(header: ["hyperparameter", "default", "allowed", "meaning"], rows: rows, indent: "      ")
            }
            if !recipe.searchSpace.isEmpty {
                text += "      search space (launcher tune; override with search_space: in --config):\n"
                text += recipe.searchSpace.lines.map { "        \($0)\n" }.joined()
            }
        }
        text += "\nSelection: launcher tune \(plugin.id) --recipe NAME searches a recipe's space by cross-validation on the "
            + "training part; run --recipe auto selects among \(plugin.selectionRecipes.joined(separator: ", ")).\n"
        text += "\nMetrics:\n"
        for metric in plugin.metrics {
            text += "  \(metric.name)\(metric.isPrimary ? " (primary)" : "")  \(metric.higherIsBetter ? "higher" : "lower") is better; \(metric.summary)\n"
        }
        environment.standardOutput.write(text)
    }
}
