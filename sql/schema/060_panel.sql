-- The agency × year panel researchers ask for: one row per named agency and report year, the
-- core figures as columns, the rates computed by hand in every paper, and where each row
-- came from. Unknown stays NULL: a figure no report states is never a 0.

-- Per live document with a named agency: the core figures. A total the report does not
-- state is the sum of its parts only where the standard tables print every part (表三's
-- 不予公开 and 无法提供 rows of the template, 表四's two lawsuit groups), never of some.
CREATE OR REPLACE VIEW document_core_figures AS
WITH totals AS (
    SELECT document_id, measure_key, value
    FROM fact_disclosure WHERE breakdown_key = ''
), leaf_sums AS (
    -- For each document of a standard template and each group (req.denied, req.unable):
    -- the sum of its template's leaves, when every one of them is stated.
    SELECT d.document_id, g.parent,
           CASE WHEN count(t.value) = count(*) THEN sum(t.value) END AS value
    FROM dim_document AS d
    CROSS JOIN (VALUES ('req.denied'), ('req.unable')) AS g (parent)
    JOIN dim_measure AS m
      ON m.measure_key LIKE g.parent || '.%'
     AND list_contains(string_split(m.templates, '|'), d.template_key)
    LEFT JOIN totals AS t ON t.document_id = d.document_id AND t.measure_key = m.measure_key
    WHERE d.template_key IN ('gb2019', 'gb2021')
    GROUP BY d.document_id, g.parent
), figures AS (
    SELECT document_id,
           max(value) FILTER (WHERE measure_key = 'req.new_received') AS requests_received,
           max(value) FILTER (WHERE measure_key = 'req.carried_over') AS carried_over,
           max(value) FILTER (WHERE measure_key = 'req.granted') AS granted,
           max(value) FILTER (WHERE measure_key = 'req.partial') AS partial,
           max(value) FILTER (WHERE measure_key = 'req.denied') AS denied,
           max(value) FILTER (WHERE measure_key = 'req.unable') AS unable,
           max(value) FILTER (WHERE measure_key = 'req.total_processed') AS closed,
           max(value) FILTER (WHERE measure_key = 'req.carried_forward') AS carried_forward,
           max(value) FILTER (WHERE measure_key = 'review') AS reconsiderations,
           max(value) FILTER (WHERE measure_key = 'lit_total') AS lawsuits,
           max(value) FILTER (WHERE measure_key = 'lit_direct') AS lawsuits_direct,
           max(value) FILTER (WHERE measure_key = 'lit_after_review') AS lawsuits_after_review,
           max(value) FILTER (WHERE measure_key = 'proactive.total') AS proactive_items,
           max(value) FILTER (WHERE measure_key = 'fee.collected') AS fees_yuan
    FROM totals GROUP BY document_id
)
SELECT
    d.document_id,
    d.agency_id,
    d.report_year,
    f.requests_received,
    f.carried_over,
    f.granted,
    f.partial,
    coalesce(f.denied, denied.value) AS denied,
    coalesce(f.unable, unable.value) AS unable,
    f.closed,
    f.carried_forward,
    f.reconsiderations,
    coalesce(f.lawsuits, f.lawsuits_direct + f.lawsuits_after_review) AS lawsuits,
    f.proactive_items,
    f.fees_yuan
FROM dim_document AS d
LEFT JOIN figures AS f USING (document_id)
LEFT JOIN leaf_sums AS denied ON denied.document_id = d.document_id AND denied.parent = 'req.denied'
LEFT JOIN leaf_sums AS unable ON unable.document_id = d.document_id AND unable.parent = 'req.unable'
WHERE d.retired_at IS NULL AND d.agency_id IS NOT NULL AND d.report_year IS NOT NULL;
COMMENT ON VIEW document_core_figures IS 'The core figures of each live report with a named agency and year, one row per document (agency_year_panel picks one document per agency-year from these). A total the report does not state is the sum of its parts only where the standard tables print every part.';
COMMENT ON COLUMN document_core_figures.document_id IS 'The document the figures come from.';
COMMENT ON COLUMN document_core_figures.agency_id IS 'The issuing agency (dim_agency).';
COMMENT ON COLUMN document_core_figures.report_year IS 'The year reported on.';
COMMENT ON COLUMN document_core_figures.requests_received IS 'Requests received this year (本年新收, req.new_received).';
COMMENT ON COLUMN document_core_figures.carried_over IS 'Requests carried over from last year (上年结转, req.carried_over).';
COMMENT ON COLUMN document_core_figures.granted IS 'Requests granted in full (予以公开, req.granted).';
COMMENT ON COLUMN document_core_figures.partial IS 'Requests granted in part (部分公开, req.partial).';
COMMENT ON COLUMN document_core_figures.denied IS 'Requests denied (不予公开, req.denied): as stated, or the sum of the 表三 rows when the report prints every one of its template''s rows and no total.';
COMMENT ON COLUMN document_core_figures.unable IS 'Requests the agency could not answer (无法提供, req.unable): as stated, or the sum of the 表三 rows when every one is printed.';
COMMENT ON COLUMN document_core_figures.closed IS 'Requests closed this year (办结 / 总计, req.total_processed).';
COMMENT ON COLUMN document_core_figures.carried_forward IS 'Requests carried forward to next year (结转下年度继续办理, req.carried_forward).';
COMMENT ON COLUMN document_core_figures.reconsiderations IS 'Administrative reconsiderations about disclosure (行政复议, review).';
COMMENT ON COLUMN document_core_figures.lawsuits IS 'Lawsuits about disclosure (行政诉讼, lit_total): as stated, or 表四''s direct plus after-reconsideration totals when both are printed.';
COMMENT ON COLUMN document_core_figures.proactive_items IS 'Items proactively disclosed this year (主动公开, proactive.total).';
COMMENT ON COLUMN document_core_figures.fees_yuan IS 'Request fees collected, in yuan (fee.collected).';

CREATE OR REPLACE VIEW agency_year_panel AS
WITH scored AS (
    SELECT c.*,
           -- How many of the 12 core figures the document states.
           (requests_received IS NOT NULL)::INT + (carried_over IS NOT NULL)::INT
           + (granted IS NOT NULL)::INT + (partial IS NOT NULL)::INT
           + (denied IS NOT NULL)::INT + (unable IS NOT NULL)::INT + (closed IS NOT NULL)::INT
           + (carried_forward IS NOT NULL)::INT + (reconsiderations IS NOT NULL)::INT
           + (lawsuits IS NOT NULL)::INT + (proactive_items IS NOT NULL)::INT
           + (fees_yuan IS NOT NULL)::INT AS figures_stated,
           (SELECT count(*) FROM quality_checks AS q
            WHERE q.document_id = c.document_id AND q.status = 'fail') AS checks_failed
    FROM document_core_figures AS c
), ranked AS (
    SELECT s.*,
           row_number() OVER w AS pick,
           count(*) OVER (PARTITION BY agency_id, report_year) AS documents,
           lead(figures_stated) OVER w AS next_figures_stated,
           lead(checks_failed) OVER w AS next_checks_failed
    FROM scored AS s
    WINDOW w AS (PARTITION BY agency_id, report_year
                 ORDER BY figures_stated DESC, checks_failed, document_id)
)
SELECT
    r.agency_id,
    a.agency AS agency,
    a.admin_level,
    a.province,
    a.prefecture,
    a.county,
    a.division_code,
    r.report_year,
    r.requests_received,
    r.carried_over,
    r.granted,
    r.partial,
    r.denied,
    r.unable,
    r.closed,
    r.carried_forward,
    r.reconsiderations,
    r.lawsuits,
    r.proactive_items,
    r.fees_yuan,
    CASE WHEN r.closed > 0 THEN round((r.granted + r.partial) / r.closed, 4) END
        AS share_granted_of_closed,
    CASE WHEN r.requests_received > 0
         THEN round(100 * r.reconsiderations / r.requests_received, 2) END
        AS reconsiderations_per_100_requests,
    CASE WHEN r.requests_received > 0
         THEN round(100 * r.lawsuits / r.requests_received, 2) END AS lawsuits_per_100_requests,
    r.document_id,
    d.file_name AS file,
    r.documents,
    CASE WHEN r.documents = 1 THEN 'only document'
         WHEN r.figures_stated > r.next_figures_stated THEN 'states the most core figures'
         WHEN r.checks_failed < r.next_checks_failed THEN 'fewest failing checks'
         ELSE 'tie: smallest document_id' END AS chosen_by
FROM ranked AS r
JOIN agency_places AS a USING (agency_id)
JOIN dim_document AS d USING (document_id)
WHERE r.pick = 1;
COMMENT ON VIEW agency_year_panel IS 'One row per named agency and report year: the core figures as columns, the derived rates, and the document they come from. Where several live documents report the same agency-year (a page saved as text and as HTML, a corrected re-issue), the one stating the most core figures is kept, then the one failing fewest checks, then the smallest document_id; chosen_by says which step decided, documents how many there were. NULL is unknown, never 0.';
COMMENT ON COLUMN agency_year_panel.agency_id IS 'The issuing agency (dim_agency).';
COMMENT ON COLUMN agency_year_panel.agency IS 'Agency name as the report gives it.';
COMMENT ON COLUMN agency_year_panel.admin_level IS 'Administrative level: central, province, prefecture, county or township.';
COMMENT ON COLUMN agency_year_panel.province IS 'Province of the agency, where known (agency_places).';
COMMENT ON COLUMN agency_year_panel.prefecture IS 'Prefecture-level division of the agency, from its GB/T 2260 code (agency_places).';
COMMENT ON COLUMN agency_year_panel.county IS 'County-level division of a county or township agency, from its GB/T 2260 code (agency_places).';
COMMENT ON COLUMN agency_year_panel.division_code IS 'GB/T 2260 code the agency is linked to; NULL when unlinked (agency_places.division_reason says why).';
COMMENT ON COLUMN agency_year_panel.report_year IS 'The year reported on (not the publication year).';
COMMENT ON COLUMN agency_year_panel.requests_received IS 'Requests received this year (本年新收, req.new_received).';
COMMENT ON COLUMN agency_year_panel.carried_over IS 'Requests carried over from last year (上年结转, req.carried_over).';
COMMENT ON COLUMN agency_year_panel.granted IS 'Requests granted in full (予以公开, req.granted).';
COMMENT ON COLUMN agency_year_panel.partial IS 'Requests granted in part (部分公开, req.partial).';
COMMENT ON COLUMN agency_year_panel.denied IS 'Requests denied (不予公开, req.denied): as stated, or the sum of the 表三 rows when the report prints every one of its template''s rows and no total.';
COMMENT ON COLUMN agency_year_panel.unable IS 'Requests the agency could not answer (无法提供, req.unable): as stated, or the sum of the 表三 rows when every one is printed.';
COMMENT ON COLUMN agency_year_panel.closed IS 'Requests closed this year (办结 / 总计, req.total_processed).';
COMMENT ON COLUMN agency_year_panel.carried_forward IS 'Requests carried forward to next year (结转下年度继续办理, req.carried_forward).';
COMMENT ON COLUMN agency_year_panel.reconsiderations IS 'Administrative reconsiderations about disclosure (行政复议, review).';
COMMENT ON COLUMN agency_year_panel.lawsuits IS 'Lawsuits about disclosure (行政诉讼, lit_total): as stated, or 表四''s direct plus after-reconsideration totals when both are printed.';
COMMENT ON COLUMN agency_year_panel.proactive_items IS 'Items proactively disclosed this year (主动公开, proactive.total).';
COMMENT ON COLUMN agency_year_panel.fees_yuan IS 'Request fees collected, in yuan (fee.collected).';
COMMENT ON COLUMN agency_year_panel.share_granted_of_closed IS '(granted + partial) / closed: the share of closed requests granted in full or in part; NULL when a term is unknown or nothing was closed.';
COMMENT ON COLUMN agency_year_panel.reconsiderations_per_100_requests IS '100 × reconsiderations / requests_received; NULL when either is unknown or no request was received.';
COMMENT ON COLUMN agency_year_panel.lawsuits_per_100_requests IS '100 × lawsuits / requests_received; NULL when either is unknown or no request was received.';
COMMENT ON COLUMN agency_year_panel.document_id IS 'The document every figure of the row comes from (see chosen_by).';
COMMENT ON COLUMN agency_year_panel.file IS 'File name of that document.';
COMMENT ON COLUMN agency_year_panel.documents IS 'How many live documents report this agency-year.';
COMMENT ON COLUMN agency_year_panel.chosen_by IS 'Which step of the rule picked the document: only document; states the most core figures; fewest failing checks; tie: smallest document_id.';
