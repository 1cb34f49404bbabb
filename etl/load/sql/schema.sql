-- CCHC Atlas warehouse: tables.
-- Executed on an empty database by etl/load/build.py, then filled by bulk inserts of the
-- DataFrames built in etl/load/frames.py (same column names and types; keep them in step).
-- Every column is documented in etl/load/dictionary.yaml (a test fails when they drift).
-- Conventions:
--   * character offsets (evidence_start, evidence_end) are 0-based Python string offsets,
--     end exclusive, into documents.text; in SQL the span is
--     substring(text, evidence_start + 1, evidence_end - evidence_start) = evidence_text;
--   * dates are DATE (no time, no zone); codes are VARCHAR with leading zeros kept;
--   * no timestamps anywhere except build_info.built_at, so rebuilding from the same
--     folder gives identical tables.

-- One row per distinct document (distinct file bytes); exact copies are in duplicate_files.
CREATE TABLE documents (
    doc_id VARCHAR PRIMARY KEY,          -- sha256 of the file bytes (hex)
    relpath VARCHAR NOT NULL,            -- path under the documents folder, '/'-separated
    fmt VARCHAR NOT NULL,                -- 'txt' | 'html'
    size_bytes BIGINT NOT NULL,
    encoding VARCHAR,                    -- detected source encoding
    url VARCHAR,                         -- manifest url, else one found in the page
    title VARCHAR,
    kind VARCHAR NOT NULL,               -- plan | report | directive | other
    published_date DATE,
    author VARCHAR,
    source_name VARCHAR,                 -- "Theo X": the outlet relayed
    synthetic BOOLEAN NOT NULL,
    plan_id VARCHAR NOT NULL,            -- plans.plan_id
    plan_number VARCHAR,                 -- as extracted from this document
    issue_date DATE,
    plan_year INTEGER,
    issuer_name VARCHAR,
    issuer_level VARCHAR,
    province_code VARCHAR,
    district_code VARCHAR,
    commune_code VARCHAR,
    province_code_2025 VARCHAR,
    locality_source VARCHAR,             -- text | title | outlet | manifest
    text VARCHAR NOT NULL,               -- cleaned text: the reference of every evidence span
    extractor_version VARCHAR NOT NULL,
    codebook_version VARCHAR NOT NULL
);

-- Extra copies of a document already loaded (same bytes, another path): not loaded twice.
CREATE TABLE duplicate_files (
    relpath VARCHAR PRIMARY KEY,         -- the copy that was skipped
    doc_id VARCHAR NOT NULL,             -- documents.doc_id
    kept_relpath VARCHAR NOT NULL        -- documents.relpath of the copy that was loaded
);

-- One row per plan: the documents about the same plan (same issuer, number and year) are
-- merged; single-valued fields take the most frequent value across its sources.
CREATE TABLE plans (
    plan_id VARCHAR PRIMARY KEY,         -- stable short hash of the grouping key
    kind VARCHAR NOT NULL,
    plan_number VARCHAR,
    title VARCHAR,
    issuer_name VARCHAR,
    issuer_level VARCHAR,
    province_code VARCHAR,
    district_code VARCHAR,
    commune_code VARCHAR,
    province_code_2025 VARCHAR,
    issue_date DATE,
    plan_year INTEGER,
    published_date DATE,                 -- earliest published_date of its sources
    n_sources INTEGER NOT NULL,
    synthetic BOOLEAN NOT NULL           -- true when every source is synthetic
);

-- Which documents report each plan.
CREATE TABLE plan_sources (
    plan_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    relpath VARCHAR NOT NULL,
    url VARCHAR,
    published_date DATE,
    PRIMARY KEY (plan_id, doc_id)
);

-- Administrative units of both eras (from etl.gazetteer.tables.localities_frame):
-- era 'legacy' (63 provinces, districts, communes until 30 June 2025) and era '2025'.
CREATE TABLE localities (
    era VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    name VARCHAR,
    short_name VARCHAR,
    name_en VARCHAR,
    type_word VARCHAR,
    province_code VARCHAR,
    district_code VARCHAR,
    province_code_2025 VARCHAR,
    region_id VARCHAR,
    region_vi VARCHAR,
    region_en VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    is_centrally_run_city BOOLEAN,
    PRIMARY KEY (era, level, code)
);

-- 63-province era -> 34-province era (from etl.gazetteer.tables.crosswalk_frame).
CREATE TABLE locality_crosswalk (
    province_code VARCHAR PRIMARY KEY,
    province_name VARCHAR,
    province_code_2025 VARCHAR,
    province_name_2025 VARCHAR
);

-- The codebook the facts were coded with (from etl.codebook.codebook_frame).
CREATE TABLE codebook (
    category VARCHAR NOT NULL,           -- channel | theme | audience | platform | agency | role
    id VARCHAR NOT NULL,
    group_id VARCHAR,                    -- chart group of the id (channels, themes)
    group_vi VARCHAR,
    group_en VARCHAR,
    label_vi VARCHAR,
    label_en VARCHAR,
    description VARCHAR,
    PRIMARY KEY (category, id)
);

-- Channels a document says its plan uses; one row per evidence span.
CREATE TABLE channel_mentions (
    plan_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    channel_id VARCHAR NOT NULL,         -- codebook id, category 'channel'
    rule VARCHAR NOT NULL,               -- codebook pattern id that matched
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    evidence_text VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    codebook_version VARCHAR NOT NULL
);

-- Themes a document says its plan addresses; one row per evidence span.
CREATE TABLE theme_mentions (
    plan_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    theme_id VARCHAR NOT NULL,           -- codebook id, category 'theme'
    rule VARCHAR NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    evidence_text VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    codebook_version VARCHAR NOT NULL
);

-- Audiences a document says its plan targets; one row per evidence span.
CREATE TABLE audience_mentions (
    plan_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    audience_id VARCHAR NOT NULL,        -- codebook id, category 'audience'
    rule VARCHAR NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    evidence_text VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    codebook_version VARCHAR NOT NULL
);

-- Social-media platforms a document names for its plan; one row per evidence span.
CREATE TABLE platform_mentions (
    plan_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    platform_id VARCHAR NOT NULL,        -- codebook id, category 'platform'
    rule VARCHAR NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    evidence_text VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    codebook_version VARCHAR NOT NULL
);

-- Agencies given a role by the plan; one row per assigning clause.
CREATE TABLE responsibilities (
    plan_id VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    agency_id VARCHAR NOT NULL,          -- codebook id, category 'agency', or 'other'
    agency_text VARCHAR NOT NULL,        -- the agency as written
    role VARCHAR NOT NULL,               -- lead | coordinate | implement
    task VARCHAR NOT NULL,               -- the clause that assigns it
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    evidence_text VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    codebook_version VARCHAR NOT NULL
);

-- Where each single-valued field of a document (title, plan_number, issue_date, issuer, ...)
-- was read in its text.
CREATE TABLE field_evidence (
    doc_id VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    value VARCHAR,                       -- the extracted value as text (dates ISO 8601)
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    evidence_text VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, field)
);

-- Files that could not be loaded (or facts that were dropped), with the reason.
CREATE TABLE load_errors (
    relpath VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,              -- discover | read | extract | manifest
    problem VARCHAR NOT NULL
);

-- Facts about the build itself (key/value).
CREATE TABLE build_info (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
