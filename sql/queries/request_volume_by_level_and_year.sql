-- Requests received (本年新收 / 收到申请) by administrative level and report year: how many
-- reports there are, how many state the figure, and the total and median of those that do.
-- Reports that do not state it are counted, never summed as 0.
SELECT
    r.admin_level,
    r.report_year,
    count(*) AS reports,
    count(m.value) AS reports_stating_requests,
    sum(m.value) AS requests_received,
    median(m.value) AS median_per_report
FROM reports AS r
LEFT JOIN report_measures AS m
  ON m.file = r.file AND m.measure = 'req.new_received' AND m.breakdown IS NULL
GROUP BY r.admin_level, r.report_year
ORDER BY r.report_year, r.admin_level;
