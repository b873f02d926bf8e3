-- Standard-table cells that hold no number, and the checks the tables are held to.

-- No PRIMARY KEY or REFERENCES here either (see fact_disclosure): sql/load/key_checks.sql.
CREATE TABLE IF NOT EXISTS unstated_cell (
    document_id VARCHAR NOT NULL,
    measure_key VARCHAR NOT NULL,
    breakdown_key VARCHAR NOT NULL,
    cell_state VARCHAR NOT NULL CHECK (cell_state IN ('blank', 'not_applicable')),
    printed VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL,
    span_start INTEGER NOT NULL
);
COMMENT ON TABLE unstated_cell IS 'Cells of 表二/表三/表四 a report prints blank or with a not-applicable mark (/, -, —, 无). They are not zeros: fact_disclosure has no row for them, and checks that need them are not_assessable.';
COMMENT ON COLUMN unstated_cell.document_id IS 'The report the cell is in.';
COMMENT ON COLUMN unstated_cell.measure_key IS 'The measure of the cell''s row (dim_measure).';
COMMENT ON COLUMN unstated_cell.breakdown_key IS 'The cell''s column as kind:code; empty string for 总计.';
COMMENT ON COLUMN unstated_cell.cell_state IS 'blank (nothing printed) or not_applicable (a mark such as / or —).';
COMMENT ON COLUMN unstated_cell.printed IS 'What the cell prints (empty for a blank).';
COMMENT ON COLUMN unstated_cell.evidence IS 'The table row as printed.';
COMMENT ON COLUMN unstated_cell.span_start IS 'Offset of the cell in dim_document.text_normalized.';

CREATE TABLE IF NOT EXISTS quality_checks (
    document_id VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('pass', 'fail', 'not_assessable')),
    expected DOUBLE,
    found DOUBLE,
    detail VARCHAR NOT NULL,
    operands VARCHAR[] NOT NULL
);
COMMENT ON TABLE quality_checks IS 'One row per check of a report: the standard tables'' identities (t3_identity, t3_results_sum, t3_row_sum, t4_group_sum), prose figures against the cells they restate (prose_restates_cell, prose_restates_sum), and checks across years of one agency (x_carried_over, x_rule_in_force, x_normdoc_in_force). A failed check does not change the stored figures: they stay as printed.';
COMMENT ON COLUMN quality_checks.document_id IS 'The report checked.';
COMMENT ON COLUMN quality_checks.rule IS 'Which identity (see the table comment).';
COMMENT ON COLUMN quality_checks.scope IS 'Where it applies: a column (applicant:natural_person, total), a row (a measure), a 表四 group, a prose figure, or the previous year''s report.';
COMMENT ON COLUMN quality_checks.status IS 'pass, fail, or not_assessable when an operand is blank, not applicable or not printed (never counted as 0).';
COMMENT ON COLUMN quality_checks.expected IS 'Left side of the identity (NULL when not assessable).';
COMMENT ON COLUMN quality_checks.found IS 'Right side of the identity (NULL when not assessable).';
COMMENT ON COLUMN quality_checks.detail IS 'The identity in words, the missing operands, and for prose checks the sentence.';
COMMENT ON COLUMN quality_checks.operands IS 'The cells the check reads (measure or measure|breakdown), for finding their evidence.';

CREATE OR REPLACE VIEW failing_checks AS
SELECT
    c.file,
    c.agency,
    c.report_year,
    c.template,
    q.rule,
    q.scope,
    q.expected,
    q.found,
    q.detail,
    (SELECT string_agg(rows.evidence, ' ‖ ' ORDER BY rows.first_span)
     FROM (SELECT f.evidence, min(f.span_start) AS first_span
           FROM fact_disclosure AS f
           WHERE f.document_id = q.document_id
             AND list_contains(q.operands, CASE WHEN f.breakdown_key = '' THEN f.measure_key
                                                ELSE f.measure_key || '|' || f.breakdown_key END)
           GROUP BY f.evidence) AS rows
    ) AS evidence,
    q.document_id
FROM quality_checks AS q
JOIN document_context AS c USING (document_id)
WHERE q.status = 'fail';
COMMENT ON VIEW failing_checks IS 'Checks that fail, with the report and the printed rows or sentences of the figures involved (evidence). Stored figures stay as printed; this is where a researcher sees which ones disagree.';
COMMENT ON COLUMN failing_checks.file IS 'File name of the report (of its first live path).';
COMMENT ON COLUMN failing_checks.agency IS 'Name of the issuing agency as the report gives it; NULL when the report never names it (dim_document.agency_reason says why).';
COMMENT ON COLUMN failing_checks.report_year IS 'The year reported on (not the publication year).';
COMMENT ON COLUMN failing_checks.template IS 'Template of the report: prose (before 2019), gb2019 or gb2021 (the standard tables).';
COMMENT ON COLUMN failing_checks.rule IS 'The identity that fails (t3_identity, t3_results_sum, t3_row_sum, t4_group_sum, prose_restates_cell, prose_restates_sum, cross-year rules).';
COMMENT ON COLUMN failing_checks.scope IS 'Where it applies: a 表三 column (applicant:…, total), a row (measure), a 表四 group, or a measure|breakdown for prose restatements.';
COMMENT ON COLUMN failing_checks.expected IS 'Sum of the identity''s left-hand side (as printed).';
COMMENT ON COLUMN failing_checks.found IS 'Sum of its right-hand side (as printed).';
COMMENT ON COLUMN failing_checks.detail IS 'The identity written out with its operands, and the prose sentence for restatements.';
COMMENT ON COLUMN failing_checks.evidence IS 'The printed rows or sentences of the figures involved, joined by ‖ in text order.';
COMMENT ON COLUMN failing_checks.document_id IS 'Stable id of the document (first 16 hex digits of the SHA-256 of its bytes).';

CREATE OR REPLACE VIEW previous_year_report AS
SELECT cur.document_id, prev.document_id AS previous_id, prev.file_name AS previous_file
FROM dim_document AS cur
JOIN dim_document AS prev
  ON prev.agency_id = cur.agency_id AND prev.report_year = cur.report_year - 1
WHERE cur.agency_id IS NOT NULL AND cur.retired_at IS NULL AND prev.retired_at IS NULL;
COMMENT ON VIEW previous_year_report IS 'Each live report paired with every live report of the same agency for the year before (a text and an HTML copy are both paired), for checks across years.';
COMMENT ON COLUMN previous_year_report.document_id IS 'A live report with a named agency.';
COMMENT ON COLUMN previous_year_report.previous_id IS 'A live report of the same agency for the year before.';
COMMENT ON COLUMN previous_year_report.previous_file IS 'File name of that previous-year report.';
