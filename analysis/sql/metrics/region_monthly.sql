-- Grain: one row per region at $level under $scope per month with data, up to $period.
-- Each month follows the rule of region_metrics.sql: a county reports in a month when it has a saleable stock
-- that month and at least one month of sales in the trailing $window_months window ending there; a region's
-- stock, average sales and 去化周期 come from its reporting counties (Σ stock ÷ Σ each county's own average).
-- window_complete says whether every reporting county has sales data in every month of that window.
-- Parameters: $level, $scope (region code, required), $period ('YYYY-MM' or NULL for all), $window_months
WITH rolled AS (
    SELECT t.region_code AS county_code, t.ancestor_code AS region_code
    FROM region_tree AS t
    INNER JOIN regions AS c ON c.region_code = t.region_code AND c.level = 'county'
    WHERE t.ancestor_level = $level
      AND t.ancestor_code IN (SELECT region_code FROM region_tree WHERE ancestor_code = $scope)
),

county_months AS (
    SELECT
        i.*,
        CAST(substr(i.period, 1, 4) AS INTEGER) * 12 + CAST(substr(i.period, 6, 2) AS INTEGER) AS month_index
    FROM inventory AS i
    WHERE i.region_code IN (SELECT county_code FROM rolled)
      AND ($period IS NULL OR i.period <= $period)
),

county_windows AS (  -- each county's own trailing window at every month it has a row
    SELECT
        c.*,
        sum(c.sold_area_m2) OVER w AS sold_window_m2,
        count(c.sold_area_m2) OVER w AS months_with_data,
        sum(c.sold_units) OVER w AS sold_units_window,
        count(c.sold_units) OVER w AS months_with_units
    FROM county_months AS c
    WINDOW w AS (
        PARTITION BY c.region_code ORDER BY c.month_index
        RANGE BETWEEN CAST($window_months AS INTEGER) - 1 PRECEDING AND CURRENT ROW
    )
),

reporting AS (
    SELECT
        u.region_code,
        w.period,
        w.saleable_area_m2,
        w.saleable_units,
        w.sold_area_m2,
        w.sold_units,
        w.new_permit_area_m2,
        w.avg_price_yuan_per_m2,
        w.unallocated_affordable_units,
        w.unallocated_affordable_area_m2,
        w.sold_window_m2 / w.months_with_data AS avg_monthly_sold_m2,
        w.sold_units_window / nullif(w.months_with_units, 0) AS avg_monthly_sold_units,
        w.months_with_data
    FROM county_windows AS w
    INNER JOIN rolled AS u ON u.county_code = w.region_code
    WHERE w.saleable_area_m2 IS NOT NULL AND w.months_with_data > 0
),

monthly AS (
    SELECT
        region_code,
        period,
        count(*) AS counties_reporting,
        sum(saleable_area_m2) AS saleable_area_m2,
        CAST(sum(saleable_units) AS BIGINT) AS saleable_units,
        sum(sold_area_m2) AS sold_area_m2,
        CAST(sum(sold_units) AS BIGINT) AS sold_units,
        sum(new_permit_area_m2) AS new_permit_area_m2,
        sum(avg_price_yuan_per_m2 * sold_area_m2) / nullif(sum(sold_area_m2) FILTER (
            WHERE avg_price_yuan_per_m2 IS NOT NULL), 0) AS avg_price_yuan_per_m2,
        CAST(sum(unallocated_affordable_units) AS BIGINT) AS unallocated_affordable_units,
        sum(unallocated_affordable_area_m2) AS unallocated_affordable_area_m2,
        sum(avg_monthly_sold_m2) AS avg_monthly_sold_m2,
        sum(avg_monthly_sold_units) AS avg_monthly_sold_units,
        min(months_with_data) AS months_with_data
    FROM reporting
    GROUP BY region_code, period
),

counties AS (
    SELECT region_code, count(*) AS counties_total FROM rolled GROUP BY region_code
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
    m.avg_monthly_sold_m2,
    m.saleable_area_m2 / nullif(m.avg_monthly_sold_m2, 0) AS destock_months,
    m.saleable_units / nullif(m.avg_monthly_sold_units, 0) AS destock_months_units,
    m.counties_reporting,
    c.counties_total,
    m.months_with_data,
    m.months_with_data >= CAST($window_months AS INTEGER) AS window_complete
FROM monthly AS m
INNER JOIN counties AS c USING (region_code)
INNER JOIN regions AS r USING (region_code)
ORDER BY m.region_code, m.period
