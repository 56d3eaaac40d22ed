-- Grain: one row per county × plan year × roll (rural: rural dilapidated houses, else the urban 棚改 roll) ×
-- dimension × value, for each dimension a page breaks the roll down by (mode, channel, status, category,
-- hazard_grade, seismic_intensity, is_hardship): households, their compensation and hardship households.
-- Written at commit beside each province's roll (analysis/store.py); household_breakdown.sql reads it.
-- Reads `households`. No parameters.
SELECT
    d.region_code,
    d.plan_year,
    coalesce(d.roll_category, '') = 'rural_dilapidated' AS rural,  -- unknown category: the urban roll
    d.dimension,
    d.value,
    count(*) AS households,
    sum(d.compensation_yuan) AS compensation_yuan,
    count(*) FILTER (WHERE d.is_hardship) AS hardship_households
FROM (
    SELECT h.region_code, h.plan_year, h.category AS roll_category, h.compensation_yuan, h.is_hardship,
        'mode' AS dimension, h.mode AS value
    FROM households AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.category AS roll_category, h.compensation_yuan, h.is_hardship,
        'channel', h.channel
    FROM households AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.category AS roll_category, h.compensation_yuan, h.is_hardship,
        'status', h.status
    FROM households AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.category AS roll_category, h.compensation_yuan, h.is_hardship,
        'category', h.category
    FROM households AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.category AS roll_category, h.compensation_yuan, h.is_hardship,
        'hazard_grade', h.hazard_grade
    FROM households AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.category AS roll_category, h.compensation_yuan, h.is_hardship,
        'seismic_intensity', CAST(h.seismic_intensity AS VARCHAR)
    FROM households AS h
    UNION ALL
    SELECT h.region_code, h.plan_year, h.category AS roll_category, h.compensation_yuan, h.is_hardship,
        'is_hardship', CAST(h.is_hardship AS VARCHAR)
    FROM households AS h
) AS d
GROUP BY d.region_code, d.plan_year, coalesce(d.roll_category, '') = 'rural_dilapidated', d.dimension, d.value
