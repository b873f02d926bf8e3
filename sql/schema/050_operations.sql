-- Operations: which files feed which documents, the raw bytes kept for re-extraction, and
-- what each load did. source_file and document_raw name documents without a foreign key:
-- a re-extraction deletes and re-inserts a document under the same id while they stay.

CREATE TABLE IF NOT EXISTS warehouse_info (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
COMMENT ON TABLE warehouse_info IS 'Facts about the warehouse file itself (schema_version).';
COMMENT ON COLUMN warehouse_info.key IS 'Name of the fact.';
COMMENT ON COLUMN warehouse_info.value IS 'Its value.';

CREATE TABLE IF NOT EXISTS source_file (
    source_path VARCHAR PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    size_bytes BIGINT,
    mtime_ns BIGINT,
    ctime_ns BIGINT,
    sha256 VARCHAR,
    document_id VARCHAR,
    status VARCHAR NOT NULL CHECK (status IN ('loaded', 'quarantined')),
    first_seen_at TIMESTAMP NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    retired_at TIMESTAMP
);
COMMENT ON TABLE source_file IS 'Every file a load has seen under its source folder: the inventory that lets a nightly run skip unchanged files. Several paths may hold the same content (one document).';
COMMENT ON COLUMN source_file.source_path IS 'Absolute path of the file.';
COMMENT ON COLUMN source_file.file_name IS 'Its file name.';
COMMENT ON COLUMN source_file.size_bytes IS 'Size when last read (NULL when it could not be examined).';
COMMENT ON COLUMN source_file.mtime_ns IS 'Modification time (ns since the epoch) when last read; with size_bytes and ctime_ns, what a run compares before hashing.';
COMMENT ON COLUMN source_file.ctime_ns IS 'Status-change time when last read (moves when permissions change, so a file made readable is read again).';
COMMENT ON COLUMN source_file.sha256 IS 'SHA-256 of its bytes when last read (NULL when they could not be read).';
COMMENT ON COLUMN source_file.document_id IS 'The document its content is (NULL when quarantined).';
COMMENT ON COLUMN source_file.status IS 'loaded, or quarantined (see the quarantine table for why).';
COMMENT ON COLUMN source_file.first_seen_at IS 'When a load first saw the path.';
COMMENT ON COLUMN source_file.changed_at IS 'When a load last found new content at the path.';
COMMENT ON COLUMN source_file.retired_at IS 'When a load found the path gone from the source (NULL while present).';

CREATE TABLE IF NOT EXISTS document_raw (
    document_id VARCHAR PRIMARY KEY,
    raw BLOB NOT NULL
);
COMMENT ON TABLE document_raw IS 'The bytes of each document as they arrived, so ogi run --reprocess re-extracts everything without the source folder.';
COMMENT ON COLUMN document_raw.document_id IS 'The document (dim_document).';
COMMENT ON COLUMN document_raw.raw IS 'Its raw bytes, any codec.';

CREATE TABLE IF NOT EXISTS load_runs (
    run_id VARCHAR PRIMARY KEY,
    flow_run_id VARCHAR,
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('succeeded', 'failed')),
    source VARCHAR,
    reprocess VARCHAR NOT NULL,
    files_seen INTEGER NOT NULL,
    files_new INTEGER NOT NULL,
    files_changed INTEGER NOT NULL,
    files_unchanged INTEGER NOT NULL,
    files_retired INTEGER NOT NULL,
    files_quarantined INTEGER NOT NULL,
    documents_added INTEGER NOT NULL,
    documents_reextracted INTEGER NOT NULL,
    facts_written INTEGER NOT NULL,
    checks_failing INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL,
    publication VARCHAR NOT NULL CHECK (publication IN ('new_file', 'in_place', 'none')),
    message VARCHAR NOT NULL
);
COMMENT ON TABLE load_runs IS 'One row per load (ogi run, the nightly schedule): when, what it found and wrote, and how it ended. A run killed before it published leaves no row and no change.';
COMMENT ON COLUMN load_runs.run_id IS 'Id of the load.';
COMMENT ON COLUMN load_runs.flow_run_id IS 'Id of the Prefect flow run that did it.';
COMMENT ON COLUMN load_runs.started_at IS 'When the load started.';
COMMENT ON COLUMN load_runs.ended_at IS 'When it published (or failed).';
COMMENT ON COLUMN load_runs.status IS 'succeeded or failed (the warehouse is then the one before the run).';
COMMENT ON COLUMN load_runs.source IS 'Source folder scanned (NULL for a re-extraction only).';
COMMENT ON COLUMN load_runs.reprocess IS 'none, stale (documents of an older extractor re-extracted) or all.';
COMMENT ON COLUMN load_runs.files_seen IS 'Report files found under the source (and sub-folders that could not be listed).';
COMMENT ON COLUMN load_runs.files_new IS 'Paths seen for the first time.';
COMMENT ON COLUMN load_runs.files_changed IS 'Known paths whose content changed (parsed again, old facts replaced).';
COMMENT ON COLUMN load_runs.files_unchanged IS 'Known paths left alone (same size and time, or same content hash).';
COMMENT ON COLUMN load_runs.files_retired IS 'Paths found gone from the source this run.';
COMMENT ON COLUMN load_runs.files_quarantined IS 'Files refused this run (new or changed); see the quarantine table.';
COMMENT ON COLUMN load_runs.documents_added IS 'New documents (distinct contents) extracted.';
COMMENT ON COLUMN load_runs.documents_reextracted IS 'Stored documents extracted again from their kept raw bytes.';
COMMENT ON COLUMN load_runs.facts_written IS 'Facts written by this run.';
COMMENT ON COLUMN load_runs.checks_failing IS 'Failing quality checks of the documents this run wrote.';
COMMENT ON COLUMN load_runs.extractor_version IS 'Extractor version of the run.';
COMMENT ON COLUMN load_runs.publication IS 'new_file (a new warehouse file swapped in), in_place (only this row written) or none (a failed run).';
COMMENT ON COLUMN load_runs.message IS 'What happened, in words (the error for a failed run).';

CREATE OR REPLACE VIEW retired_documents AS
SELECT d.document_id, d.file_name AS file, d.report_year, d.retired_at,
       (SELECT list(s.source_path ORDER BY s.source_path)
        FROM source_file AS s WHERE s.document_id = d.document_id) AS paths
FROM dim_document AS d
WHERE d.retired_at IS NOT NULL;
COMMENT ON VIEW retired_documents IS 'Documents whose every path disappeared from the source: their facts are kept in fact_disclosure but left out of the default views.';
COMMENT ON COLUMN retired_documents.document_id IS 'Stable id of the document (first 16 hex digits of the SHA-256 of its bytes).';
COMMENT ON COLUMN retired_documents.file IS 'File name of the document''s first path.';
COMMENT ON COLUMN retired_documents.report_year IS 'The year reported on (not the publication year).';
COMMENT ON COLUMN retired_documents.retired_at IS 'When the run that found its last path gone ran.';
COMMENT ON COLUMN retired_documents.paths IS 'Every path that ever held this content (all gone from the source).';
