-- The keys and references the figure-level tables do not declare (see sql/schema/020_documents.sql),
-- checked for the documents a load writes (incoming_keys) before it commits. Any row returned
-- fails the load: the warehouse stays as it was. Each row: the broken rule, the document and
-- the key.

-- A repeated key is looked for among the keys' 64-bit hashes first (a small hash table for
-- tens of millions of facts, where grouping the key strings spills), then confirmed exactly
-- on the keys whose hash repeats.
WITH repeated_fact AS (
    SELECT hash(document_id, measure_key, breakdown_key) AS key_hash FROM fact_disclosure
    WHERE document_id IN (SELECT doc_id FROM incoming_keys)
    GROUP BY key_hash HAVING count(*) > 1),
repeated_unstated AS (
    SELECT hash(document_id, measure_key, breakdown_key) AS key_hash FROM unstated_cell
    WHERE document_id IN (SELECT doc_id FROM incoming_keys)
    GROUP BY key_hash HAVING count(*) > 1)
SELECT 'fact_disclosure key repeated' AS rule, document_id, measure_key || ' ' || breakdown_key AS key
FROM fact_disclosure
WHERE document_id IN (SELECT doc_id FROM incoming_keys)
  AND hash(document_id, measure_key, breakdown_key) IN (SELECT key_hash FROM repeated_fact)
GROUP BY document_id, measure_key, breakdown_key HAVING count(*) > 1
UNION ALL
SELECT 'unresolved_cell key repeated', document_id, measure_key || ' @' || span_start
FROM unresolved_cell
WHERE document_id IN (SELECT doc_id FROM incoming_keys)
GROUP BY document_id, measure_key, span_start HAVING count(*) > 1
UNION ALL
SELECT 'unstated_cell key repeated', document_id, measure_key || ' ' || breakdown_key
FROM unstated_cell
WHERE document_id IN (SELECT doc_id FROM incoming_keys)
  AND hash(document_id, measure_key, breakdown_key) IN (SELECT key_hash FROM repeated_unstated)
GROUP BY document_id, measure_key, breakdown_key HAVING count(*) > 1
UNION ALL
SELECT 'measure not in dim_measure', doc_id, measure
FROM (SELECT doc_id, measure FROM incoming_facts
      UNION ALL SELECT doc_id, measure FROM incoming_unresolved
      UNION ALL SELECT doc_id, measure FROM incoming_unstated)
WHERE measure NOT IN (SELECT measure_key FROM dim_measure)
UNION ALL
SELECT 'breakdown not in dim_breakdown', doc_id, breakdown_key
FROM incoming_facts
WHERE breakdown_key NOT IN (SELECT breakdown_key FROM dim_breakdown)
ORDER BY 1, 2, 3
LIMIT 20;
