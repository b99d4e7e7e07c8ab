/// The run index's tables. Bump `RunIndex.schemaVersion` with any change: an index of another version is
/// rebuilt from the run folders, never migrated (the folders hold everything it does).
enum RunIndexSchema {
    static let create = """
    CREATE TABLE IF NOT EXISTS run (
        id TEXT PRIMARY KEY NOT NULL,      -- the folder, relative to the runs folder: <plugin>/<name>
        kind TEXT NOT NULL,                -- run, evaluate or tune
        plugin TEXT NOT NULL,
        plugin_version TEXT NOT NULL,
        dataset TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        recipe TEXT NOT NULL,
        seed INTEGER NOT NULL,             -- the UInt64 seed's bit pattern
        threads INTEGER NOT NULL,
        duration_seconds REAL NOT NULL,
        kit_version TEXT NOT NULL,
        created_at TEXT NOT NULL,          -- ISO 8601, UTC
        primary_metric TEXT NOT NULL,
        bundle TEXT NOT NULL               -- relative to the runs folder, or absolute
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS run_by_plugin_dataset ON run (plugin, dataset);
    CREATE TABLE IF NOT EXISTS metric (
        run_id TEXT NOT NULL REFERENCES run (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,         -- the plugin's order
        name TEXT NOT NULL,
        value REAL,                        -- NULL for a non-finite value
        higher_is_better INTEGER NOT NULL,
        PRIMARY KEY (run_id, name)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS hyperparameter (
        run_id TEXT NOT NULL REFERENCES run (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_id, name)
    ) WITHOUT ROWID;
    """

    static let insertRun = """
    INSERT INTO run (id, kind, plugin, plugin_version, dataset, fingerprint, recipe, seed, threads, duration_seconds,
                     kit_version, created_at, primary_metric, bundle)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """
}
