-- Share of closed requests granted in full or in part, by province and year: the sum of 予以
-- 公开 and 部分公开 over the sum of 办结 (req.total_processed), over the agencies whose report
-- states all three (and closed some). One report per agency-year (agency_year_panel's rule:
-- a page saved as text and as HTML counts once). The others are counted in agencies_left_out.
SELECT
    coalesce(province, '(province unknown)') AS province,
    report_year,
    count(share_granted_of_closed) AS agencies,
    count(*) - count(share_granted_of_closed) AS agencies_left_out,
    sum(granted + partial) FILTER (WHERE share_granted_of_closed IS NOT NULL)
        AS granted_or_partial,
    sum(closed) FILTER (WHERE share_granted_of_closed IS NOT NULL) AS closed,
    round(sum(granted + partial) FILTER (WHERE share_granted_of_closed IS NOT NULL)
          / sum(closed) FILTER (WHERE share_granted_of_closed IS NOT NULL), 3) AS share_granted
FROM agency_year_panel
GROUP BY ALL
ORDER BY province, report_year;
