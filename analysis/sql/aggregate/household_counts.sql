-- Grain: one row per county × plan year: the roll counted as the metrics count it (urban 棚改 apart from
-- rural dilapidated houses): households by mode, compensation of monetised households (and how many have
-- one), original areas, hardship, households by latest status without a dated step (progress by date comes
-- from household_steps), and the rural C/D grades, seismic priority areas and completions. Written at commit
-- beside each province's roll (analysis/store.py); region_metrics.sql and county_costs.sql read it instead of
-- the roll. Reads `households`. No parameters.
SELECT
    h.region_code,
    h.plan_year,
    count(*) FILTER (WHERE NOT h.rural) AS households,
    count(*) FILTER (WHERE NOT h.rural AND h.mode = 'monetised') AS monetised_households,
    count(*) FILTER (WHERE NOT h.rural AND h.mode = 'in_kind') AS in_kind_households,
    count(*) FILTER (WHERE NOT h.rural AND h.mode = 'undecided') AS undecided_households,
    sum(h.compensation_yuan) FILTER (WHERE NOT h.rural AND h.mode = 'monetised')
        AS compensation_yuan,
    count(h.compensation_yuan) FILTER (WHERE NOT h.rural AND h.mode = 'monetised')
        AS compensated_households,
    sum(h.original_area_m2) FILTER (WHERE NOT h.rural) AS original_area_m2,
    count(h.original_area_m2) FILTER (WHERE NOT h.rural) AS households_with_area,
    count(*) FILTER (WHERE NOT h.rural AND h.resettled_month IS NULL
        AND h.status = 'resettled') AS resettled_undated,
    count(*) FILTER (WHERE NOT h.rural
        AND coalesce(h.signed_month, h.relocated_month, h.resettled_month) IS NULL
        AND h.status IN ('signed', 'relocated', 'resettled')) AS started_undated,
    count(*) FILTER (WHERE NOT h.rural
        AND coalesce(h.signed_month, h.relocated_month, h.resettled_month) IS NOT NULL
        AND h.status IN ('signed', 'relocated', 'resettled')) AS dated_households,
    count(*) FILTER (WHERE NOT h.rural AND h.status IN ('signed', 'relocated', 'resettled'))
        AS stepped_households,
    count(*) FILTER (WHERE NOT h.rural AND h.is_hardship) AS hardship_households,
    count(*) FILTER (WHERE h.rural) AS rural_households,
    count(*) FILTER (WHERE h.rural AND h.hazard_grade = 'D') AS rural_d_grade_households,
    count(*) FILTER (WHERE h.rural AND h.hazard_grade = 'C') AS rural_c_grade_households,
    count(*) FILTER (WHERE h.rural AND h.seismic_intensity >= 8)
        AS rural_priority_households,
    count(*) FILTER (WHERE h.rural AND h.resettled_month IS NULL
        AND h.status = 'resettled') AS rural_done_undated
FROM (  -- a household of unknown category (no 棚户区类型) counts among the urban ones
    SELECT r.*, coalesce(r.category, '') = 'rural_dilapidated' AS rural FROM households AS r
) AS h
GROUP BY h.region_code, h.plan_year
