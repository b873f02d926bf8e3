-- Agencies whose requests carried over break across years: this year's 上年结转
-- (req.carried_over) against last year's 结转下年度继续办理 (req.carried_forward) of the same
-- agency, and the other checks across years (规范性文件 现行有效). Every comparison is listed,
-- breaks first; not_assessable means one side was not printed.
SELECT
    coalesce(c.agency, '(agency not named)') AS agency,
    c.report_year,
    q.rule,
    q.status,
    q.expected AS last_year,
    q.found AS this_year,
    c.file,
    q.detail
FROM quality_checks AS q
JOIN document_context AS c USING (document_id)
WHERE q.rule LIKE 'x\_%' ESCAPE '\'
ORDER BY q.status = 'fail' DESC, q.rule, agency, c.report_year;
