/// An input whose shape a layer cannot take.
public struct LayerShapeError: Error, CustomStringConvertible, Equatable {
    /// The layer, with its position inside a network when known ("layer 0: Dense(13 → 64)").
    public var layer: String
    public var expected: String
    public var found: [Int]

    public init(layer: String, expected: String, found: [Int]) {
        self.layer = layer
        self.expected = expected
        self.found = found
    }

    public var description: String { "\(layer) expects input \(expected), got shape \(found)" }
}
