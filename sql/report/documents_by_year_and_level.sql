-- Chart "Documents by report year and administrative level": live documents per report year
-- (the year reported on) and issuer level. Documents whose year could not be read are one
-- bar of their own (report_year NULL), not dropped.
SELECT
    report_year,
    admin_level,
    count(*) AS documents
FROM document_context
GROUP BY ALL
ORDER BY report_year NULLS LAST, admin_level
