-- Dimensions of the star schema. Applied in file-name order by flows/warehouse.py.

CREATE TABLE IF NOT EXISTS dim_template (
    template_key VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    description VARCHAR NOT NULL
);
COMMENT ON TABLE dim_template IS 'Report templates: prose (2008 Regulations, free text), gb2019 (国办公开办函〔2019〕60号) and gb2021 (国办公开办函〔2021〕30号).';
COMMENT ON COLUMN dim_template.template_key IS 'Template code: prose, gb2019 or gb2021.';
COMMENT ON COLUMN dim_template.label IS 'Short human label of the template.';
COMMENT ON COLUMN dim_template.description IS 'What identifies the template and which report years use it.';

CREATE TABLE IF NOT EXISTS dim_year (
    report_year INTEGER PRIMARY KEY,
    regime VARCHAR NOT NULL CHECK (regime IN ('pre2019', 'gb2019', 'gb2021'))
);
COMMENT ON TABLE dim_year IS 'Report years (the year reported on, not the year of publication), with the reporting regime in force.';
COMMENT ON COLUMN dim_year.report_year IS 'The calendar year a report covers.';
COMMENT ON COLUMN dim_year.regime IS 'Reporting regime of the year: pre2019 (prose), gb2019 (2019-2020) or gb2021 (2021 on).';

CREATE TABLE IF NOT EXISTS dim_measure (
    measure_key VARCHAR PRIMARY KEY,
    measure_group VARCHAR NOT NULL,
    label_zh VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    templates VARCHAR NOT NULL,
    breakdown_kinds VARCHAR NOT NULL,
    notes VARCHAR NOT NULL
);
COMMENT ON TABLE dim_measure IS 'The measure catalogue (transforms/catalogue/measures.csv): what a figure counts. Codes are a stable contract and are never renamed.';
COMMENT ON COLUMN dim_measure.measure_key IS 'Measure code, e.g. req.new_received.';
COMMENT ON COLUMN dim_measure.measure_group IS 'Family of the measure: proactive, t2, t3, fees, t4.';
COMMENT ON COLUMN dim_measure.label_zh IS 'Chinese label as reports print it.';
COMMENT ON COLUMN dim_measure.label_en IS 'English label.';
COMMENT ON COLUMN dim_measure.unit IS 'Unit of fact values (money is always yuan, converted from 万元).';
COMMENT ON COLUMN dim_measure.templates IS 'Templates in which the measure appears, separated by |.';
COMMENT ON COLUMN dim_measure.breakdown_kinds IS 'Breakdown kinds the measure may have (applicant, channel, category, outcome), separated by |.';
COMMENT ON COLUMN dim_measure.notes IS 'Caveats: what the figure is not.';

CREATE TABLE IF NOT EXISTS dim_breakdown (
    breakdown_key VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    label_zh VARCHAR NOT NULL,
    UNIQUE (kind, code)
);
COMMENT ON TABLE dim_breakdown IS 'Breakdowns of a measure (transforms/catalogue/breakdowns.csv), plus category labels as printed. The row with key '''' (kind none) is the figure as a whole.';
COMMENT ON COLUMN dim_breakdown.breakdown_key IS 'kind:code, e.g. applicant:natural_person or category:机构职能; empty string for the whole figure.';
COMMENT ON COLUMN dim_breakdown.kind IS 'Breakdown kind: none, applicant, channel, outcome or category.';
COMMENT ON COLUMN dim_breakdown.code IS 'Code within the kind; for categories the printed label in simplified script.';
COMMENT ON COLUMN dim_breakdown.label_zh IS 'Chinese label(s) the reports print for it.';

CREATE TABLE IF NOT EXISTS dim_agency (
    agency_id VARCHAR PRIMARY KEY,
    agency_name VARCHAR NOT NULL,
    admin_level VARCHAR NOT NULL CHECK (admin_level IN ('central', 'province', 'prefecture', 'county', 'township', 'unknown')),
    province VARCHAR,
    division_code VARCHAR,
    division_reason VARCHAR
);
COMMENT ON TABLE dim_agency IS 'Issuing agencies, as reports name themselves (simplified script), with their administrative level.';
COMMENT ON COLUMN dim_agency.agency_id IS 'Surrogate key: digest of name and division code.';
COMMENT ON COLUMN dim_agency.agency_name IS 'Name of the issuing body as the report names itself, in simplified script.';
COMMENT ON COLUMN dim_agency.admin_level IS 'Administrative level: central, province, prefecture, county, township or unknown; decided with the GB/T 2260 division table, not the name suffix.';
COMMENT ON COLUMN dim_agency.province IS 'Province-level division the agency belongs to, when known.';
COMMENT ON COLUMN dim_agency.division_code IS 'GB/T 2260 code of the division the name starts with, when resolved.';
