-- Agency x year panel of the request figures (表三's 总计 column in the standard templates,
-- or the prose), with how they were answered: one report per agency-year, picked by
-- agency_year_panel's documented rule (chosen_by). NULL means the report does not state
-- the figure (or the cell could not be read: see unread_cells.sql), never 0.
SELECT agency, report_year, requests_received, carried_over, granted, partial, denied, unable,
       closed, carried_forward, reconsiderations, lawsuits, share_granted_of_closed, file,
       chosen_by
FROM agency_year_panel
ORDER BY agency, report_year;
