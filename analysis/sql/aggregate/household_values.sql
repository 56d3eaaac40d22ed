-- Grain: one row per county × plan year × roll (rural: rural dilapidated houses, else the urban 棚改 roll) ×
-- dimension × value, for each dimension a page breaks the roll down by (mode, channel, status, category,
-- hazard_grade, seismic_intensity, is_hardship): households, their compensation and hardship households.
-- Written at commit beside each province's roll (analysis/store.py); household_breakdown.sql reads it.
-- Reads `households`. No parameters.
WITH base AS (  -- a household of unknown category (no 棚户区类型) counts among the urban ones
    SELECT r.*, coalesce(r.category, '') = 'rural_dilapidated' AS rural FROM households AS r
)

SELECT
    d.region_code,
    d.plan_year,
    d.rural,
    d.dimension,
    d.value,
    count(*) AS households,
    sum(d.compensation_yuan) AS compensation_yuan,
    count(*) FILTER (WHERE d.is_hardship) AS hardship_households
FROM (
    SELECT h.region_code, h.plan_year, h.rural, h.compensation_yuan, h.is_hardship,
        'mode' AS dimension, h.mode AS value
    FROM base AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.rural, h.compensation_yuan, h.is_hardship,
        'channel', h.channel
    FROM base AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.rural, h.compensation_yuan, h.is_hardship,
        'status', h.status
    FROM base AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.rural, h.compensation_yuan, h.is_hardship,
        'category', h.category
    FROM base AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.rural, h.compensation_yuan, h.is_hardship,
        'hazard_grade', h.hazard_grade
    FROM base AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.rural, h.compensation_yuan, h.is_hardship,
        'seismic_intensity', CAST(h.seismic_intensity AS VARCHAR)
    FROM base AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.rural, h.compensation_yuan, h.is_hardship,
        'is_hardship', CAST(h.is_hardship AS VARCHAR)
    FROM base AS h
) AS d
GROUP BY d.region_code, d.plan_year, d.rural, d.dimension, d.value
