import Foundation

/// How the weights of a layer are drawn before training.
///
/// He suits ReLU networks (keeps activation variance constant through rectifiers), Glorot suits tanh and
/// sigmoid. All draws come from a `SeededGenerator`, so the same seed gives the same network everywhere.
public enum WeightInitializer: String, Codable, Sendable, CaseIterable {
    /// Normal with standard deviation √(2 / fanIn).
    case heNormal
    /// Uniform on ±√(6 / fanIn).
    case heUniform
    /// Normal with standard deviation √(2 / (fanIn + fanOut)).
    case glorotNormal
    /// Uniform on ±√(6 / (fanIn + fanOut)).
    case glorotUniform

    /// `count` weights for a layer with the given fan-in and fan-out.
    public func sample(count: Int, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator) -> [Float] {
        let fanIn = Double(max(fanIn, 1)), fanSum = Double(max(fanIn + Double(fanOut), 1))
        var values = [Float](repeating: 0, count: count)
        switch self {
        case .heNormal, .glorotNormal:
            let deviation = self == .heNormal ? (2 / fanIn).squareRoot() : (2 / fanSum).squareRoot()
            for index in 0..<count { values[index] = Float(generator.nextGaussian() * deviation) }
        case .heUniform, .glorotUniform:
            let limit = self == .heUniform ? (6 / fanIn).squareRoot() : (6 / fanSum).squareRoot()
            for index in 0..<count { values[index] = Float((generator.nextUnitDouble() * 2 - 1) * limit) }
        }
        return values
    }
}
