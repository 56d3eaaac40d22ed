-- Grain: one row per county × plan year × roll (rural: rural dilapidated houses) × step × month: the households
-- that reached the step in that month. step 'started': the first dated step (the earliest of signed,
-- relocated and resettled month); step 'resettled': the resettled month. Households without the date are not
-- here (they count by their latest status: household_counts). Written at commit beside each province's roll
-- (analysis/store.py); region_metrics.sql reads it for progress as of a month. Reads `households`. No parameters.
SELECT
    h.region_code,
    h.plan_year,
    coalesce(h.category, '') = 'rural_dilapidated' AS rural,
    'started' AS step,
    least(h.signed_month, h.relocated_month, h.resettled_month) AS month,
    count(*) AS households
FROM households AS h
WHERE coalesce(h.signed_month, h.relocated_month, h.resettled_month) IS NOT NULL
GROUP BY h.region_code, h.plan_year, coalesce(h.category, '') = 'rural_dilapidated',
    least(h.signed_month, h.relocated_month, h.resettled_month)
UNION ALL
SELECT
    h.region_code,
    h.plan_year,
    coalesce(h.category, '') = 'rural_dilapidated' AS rural,
    'resettled' AS step,
    h.resettled_month AS month,
    count(*) AS households
FROM households AS h
WHERE h.resettled_month IS NOT NULL
GROUP BY h.region_code, h.plan_year, coalesce(h.category, '') = 'rural_dilapidated', h.resettled_month
