-- Agencies whose standard tables (表三, 表四) break their own identities: 收到 + 上年结转 =
-- 办结 + 结转 (t3_identity), the results summing to 办结 (t3_results_sum), the applicant
-- columns summing to 总计 (t3_row_sum), each lawsuit/reconsideration group summing to its
-- 总计 (t4_group_sum). The stored figures stay as printed; this lists where they disagree.
SELECT
    coalesce(agency, '(agency not named)') AS agency,
    report_year,
    file,
    list(DISTINCT rule ORDER BY rule) AS failing_rules,
    count(*) AS failing_checks,
    any_value(detail) AS an_example
FROM failing_checks
WHERE rule IN ('t3_identity', 't3_results_sum', 't3_row_sum', 't4_group_sum')
GROUP BY ALL
ORDER BY failing_checks DESC, agency, report_year;
