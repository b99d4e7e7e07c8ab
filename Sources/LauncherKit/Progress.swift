import Foundation
import SolutionKit

/// A progress bar redrawn in place on a terminal, with rate and time left, throttled to ten redraws a second.
final class TerminalProgressBar: ProgressReporter {
    private let output: any TextOutput
    private var task = ""
    private var unit = ""
    private var total: Int?
    private var done = 0
    private var started = Date()
    private var lastDraw = Date.distantPast
    private var active = false

    init(output: any TextOutput) { self.output = output }

    func begin(_ task: String, total: Int?, unit: String) {
        if active { finish() }
        self.task = task
        self.total = total
        self.unit = unit
        done = 0
        started = Date()
        lastDraw = .distantPast
        active = true
        draw(force: true)
    }

    func advance(by steps: Int) {
        done += steps
        draw(force: false)
    }

    func note(_ message: String) {
        output.write("\r\u{1B}[2K" + message + "\n")
        if active { draw(force: true) }
    }

    func finish() {
        guard active else { return }
        draw(force: true)
        output.write("\n")
        active = false
    }

    private func draw(force: Bool) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(started), 1e-9)
        let rate = Double(done) / elapsed
        var line = "\r\u{1B}[2K\(task) "
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 30
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            line += "\(done)/\(total) \(unit)"
            if done > 0 && done < total { line += "  ETA \(formatDuration(Double(total - done) / max(rate, 1e-9)))" }
        } else {
            line += "\(done) \(unit)"
        }
        line += String(format: "  %.1f %@/s", rate, unit)
        output.write(line)
    }
}

/// Sparse plain lines for logs and pipes: the start, each quarter of the work (at most one line every two
/// seconds), notes, and the end.
final class PlainProgressLines: ProgressReporter {
    private let output: any TextOutput
    private var task = ""
    private var unit = ""
    private var total: Int?
    private var done = 0
    private var nextQuarter = 1
    private var started = Date()
    private var lastLine = Date.distantPast
    private var active = false

    init(output: any TextOutput) { self.output = output }

    func begin(_ task: String, total: Int?, unit: String) {
        if active { finish() }
        self.task = task
        self.total = total
        self.unit = unit
        done = 0
        nextQuarter = 1
        started = Date()
        lastLine = started
        active = true
        output.write("\(task): started" + (total.map { ", \($0) \(unit)" } ?? "") + "\n")
    }

    func advance(by steps: Int) {
        done += steps
        let now = Date()
        if let total, total > 0 {
            guard done * 4 >= nextQuarter * total else { return }
            while nextQuarter <= 4 && done * 4 >= nextQuarter * total { nextQuarter += 1 }
            guard done < total, now.timeIntervalSince(lastLine) >= 2 else { return }
            output.write("\(task): \(done)/\(total) \(unit), \(formatDuration(now.timeIntervalSince(started))) elapsed\n")
        } else {
            guard now.timeIntervalSince(lastLine) >= 10 else { return }
            output.write("\(task): \(done) \(unit)\n")
        }
        lastLine = now
    }

    func note(_ message: String) {
        output.write(message + "\n")
    }

    func finish() {
        guard active else { return }
        active = false
        output.write("\(task): done, \(done) \(unit) in \(formatDuration(Date().timeIntervalSince(started)))\n")
    }
}

func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    if seconds < 60 { return String(format: "%.1fs", seconds) }
    let whole = Int(seconds.rounded())
    if whole < 3600 { return String(format: "%d:%02d", whole / 60, whole % 60) }
    return String(format: "%d:%02d:%02d", whole / 3600, (whole / 60) % 60, whole % 60)
}
