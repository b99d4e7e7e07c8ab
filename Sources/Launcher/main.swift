import DigitRecognition
import LauncherKit
import PricePrediction
import SolutionKit

// The plugins this launcher knows: one entry per domain plugin (e.g. `PricePredictionPlugin()`).
// A duplicate id is a programming error caught here at start-up.
let registry: PluginRegistry
do {
    registry = try PluginRegistry([
        PricePredictionPlugin(),
        DigitRecognitionPlugin(),
    ])
} catch {
    fatalError("\(error)")
}
Launcher.main(registry: registry)
