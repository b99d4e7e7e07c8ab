extension TabularPreprocessor {
    /// Checks a preprocessing read from a bundle before it transforms anything: the output columns it names must be
    /// exactly the ones its features lay out (the transforms write at those positions), names and categories must be
    /// unique (they become lookups), and every statistic finite with a scale above 0 (else scores are inf or NaN).
    public func check(_ check: BundleCheck) throws {
        let numeric = check.at("numericFeatures"), categorical = check.at("categoricalFeatures")
        for (j, feature) in numericFeatures.enumerated() {
            let at = numeric.at(j)
            try at.at("median").finite(feature.median)
            try at.at("mean").finite(feature.mean)
            try at.at("scale").positive(feature.scale)
        }
        var expected = 0
        for (k, feature) in categoricalFeatures.enumerated() {
            let at = categorical.at(k)
            try at.at("categories").unique(feature.categories)
            if let mode = feature.mode {
                try at.at("mode").require(feature.categories.contains(mode), "\"\(mode)\" is not one of the feature's categories")
            }
            expected += feature.categories.count
        }
        let names = numericFeatures.map(\.name) + categoricalFeatures.map(\.name)
        if let twice = Self.firstDuplicate(names) {
            throw check.failure("the input column \"\(twice)\" is listed twice")
        }
        switch layout {
        case .oneHot:
            expected += numericFeatures.count + numericFeatures.filter(\.hasMissingIndicator).count
        case .native:
            expected = numericFeatures.count + categoricalFeatures.count
        }
        try check.at("featureNames").require(featureNames.count == expected,
            "holds \(featureNames.count) names; the \(layout.rawValue) layout of these features gives \(expected) columns")
    }

    private static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        return names.first { !seen.insert($0).inserted }
    }
}
