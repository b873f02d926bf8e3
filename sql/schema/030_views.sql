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
COMMENT ON COLUMN document_context.document_id IS 'Stable id of the document (first 16 hex digits of the SHA-256 of its bytes).';
COMMENT ON COLUMN document_context.file IS 'File name of the report (of its first live path).';
COMMENT ON COLUMN document_context.source_path IS 'A live path of the report (source_file lists them all).';
COMMENT ON COLUMN document_context.agency IS 'Name of the issuing agency as the report gives it; NULL when the report never names it (dim_document.agency_reason says why).';
COMMENT ON COLUMN document_context.admin_level IS 'Administrative level of the issuer: central, province, prefecture, county or township.';
COMMENT ON COLUMN document_context.province IS 'Province of the issuer where the text or the division table makes it clear, else NULL.';
COMMENT ON COLUMN document_context.report_year IS 'The year reported on (not the publication year).';
COMMENT ON COLUMN document_context.template IS 'Template of the report: prose (before 2019), gb2019 or gb2021 (the standard tables).';
COMMENT ON COLUMN document_context.published_on IS 'Publication date printed on the page (meta tag or dated line), NULL when none is printed.';

CREATE OR REPLACE VIEW reports AS
SELECT file, source_path, agency, admin_level, province, report_year, template, published_on
FROM document_context;
COMMENT ON VIEW reports IS 'Contract view: one row per loaded report (also those with no figures). Columns: file, source_path, agency, admin_level, province, report_year, template, published_on.';
COMMENT ON COLUMN reports.file IS 'File name of the report (of its first live path).';
COMMENT ON COLUMN reports.source_path IS 'A live path of the report (source_file lists them all).';
COMMENT ON COLUMN reports.agency IS 'Name of the issuing agency as the report gives it; NULL when the report never names it (dim_document.agency_reason says why).';
COMMENT ON COLUMN reports.admin_level IS 'Administrative level of the issuer: central, province, prefecture, county or township.';
COMMENT ON COLUMN reports.province IS 'Province of the issuer where the text or the division table makes it clear, else NULL.';
COMMENT ON COLUMN reports.report_year IS 'The year reported on (not the publication year).';
COMMENT ON COLUMN reports.template IS 'Template of the report: prose (before 2019), gb2019 or gb2021 (the standard tables).';
COMMENT ON COLUMN reports.published_on IS 'Publication date printed on the page (meta tag or dated line), NULL when none is printed.';

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
COMMENT ON COLUMN report_measures.file IS 'File name of the report (of its first live path).';
COMMENT ON COLUMN report_measures.source_path IS 'A live path of the report (source_file lists them all).';
COMMENT ON COLUMN report_measures.agency IS 'Name of the issuing agency as the report gives it; NULL when the report never names it (dim_document.agency_reason says why).';
COMMENT ON COLUMN report_measures.admin_level IS 'Administrative level of the issuer: central, province, prefecture, county or township.';
COMMENT ON COLUMN report_measures.province IS 'Province of the issuer where the text or the division table makes it clear, else NULL.';
COMMENT ON COLUMN report_measures.report_year IS 'The year reported on (not the publication year).';
COMMENT ON COLUMN report_measures.template IS 'Template of the report: prose (before 2019), gb2019 or gb2021 (the standard tables).';
COMMENT ON COLUMN report_measures.measure IS 'Measure code from the catalogue (dim_measure; shared/spec/measures.csv), e.g. req.new_received.';
COMMENT ON COLUMN report_measures.breakdown IS 'NULL for the measure''s total, else kind:code (applicant:natural_person, channel:website, outcome:maintained, category:…; dim_breakdown).';
COMMENT ON COLUMN report_measures.value IS 'The figure in the catalogue''s unit (counts; money in yuan, 万元 converted).';
COMMENT ON COLUMN report_measures.approx IS 'True when the report printed the figure as approximate (余, 多, 近, 约).';
COMMENT ON COLUMN report_measures.evidence IS 'The sentence or table row the figure was read from, as printed in the normalized text.';

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
COMMENT ON COLUMN fact_evidence.document_id IS 'Stable id of the document (first 16 hex digits of the SHA-256 of its bytes).';
COMMENT ON COLUMN fact_evidence.file IS 'File name of the report (of its first live path).';
COMMENT ON COLUMN fact_evidence.measure IS 'Measure code from the catalogue (dim_measure; shared/spec/measures.csv), e.g. req.new_received.';
COMMENT ON COLUMN fact_evidence.breakdown IS 'NULL for the measure''s total, else kind:code (applicant:natural_person, channel:website, outcome:maintained, category:…; dim_breakdown).';
COMMENT ON COLUMN fact_evidence.value IS 'The figure in the catalogue''s unit (counts; money in yuan, 万元 converted).';
COMMENT ON COLUMN fact_evidence.value_kind IS 'number, approximate (余/多/近/约) or zero_in_words (未收到…: a zero stated in words).';
COMMENT ON COLUMN fact_evidence.printed IS 'The characters of the figure as printed (e.g. 1,234件, 十二条, a table cell).';
COMMENT ON COLUMN fact_evidence.span_start IS 'Offset (0-based, characters) of the figure in dim_document.text_normalized.';
COMMENT ON COLUMN fact_evidence.span_end IS 'Offset just past the figure in dim_document.text_normalized.';
COMMENT ON COLUMN fact_evidence.span_text IS 'text_normalized cut at [span_start, span_end): the exact characters the figure was read from.';
COMMENT ON COLUMN fact_evidence.evidence IS 'The sentence or table row the figure was read from.';
COMMENT ON COLUMN fact_evidence.rule IS 'The extraction rule that read the figure (transforms/rules/, or table2:/table3:/table4: for standard-table cells).';
