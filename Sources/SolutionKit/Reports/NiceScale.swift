import Foundation

/// Axis bounds and ticks at "nice" round numbers (1, 2, 2.5 or 5 × 10ᵏ) covering a data range.
///
/// The scale extends the range outward to whole steps, so the data never touches a frame edge between ticks,
/// and tick labels never print rounding noise (0.30000000000000004).
public struct NiceScale: Equatable, Sendable {
    public let lower: Double
    public let upper: Double
    public let step: Double

    /// A scale covering `lower...upper` with at most about `maximumTickCount` ticks. A degenerate range
    /// (equal bounds) is widened around its value; non-finite bounds fall back to 0...1.
    public init(lower: Double, upper: Double, maximumTickCount: Int = 6) {
        var low = lower, high = upper
        if !low.isFinite || !high.isFinite { (low, high) = (0, 1) }
        if low > high { swap(&low, &high) }
        if low == high {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        // A range wider than Double can hold (−1e308...1e308) is drawn over the widest one that fits.
        if !(high - low).isFinite { (low, high) = (low / 4, high / 4) }
        let span = high - low
        let rough = span / Double(max(1, maximumTickCount - 1))
        let magnitude = pow(10, floor(log10(rough)))
        let fraction = rough / magnitude
        let niceFraction: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        let step = niceFraction * magnitude
        self.step = step
        self.lower = floor(low / step + 1e-9) * step
        self.upper = ceil(high / step - 1e-9) * step
    }

    /// The tick values from `lower` to `upper` inclusive, computed by multiplication so they carry no
    /// accumulated error.
    public var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { i in
            let value = lower + Double(i) * step
            return abs(value) < step * 1e-9 ? 0 : value
        }
    }

    /// A label for a tick value: just enough decimals for the step; thousands and millions abbreviated.
    public func label(_ value: Double) -> String {
        if value == 0 { return NiceScale.trim(0, step) }
        let magnitude = max(abs(lower), abs(upper))
        if magnitude >= 1e6 && step >= 1e5 { return NiceScale.trim(value / 1e6, step / 1e6) + "M" }
        if magnitude >= 1e4 && step >= 1e3 { return NiceScale.trim(value / 1e3, step / 1e3) + "k" }
        return NiceScale.trim(value, step)
    }

    private static func trim(_ value: Double, _ step: Double) -> String {
        // Past 1e15 an Int conversion could trap (1e300 targets) and the digits are noise anyway.
        if abs(value) >= 1e15 || (step >= 1e15 && value != 0) { return String(format: "%.3g", value) }
        if step >= 1 && value == value.rounded() { return String(Int(value)) }
        let decimals = max(0, min(10, Int(ceil(-log10(step) - 1e-9)) + (step / pow(10, floor(log10(step))) == 2.5 ? 1 : 0)))
        return String(format: "%.\(decimals)f", value)
    }
}
