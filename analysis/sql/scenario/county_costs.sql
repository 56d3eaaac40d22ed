-- Grain: one row per county under $scope (a province or city code): what a monetised household costs.
-- Supporting inputs of the scenario engine beside the county metrics (analysis/sql/metrics/region_metrics.sql).
-- Parameters:
--   $scope (region code), $period ('YYYY-MM'), $window_months (6 | 12), $years (INTEGER[]: plan years)
WITH params AS (  -- the window's first month, 'YYYY-MM' (as in region_metrics.sql)
    SELECT
        CAST(floor(w.first_index / 12) AS INTEGER) AS first_year,
        CAST(w.first_index % 12 + 1 AS INTEGER) AS first_month
    FROM (
        SELECT CAST(substr($period, 1, 4) AS INTEGER) * 12 + CAST(substr($period, 6, 2) AS INTEGER) - 1
            - (CAST($window_months AS INTEGER) - 1) AS first_index
    ) AS w
),

window_start AS (
    SELECT CAST(first_year AS VARCHAR) || '-' || lpad(CAST(first_month AS VARCHAR), 2, '0') AS window_start
    FROM params
),

counties AS (
    SELECT r.region_code, r.name AS region_name, r.parent_code AS city_code
    FROM regions AS r
    INNER JOIN region_tree AS t ON t.region_code = r.region_code AND t.ancestor_code = $scope
    WHERE r.level = 'county'
),

roll AS (  -- the urban roll, from its aggregate (sql/aggregate/household_counts.sql), never the raw roll
    SELECT
        g.region_code,
        sum(g.compensated_households) AS compensated_households,
        sum(g.compensation_yuan) AS compensation_sum_yuan,
        sum(g.households_with_area) AS households_with_area,
        sum(g.original_area_m2) AS original_area_sum_m2
    FROM household_counts AS g
    WHERE list_contains($years, g.plan_year)
      AND g.region_code IN (SELECT region_code FROM counties)
    GROUP BY g.region_code
),

prices AS (  -- sales-weighted average price over the trailing window ending at $period
    SELECT
        i.region_code,
        sum(i.avg_price_yuan_per_m2 * i.sold_area_m2) FILTER (WHERE i.avg_price_yuan_per_m2 IS NOT NULL)
            AS price_weighted_sum,
        sum(i.sold_area_m2) FILTER (WHERE i.avg_price_yuan_per_m2 IS NOT NULL) AS price_weight_m2
    FROM inventory AS i
    WHERE i.period BETWEEN (SELECT window_start FROM window_start) AND $period
      AND i.region_code IN (SELECT region_code FROM counties)
    GROUP BY i.region_code
)

SELECT
    c.region_code,
    c.city_code,
    CAST(coalesce(r.compensated_households, 0) AS BIGINT) AS compensated_households,
    coalesce(r.compensation_sum_yuan, 0) AS compensation_sum_yuan,
    CAST(coalesce(r.households_with_area, 0) AS BIGINT) AS households_with_area,
    coalesce(r.original_area_sum_m2, 0) AS original_area_sum_m2,
    coalesce(p.price_weighted_sum, 0) AS price_weighted_sum,
    coalesce(p.price_weight_m2, 0) AS price_weight_m2
FROM counties AS c
LEFT JOIN roll AS r USING (region_code)
LEFT JOIN prices AS p USING (region_code)
ORDER BY c.region_code
