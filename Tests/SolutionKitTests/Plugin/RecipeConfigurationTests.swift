import Foundation
import SolutionKit
import XCTest

/// Hyperparameters resolve from defaults, then a YAML file, then `--set`, and every refusal names the key.
final class RecipeConfigurationTests: XCTestCase {
    let plugin = DeclarationOnlyPlugin()

    func testDefaultsOfTheFirstRecipe() throws {
        let configuration = try RecipeConfiguration.resolve(for: plugin)
        XCTAssertEqual(configuration.recipe, "mlp")
        XCTAssertEqual(try configuration.integer("epochs"), 50)
        XCTAssertEqual(try configuration.real("learning_rate"), 0.001)
        XCTAssertEqual(try configuration.boolean("log_target"), false)
        XCTAssertEqual(try configuration.text("activation"), "relu")
        XCTAssertEqual(plugin.defaultDatasetName, "sample")
    }

    func testFileThenOverridesInThatOrder() throws {
        let yaml = """
        recipe: mlp
        hyperparameters:
          epochs: 80
          learning_rate: 1e-3
          log_target: yes
          activation: tanh
        """
        let configuration = try RecipeConfiguration.resolve(for: plugin, configurationText: yaml, configurationPath: "run.yaml",
                                                            overrides: ["epochs=120", "note=a=b"])
        XCTAssertEqual(configuration.values["epochs"], .integer(120))
        XCTAssertEqual(configuration.values["learning_rate"], .real(0.001))
        XCTAssertEqual(configuration.values["log_target"], .boolean(true))
        XCTAssertEqual(configuration.values["activation"], .text("tanh"))
        XCTAssertEqual(configuration.values["note"], .text("a=b"))
    }

    func testFlatKeysIntegersForRealsAndRecipeFromFile() throws {
        let configuration = try RecipeConfiguration.resolve(for: plugin, configurationText: "recipe: ridge\nalpha: 3\n")
        XCTAssertEqual(configuration.recipe, "ridge")
        XCTAssertEqual(configuration.values["alpha"], .real(3))
        // --recipe on the command line wins over the file's recipe.
        let chosen = try RecipeConfiguration.resolve(for: plugin, recipe: "mlp", configurationText: "recipe: ridge\n")
        XCTAssertEqual(chosen.recipe, "mlp")
    }

    func testUnknownKeysAreNamedWithTheAllowedOnes() {
        XCTAssertThrowsError(try RecipeConfiguration.resolve(for: plugin, overrides: ["epoch=3"])) { error in
            XCTAssertEqual("\(error)", "--set: unknown hyperparameter \"epoch\" for recipe mlp; allowed: epochs, learning_rate, log_target, activation, note")
        }
        XCTAssertThrowsError(try RecipeConfiguration.resolve(for: plugin, configurationText: "hyperparameters:\n  depth: 3\n",
                                                             configurationPath: "c.yaml")) { error in
            XCTAssertEqual(error as? ConfigurationError,
                           .unknownKey("depth", recipe: "mlp", source: "c.yaml", allowed: ["epochs", "learning_rate", "log_target", "activation", "note"]))
        }
        XCTAssertThrowsError(try RecipeConfiguration.resolve(for: plugin, recipe: "gbdt")) { error in
            XCTAssertEqual("\(error)", "plugin declarations has no recipe named \"gbdt\"; known recipes: mlp, ridge")
        }
    }

    func testBadValuesAreNamedWithWhatIsAllowed() {
        let cases: [(String, String)] = [
            ("epochs=0", "--set: bad value \"0\" for hyperparameter \"epochs\"; allowed: an integer in 1...1000"),
            ("epochs=2.5", "--set: bad value \"2.5\" for hyperparameter \"epochs\"; allowed: an integer in 1...1000"),
            ("learning_rate=fast", "--set: bad value \"fast\" for hyperparameter \"learning_rate\"; allowed: a number in 1e-06...1.0"),
            ("learning_rate=nan", "--set: bad value \"nan\" for hyperparameter \"learning_rate\"; allowed: a number in 1e-06...1.0"),
            ("log_target=maybe", "--set: bad value \"maybe\" for hyperparameter \"log_target\"; allowed: true or false"),
            ("activation=gelu", "--set: bad value \"gelu\" for hyperparameter \"activation\"; allowed: one of: relu, tanh"),
            ("epochs", "--set epochs: expected key=value"),
        ]
        for (override, message) in cases {
            XCTAssertThrowsError(try RecipeConfiguration.resolve(for: plugin, overrides: [override]), override) { error in
                XCTAssertEqual("\(error)", message)
            }
        }
        XCTAssertThrowsError(try RecipeConfiguration.resolve(for: plugin, configurationText: "epochs: [1, 2]\n", configurationPath: "c.yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("c.yaml: bad value"), "\(error)")
        }
        XCTAssertThrowsError(try RecipeConfiguration.resolve(for: plugin, configurationText: "- a\n- b\n", configurationPath: "c.yaml")) { error in
            XCTAssertEqual("\(error)", "c.yaml: expected a mapping of keys to values at the top level")
        }
        XCTAssertThrowsError(try RecipeConfiguration.resolve(for: plugin, configurationText: "epochs: [1,\n", configurationPath: "c.yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("c.yaml: not valid YAML"), "\(error)")
        }
    }

    func testConfigurationRoundTripsThroughJSONAndValidation() throws {
        let configuration = try RecipeConfiguration.resolve(for: plugin, overrides: ["learning_rate=1", "log_target=true"])
        let decoded = try JSONDecoder().decode(RecipeConfiguration.self, from: JSONValue.encoder().encode(configuration))
        // 1.0 is written as 1 in JSON and decodes as an integer; validation against the recipe restores the real.
        XCTAssertEqual(decoded.values["learning_rate"], .integer(1))
        let validated = try RecipeConfiguration.validated(decoded.values, for: plugin.recipes[0], source: "manifest.json")
        XCTAssertEqual(validated, configuration)
    }
}

final class PluginRegistryTests: XCTestCase {
    func testLookupAndErrors() throws {
        let registry = try PluginRegistry([DeclarationOnlyPlugin(id: "a"), DeclarationOnlyPlugin(id: "b")])
        XCTAssertEqual(try registry.plugin("b").id, "b")
        XCTAssertThrowsError(try registry.plugin("c")) { error in
            XCTAssertEqual("\(error)", "no plugin named \"c\"; known plugins: a, b")
        }
        XCTAssertThrowsError(try PluginRegistry([DeclarationOnlyPlugin(id: "a"), DeclarationOnlyPlugin(id: "a")])) { error in
            XCTAssertEqual("\(error)", "two plugins share the id \"a\"; each plugin needs its own id")
        }
        XCTAssertThrowsError(try PluginRegistry([]).plugin("x")) { error in
            XCTAssertEqual("\(error)", "no plugin named \"x\"; none are registered")
        }
    }
}

final class DatasetLocatorTests: XCTestCase {
    func testSearchOrderAndError() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("locator-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let env = root.appendingPathComponent("env"), work = root.appendingPathComponent("pkg/work")
        let exe = root.appendingPathComponent("pkg/.build/debug/launcher")
        try FileManager.default.createDirectory(at: env.appendingPathComponent("alpha"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("shared/datasets/beta"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

        let locator = DatasetLocator(environmentRoot: env.path, workingDirectory: work.path, executablePath: exe.path)
        XCTAssertEqual(try locator.folder(named: "alpha"), env.path + "/alpha")
        // Found by walking up from the executable: <root>/pkg/.build/debug → <root>/pkg/../shared/datasets.
        XCTAssertEqual(URL(fileURLWithPath: try locator.folder(named: "beta")).standardized.path,
                       root.appendingPathComponent("shared/datasets/beta").standardized.path)
        let candidates = locator.candidates(for: "gamma")
        XCTAssertEqual(candidates.first, env.path + "/gamma")
        XCTAssertEqual(candidates[1], root.appendingPathComponent("pkg/shared/datasets/gamma").path)
        XCTAssertThrowsError(try locator.folder(named: "gamma")) { error in
            guard let missing = error as? DatasetNotFound else { return XCTFail("\(error)") }
            XCTAssertEqual(missing.searched, candidates)
            XCTAssertTrue("\(error)".hasPrefix("dataset folder \"gamma\" not found; looked in: \(env.path)/gamma, "), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("(set SOLUTIONKIT_DATASETS to the folder that holds it)"))
        }
    }
}
