-- Share of closed requests granted in full or in part, by province: the sum of 予以公开 and
-- 部分公开 over the sum of 办结 (req.total_processed), over the reports that state all three
-- (and closed some). The others are left out of the rate and counted in reports_left_out.
WITH per_report AS (
    SELECT
        file,
        any_value(province) AS province,
        max(value) FILTER (WHERE measure = 'req.granted') AS granted,
        max(value) FILTER (WHERE measure = 'req.partial') AS partial,
        max(value) FILTER (WHERE measure = 'req.total_processed') AS closed
    FROM report_measures
    WHERE breakdown IS NULL
      AND measure IN ('req.granted', 'req.partial', 'req.total_processed')
    GROUP BY file
), rated AS (
    SELECT *, coalesce(granted IS NOT NULL AND partial IS NOT NULL AND closed > 0, false)
        AS complete
    FROM per_report
)
SELECT
    coalesce(province, '(province unknown)') AS province,
    count(*) FILTER (WHERE complete) AS reports,
    count(*) FILTER (WHERE NOT complete) AS reports_left_out,
    sum(granted + partial) FILTER (WHERE complete) AS granted_or_partial,
    sum(closed) FILTER (WHERE complete) AS closed,
    round(sum(granted + partial) FILTER (WHERE complete)
          / sum(closed) FILTER (WHERE complete), 3) AS share_granted
FROM rated
GROUP BY 1
ORDER BY reports DESC, province;
