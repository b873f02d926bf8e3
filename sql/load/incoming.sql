-- What a load stages, as views over the parse workers' Parquet parts (the spool_* views over
-- flows/spool.py's files, created by flows/warehouse.stage_spool). getvariable('reextract')
-- is true when the parts are re-extractions of stored documents, which replace them.

-- Each content once, from the first part that parsed it; content already stored is left
-- as it is (unless re-extracted).
CREATE OR REPLACE TEMP TABLE incoming_keys AS
SELECT doc_id, min(part) AS part
FROM spool_documents
WHERE getvariable('reextract')
   OR doc_id NOT IN (SELECT document_id FROM dim_document)
GROUP BY doc_id;

-- Stored documents their re-extraction refuses (parsed files without a document).
CREATE OR REPLACE TEMP TABLE refused_docs AS
SELECT DISTINCT doc_id FROM spool_files
WHERE getvariable('reextract')
  AND doc_id NOT IN (SELECT doc_id FROM spool_documents);

CREATE OR REPLACE TEMP VIEW incoming_docs AS
SELECT d.* EXCLUDE (part),
       -- The agency's surrogate key: a digest of its name and division code.
       CASE WHEN d.agency IS NOT NULL
            THEN substr(sha256(d.agency || '|' || coalesce(d.division_code, '')), 1, 16)
       END AS agency_id
FROM spool_documents AS d JOIN incoming_keys USING (doc_id, part);

CREATE OR REPLACE TEMP VIEW incoming_years AS
SELECT DISTINCT report_year,
       CASE WHEN report_year < 2019 THEN 'pre2019'
            WHEN report_year < 2021 THEN 'gb2019' ELSE 'gb2021' END AS regime
FROM incoming_docs WHERE report_year IS NOT NULL;

CREATE OR REPLACE TEMP VIEW incoming_facts AS
SELECT f.* EXCLUDE (part), coalesce(f.breakdown, '') AS breakdown_key
FROM spool_facts AS f JOIN incoming_keys USING (doc_id, part);

CREATE OR REPLACE TEMP VIEW incoming_unresolved AS
SELECT u.* EXCLUDE (part) FROM spool_unresolved_cells AS u JOIN incoming_keys USING (doc_id, part);

CREATE OR REPLACE TEMP VIEW incoming_unstated AS
SELECT u.* EXCLUDE (part), coalesce(u.breakdown, '') AS breakdown_key
FROM spool_unstated_cells AS u JOIN incoming_keys USING (doc_id, part);

CREATE OR REPLACE TEMP VIEW incoming_checks AS
SELECT c.* EXCLUDE (part) FROM spool_checks AS c JOIN incoming_keys USING (doc_id, part);

CREATE OR REPLACE TEMP VIEW incoming_raw AS
SELECT r.doc_id, r.raw FROM spool_raw AS r JOIN incoming_keys USING (doc_id, part);

CREATE OR REPLACE TEMP VIEW incoming_quarantine AS SELECT * EXCLUDE (part) FROM spool_quarantine;
