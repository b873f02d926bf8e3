-- Contract views for researchers. Their columns are stable: add, never rename or drop.

CREATE OR REPLACE VIEW document_context AS
SELECT
    d.document_id,
    d.file_name AS file,
    d.source_path,
    a.agency_name AS agency,
    d.admin_level,
    d.province,
    d.report_year,
    d.template_key AS template,
    d.published_on
FROM dim_document AS d
LEFT JOIN dim_agency AS a USING (agency_id)
WHERE d.retired_at IS NULL;
COMMENT ON VIEW document_context IS 'Each live document with the context researchers see beside every figure (file, agency, level, province, year, template); the contract views below are built on it. Retired documents (every path gone from the source) are left out: see retired_documents.';

CREATE OR REPLACE VIEW reports AS
SELECT file, source_path, agency, admin_level, province, report_year, template, published_on
FROM document_context;
COMMENT ON VIEW reports IS 'Contract view: one row per loaded report (also those with no figures). Columns: file, source_path, agency, admin_level, province, report_year, template, published_on.';

CREATE OR REPLACE VIEW report_measures AS
SELECT
    c.file,
    c.source_path,
    c.agency,
    c.admin_level,
    c.province,
    c.report_year,
    c.template,
    f.measure_key AS measure,
    NULLIF(f.breakdown_key, '') AS breakdown,
    f.value,
    f.value_kind = 'approximate' AS approx,
    f.evidence
FROM fact_disclosure AS f
JOIN document_context AS c USING (document_id);
COMMENT ON VIEW report_measures IS 'Contract view: one row per fact. Columns: file, source_path, agency, admin_level, province, report_year, template, measure, breakdown (NULL or kind:code), value (catalogue unit, money in yuan), approx (printed with 余/多/近/约), evidence (the sentence).';

CREATE OR REPLACE VIEW fact_evidence AS
SELECT
    f.document_id,
    d.file_name AS file,
    f.measure_key AS measure,
    NULLIF(f.breakdown_key, '') AS breakdown,
    f.value,
    f.value_kind,
    f.printed,
    f.span_start,
    f.span_end,
    substr(d.text_normalized, f.span_start + 1, f.span_end - f.span_start) AS span_text,
    f.evidence,
    f.rule
FROM fact_disclosure AS f
JOIN dim_document AS d USING (document_id)
WHERE d.retired_at IS NULL;
COMMENT ON VIEW fact_evidence IS 'Every fact of a live document with the exact characters it was read from (span_text is cut from the normalized text by the stored offsets) and the rule that read it.';
