import Foundation

extension LauncherTestSupport {
    /// A small price file in `folder`: the first 600 rows of the shipped sample, enough for 3 folds and halving.
    static func priceFile(_ folder: URL) throws -> URL {
        let lines = try String(contentsOfFile: packageRoot.appendingPathComponent("samples/price-prediction/housing-sample.csv").path,
                               encoding: .utf8).split(separator: "\n")
        let url = folder.appendingPathComponent("homes.csv")
        try write(lines.prefix(601).joined(separator: "\n") + "\n", to: url)
        return url
    }
}
