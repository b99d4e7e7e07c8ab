/// 10ⁿ for 0 ≤ n ≤ 22: the powers of ten a Double holds exactly, which Clinger's fast path multiplies or divides
/// by (the CSV and JSON number readers). A switch over literals, which the optimiser turns into a constant table,
/// rather than a static array: a static is a lazily initialised global, and its `swift_once` check on every parsed
/// number showed in CSV scoring profiles.
@usableFromInline @inline(__always)
func exactPowerOfTen(_ n: Int) -> Double {
    switch n {
    case 0: 1e0
    case 1: 1e1
    case 2: 1e2
    case 3: 1e3
    case 4: 1e4
    case 5: 1e5
    case 6: 1e6
    case 7: 1e7
    case 8: 1e8
    case 9: 1e9
    case 10: 1e10
    case 11: 1e11
    case 12: 1e12
    case 13: 1e13
    case 14: 1e14
    case 15: 1e15
    case 16: 1e16
    case 17: 1e17
    case 18: 1e18
    case 19: 1e19
    case 20: 1e20
    case 21: 1e21
    case 22: 1e22
    default: preconditionFailure("10^\(n) is not an exact Double")
    }
}
