-- Stored documents their re-extraction refuses (registered as refused_docs, with the parse's
-- incoming_quarantine): every path holding them is quarantined with the new reason (only a
-- live path gets a quarantine row: a retired one has nothing left to fix).

INSERT INTO quarantine
SELECT s.source_path, s.file_name, s.sha256, s.size_bytes,
       coalesce(q.stage, 'extract'),
       coalesce(q.reason, 'refused on re-extraction without a recorded reason (please report this)'),
       getvariable('load_now')
FROM source_file AS s
LEFT JOIN (SELECT sha256, first(stage ORDER BY stage, reason) AS stage,
                  first(reason ORDER BY stage, reason) AS reason
           FROM incoming_quarantine GROUP BY sha256) AS q ON q.sha256 = s.sha256
WHERE s.document_id IN (SELECT doc_id FROM refused_docs) AND s.retired_at IS NULL
ON CONFLICT (source_path) DO UPDATE SET
    stage = excluded.stage, reason = excluded.reason, quarantined_at = excluded.quarantined_at;

UPDATE source_file SET status = 'quarantined', document_id = NULL
WHERE document_id IN (SELECT doc_id FROM refused_docs);
