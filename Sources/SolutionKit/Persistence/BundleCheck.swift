/// Checks of values read from one file of a bundle, each failure naming the bundle, the file and the key path
/// (`…/network.json: layers.0.dense.inputs: …`).
///
/// A bundle is data someone else may have written: every size, index, id list and scalar in it is checked here
/// before anything is allocated or indexed with it. `at(_:)` descends into a key or an array position, so a loader
/// writes `check.at("layers").at(i)` as it walks the file and the error says exactly where the bad value sits.
public struct BundleCheck: Sendable {
    public let bundle: String
    public let file: String
    public let path: [String]

    public init(bundle: String, file: String, path: [String] = []) {
        self.bundle = bundle
        self.file = file
        self.path = path
    }

    /// The check of `file` in the same bundle, at its top level.
    public func file(_ name: String) -> BundleCheck { BundleCheck(bundle: bundle, file: name) }

    public func at(_ key: String) -> BundleCheck { BundleCheck(bundle: bundle, file: file, path: path + [key]) }
    public func at(_ index: Int) -> BundleCheck { at(String(index)) }

    /// The key path as printed, e.g. "layers.0.dense.inputs" ("(top level)" at the root).
    public var keyPath: String { path.isEmpty ? "(top level)" : path.joined(separator: ".") }

    public func failure(_ reason: String) -> BundleError {
        .invalidValue(path: bundle, file: file, key: keyPath, reason: reason)
    }

    public func require(_ condition: Bool, _ reason: @autoclosure () -> String) throws {
        if !condition { throw failure(reason()) }
    }

    // MARK: Scalars

    @discardableResult
    public func finite(_ value: Double) throws -> Double {
        try require(value.isFinite, "\(value) is not a finite number")
        return value
    }

    @discardableResult
    public func finite(_ value: Float) throws -> Float {
        try require(value.isFinite, "\(value) is not a finite number")
        return value
    }

    /// A finite number above zero (a scale, a divisor, a step).
    @discardableResult
    public func positive(_ value: Double) throws -> Double {
        try require(value.isFinite && value > 0, "\(value) must be a finite number above 0")
        return value
    }

    @discardableResult
    public func within(_ value: Double, _ range: ClosedRange<Double>) throws -> Double {
        try require(value.isFinite && range.contains(value), "\(value) must lie in \(range.lowerBound)...\(range.upperBound)")
        return value
    }

    @discardableResult
    public func within(_ value: Int, _ range: ClosedRange<Int>) throws -> Int {
        try require(range.contains(value), "\(value) must lie in \(range.lowerBound)...\(range.upperBound)")
        return value
    }

    /// A position into something of `count` elements.
    @discardableResult
    public func index(_ value: Int, below count: Int) throws -> Int {
        try require(value >= 0 && value < count, "index \(value) lies outside 0..<\(count)")
        return value
    }

    // MARK: Lists

    /// Every element finite; the error names the first bad position.
    public func allFinite<C: Collection>(_ values: C) throws where C.Element: BinaryFloatingPoint {
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw at(values.distance(from: values.startIndex, to: bad))
                .failure("\(Double(values[bad])) is not a finite number")
        }
    }

    /// A list of the length another part of the bundle implies.
    public func count(_ found: Int, expected: Int, of what: String = "values") throws {
        try require(found == expected, "holds \(found) \(what), expected \(expected)")
    }

    /// A size read from the bundle that something will be allocated from: at most `limit`.
    @discardableResult
    public func size(_ value: Int, atMost limit: Int) throws -> Int {
        try require(value >= 0 && value <= limit, "size \(value) lies outside 0...\(limit)")
        return value
    }

    /// No value twice (ids, names, categories); the error names the second occurrence.
    public func unique<T: Hashable>(_ values: [T]) throws {
        var seen = Set<T>()
        seen.reserveCapacity(values.count)
        for (position, value) in values.enumerated() where !seen.insert(value).inserted {
            throw at(position).failure("\"\(value)\" appears twice")
        }
    }

    /// The product of `dimensions`, refusing negative or overflowing ones and anything above `limit`.
    public func elementCount(_ dimensions: [Int], atMost limit: Int = BundleLimits.maximumElements) throws -> Int {
        var product = 1
        for (position, d) in dimensions.enumerated() {
            try at(position).require(d >= 0, "dimension \(d) is negative")
            let (p, overflow) = product.multipliedReportingOverflow(by: d)
            try require(!overflow && p <= limit, "shape \(dimensions) holds more than \(limit) values")
            product = p
        }
        return product
    }
}

/// Upper bounds on what a bundle may ask to allocate. Real models stay far below them; they exist so that an edited
/// size (2^63 − 1 inputs, 10^9 outputs) is an error before any allocation instead of a crash during one.
public enum BundleLimits {
    /// The largest file a bundle may hold (weights of a few hundred million floats).
    public static let maximumFileBytes = 4 << 30
    /// The most values one array, layer or table built from a bundle may hold (1 GiB of float32).
    public static let maximumElements = 1 << 28
    /// The largest side of an image a model reads.
    public static let maximumImageSide = 4096
}
