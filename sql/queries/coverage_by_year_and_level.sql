-- Coverage of the corpus: reports per report year and administrative level, and the share of
-- them that state each core figure (proactive disclosure, requests received, requests
-- closed, reconsiderations, fees). A low share is a gap in the sources or in the extraction;
-- see unread_cells.sql for cells that were printed but could not be read.
WITH stated AS (
    SELECT file, measure FROM report_measures
    WHERE breakdown IS NULL
      AND measure IN ('proactive.total', 'req.new_received', 'req.total_processed', 'review',
                      'fee.collected')
    GROUP BY file, measure
)
SELECT
    r.report_year,
    r.admin_level,
    count(DISTINCT r.file) AS reports,
    round(count(DISTINCT s.file) FILTER (WHERE s.measure = 'proactive.total')
          / count(DISTINCT r.file), 2) AS share_proactive,
    round(count(DISTINCT s.file) FILTER (WHERE s.measure = 'req.new_received')
          / count(DISTINCT r.file), 2) AS share_requests,
    round(count(DISTINCT s.file) FILTER (WHERE s.measure = 'req.total_processed')
          / count(DISTINCT r.file), 2) AS share_closed,
    round(count(DISTINCT s.file) FILTER (WHERE s.measure = 'review')
          / count(DISTINCT r.file), 2) AS share_reconsiderations,
    round(count(DISTINCT s.file) FILTER (WHERE s.measure = 'fee.collected')
          / count(DISTINCT r.file), 2) AS share_fees
FROM reports AS r
LEFT JOIN stated AS s USING (file)
GROUP BY r.report_year, r.admin_level
ORDER BY r.report_year, r.admin_level;
