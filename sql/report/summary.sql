-- The report's header: what the warehouse holds (live documents only, as the contract views
-- count them), what it refused, and when it was last loaded.
SELECT
    (SELECT count(*) FROM document_context) AS documents,
    (SELECT count(DISTINCT agency) FROM document_context) AS agencies,
    (SELECT count(*) FROM document_context WHERE agency IS NULL) AS documents_without_agency,
    (SELECT count(DISTINCT report_year) FROM document_context) AS report_years,
    (SELECT min(report_year) FROM document_context) AS first_year,
    (SELECT max(report_year) FROM document_context) AS last_year,
    (SELECT count(*) FROM report_measures) AS facts,
    (SELECT count(*) FROM failing_checks) AS failing_checks,
    (SELECT count(*) FROM quarantine) AS quarantined_files,
    (SELECT max(ended_at) FROM load_runs WHERE status = 'succeeded') AS last_load
