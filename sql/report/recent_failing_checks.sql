-- Table "Most recent failing checks": the failing checks of the documents extracted last,
-- with the report's agency and file, the identity in words (detail) and the printed rows or
-- sentences of the figures involved (evidence), cut to 400 characters for the page.
SELECT
    d.loaded_at,
    f.report_year,
    f.agency,
    f.file,
    f.rule,
    f.scope,
    f.expected,
    f.found,
    CASE WHEN length(f.detail) > 400 THEN left(f.detail, 400) || '…' ELSE f.detail END
        AS detail,
    CASE WHEN length(f.evidence) > 400 THEN left(f.evidence, 400) || '…' ELSE f.evidence END
        AS evidence
FROM failing_checks AS f
JOIN dim_document AS d USING (document_id)
ORDER BY d.loaded_at DESC, f.report_year DESC, f.file, f.rule, f.scope
LIMIT 50
