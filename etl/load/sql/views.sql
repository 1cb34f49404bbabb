-- Derived tables are MATERIALISED here at build time (CREATE TABLE ... AS), so every
-- dashboard query reads precomputed rows instead of re-joining the fact tables; the build is
-- atomic, so they can never be stale. fact_evidence stays a view (it is large and rarely read).
-- CCHC Atlas warehouse: dashboard views (executed after the tables are filled).
-- One row per plan and category id (the dashboard counts plans, not sentences); n_evidence
-- says how many sentences support it and n_documents in how many sources they were found.
-- Every column is documented in etl/load/dictionary.yaml.

-- Channels each plan uses, with the codebook group (digital, broadcast, press, print, ...).
CREATE TABLE plan_channels AS
SELECT
    m.plan_id,
    m.channel_id,
    c.group_id,
    c.group_en,
    c.label_vi,
    c.label_en,
    count(*) AS n_evidence,
    count(DISTINCT m.doc_id) AS n_documents
FROM channel_mentions AS m
LEFT JOIN codebook AS c ON c.category = 'channel' AND c.id = m.channel_id
GROUP BY m.plan_id, m.channel_id, c.group_id, c.group_en, c.label_vi, c.label_en;

-- Themes each plan addresses, with the codebook group (reform_area, mechanism, framing).
CREATE TABLE plan_themes AS
SELECT
    m.plan_id,
    m.theme_id,
    c.group_id,
    c.group_en,
    c.label_vi,
    c.label_en,
    count(*) AS n_evidence,
    count(DISTINCT m.doc_id) AS n_documents
FROM theme_mentions AS m
LEFT JOIN codebook AS c ON c.category = 'theme' AND c.id = m.theme_id
GROUP BY m.plan_id, m.theme_id, c.group_id, c.group_en, c.label_vi, c.label_en;

-- Audiences each plan targets.
CREATE TABLE plan_audiences AS
SELECT
    m.plan_id,
    m.audience_id,
    c.group_id,
    c.group_en,
    c.label_vi,
    c.label_en,
    count(*) AS n_evidence,
    count(DISTINCT m.doc_id) AS n_documents
FROM audience_mentions AS m
LEFT JOIN codebook AS c ON c.category = 'audience' AND c.id = m.audience_id
GROUP BY m.plan_id, m.audience_id, c.group_id, c.group_en, c.label_vi, c.label_en;

-- Social-media platforms each plan names.
CREATE TABLE plan_platforms AS
SELECT
    m.plan_id,
    m.platform_id,
    c.group_id,
    c.group_en,
    c.label_vi,
    c.label_en,
    count(*) AS n_evidence,
    count(DISTINCT m.doc_id) AS n_documents
FROM platform_mentions AS m
LEFT JOIN codebook AS c ON c.category = 'platform' AND c.id = m.platform_id
GROUP BY m.plan_id, m.platform_id, c.group_id, c.group_en, c.label_vi, c.label_en;

-- Agencies each plan gives a role: one row per plan x agency x role.
CREATE TABLE plan_responsibilities AS
SELECT
    r.plan_id,
    r.agency_id,
    r.role,
    a.label_vi AS agency_label_vi,
    a.label_en AS agency_label_en,
    o.label_en AS role_label_en,
    string_agg(DISTINCT r.agency_text, '; ' ORDER BY r.agency_text) AS agency_texts,
    count(*) AS n_evidence,
    count(DISTINCT r.doc_id) AS n_documents
FROM responsibilities AS r
LEFT JOIN codebook AS a ON a.category = 'agency' AND a.id = r.agency_id
LEFT JOIN codebook AS o ON o.category = 'role' AND o.id = r.role
GROUP BY r.plan_id, r.agency_id, r.role, a.label_vi, a.label_en, o.label_en;

-- Every fact with its evidence and its source document, for "show me the sentence".
CREATE VIEW fact_evidence AS
WITH facts AS (
    SELECT 'channel' AS category, plan_id, doc_id, channel_id AS fact_id, NULL AS role,
        evidence_start, evidence_end, evidence_text
    FROM channel_mentions
    UNION ALL
    SELECT 'theme', plan_id, doc_id, theme_id, NULL, evidence_start, evidence_end, evidence_text
    FROM theme_mentions
    UNION ALL
    SELECT 'audience', plan_id, doc_id, audience_id, NULL,
        evidence_start, evidence_end, evidence_text
    FROM audience_mentions
    UNION ALL
    SELECT 'platform', plan_id, doc_id, platform_id, NULL,
        evidence_start, evidence_end, evidence_text
    FROM platform_mentions
    UNION ALL
    SELECT 'agency', plan_id, doc_id, agency_id, role, evidence_start, evidence_end, evidence_text
    FROM responsibilities
)
SELECT
    f.category,
    f.plan_id,
    f.doc_id,
    f.fact_id,
    CAST(f.role AS VARCHAR) AS role,
    f.evidence_start,
    f.evidence_end,
    f.evidence_text,
    d.relpath,
    d.url,
    d.title,
    d.published_date
FROM facts AS f
JOIN documents AS d USING (doc_id);

-- Plans with their place: province names of both eras (crosswalk), district and region
-- (gazetteer era 'legacy' = the 63-province map the plans' codes belong to).
CREATE TABLE plan_facts AS
WITH province AS (
    SELECT province_code, min(province_name) AS province_name,
        min(province_code_2025) AS merged_into
    FROM locality_crosswalk
    GROUP BY province_code
),
province_2025 AS (
    SELECT province_code_2025, min(province_name_2025) AS province_name_2025
    FROM locality_crosswalk
    GROUP BY province_code_2025
),
legacy_province AS (
    SELECT code, min(region_id) AS region_id, min(region_vi) AS region_vi,
        min(region_en) AS region_en, bool_or(is_centrally_run_city) AS is_centrally_run_city
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
),
legacy_district AS (
    SELECT code, min(name) AS district_name
    FROM localities
    WHERE era = 'legacy' AND level = 'district'
    GROUP BY code
)
SELECT
    p.*,
    pr.province_name,
    p25.province_name_2025,
    d.district_name,
    lp.region_id,
    lp.region_vi,
    lp.region_en,
    lp.is_centrally_run_city,
    coalesce(ch.n, 0) AS n_channels,
    coalesce(th.n, 0) AS n_themes,
    coalesce(au.n, 0) AS n_audiences
FROM plans AS p
LEFT JOIN province AS pr ON pr.province_code = p.province_code
LEFT JOIN province_2025 AS p25
    ON p25.province_code_2025 = coalesce(p.province_code_2025, pr.merged_into)
LEFT JOIN legacy_district AS d ON d.code = p.district_code
LEFT JOIN legacy_province AS lp ON lp.code = p.province_code
LEFT JOIN (
    SELECT plan_id, count(DISTINCT channel_id) AS n FROM channel_mentions GROUP BY plan_id
) AS ch ON ch.plan_id = p.plan_id
LEFT JOIN (
    SELECT plan_id, count(DISTINCT theme_id) AS n FROM theme_mentions GROUP BY plan_id
) AS th ON th.plan_id = p.plan_id
LEFT JOIN (
    SELECT plan_id, count(DISTINCT audience_id) AS n FROM audience_mentions GROUP BY plan_id
) AS au ON au.plan_id = p.plan_id;

-- Plans and documents per province (63-province era) and year; NULL = not known.
CREATE TABLE locality_year AS
SELECT
    p.province_code,
    pr.province_name,
    p.plan_year,
    count(DISTINCT p.plan_id) AS n_plans,
    count(DISTINCT s.doc_id) AS n_documents
FROM plans AS p
LEFT JOIN plan_sources AS s ON s.plan_id = p.plan_id
LEFT JOIN (
    SELECT province_code, min(province_name) AS province_name
    FROM locality_crosswalk
    GROUP BY province_code
) AS pr ON pr.province_code = p.province_code
GROUP BY p.province_code, pr.province_name, p.plan_year;
