-- Chart "Requests and their outcomes by year": per report year, over agency_year_panel (one
-- report per agency-year), the requests received summed over the agencies stating the figure,
-- and how the requests closed were answered, summed over the agency-years that closed some.
-- An outcome a report does not state is not 0: what closed requests' stated outcomes leave
-- unaccounted is "other or not stated" (不予处理, 其他处理, or not printed).
SELECT
    report_year,
    count(requests_received) AS agencies_stating_received,
    sum(requests_received) AS requests_received,
    count(*) FILTER (WHERE closed > 0) AS agencies_closing_some,
    sum(closed) FILTER (WHERE closed > 0) AS closed,
    sum(coalesce(granted, 0)) FILTER (WHERE closed > 0) AS granted,
    sum(coalesce(partial, 0)) FILTER (WHERE closed > 0) AS partial,
    sum(coalesce(denied, 0)) FILTER (WHERE closed > 0) AS denied,
    sum(coalesce(unable, 0)) FILTER (WHERE closed > 0) AS unable,
    sum(greatest(closed - coalesce(granted, 0) - coalesce(partial, 0) - coalesce(denied, 0)
                 - coalesce(unable, 0), 0)) FILTER (WHERE closed > 0) AS other_or_not_stated
FROM agency_year_panel
GROUP BY report_year
ORDER BY report_year
