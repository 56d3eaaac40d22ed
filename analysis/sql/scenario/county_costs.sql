-- Grain: one row per county under $scope (a province or city code): what a monetised household costs.
-- Supporting inputs of the scenario engine beside the county metrics (analysis/sql/metrics/region_metrics.sql).
-- Parameters:
--   $scope (region code), $period ('YYYY-MM'), $window_months (6 | 12), $years (INTEGER[]: plan years)
WITH params AS (
    SELECT strftime(CAST($period || '-01' AS DATE) - to_months(CAST($window_months AS INTEGER) - 1), '%Y-%m')
        AS window_start
),

counties AS (
    SELECT r.region_code, r.name AS region_name, r.parent_code AS city_code
    FROM regions AS r
    INNER JOIN region_tree AS t ON t.region_code = r.region_code AND t.ancestor_code = $scope
    WHERE r.level = 'county'
),

roll AS (
    SELECT
        h.region_code,
        count(h.compensation_yuan) FILTER (WHERE h.mode = 'monetised') AS compensated_households,
        sum(h.compensation_yuan) FILTER (WHERE h.mode = 'monetised') AS compensation_sum_yuan,
        count(h.original_area_m2) AS households_with_area,
        sum(h.original_area_m2) AS original_area_sum_m2
    FROM households AS h
    WHERE list_contains($years, h.plan_year) AND coalesce(h.category, '') <> 'rural_dilapidated'
    GROUP BY h.region_code
),

prices AS (  -- sales-weighted average price over the trailing window ending at $period
    SELECT
        i.region_code,
        sum(i.avg_price_yuan_per_m2 * i.sold_area_m2) FILTER (WHERE i.avg_price_yuan_per_m2 IS NOT NULL)
            AS price_weighted_sum,
        sum(i.sold_area_m2) FILTER (WHERE i.avg_price_yuan_per_m2 IS NOT NULL) AS price_weight_m2
    FROM inventory AS i
    WHERE i.period BETWEEN (SELECT window_start FROM params) AND $period
    GROUP BY i.region_code
)

SELECT
    c.region_code,
    c.city_code,
    coalesce(r.compensated_households, 0) AS compensated_households,
    coalesce(r.compensation_sum_yuan, 0) AS compensation_sum_yuan,
    coalesce(r.households_with_area, 0) AS households_with_area,
    coalesce(r.original_area_sum_m2, 0) AS original_area_sum_m2,
    coalesce(p.price_weighted_sum, 0) AS price_weighted_sum,
    coalesce(p.price_weight_m2, 0) AS price_weight_m2
FROM counties AS c
LEFT JOIN roll AS r USING (region_code)
LEFT JOIN prices AS p USING (region_code)
ORDER BY c.region_code
