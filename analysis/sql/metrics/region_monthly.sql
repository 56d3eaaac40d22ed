-- Grain: one row per region at $level under $scope per month with data, up to $period.
-- The 去化周期 of each month uses the trailing $window_months window ending at that month, divided by
-- the months in that window with data for the region (the same 口径 as region_metrics.sql).
-- Parameters: $level, $scope (region code, required), $period ('YYYY-MM' or NULL for all), $window_months
WITH rolled AS (
    SELECT t.region_code AS county_code, t.ancestor_code AS region_code
    FROM region_tree AS t
    WHERE t.ancestor_level = $level
      AND t.ancestor_code IN (SELECT region_code FROM region_tree WHERE ancestor_code = $scope)
),

monthly AS (
    SELECT
        u.region_code,
        i.period,
        sum(i.saleable_area_m2) AS saleable_area_m2,
        CAST(sum(i.saleable_units) AS BIGINT) AS saleable_units,
        sum(i.sold_area_m2) AS sold_area_m2,
        CAST(sum(i.sold_units) AS BIGINT) AS sold_units,
        sum(i.new_permit_area_m2) AS new_permit_area_m2,
        sum(i.avg_price_yuan_per_m2 * i.sold_area_m2) / nullif(sum(i.sold_area_m2) FILTER (
            WHERE i.avg_price_yuan_per_m2 IS NOT NULL), 0) AS avg_price_yuan_per_m2,
        CAST(sum(i.unallocated_affordable_units) AS BIGINT) AS unallocated_affordable_units,
        sum(i.unallocated_affordable_area_m2) AS unallocated_affordable_area_m2,
        count(i.sold_area_m2) > 0 AS has_sales_data,
        count(*) AS counties_reported
    FROM inventory AS i
    INNER JOIN rolled AS u ON u.county_code = i.region_code
    WHERE $period IS NULL OR i.period <= $period
    GROUP BY u.region_code, i.period
),

windowed AS (
    SELECT
        m.region_code,
        m.period,
        sum(w.sold_area_m2) / nullif(count(*) FILTER (WHERE w.has_sales_data), 0) AS avg_monthly_sold_m2,
        sum(w.sold_units) / nullif(count(*) FILTER (WHERE w.has_sales_data), 0) AS avg_monthly_sold_units
    FROM monthly AS m
    INNER JOIN monthly AS w
        ON w.region_code = m.region_code
       AND w.period BETWEEN strftime(CAST(m.period || '-01' AS DATE) - to_months(CAST($window_months AS INTEGER) - 1), '%Y-%m')
                        AND m.period
    GROUP BY m.region_code, m.period
)

SELECT
    m.region_code,
    r.name AS region_name,
    m.period,
    m.saleable_area_m2,
    m.saleable_units,
    m.sold_area_m2,
    m.sold_units,
    m.new_permit_area_m2,
    m.avg_price_yuan_per_m2,
    m.unallocated_affordable_units,
    m.unallocated_affordable_area_m2,
    w.avg_monthly_sold_m2,
    m.saleable_area_m2 / nullif(w.avg_monthly_sold_m2, 0) AS destock_months,
    m.saleable_units / nullif(w.avg_monthly_sold_units, 0) AS destock_months_units,
    m.counties_reported
FROM monthly AS m
INNER JOIN windowed AS w USING (region_code, period)
INNER JOIN regions AS r USING (region_code)
ORDER BY m.region_code, m.period
