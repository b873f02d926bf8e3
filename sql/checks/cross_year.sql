-- Checks across years for one agency, recomputed over the whole warehouse after each load
-- (a report checks against last year's, which may have been loaded on another night).

DELETE FROM quality_checks WHERE rule LIKE 'x\_%' ESCAPE '\';

-- 上年结转 this year equals 结转下年度继续办理 last year (restructured agencies break it).
INSERT INTO quality_checks
SELECT
    p.document_id,
    'x_carried_over',
    'total; previous year: ' || p.previous_file,
    CASE WHEN now.value IS NULL OR last.value IS NULL THEN 'not_assessable'
         WHEN now.value = last.value THEN 'pass' ELSE 'fail' END,
    last.value,
    now.value,
    'req.carried_over = last year''s req.carried_forward (' || p.previous_file || ')'
        || CASE WHEN now.value IS NULL THEN '; not printed or blank this year: req.carried_over'
                WHEN last.value IS NULL THEN '; not printed or blank last year: req.carried_forward'
                ELSE '' END,
    ['req.carried_over']
FROM previous_year_report AS p
LEFT JOIN fact_disclosure AS now
  ON now.document_id = p.document_id AND now.measure_key = 'req.carried_over'
 AND now.breakdown_key = ''
LEFT JOIN fact_disclosure AS last
  ON last.document_id = p.previous_id AND last.measure_key = 'req.carried_forward'
 AND last.breakdown_key = ''
WHERE now.value IS NOT NULL OR last.value IS NOT NULL;

-- 现行有效 ≈ last year's 现行有效 + 本年制发 − 本年废止 (gb2021). Reported, not enforced:
-- amendments, expiry and clean-up campaigns break it.
INSERT INTO quality_checks
WITH kinds AS (SELECT unnest(['rule', 'normdoc']) AS kind),
operands AS (
    SELECT p.document_id, p.previous_file, k.kind,
           (SELECT value FROM fact_disclosure f WHERE f.document_id = p.document_id
              AND f.measure_key = k.kind || '.in_force' AND f.breakdown_key = '') AS in_force,
           (SELECT value FROM fact_disclosure f WHERE f.document_id = p.previous_id
              AND f.measure_key = k.kind || '.in_force' AND f.breakdown_key = '') AS last_in_force,
           (SELECT value FROM fact_disclosure f WHERE f.document_id = p.document_id
              AND f.measure_key = k.kind || '.issued' AND f.breakdown_key = '') AS issued,
           (SELECT value FROM fact_disclosure f WHERE f.document_id = p.document_id
              AND f.measure_key = k.kind || '.repealed' AND f.breakdown_key = '') AS repealed
    FROM previous_year_report AS p CROSS JOIN kinds AS k
)
SELECT
    document_id,
    'x_' || kind || '_in_force',
    'previous year: ' || previous_file,
    CASE WHEN in_force IS NULL OR last_in_force IS NULL OR issued IS NULL OR repealed IS NULL
         THEN 'not_assessable'
         WHEN in_force = last_in_force + issued - repealed THEN 'pass' ELSE 'fail' END,
    last_in_force + issued - repealed,
    in_force,
    kind || '.in_force = last year''s ' || kind || '.in_force (' || previous_file || ') + '
        || kind || '.issued - ' || kind || '.repealed; approximate: amendments and clean-ups '
        || 'break it, so a failure is reported, not corrected',
    [kind || '.in_force', kind || '.issued', kind || '.repealed']
FROM operands
WHERE in_force IS NOT NULL OR last_in_force IS NOT NULL;
