import Foundation
import Recommendation
import SolutionKit

// Usage: RecommendationBench FOLDER RECIPE [key=value ...] [--folds 1,2,3,4,5] [--option key=value ...]
// Prints one JSON object per fold, then the mean, for bench/recommendation/run.py.
var arguments = Array(CommandLine.arguments.dropFirst())
var folds = [1, 2, 3, 4, 5]
if let flag = arguments.firstIndex(of: "--folds"), flag + 1 < arguments.count {
    folds = arguments[flag + 1].split(separator: ",").compactMap { Int($0) }
    arguments.removeSubrange(flag...(flag + 1))
}
var options: [String: String] = [:]
while let flag = arguments.firstIndex(of: "--option"), flag + 1 < arguments.count {
    let pair = arguments[flag + 1].split(separator: "=", maxSplits: 1).map(String.init)
    if pair.count == 2 { options[pair[0]] = pair[1] }
    arguments.removeSubrange(flag...(flag + 1))
}
guard arguments.count >= 2 else {
    FileHandle.standardError.write("usage: RecommendationBench FOLDER RECIPE [key=value ...] [--folds 1,2]\n".data(using: .utf8)!)
    exit(1)
}
do {
    let results = try RecommendationCrossValidation.run(folder: arguments[0], recipe: arguments[1],
                                                        overrides: Array(arguments.dropFirst(2)), folds: folds,
                                                        options: options)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    for result in results { print(String(data: try encoder.encode(result), encoding: .utf8)!) }
} catch {
    FileHandle.standardError.write("\(error)\n".data(using: .utf8)!)
    exit(1)
}
