import CreditRisk
import DigitRecognition
import LauncherKit
import LauncherServe
import PricePrediction
import Recommendation
import SolutionKit

// The plugins this launcher knows: one entry per domain plugin (e.g. `PricePredictionPlugin()`).
// A duplicate id is a programming error caught here at start-up.
let registry: PluginRegistry
do {
    registry = try PluginRegistry([
        PricePredictionPlugin(),
        CreditRiskPlugin(),
        RecommendationPlugin(),
        DigitRecognitionPlugin(),
    ])
} catch {
    fatalError("\(error)")
}
// `serve` comes from its own target, the only one that pulls the HTTP stack.
Launcher.addCommands([ServeCommand.self])
Launcher.main(registry: registry)
