-- Which reports' standard tables break their own identities, and where.
-- uv run ogi sql sql/queries/failing_checks.sql --db warehouse.duckdb
SELECT file, agency, report_year, rule, scope, expected, found, evidence
FROM failing_checks
ORDER BY report_year, agency, rule, scope;
