import Foundation
import GRDB
import SolutionKit

/// The run history: an SQLite database (`<runs folder>/index.sqlite`) over the run folders, so `launcher runs`
/// lists, sorts and compares thousands of runs without opening their files.
///
/// The folders stay the source of truth: the index can always be rebuilt from them, and is whenever it is
/// missing, corrupt or from another schema; a warning says so, a run never fails because of the index.
/// Several launcher processes may write at once (runs finishing together, tuning trials): the database is in
/// WAL mode, every write is one IMMEDIATE transaction, and a writer waits up to `busyTimeout` for another.
final class RunIndex {
    static let fileName = "index.sqlite"
    static let schemaVersion = 1
    static let busyTimeout: TimeInterval = 60

    let root: String
    private(set) var database: DatabaseQueue
    private let directions: (String) -> Set<String>?
    private let warn: (String) -> Void

    var path: String { (root as NSString).appendingPathComponent(Self.fileName) }

    /// Opens (creating, or rebuilding from the folders when it is missing or unusable) the index of `root`.
    /// `directions` names a plugin's higher-is-better metrics, for folders that do not record them. Building a
    /// missing index is announced unless the only folder found is `newFolder` (the first run in a runs folder).
    init(root: String, directions: @escaping (String) -> Set<String>?, warn: @escaping (String) -> Void,
         newFolder: String? = nil) throws {
        self.root = root
        self.directions = directions
        self.warn = warn
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let path = (root as NSString).appendingPathComponent(Self.fileName)
        let existed = FileManager.default.fileExists(atPath: path)
        do {
            database = try Self.open(path)
            let needsRebuild = try Self.prepare(database)
            if !existed || needsRebuild {
                let count = try rebuild()
                let onlyTheNewOne = count == 1 && newFolder.map { (try? identifier(of: $0)) == Self.runFolderIDs(under: root).first } == true
                if (count > 0 && !onlyTheNewOne) || needsRebuild {
                    warn(existed ? "the run index \(path) was from another schema; rebuilt it from \(count) run folders"
                         : "no run index at \(path); built it from \(count) run folders")
                }
            }
        } catch let error where Self.isUnusable(error) {
            database = try Self.recover(path: path, after: error, warn: warn)
            try rebuild()
        }
    }

    /// Errors that mean the file is not a usable index (garbage, cut short, damaged), as opposed to one that
    /// is busy or cannot be written, which are reported and left alone.
    static func isUnusable(_ error: Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return [.SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_FORMAT].contains(error.resultCode)
    }

    /// The one call every command that writes a run folder makes: adds (or replaces) the folder's record.
    /// Never throws: the folder is written and stays the truth, so a failure here is only a warning.
    static func record(folder: String, under root: String, registry: PluginRegistry, warn: @escaping (String) -> Void) {
        do {
            let index = try RunIndex(root: root, directions: registry.higherIsBetter, warn: warn, newFolder: folder)
            try index.record(folder: folder)
        } catch {
            warn("the run was saved in \(folder) but not recorded in the run index (\(error)); `launcher runs --rebuild` adds it")
        }
    }

    /// Adds or replaces the record of a folder under the root.
    func record(folder: String) throws {
        let id = try identifier(of: folder)
        let record = try RunRecord.read(root: root, id: id, directions: directions)
        try withRecovery { database in
            try database.write { db in try Self.replace(record, in: db) }
        }
    }

    /// Empties the index and reads every run folder again, in one transaction. Returns the number of runs.
    @discardableResult
    func rebuild() throws -> Int {
        try database.write { db in
            try db.execute(sql: "DELETE FROM run")
            // Scanned inside the transaction: a folder renamed into place before another process's rebuild
            // commits is seen by one of the two.
            var count = 0
            for id in Self.runFolderIDs(under: root) {
                do {
                    try Self.replace(try RunRecord.read(root: root, id: id, directions: directions), in: db)
                    count += 1
                } catch {
                    warn("skipped \(id): \(error)")
                }
            }
            return count
        }
    }

    /// Every record, filtered in SQL by plugin and dataset (name or fingerprint prefix). Records whose
    /// folder is gone are dropped from the index, with a note.
    func records(plugin: String? = nil, dataset: String? = nil) throws -> [RunRecord] {
        let records = try withRecovery { database in
            try database.read { db in try Self.fetch(db, plugin: plugin, dataset: dataset) }
        }
        let gone = records.filter { !FileManager.default.fileExists(atPath: $0.folder(under: root)) }
        guard !gone.isEmpty else { return records }
        try database.write { db in
            for record in gone { try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [record.id]) }
        }
        warn("\(gone.count) indexed run folder(s) no longer exist; removed them from the index")
        let goneIDs = Set(gone.map(\.id))
        return records.filter { !goneIDs.contains($0.id) }
    }

    /// The index's whole content as text, rows in key order: two indexes with the same dump hold the same runs.
    func canonicalDump() throws -> String {
        try database.read { db in
            var lines: [String] = []
            for (table, order) in [("run", "id"), ("metric", "run_id, name"), ("hyperparameter", "run_id, name")] {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)") {
                    lines.append(table + " " + row.columnNames.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: " "))
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    /// The run id of a folder: its path relative to the root, which it must be inside.
    func identifier(of folder: String) throws -> String {
        let base = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
        let full = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        guard full.hasPrefix(base + "/") else {
            throw IOError(path: folder, reason: "not inside the runs folder \(root)")
        }
        return String(full.dropFirst(base.count + 1))
    }

    /// `<plugin>/<folder>` for every folder two levels down holding a metrics.json, and `<plugin>/<folder>/run` for a
    /// tune folder (its winner's run, with the metrics and bundle, is `run/` inside it); hidden (unfinished) ones skipped.
    static func runFolderIDs(under root: String) -> [String] {
        let fileManager = FileManager.default
        var ids: [String] = []
        for plugin in ((try? fileManager.contentsOfDirectory(atPath: root)) ?? []).sorted() where !plugin.hasPrefix(".") {
            let pluginPath = (root as NSString).appendingPathComponent(plugin)
            for folder in ((try? fileManager.contentsOfDirectory(atPath: pluginPath)) ?? []).sorted() where !folder.hasPrefix(".") {
                let folderPath = (pluginPath as NSString).appendingPathComponent(folder)
                if fileManager.fileExists(atPath: (folderPath as NSString).appendingPathComponent("metrics.json")) {
                    ids.append("\(plugin)/\(folder)")
                } else if fileManager.fileExists(atPath: (folderPath as NSString).appendingPathComponent(TuneWinnerFolder.name + "/metrics.json")) {
                    ids.append("\(plugin)/\(folder)/\(TuneWinnerFolder.name)")
                }
            }
        }
        return ids
    }

    // MARK: Opening and recovering

    static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "run-index"
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Creates the tables when absent. True when the database holds another schema version (then emptied).
    static func prepare(_ database: DatabaseQueue) throws -> Bool {
        try database.write { db in
            let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? ""
            guard check == "ok" else { throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "quick_check: \(check)") }
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            var changed = false
            if version != 0 && version != schemaVersion {
                try db.execute(sql: "DROP TABLE IF EXISTS hyperparameter; DROP TABLE IF EXISTS metric; DROP TABLE IF EXISTS run")
                changed = true
            }
            try db.execute(sql: RunIndexSchema.create)
            try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
            return changed
        }
    }

    /// Moves an unusable database (and its WAL files, which belong to it) aside and opens a fresh one.
    static func recover(path: String, after error: Error, warn: (String) -> Void) throws -> DatabaseQueue {
        let aside = path + ".corrupt"
        let fileManager = FileManager.default
        try? fileManager.removeItem(atPath: aside)
        if rename(path, aside) != 0 && errno != ENOENT { try? fileManager.removeItem(atPath: path) }
        for suffix in ["-wal", "-shm"] { try? fileManager.removeItem(atPath: path + suffix) }
        warn("the run index \(path) could not be read (\(error)); moved it to \(aside) and rebuilt it from the run folders")
        let database = try open(path)
        _ = try prepare(database)
        return database
    }

    /// Runs `body`; if the database turns out corrupt underneath, rebuilds it once and runs `body` again.
    private func withRecovery<T>(_ body: (DatabaseQueue) throws -> T) throws -> T {
        do {
            return try body(database)
        } catch let error where Self.isUnusable(error) {
            database = try Self.recover(path: path, after: error, warn: warn)
            try rebuild()
            return try body(database)
        }
    }

    // MARK: Rows

    static func replace(_ record: RunRecord, in db: Database) throws {
        try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [record.id])
        try db.execute(sql: RunIndexSchema.insertRun, arguments: [
            record.id, record.kind.rawValue, record.plugin, record.pluginVersion, record.dataset, record.fingerprint,
            record.recipe, Int64(bitPattern: record.seed), record.threads, record.durationSeconds, record.kitVersion,
            record.createdAt, record.primaryMetric, record.bundle,
        ])
        for (position, metric) in record.metrics.enumerated() {
            try db.execute(sql: "INSERT OR REPLACE INTO metric (run_id, position, name, value, higher_is_better) VALUES (?, ?, ?, ?, ?)",
                           arguments: [record.id, position, metric.name, metric.value, metric.higherIsBetter])
        }
        for hyperparameter in record.hyperparameters {
            try db.execute(sql: "INSERT INTO hyperparameter (run_id, name, value) VALUES (?, ?, ?)",
                           arguments: [record.id, hyperparameter.name, hyperparameter.value])
        }
    }

    static func fetch(_ db: Database, plugin: String?, dataset: String?) throws -> [RunRecord] {
        var conditions: [String] = [], arguments: [DatabaseValueConvertible?] = []
        if let plugin { conditions.append("plugin = ?"); arguments.append(plugin) }
        if let dataset {
            conditions.append("(dataset = ? OR (length(?) >= 8 AND fingerprint LIKE ? || '%'))")
            arguments += [dataset, dataset, dataset]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let statementArguments = StatementArguments(arguments)
        var records: [RunRecord] = []
        var position: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM run\(filter) ORDER BY created_at DESC, id DESC", arguments: statementArguments) {
            let id: String = row["id"]
            position[id] = records.count
            records.append(RunRecord(
                id: id, kind: RunKind(rawValue: row["kind"]) ?? .run, plugin: row["plugin"], pluginVersion: row["plugin_version"],
                dataset: row["dataset"], fingerprint: row["fingerprint"], recipe: row["recipe"],
                seed: UInt64(bitPattern: row["seed"]), threads: row["threads"], durationSeconds: row["duration_seconds"],
                kitVersion: row["kit_version"], createdAt: row["created_at"], primaryMetric: row["primary_metric"],
                bundle: row["bundle"], metrics: [], hyperparameters: []))
        }
        let joined = filter.isEmpty ? "" : " WHERE run_id IN (SELECT id FROM run\(filter))"
        for row in try Row.fetchAll(db, sql: "SELECT run_id, name, value, higher_is_better FROM metric\(joined) ORDER BY run_id, position",
                                    arguments: statementArguments) {
            guard let index = position[row["run_id"]] else { continue }
            records[index].metrics.append(.init(name: row["name"], value: row["value"], higherIsBetter: row["higher_is_better"]))
        }
        for row in try Row.fetchAll(db, sql: "SELECT run_id, name, value FROM hyperparameter\(joined) ORDER BY run_id, name",
                                    arguments: statementArguments) {
            guard let index = position[row["run_id"]] else { continue }
            records[index].hyperparameters.append((row["name"], row["value"]))
        }
        return records
    }
}

extension PluginRegistry {
    /// A plugin's higher-is-better metric names, nil for a plugin this launcher does not know.
    func higherIsBetter(_ plugin: String) -> Set<String>? {
        (try? self.plugin(plugin)).map { Set($0.metrics.filter(\.higherIsBetter).map(\.name)) }
    }
}
