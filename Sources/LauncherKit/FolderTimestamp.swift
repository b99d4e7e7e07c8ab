import Foundation

/// The `yyyyMMdd-HHmmss` (UTC) stem of run and tune folder names, so they sort by creation time.
enum FolderTimestamp {
    static func stem(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }
}
