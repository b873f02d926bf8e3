-- Documents (one per distinct report content), facts and the quarantine.

CREATE TABLE IF NOT EXISTS dim_document (
    document_id VARCHAR PRIMARY KEY,
    source_path VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    codec VARCHAR NOT NULL,
    is_html BOOLEAN NOT NULL,
    script VARCHAR,
    template_key VARCHAR NOT NULL REFERENCES dim_template (template_key),
    agency_id VARCHAR REFERENCES dim_agency (agency_id),
    agency_reason VARCHAR,
    admin_level VARCHAR NOT NULL,
    admin_level_basis VARCHAR,
    province VARCHAR,
    report_year INTEGER REFERENCES dim_year (report_year),
    report_year_basis VARCHAR NOT NULL,
    published_on DATE,
    mojibake_repaired INTEGER NOT NULL,
    mojibake_unrepaired INTEGER NOT NULL,
    debris_removed INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    -- Whole reports: zstd writes them 2.5x faster than DuckDB's default string compression
    -- (FSST, chosen per segment) and in a fraction of the space.
    text_original VARCHAR NOT NULL USING COMPRESSION zstd,
    text_normalized VARCHAR NOT NULL USING COMPRESSION zstd,
    retired_at TIMESTAMP
);
COMMENT ON TABLE dim_document IS 'One row per distinct report content (the same bytes under two file names are one document; source_file lists every path): how it was read and what it is about. Evidence spans point into text_normalized.';
COMMENT ON COLUMN dim_document.document_id IS 'Stable id derived from the content (first 16 hex digits of its SHA-256): the same report under any name or path has the same id.';
COMMENT ON COLUMN dim_document.source_path IS 'A live path of this content (the first seen; source_file lists them all).';
COMMENT ON COLUMN dim_document.file_name IS 'File name of source_path.';
COMMENT ON COLUMN dim_document.sha256 IS 'SHA-256 of the raw bytes.';
COMMENT ON COLUMN dim_document.size_bytes IS 'Size of the raw file in bytes.';
COMMENT ON COLUMN dim_document.codec IS 'Codec the bytes were decoded with (utf-8, utf-8-sig, utf-16, gb18030, big5).';
COMMENT ON COLUMN dim_document.is_html IS 'True when the file was an HTML page converted to text (tables kept as | cell | rows).';
COMMENT ON COLUMN dim_document.script IS 'Script of the original text: simplified, traditional or mixed (NULL without Han text).';
COMMENT ON COLUMN dim_document.template_key IS 'Template detected from the text: prose, gb2019 or gb2021.';
COMMENT ON COLUMN dim_document.agency_id IS 'Issuing agency; NULL when the report never names it (see agency_reason).';
COMMENT ON COLUMN dim_document.agency_reason IS 'Why agency_id is NULL.';
COMMENT ON COLUMN dim_document.admin_level IS 'Administrative level of the issuer (also known for unnamed issuers from self-references such as 我街道).';
COMMENT ON COLUMN dim_document.admin_level_basis IS 'What decided admin_level (division table entry, self-reference, ...).';
COMMENT ON COLUMN dim_document.province IS 'Province of the issuer where the text or the division table makes it clear.';
COMMENT ON COLUMN dim_document.report_year IS 'The year reported on (not the publication year).';
COMMENT ON COLUMN dim_document.report_year_basis IS 'What decided report_year (statistics period, title, ...).';
COMMENT ON COLUMN dim_document.published_on IS 'Publication date printed with the report, when there is one.';
COMMENT ON COLUMN dim_document.mojibake_repaired IS 'Paragraph starts whose GBK mis-alignment mojibake was repaired from the bytes.';
COMMENT ON COLUMN dim_document.mojibake_unrepaired IS 'Paragraph starts left marked with 〓 because bytes were lost.';
COMMENT ON COLUMN dim_document.debris_removed IS 'Lines of web debris (navigation, share widgets, crawl headers) removed before extraction.';
COMMENT ON COLUMN dim_document.extractor_version IS 'Version of the extractor (package version + digest of rules and transforms).';
COMMENT ON COLUMN dim_document.loaded_at IS 'When this content was last extracted (unchanged by runs that find the file unchanged; set again by ogi run --reprocess).';
COMMENT ON COLUMN dim_document.text_original IS 'Decoded text as it arrived (HTML already turned into text).';
COMMENT ON COLUMN dim_document.text_normalized IS 'Normalized text extraction read; evidence spans are offsets into it.';
COMMENT ON COLUMN dim_document.retired_at IS 'When every path of this content had disappeared from the source (NULL while any is live). Retired documents keep their facts but are left out of the default views.';

-- The tables with rows per figure or cell (fact_disclosure, unresolved_cell, unstated_cell,
-- quality_checks) declare no PRIMARY KEY or REFERENCES: DuckDB keeps the index of each in
-- memory, unspillable, and a national corpus has tens of millions of facts. Their keys and
-- references are checked by every load instead (sql/load/key_checks.sql), before it commits.
CREATE TABLE IF NOT EXISTS fact_disclosure (
    document_id VARCHAR NOT NULL,
    measure_key VARCHAR NOT NULL,
    breakdown_key VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    value_kind VARCHAR NOT NULL CHECK (value_kind IN ('number', 'zero_in_words', 'approximate')),
    evidence VARCHAR NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    printed VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    CHECK (span_start >= sentence_start AND span_end <= sentence_end AND span_start < span_end)
);
COMMENT ON TABLE fact_disclosure IS 'One figure a report states: document x measure x breakdown (unique; every load checks it), with its value and the evidence it came from.';
COMMENT ON COLUMN fact_disclosure.document_id IS 'The report the figure comes from.';
COMMENT ON COLUMN fact_disclosure.measure_key IS 'What the figure counts (dim_measure).';
COMMENT ON COLUMN fact_disclosure.breakdown_key IS 'Which part of the measure (dim_breakdown); empty string for the whole figure.';
COMMENT ON COLUMN fact_disclosure.value IS 'The figure in the catalogue unit (money in yuan). Unknown figures have no row; they are never stored as 0.';
COMMENT ON COLUMN fact_disclosure.value_kind IS 'number (printed digits or numerals), zero_in_words (未收到…申请) or approximate (150余件: the printed number).';
COMMENT ON COLUMN fact_disclosure.evidence IS 'The sentence the figure was read from, as it stands in the normalized text.';
COMMENT ON COLUMN fact_disclosure.span_start IS 'Start offset (characters) of the figure or zero phrase in dim_document.text_normalized.';
COMMENT ON COLUMN fact_disclosure.span_end IS 'End offset (exclusive) of the figure or zero phrase in dim_document.text_normalized.';
COMMENT ON COLUMN fact_disclosure.sentence_start IS 'Start offset of the evidence sentence in dim_document.text_normalized.';
COMMENT ON COLUMN fact_disclosure.sentence_end IS 'End offset (exclusive) of the evidence sentence.';
COMMENT ON COLUMN fact_disclosure.printed IS 'The characters of the figure as printed (e.g. 150余件, 两万余人次, 未收到…申请).';
COMMENT ON COLUMN fact_disclosure.rule IS 'Extraction rule that produced the fact (transforms/rules/*.csv).';

CREATE TABLE IF NOT EXISTS quarantine (
    source_path VARCHAR PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR,
    size_bytes BIGINT,
    stage VARCHAR NOT NULL CHECK (stage IN ('discover', 'read', 'decode', 'normalize', 'extract')),
    reason VARCHAR NOT NULL,
    quarantined_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE quarantine IS 'Files that could not be loaded, with the stage that refused them and why. Other files of the same run load normally.';
COMMENT ON COLUMN quarantine.source_path IS 'Absolute path of the refused file.';
COMMENT ON COLUMN quarantine.file_name IS 'File name of the refused file.';
COMMENT ON COLUMN quarantine.sha256 IS 'SHA-256 of its bytes, when they could be read.';
COMMENT ON COLUMN quarantine.size_bytes IS 'Its size in bytes, when known.';
COMMENT ON COLUMN quarantine.stage IS 'Pipeline stage that refused it: discover, read, decode, normalize or extract.';
COMMENT ON COLUMN quarantine.reason IS 'Why, in words a person can act on.';
COMMENT ON COLUMN quarantine.quarantined_at IS 'When it was quarantined (unchanged while the file is unchanged).';

CREATE TABLE IF NOT EXISTS unresolved_cell (
    document_id VARCHAR NOT NULL,
    measure_key VARCHAR NOT NULL,
    breakdown VARCHAR,
    printed VARCHAR NOT NULL,
    candidates DOUBLE[][] NOT NULL,
    reason VARCHAR NOT NULL,
    span_start INTEGER NOT NULL
);
COMMENT ON TABLE unresolved_cell IS 'Table cells a report prints that could not be read as one value (glued digit runs with several valid splits, a cell counting several breakdowns). Nothing is stored in fact_disclosure for them: no guesses.';
COMMENT ON COLUMN unresolved_cell.document_id IS 'The report the cell is in.';
COMMENT ON COLUMN unresolved_cell.measure_key IS 'The measure its row would give (dim_measure).';
COMMENT ON COLUMN unresolved_cell.breakdown IS 'The breakdown(s) its row would give, kind:code; several joined by | when one cell counts several.';
COMMENT ON COLUMN unresolved_cell.printed IS 'The row as printed (label, unit and cells).';
COMMENT ON COLUMN unresolved_cell.candidates IS 'Every reading of the cells that satisfies the table''s constraints, one list of column values each (this year, running total, ... as the header orders them); empty when none does or the question is not one of splitting.';
COMMENT ON COLUMN unresolved_cell.reason IS 'Why the cell was not stored, in words.';
COMMENT ON COLUMN unresolved_cell.span_start IS 'Start offset of the row in dim_document.text_normalized.';
-- Added with the standard tables; IF NOT EXISTS upgrades a warehouse made before them.
ALTER TABLE unresolved_cell ADD COLUMN IF NOT EXISTS columns VARCHAR[];
COMMENT ON COLUMN unresolved_cell.columns IS 'What each value of a candidate is, in candidate order: for the standard tables measure or measure|breakdown (a candidate is one joint reading of all these cells); for a pre-2019 annex row the column kinds (this_year, cumulative, ...).';
