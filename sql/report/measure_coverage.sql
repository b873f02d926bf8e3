-- Chart "Coverage of the measures": for the 15 measures the most documents state, the share
-- of live documents that state the figure as a whole (a breakdown alone does not count). A
-- document that does not state a figure is a gap in the report or in the extraction, never 0.
WITH stated AS (
    SELECT f.measure_key, count(DISTINCT f.document_id) AS documents
    FROM fact_disclosure AS f
    JOIN document_context AS c USING (document_id)
    WHERE f.breakdown_key = ''
    GROUP BY f.measure_key
)
SELECT
    s.measure_key AS measure,
    m.measure_group,
    m.label_en,
    s.documents,
    s.documents / (SELECT count(*) FROM document_context) AS share
FROM stated AS s
JOIN dim_measure AS m USING (measure_key)
ORDER BY s.documents DESC, s.measure_key
LIMIT 15
