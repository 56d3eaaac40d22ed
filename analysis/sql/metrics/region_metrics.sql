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
-- Parameters:
--   $level, $scope, $period ('YYYY-MM'), $window_months (6 | 12), $years (INTEGER[]: plan years),
--   $purchase_share (0-1), $purchase_area_m2, $only (VARCHAR[] of county codes, or NULL for all)
WITH params AS (
    SELECT strftime(CAST($period || '-01' AS DATE) - to_months(CAST($window_months AS INTEGER) - 1), '%Y-%m')
        AS window_start
),

provinces_with_data AS (
    SELECT DISTINCT r.province_code
    FROM (
        SELECT region_code FROM inventory
        UNION SELECT region_code FROM households
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
    WHERE i.period BETWEEN (SELECT window_start FROM params) AND $period
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

roll_county AS (  -- the household roll per county (urban 棚改 apart from rural dilapidated houses)
    SELECT
        h.region_code,
        count(*) FILTER (WHERE coalesce(h.category, '') <> 'rural_dilapidated') AS households,
        count(*) FILTER (WHERE coalesce(h.category, '') <> 'rural_dilapidated' AND h.mode = 'monetised') AS monetised_households,
        count(*) FILTER (WHERE coalesce(h.category, '') <> 'rural_dilapidated' AND h.mode = 'in_kind') AS in_kind_households,
        count(*) FILTER (WHERE coalesce(h.category, '') <> 'rural_dilapidated' AND h.mode = 'undecided') AS undecided_households,
        sum(h.compensation_yuan) FILTER (WHERE coalesce(h.category, '') <> 'rural_dilapidated' AND h.mode = 'monetised')
            AS compensation_yuan,
        count(*) FILTER (WHERE coalesce(h.category, '') <> 'rural_dilapidated' AND (
            CASE WHEN h.resettled_month IS NOT NULL THEN h.resettled_month <= $period
                 ELSE h.status = 'resettled' END))
            AS resettled_households,
        count(*) FILTER (WHERE coalesce(h.category, '') <> 'rural_dilapidated' AND (
            CASE WHEN coalesce(h.signed_month, h.relocated_month, h.resettled_month) IS NOT NULL
                 THEN least(h.signed_month, h.relocated_month, h.resettled_month) <= $period
                 ELSE h.status IN ('signed', 'relocated', 'resettled') END))
            AS started_households,
        count(*) FILTER (WHERE coalesce(h.category, '') <> 'rural_dilapidated' AND h.status IN ('signed', 'relocated', 'resettled')
            AND coalesce(h.signed_month, h.relocated_month, h.resettled_month) IS NOT NULL) AS dated_households,
        count(*) FILTER (WHERE coalesce(h.category, '') <> 'rural_dilapidated' AND h.status IN ('signed', 'relocated', 'resettled'))
            AS stepped_households,
        count(*) FILTER (WHERE coalesce(h.category, '') <> 'rural_dilapidated' AND h.is_hardship) AS hardship_households,
        count(*) FILTER (WHERE h.category = 'rural_dilapidated') AS rural_households,
        count(*) FILTER (WHERE h.category = 'rural_dilapidated' AND h.hazard_grade = 'D') AS rural_d_grade_households,
        count(*) FILTER (WHERE h.category = 'rural_dilapidated' AND h.hazard_grade = 'C') AS rural_c_grade_households,
        count(*) FILTER (WHERE h.category = 'rural_dilapidated' AND h.seismic_intensity >= 8)
            AS rural_priority_households,
        count(*) FILTER (WHERE h.category = 'rural_dilapidated' AND (
            CASE WHEN h.resettled_month IS NOT NULL THEN h.resettled_month <= $period
                 ELSE h.status = 'resettled' END))
            AS rural_done_households
    FROM households AS h
    WHERE list_contains($years, h.plan_year)
      AND h.region_code IN (SELECT county_code FROM rolled)
    GROUP BY h.region_code
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

banded AS (  -- the band of the value as shown (rounded to the decimals 去化周期 is printed with)
    SELECT
        w.*,
        bd.destock_band,
        bd.land_supply_advice,
        bd.recommended_share
    FROM with_period AS w
    LEFT JOIN bands AS bd
        ON round(w.destock_months, CAST(bd.decimals AS INTEGER)) >= bd.lower_months
       AND (bd.upper_months IS NULL OR round(w.destock_months, CAST(bd.decimals AS INTEGER)) < bd.upper_months)
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
