-- Chart "Quality-check failures": per check (the identity a report is held to), how many
-- checks of live documents fail, out of how many could be assessed (not_assessable left out:
-- an operand was blank or not printed).
SELECT
    q.rule,
    count(*) FILTER (WHERE q.status = 'fail') AS failing,
    count(*) FILTER (WHERE q.status IN ('pass', 'fail')) AS assessed,
    count(DISTINCT q.document_id) FILTER (WHERE q.status = 'fail') AS documents_failing
FROM quality_checks AS q
JOIN document_context AS c USING (document_id)
GROUP BY q.rule
ORDER BY failing DESC, q.rule
