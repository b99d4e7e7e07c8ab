// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SolutionKit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "SolutionKit", targets: ["SolutionKit"]),
        .library(name: "SolutionKitConformance", targets: ["SolutionKitConformance"]),
        .library(name: "PricePrediction", targets: ["PricePrediction"]),
        .library(name: "CreditRisk", targets: ["CreditRisk"]),
        .library(name: "Recommendation", targets: ["Recommendation"]),
        .library(name: "DigitRecognition", targets: ["DigitRecognition"]),
        .executable(name: "launcher", targets: ["Launcher"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The run index (`launcher runs`): SQLite through GRDB (Debian: libsqlite3-dev; scripts/setup.sh installs it).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // `launcher serve` (the LauncherServe target only): HTTP on Hummingbird 2, graceful shutdown through
        // swift-service-lifecycle, Prometheus text through swift-metrics + swift-prometheus.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // System libraries (Debian: libopenblas-dev, libpng-dev, zlib1g-dev; scripts/setup.sh installs them).
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLibPNG", path: "Sources/CLibPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // Signal-safe removal of temporary outputs (C: a signal handler may only unlink and _exit).
        .target(name: "CTemporaryFiles", path: "Sources/CTemporaryFiles"),

        // The core engine: knows no domain.
        .target(name: "SolutionKit",
                dependencies: ["COpenBLAS", "CLibPNG", "CZlib", "CTemporaryFiles", .product(name: "Yams", package: "Yams")],
                path: "Sources/SolutionKit"),
        // The plugin conformance suite, in the spirit of scikit-learn's check_estimator.
        .target(name: "SolutionKitConformance", dependencies: ["SolutionKit"],
                path: "Sources/SolutionKitConformance"),

        // Domain plugins: each depends on the core only.
        .target(name: "PricePrediction", dependencies: ["SolutionKit"], path: "Plugins/PricePrediction"),
        .target(name: "CreditRisk", dependencies: ["SolutionKit"], path: "Plugins/CreditRisk", exclude: ["README.md"]),
        .target(name: "Recommendation", dependencies: ["SolutionKit"], path: "Plugins/Recommendation",
                exclude: ["README.md"]),
        // The recommendation benchmark's Swift side (bench/recommendation/run.py drives it).
        .executableTarget(name: "RecommendationBench", dependencies: ["Recommendation", "SolutionKit"],
                          path: "bench/recommendation/swift"),
        .target(name: "DigitRecognition", dependencies: ["SolutionKit"], path: "Plugins/DigitRecognition",
                exclude: ["README.md"]),

        // The launcher: commands in a library (testable with any registry), a thin executable on top.
        .target(name: "LauncherKit",
                dependencies: ["SolutionKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                               .product(name: "GRDB", package: "GRDB.swift")],
                path: "Sources/LauncherKit"),
        // `launcher serve`: the only target that pulls the HTTP stack.
        .target(name: "LauncherServe",
                dependencies: ["LauncherKit", "SolutionKit",
                               .product(name: "ArgumentParser", package: "swift-argument-parser"),
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                               .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "CoreMetrics", package: "swift-metrics"),
                               .product(name: "Prometheus", package: "swift-prometheus"),
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "HTTPTypes", package: "swift-http-types")],
                path: "Sources/LauncherServe"),
        .executableTarget(name: "Launcher",
                          dependencies: ["LauncherKit", "LauncherServe", "PricePrediction", "CreditRisk", "Recommendation",
                                         "DigitRecognition"],
                          path: "Sources/Launcher"),

        // Benchmark programs (not tests): bench/*/run.sh drive them beside the reference libraries.
        .executableTarget(name: "SolutionKitBench", dependencies: ["SolutionKit"], path: "bench/SolutionKitBench"),

        .testTarget(name: "SolutionKitTests", dependencies: ["SolutionKit"], path: "Tests/SolutionKitTests"),
        .testTarget(name: "PricePredictionTests",
                    dependencies: ["PricePrediction", "SolutionKitConformance", "SolutionKit"],
                    path: "Tests/PricePredictionTests"),
        .testTarget(name: "CreditRiskTests",
                    dependencies: ["CreditRisk", "SolutionKitConformance", "SolutionKit"],
                    path: "Tests/CreditRiskTests"),
        .testTarget(name: "RecommendationTests",
                    dependencies: ["Recommendation", "SolutionKitConformance", "SolutionKit"],
                    path: "Tests/RecommendationTests"),
        .testTarget(name: "DigitRecognitionTests",
                    dependencies: ["DigitRecognition", "SolutionKitConformance", "SolutionKit", "LauncherKit"],
                    path: "Tests/DigitRecognitionTests"),
        .testTarget(name: "LauncherServeTests",
                    dependencies: ["LauncherServe", "LauncherKit", "SolutionKit", "PricePrediction", "CreditRisk",
                                   "Recommendation", "DigitRecognition"],
                    path: "Tests/LauncherServeTests"),
        .testTarget(name: "LauncherTests",
                    dependencies: ["LauncherKit", "SolutionKitConformance", "SolutionKit", "PricePrediction", "CreditRisk",
                                   "Recommendation", "DigitRecognition", .product(name: "GRDB", package: "GRDB.swift")],
                    path: "Tests/LauncherTests"),
    ],
    swiftLanguageModes: [.v5]
)
