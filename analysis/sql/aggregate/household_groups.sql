-- Grain: one row per county × plan year × category × mode × channel × status × hardship × hazard grade ×
-- seismic intensity × whether the household's steps carry dates (start_dated: any of signed, relocated or
-- resettled month; resettle_dated: the resettled month): households counted, compensation and original
-- areas summed (with how many households have a value). Written at commit beside each province's roll
-- (analysis/store.py); the metrics read it instead of the roll. Reads `households`. No parameters.
SELECT
    h.region_code,
    h.plan_year,
    h.category,
    h.mode,
    h.channel,
    h.status,
    h.is_hardship,
    h.hazard_grade,
    h.seismic_intensity,
    coalesce(h.signed_month, h.relocated_month, h.resettled_month) IS NOT NULL AS start_dated,
    h.resettled_month IS NOT NULL AS resettle_dated,
    count(*) AS households,
    sum(h.compensation_yuan) AS compensation_yuan,
    count(h.compensation_yuan) AS compensated_households,
    sum(h.original_area_m2) AS original_area_m2,
    count(h.original_area_m2) AS households_with_area
FROM households AS h
GROUP BY
    h.region_code,
    h.plan_year,
    h.category,
    h.mode,
    h.channel,
    h.status,
    h.is_hardship,
    h.hazard_grade,
    h.seismic_intensity,
    coalesce(h.signed_month, h.relocated_month, h.resettled_month) IS NOT NULL,
    h.resettled_month IS NOT NULL
