-- Grain: one row per region at $level ('province' | 'city' | 'county'), at month $period.
-- Regions listed: every region at $level under $scope (a region code), or, when $scope is NULL, under
-- every province that has any data. County figures are rolled up through region_tree.
--
-- One set of counties per figure: a county reports at $period when it has a saleable stock at $period and
-- at least one month of sales in the trailing window; a region's stock, its average monthly sales and its
-- 去化周期 all come from its reporting counties: Σ stock ÷ Σ (each county's window sales ÷ its own months
-- with sales data). $only (VARCHAR[] or NULL) restricts the counties (like-for-like comparisons).
-- Progress as of $period: a household counts as started when its first dated step (signed, relocated or
-- resettled month) is not after $period, and as resettled when its resettled month is not; a step with no
-- date counts by the household's latest status (the roll's snapshot).
-- Reads inventory, plans and the roll's aggregates (household_counts, household_steps: sql/aggregate/), never
-- the raw roll. Dialect-neutral: the same text runs on DuckDB and, through sqlglot, on Spark (analysis/spark.py).
-- Parameters:
--   $level, $scope, $period ('YYYY-MM'), $window_months (6 | 12), $years (INTEGER[]: plan years),
--   $purchase_share (0-1), $purchase_area_m2, $only (VARCHAR[] of county codes, or NULL for all)
WITH params AS (  -- the window's first month, 'YYYY-MM' (month arithmetic every SQL dialect shares)
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

provinces_with_data AS (
    SELECT DISTINCT r.province_code
    FROM (
        SELECT region_code FROM inventory
        UNION SELECT region_code FROM household_counts
        UNION SELECT region_code FROM plans
    ) AS d
    INNER JOIN regions AS r USING (region_code)
),

targets AS (
    SELECT r.region_code, r.name AS region_name, r.level
    FROM regions AS r
    WHERE r.level = $level
      AND CASE
          WHEN $scope IS NULL THEN r.province_code IN (SELECT province_code FROM provinces_with_data)
          ELSE r.region_code IN (SELECT region_code FROM region_tree WHERE ancestor_code = $scope)
      END
),

rolled AS (  -- every current county under a target region → that region
    SELECT t.region_code AS county_code, t.ancestor_code AS region_code
    FROM region_tree AS t
    INNER JOIN regions AS c ON c.region_code = t.region_code AND c.level = 'county'
    WHERE t.ancestor_level = $level
      AND t.ancestor_code IN (SELECT region_code FROM targets)
      AND ($only IS NULL OR list_contains($only, t.region_code))
),

county_sales AS (  -- each county's own window: its sales and the months it has sales data for
    SELECT
        i.region_code,
        sum(i.sold_area_m2) AS sold_window_m2,
        count(i.sold_area_m2) AS months_with_data,
        sum(i.sold_units) AS sold_units_window,
        count(i.sold_units) AS months_with_units
    FROM inventory AS i
    WHERE i.period BETWEEN (SELECT window_start FROM window_start) AND $period
    GROUP BY i.region_code
),

county_figures AS (  -- the reporting counties: stock at $period and a sales average
    SELECT
        i.region_code,
        i.saleable_area_m2,
        i.saleable_units,
        i.unallocated_affordable_units,
        i.unallocated_affordable_area_m2,
        s.sold_window_m2 / s.months_with_data AS avg_monthly_sold_m2,
        s.sold_units_window / nullif(s.months_with_units, 0) AS avg_monthly_sold_units,
        s.months_with_data
    FROM inventory AS i
    INNER JOIN county_sales AS s USING (region_code)
    WHERE i.period = $period AND i.saleable_area_m2 IS NOT NULL AND s.months_with_data > 0
),

roll_years AS (  -- the roll per county over the plan years (sql/aggregate/household_counts.sql)
    SELECT
        c.region_code,
        sum(c.households) AS households,
        sum(c.monetised_households) AS monetised_households,
        sum(c.in_kind_households) AS in_kind_households,
        sum(c.undecided_households) AS undecided_households,
        sum(c.compensation_yuan) AS compensation_yuan,
        sum(c.resettled_undated) AS resettled_undated,
        sum(c.started_undated) AS started_undated,
        sum(c.dated_households) AS dated_households,
        sum(c.stepped_households) AS stepped_households,
        sum(c.hardship_households) AS hardship_households,
        sum(c.rural_households) AS rural_households,
        sum(c.rural_d_grade_households) AS rural_d_grade_households,
        sum(c.rural_c_grade_households) AS rural_c_grade_households,
        sum(c.rural_priority_households) AS rural_priority_households,
        sum(c.rural_done_undated) AS rural_done_undated
    FROM household_counts AS c
    WHERE list_contains($years, c.plan_year)
      AND c.region_code IN (SELECT county_code FROM rolled)
    GROUP BY c.region_code
),

roll_steps AS (  -- the dated steps reached by $period (sql/aggregate/household_steps.sql)
    SELECT
        s.region_code,
        coalesce(sum(s.households) FILTER (WHERE NOT s.rural AND s.step = 'resettled'), 0) AS resettled_dated,
        coalesce(sum(s.households) FILTER (WHERE NOT s.rural AND s.step = 'started'), 0) AS started_dated,
        coalesce(sum(s.households) FILTER (WHERE s.rural AND s.step = 'resettled'), 0) AS rural_done_dated
    FROM household_steps AS s
    WHERE list_contains($years, s.plan_year)
      AND s.month <= $period
      AND s.region_code IN (SELECT county_code FROM rolled)
    GROUP BY s.region_code
),

roll_county AS (  -- as of $period: a dated step by its month, an undated one by the latest status
    SELECT
        g.region_code,
        g.households,
        g.monetised_households,
        g.in_kind_households,
        g.undecided_households,
        g.compensation_yuan,
        g.resettled_undated + coalesce(s.resettled_dated, 0) AS resettled_households,
        g.started_undated + coalesce(s.started_dated, 0) AS started_households,
        g.dated_households,
        g.stepped_households,
        g.hardship_households,
        g.rural_households,
        g.rural_d_grade_households,
        g.rural_c_grade_households,
        g.rural_priority_households,
        g.rural_done_undated + coalesce(s.rural_done_dated, 0) AS rural_done_households
    FROM roll_years AS g
    LEFT JOIN roll_steps AS s USING (region_code)
),

stock AS (
    SELECT
        u.region_code,
        count(*) AS counties_reporting,
        sum(f.saleable_area_m2) AS saleable_area_m2,
        CAST(sum(f.saleable_units) AS BIGINT) AS saleable_units,
        CAST(sum(f.unallocated_affordable_units) AS BIGINT) AS unallocated_affordable_units,
        sum(f.unallocated_affordable_area_m2) AS unallocated_affordable_area_m2,
        sum(f.avg_monthly_sold_m2) AS avg_monthly_sold_m2,
        sum(f.avg_monthly_sold_units) AS avg_monthly_sold_units,
        min(f.months_with_data) AS months_with_data,
        -- absorption where the stock is known (the 去化周期 after it must not count the others)
        sum(coalesce(r.monetised_households, 0)) * $purchase_share * $purchase_area_m2 AS absorbed_reporting_m2
    FROM rolled AS u
    INNER JOIN county_figures AS f ON f.region_code = u.county_code
    LEFT JOIN roll_county AS r ON r.region_code = u.county_code
    GROUP BY u.region_code
),

counties AS (
    SELECT region_code, count(*) AS counties_total FROM rolled GROUP BY region_code
),

plan_totals AS (
    SELECT
        u.region_code,
        CAST(sum(p.planned_households) AS BIGINT) AS planned_households,
        sum(p.planned_households * p.target_monetised_share)
            / nullif(sum(p.planned_households) FILTER (WHERE p.target_monetised_share IS NOT NULL), 0)
            AS target_monetised_share
    FROM plans AS p
    INNER JOIN rolled AS u ON u.county_code = p.region_code
    WHERE list_contains($years, p.year)
    GROUP BY u.region_code
),

roll AS (
    SELECT
        u.region_code,
        sum(r.households) AS households,
        sum(r.monetised_households) AS monetised_households,
        sum(r.in_kind_households) AS in_kind_households,
        sum(r.undecided_households) AS undecided_households,
        sum(r.compensation_yuan) AS compensation_yuan,
        sum(r.resettled_households) AS resettled_households,
        sum(r.started_households) AS started_households,
        sum(r.dated_households) AS dated_households,
        sum(r.stepped_households) AS stepped_households,
        sum(r.hardship_households) AS hardship_households,
        sum(r.rural_households) AS rural_households,
        sum(r.rural_d_grade_households) AS rural_d_grade_households,
        sum(r.rural_c_grade_households) AS rural_c_grade_households,
        sum(r.rural_priority_households) AS rural_priority_households,
        sum(r.rural_done_households) AS rural_done_households
    FROM rolled AS u
    INNER JOIN roll_county AS r ON r.region_code = u.county_code
    GROUP BY u.region_code
),

measured AS (
    SELECT
        t.region_code,
        t.region_name,
        t.level,
        s.saleable_area_m2,
        s.saleable_units,
        s.avg_monthly_sold_m2,
        s.avg_monthly_sold_units,
        s.months_with_data,
        s.unallocated_affordable_units,
        s.unallocated_affordable_area_m2,
        s.absorbed_reporting_m2,
        coalesce(s.counties_reporting, 0) AS counties_reporting,
        coalesce(c.counties_total, 0) AS counties_total,
        p.planned_households,
        p.target_monetised_share,
        CAST(r.households AS BIGINT) AS households,
        CAST(r.monetised_households AS BIGINT) AS monetised_households,
        CAST(r.in_kind_households AS BIGINT) AS in_kind_households,
        CAST(r.undecided_households AS BIGINT) AS undecided_households,
        CASE WHEN r.monetised_households > 0 THEN coalesce(r.compensation_yuan, 0) END AS compensation_yuan,
        CAST(r.resettled_households AS BIGINT) AS resettled_households,
        CAST(r.started_households AS BIGINT) AS started_households,
        CAST(r.dated_households AS BIGINT) AS dated_households,
        CAST(r.stepped_households AS BIGINT) AS stepped_households,
        CAST(r.hardship_households AS BIGINT) AS hardship_households,
        CAST(r.rural_households AS BIGINT) AS rural_households,
        CAST(r.rural_d_grade_households AS BIGINT) AS rural_d_grade_households,
        CAST(r.rural_c_grade_households AS BIGINT) AS rural_c_grade_households,
        CAST(r.rural_priority_households AS BIGINT) AS rural_priority_households,
        CAST(r.rural_done_households AS BIGINT) AS rural_done_households
    FROM targets AS t
    LEFT JOIN stock AS s USING (region_code)
    LEFT JOIN counties AS c USING (region_code)
    LEFT JOIN plan_totals AS p USING (region_code)
    LEFT JOIN roll AS r USING (region_code)
),

with_period AS (
    SELECT
        m.*,
        m.saleable_area_m2 / nullif(m.avg_monthly_sold_m2, 0) AS destock_months,
        m.saleable_units / nullif(m.avg_monthly_sold_units, 0) AS destock_months_units,
        m.monetised_households * $purchase_share * $purchase_area_m2 AS absorbed_area_m2,
        m.monetised_households * $purchase_share AS absorbed_units
    FROM measured AS m
),

banded AS (  -- the band of the value as shown (rounded to the decimals 去化周期 is printed with: scale = 10^decimals)
    SELECT
        w.*,
        bd.destock_band,
        bd.land_supply_advice,
        bd.recommended_share
    FROM with_period AS w
    LEFT JOIN bands AS bd
        ON round(w.destock_months * bd.scale) / bd.scale >= bd.lower_months
       AND (bd.upper_months IS NULL OR round(w.destock_months * bd.scale) / bd.scale < bd.upper_months)
)

SELECT
    b.region_code,
    b.region_name,
    b.level,
    $period AS period,
    b.saleable_area_m2,
    b.avg_monthly_sold_m2,
    b.destock_months,
    b.destock_band,
    b.land_supply_advice,
    b.planned_households,
    b.households,
    b.monetised_households,
    b.in_kind_households,
    b.undecided_households,
    b.monetised_households / nullif(b.monetised_households + b.in_kind_households, 0) AS monetised_share,
    b.target_monetised_share,
    b.recommended_share AS recommended_monetised_share,
    b.absorbed_area_m2,
    CASE WHEN b.avg_monthly_sold_m2 > 0
         THEN greatest(b.saleable_area_m2 - b.absorbed_reporting_m2, 0) / b.avg_monthly_sold_m2
    END AS destock_months_after,
    b.compensation_yuan,
    b.resettled_households,
    b.resettled_households / nullif(b.planned_households, 0) AS completion_share,
    -- beyond the contract's columns
    b.counties_reporting,
    b.counties_total,
    coalesce(b.months_with_data, 0) AS months_with_data,
    b.months_with_data IS NOT NULL AND b.months_with_data >= CAST($window_months AS INTEGER) AS window_complete,
    CASE
        WHEN b.counties_reporting = 0 THEN 'not_reported'
        WHEN b.avg_monthly_sold_m2 = 0 THEN 'no_sales'
        ELSE 'ok'
    END AS destock_status,
    b.started_households,
    b.started_households / nullif(b.planned_households, 0) AS start_share,
    b.dated_households / nullif(b.stepped_households, 0) AS progress_dated_share,
    b.absorbed_units,
    b.absorbed_reporting_m2 / nullif(b.saleable_area_m2, 0) AS absorbed_share,
    b.saleable_units,
    b.avg_monthly_sold_units,
    b.destock_months_units,
    b.unallocated_affordable_units,
    b.unallocated_affordable_area_m2,
    b.hardship_households,
    b.rural_households,
    b.rural_d_grade_households,
    b.rural_c_grade_households,
    b.rural_priority_households,
    b.rural_done_households,
    b.rural_done_households / nullif(b.rural_households, 0) AS rural_done_share
FROM banded AS b
ORDER BY b.region_code
