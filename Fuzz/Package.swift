// swift-tools-version:6.0
// libFuzzer targets for SolutionKit's readers. A package of its own so the main package builds no executable
// without a `main`: scripts/fuzz.sh builds this one with `--sanitize=fuzzer` (and address), which links
// libFuzzer's main. Run `bash scripts/fuzz.sh TARGET SECONDS`; the targets are listed in FuzzTargets.swift.
import PackageDescription

let package = Package(
    name: "SolutionKitFuzz",
    dependencies: [.package(name: "SolutionKit", path: "..")],
    targets: [
        .executableTarget(name: "SolutionKitFuzz",
                          dependencies: [.product(name: "SolutionKit", package: "SolutionKit"),
                                         .product(name: "Recommendation", package: "SolutionKit"),
                                         .product(name: "PricePrediction", package: "SolutionKit"),
                                         .product(name: "CreditRisk", package: "SolutionKit"),
                                         .product(name: "DigitRecognition", package: "SolutionKit"),
                                         // BundleSeeds trains the seed bundles as the conformance tests do.
                                         .product(name: "SolutionKitConformance", package: "SolutionKit")],
                          path: "Sources/SolutionKitFuzz"),
    ],
    swiftLanguageModes: [.v5]
)
