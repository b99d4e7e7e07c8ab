import Foundation

/// The configurations a search tries, each a pure function of (seed, trial index): trial 0 is the base configuration
/// (the recipe's defaults with the user's `--config`/`--set`, untouched, so the search always measures them), trial i > 0
/// (with the space's pinned settings) is point i of a Halton sequence over the
/// search space, shifted by a seeded random offset (a Cranley–Patterson rotation) so different seeds explore
/// differently. Quasi-random points cover the space more evenly than independent draws for the same budget, and any
/// trial can be rebuilt alone, as a distributed `tune --trial I` would need.
public struct TrialSampler: Sendable {
    public var space: SearchSpace
    public var base: RecipeConfiguration
    public var seed: UInt64

    public init(space: SearchSpace, base: RecipeConfiguration, seed: UInt64) {
        self.space = space
        self.base = base
        self.seed = seed
    }

    /// The configuration of trial `index` (0: the base configuration).
    public func configuration(ofTrial index: Int) -> RecipeConfiguration {
        guard index > 0 else { return base }
        guard !space.isEmpty else { return space.configuration(at: [], over: base) }
        var generator = SeededGenerator.derived(from: seed, stream: Self.stream)
        let unit = space.dimensions.indices.map { d -> Double in
            let shift = Double(generator.next() >> 11) / Double(1 << 53)
            let value = Self.radicalInverse(index, base: Self.prime(d)) + shift
            return value - value.rounded(.down)
        }
        return space.configuration(at: unit, over: base)
    }

    /// The van der Corput radical inverse of `index` in `base`: the Halton coordinate.
    static func radicalInverse(_ index: Int, base: Int) -> Double {
        var result = 0.0, fraction = 1.0 / Double(base), n = index
        while n > 0 {
            result += Double(n % base) * fraction
            n /= base
            fraction /= Double(base)
        }
        return result
    }

    /// The d-th prime (2, 3, 5, ...): one Halton base per dimension.
    static func prime(_ d: Int) -> Int {
        var found = -1, candidate = 1
        while found < d {
            candidate += 1
            if (2..<candidate).allSatisfy({ candidate % $0 != 0 || $0 * $0 > candidate }) { found += 1 }
        }
        return candidate
    }

    static let stream: UInt64 = 0x5452_4941_4C53
}
