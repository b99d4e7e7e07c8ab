import CoreMetrics
import Foundation
import Metrics
import Prometheus

/// The server's Prometheus metrics, through swift-metrics with a factory of its own (no global bootstrap, so
/// several servers in one test process keep separate counts): requests by model and status, rows read and
/// rejected, a latency histogram per model, reloads by outcome.
final class ServeMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    static let latencyName = "launcher_serve_request_duration_seconds"

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Scoring one row takes microseconds; the default buckets start at 5 ms and would put every request in one.
        factory.durationHistogramBuckets[Self.latencyName] = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
            .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
            .seconds(10), .seconds(30),
        ]
        self.factory = factory
    }

    /// Records one scoring request (`model` is "-" for a request naming no known model).
    func recordScore(model: String, status: Int, rowsRead: Int, rowsRejected: Int, seconds: Double) {
        Counter(label: "launcher_serve_requests_total", dimensions: [("model", model), ("status", String(status))],
                factory: factory).increment()
        if rowsRead > 0 {
            Counter(label: "launcher_serve_rows_total", dimensions: [("model", model)], factory: factory)
                .increment(by: rowsRead)
        }
        if rowsRejected > 0 {
            Counter(label: "launcher_serve_rejected_rows_total", dimensions: [("model", model)], factory: factory)
                .increment(by: rowsRejected)
        }
        Metrics.Timer(label: Self.latencyName, dimensions: [("model", model)], factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    func recordReload(model: String, succeeded: Bool) {
        Counter(label: "launcher_serve_reloads_total", dimensions: [("model", model), ("outcome", succeeded ? "ok" : "refused")],
                factory: factory).increment()
    }

    /// Every metric in the Prometheus text format.
    func text() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
