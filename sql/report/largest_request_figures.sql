-- Table "Largest request figures": the agency-years with the most requests received (the
-- bars of the requests chart are their sums), with the sentence or table row each figure was
-- read from, so an outlier can be traced to its report.
SELECT
    p.report_year,
    p.agency,
    p.file,
    p.requests_received,
    f.evidence
FROM agency_year_panel AS p
JOIN fact_disclosure AS f
  ON f.document_id = p.document_id AND f.measure_key = 'req.new_received'
 AND f.breakdown_key = ''
WHERE p.requests_received IS NOT NULL
ORDER BY p.requests_received DESC, p.report_year, p.agency
LIMIT 10
