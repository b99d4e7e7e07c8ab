import Foundation

// libFuzzer's entry points. Built with -parse-as-library (scripts/fuzz.sh), so libFuzzer supplies main().
nonisolated(unsafe) var selectedTarget: ((UnsafeBufferPointer<UInt8>) -> Void)?

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.all[name] else {
        FileHandle.standardError.write(Data("FUZZ_TARGET=\(name): expected one of \(FuzzTargets.all.keys.sorted().joined(separator: ", "))\n".utf8))
        exit(2)
    }
    if name == "bundle" {
        let environment = ProcessInfo.processInfo.environment
        guard let bundles = environment["FUZZ_BUNDLES"] else {
            FileHandle.standardError.write(Data("FUZZ_BUNDLES: set it to the folder of seed bundles\n".utf8))
            exit(2)
        }
        // scripts/fuzz.sh runs the binary once with FUZZ_SEED_INPUTS to make the seeds, without fuzzing.
        if let inputs = environment["FUZZ_SEED_INPUTS"] {
            BundleSeeds.write(bundles: bundles, inputs: inputs)
            exit(0)
        }
        LeakChecks.off { BundleFuzzing.prepare(root: bundles) }
    }
    selectedTarget = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedTarget?(UnsafeBufferPointer(start: data, count: size))
    return 0
}
