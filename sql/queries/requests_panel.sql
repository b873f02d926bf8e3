-- Agency x year panel of the request figures of 表三 (总计 column), with how they were
-- answered. NULL means the report does not state the figure (or the cell could not be read:
-- see unresolved_cell), never 0.
SELECT
    agency,
    report_year,
    max(value) FILTER (WHERE measure = 'req.new_received') AS new_received,
    max(value) FILTER (WHERE measure = 'req.carried_over') AS carried_over,
    max(value) FILTER (WHERE measure = 'req.granted') AS granted,
    max(value) FILTER (WHERE measure = 'req.partial') AS partial,
    max(value) FILTER (WHERE measure = 'req.unable.not_held') AS not_held,
    max(value) FILTER (WHERE measure = 'req.total_processed') AS closed,
    max(value) FILTER (WHERE measure = 'review') AS reconsiderations,
    max(value) FILTER (WHERE measure = 'lit_direct') AS lawsuits_direct
FROM report_measures
WHERE breakdown IS NULL AND template IN ('gb2019', 'gb2021')
GROUP BY agency, report_year
ORDER BY agency, report_year;
