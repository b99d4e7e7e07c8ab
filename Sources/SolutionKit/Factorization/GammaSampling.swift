import Foundation

extension SeededGenerator {
    /// A Gamma(shape, rate) draw by Marsaglia & Tsang (2000); shape < 1 is boosted by U^(1/shape).
    public mutating func nextGamma(shape: Double, rate: Double) -> Double {
        precondition(shape > 0 && rate > 0, "gamma needs a positive shape and rate")
        if shape < 1 {
            let boost = Foundation.pow(max(nextUnitDouble(), .leastNormalMagnitude), 1 / shape)
            return nextGamma(shape: shape + 1, rate: rate) * boost
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = nextGaussian()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextUnitDouble()
            if u < 1 - 0.0331 * x * x * x * x { return d * v / rate }
            if Foundation.log(max(u, .leastNormalMagnitude)) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return d * v / rate }
        }
    }
}
