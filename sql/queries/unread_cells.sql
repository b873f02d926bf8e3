-- Table cells printed but not stored because more than one reading of the glued digits
-- satisfies the table's identities, with every joint reading.
SELECT d.file_name, u.measure_key, u.columns, u.candidates, u.reason, u.printed
FROM unresolved_cell AS u JOIN dim_document AS d USING (document_id)
ORDER BY d.file_name, u.span_start;
