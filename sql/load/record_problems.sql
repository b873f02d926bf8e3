-- Paths the scan could not examine (registered as incoming_problems: symlink loops,
-- dangling links, unreadable folders): quarantined at the discover stage.

INSERT INTO source_file
SELECT source_path, file_name, NULL, NULL, NULL, NULL, NULL, 'quarantined',
       getvariable('load_now'), getvariable('load_now'), NULL
FROM incoming_problems
ON CONFLICT (source_path) DO UPDATE SET
    size_bytes = NULL, mtime_ns = NULL, ctime_ns = NULL, sha256 = NULL, document_id = NULL,
    status = 'quarantined', changed_at = excluded.changed_at, retired_at = NULL;

INSERT INTO quarantine
SELECT source_path, file_name, NULL, NULL, 'discover', problem, getvariable('load_now')
FROM incoming_problems
ON CONFLICT (source_path) DO UPDATE SET
    sha256 = NULL, size_bytes = NULL, stage = 'discover', reason = excluded.reason,
    quarantined_at = excluded.quarantined_at;
