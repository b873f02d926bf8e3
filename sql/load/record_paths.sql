-- The paths of one parsed batch (registered as incoming_paths, with incoming_quarantine):
-- each holds a stored document, or is quarantined with the reason its content was refused
-- (its own, or that of the same bytes under another name). getvariable('load_now') is the
-- run's time.

INSERT INTO source_file
SELECT p.source_path, p.file_name, p.size_bytes, p.mtime_ns, p.ctime_ns, p.sha256,
       d.document_id,
       CASE WHEN d.document_id IS NULL THEN 'quarantined' ELSE 'loaded' END,
       getvariable('load_now'), getvariable('load_now'), NULL
FROM incoming_paths AS p
LEFT JOIN dim_document AS d ON d.document_id = p.doc_id
ON CONFLICT (source_path) DO UPDATE SET
    file_name = excluded.file_name,
    size_bytes = excluded.size_bytes,
    mtime_ns = excluded.mtime_ns,
    ctime_ns = excluded.ctime_ns,
    changed_at = CASE WHEN source_file.sha256 IS DISTINCT FROM excluded.sha256
                      THEN excluded.changed_at ELSE source_file.changed_at END,
    sha256 = excluded.sha256,
    document_id = excluded.document_id,
    status = excluded.status,
    retired_at = NULL;

-- A path that now loads leaves the quarantine.
DELETE FROM quarantine
WHERE source_path IN (SELECT source_path FROM source_file
                      WHERE status = 'loaded'
                        AND source_path IN (SELECT source_path FROM incoming_paths));

-- A refused path keeps its first quarantine time while its bytes and reason stay the same.
INSERT INTO quarantine
SELECT p.source_path, p.file_name, p.sha256, p.size_bytes,
       coalesce(own.stage, twin.stage, 'extract'),
       coalesce(own.reason, twin.reason, 'refused without a recorded reason (please report this)'),
       getvariable('load_now')
FROM incoming_paths AS p
JOIN source_file AS s ON s.source_path = p.source_path AND s.status = 'quarantined'
LEFT JOIN incoming_quarantine AS own ON own.source_path = p.source_path
LEFT JOIN (SELECT sha256, first(stage ORDER BY stage, reason) AS stage,
                  first(reason ORDER BY stage, reason) AS reason
           FROM incoming_quarantine WHERE sha256 IS NOT NULL GROUP BY sha256) AS twin
  ON twin.sha256 = p.sha256
ON CONFLICT (source_path) DO UPDATE SET
    quarantined_at = CASE WHEN quarantine.sha256 IS NOT DISTINCT FROM excluded.sha256
                           AND quarantine.reason = excluded.reason
                      THEN quarantine.quarantined_at ELSE excluded.quarantined_at END,
    file_name = excluded.file_name,
    sha256 = excluded.sha256,
    size_bytes = excluded.size_bytes,
    stage = excluded.stage,
    reason = excluded.reason;
