-- After a run's batches and retirements: which documents are retired, and which live path
-- names each document.

-- A quarantined path whose bytes are now a stored document (accepted under another name
-- by a newer extractor) holds that document.
UPDATE source_file SET status = 'loaded', document_id = d.document_id
FROM dim_document AS d
WHERE source_file.status = 'quarantined' AND source_file.sha256 = d.sha256;

DELETE FROM quarantine
WHERE source_path IN (SELECT source_path FROM source_file WHERE status = 'loaded');

-- A document is retired when every path holding it has left the source.
UPDATE dim_document SET retired_at = r.retired_at
FROM (SELECT document_id,
             CASE WHEN count(*) = count(retired_at) THEN max(retired_at) END AS retired_at
      FROM source_file WHERE document_id IS NOT NULL
      GROUP BY document_id) AS r
WHERE r.document_id = dim_document.document_id
  AND dim_document.retired_at IS DISTINCT FROM r.retired_at;

-- When the path a document is named by is gone or holds other content, the earliest-seen
-- live path that holds it names it.
UPDATE dim_document SET source_path = l.source_path, file_name = l.file_name
FROM (SELECT document_id,
             first(source_path ORDER BY first_seen_at, source_path) AS source_path,
             first(file_name ORDER BY first_seen_at, source_path) AS file_name,
             list(source_path) AS live_paths
      FROM source_file WHERE document_id IS NOT NULL AND retired_at IS NULL
      GROUP BY document_id) AS l
WHERE l.document_id = dim_document.document_id
  AND NOT list_contains(l.live_paths, dim_document.source_path);
