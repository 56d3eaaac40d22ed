-- Grain: one row per region at $level ('province' | 'city' | 'county'), at month $period.
-- Regions listed: every region at $level under $scope (a region code), or, when $scope is NULL,
-- under every province that has any data. County rows are aggregated up through region_tree.
-- Parameters:
--   $level, $scope, $period ('YYYY-MM'), $window_months (6 | 12), $years (INTEGER[]: plan years),
--   $purchase_share (0-1), $purchase_area_m2
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

rolled AS (  -- county code -> the region at $level it rolls up to
    SELECT region_code AS county_code, ancestor_code AS region_code
    FROM region_tree
    WHERE ancestor_level = $level
),

stock AS (
    SELECT
        u.region_code,
        sum(i.saleable_area_m2) AS saleable_area_m2,
        CAST(sum(i.saleable_units) AS BIGINT) AS saleable_units,
        CAST(sum(i.unallocated_affordable_units) AS BIGINT) AS unallocated_affordable_units,
        sum(i.unallocated_affordable_area_m2) AS unallocated_affordable_area_m2
    FROM inventory AS i
    INNER JOIN rolled AS u ON u.county_code = i.region_code
    WHERE i.period = $period
    GROUP BY u.region_code
),

sales AS (
    SELECT
        u.region_code,
        sum(i.sold_area_m2) AS sold_area_window_m2,
        sum(i.sold_units) AS sold_units_window,
        count(DISTINCT i.period) FILTER (WHERE i.sold_area_m2 IS NOT NULL) AS months_with_data,
        count(DISTINCT i.period) FILTER (WHERE i.sold_units IS NOT NULL) AS months_with_units
    FROM inventory AS i
    INNER JOIN rolled AS u ON u.county_code = i.region_code
    WHERE i.period BETWEEN (SELECT window_start FROM params) AND $period
    GROUP BY u.region_code
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
        count(*) FILTER (WHERE h.category <> 'rural_dilapidated') AS households,
        count(*) FILTER (WHERE h.category <> 'rural_dilapidated' AND h.mode = 'monetised') AS monetised_households,
        count(*) FILTER (WHERE h.category <> 'rural_dilapidated' AND h.mode = 'in_kind') AS in_kind_households,
        count(*) FILTER (WHERE h.category <> 'rural_dilapidated' AND h.mode = 'undecided') AS undecided_households,
        sum(h.compensation_yuan) FILTER (WHERE h.category <> 'rural_dilapidated' AND h.mode = 'monetised')
            AS compensation_yuan,
        count(*) FILTER (WHERE h.category <> 'rural_dilapidated' AND h.status = 'resettled') AS resettled_households,
        count(*) FILTER (WHERE h.category <> 'rural_dilapidated' AND h.status IN ('signed', 'relocated', 'resettled'))
            AS started_households,
        count(*) FILTER (WHERE h.category <> 'rural_dilapidated' AND h.is_hardship) AS hardship_households,
        count(*) FILTER (WHERE h.category = 'rural_dilapidated') AS rural_households,
        count(*) FILTER (WHERE h.category = 'rural_dilapidated' AND h.hazard_grade = 'D') AS rural_d_grade_households,
        count(*) FILTER (WHERE h.category = 'rural_dilapidated' AND h.hazard_grade = 'C') AS rural_c_grade_households,
        count(*) FILTER (WHERE h.category = 'rural_dilapidated' AND h.seismic_intensity >= 8)
            AS rural_priority_households,
        count(*) FILTER (WHERE h.category = 'rural_dilapidated' AND h.status = 'resettled') AS rural_done_households
    FROM households AS h
    INNER JOIN rolled AS u ON u.county_code = h.region_code
    WHERE list_contains($years, h.plan_year)
    GROUP BY u.region_code
),

measured AS (
    SELECT
        t.region_code,
        t.region_name,
        t.level,
        s.saleable_area_m2,
        s.saleable_units,
        sa.sold_area_window_m2 / nullif(sa.months_with_data, 0) AS avg_monthly_sold_m2,
        sa.sold_units_window / nullif(sa.months_with_units, 0) AS avg_monthly_sold_units,
        coalesce(sa.months_with_data, 0) AS months_with_data,
        s.unallocated_affordable_units,
        s.unallocated_affordable_area_m2,
        coalesce(p.planned_households, 0) AS planned_households,
        p.target_monetised_share,
        coalesce(r.households, 0) AS households,
        coalesce(r.monetised_households, 0) AS monetised_households,
        coalesce(r.in_kind_households, 0) AS in_kind_households,
        coalesce(r.undecided_households, 0) AS undecided_households,
        coalesce(r.compensation_yuan, 0) AS compensation_yuan,
        coalesce(r.resettled_households, 0) AS resettled_households,
        coalesce(r.started_households, 0) AS started_households,
        coalesce(r.hardship_households, 0) AS hardship_households,
        coalesce(r.rural_households, 0) AS rural_households,
        coalesce(r.rural_d_grade_households, 0) AS rural_d_grade_households,
        coalesce(r.rural_c_grade_households, 0) AS rural_c_grade_households,
        coalesce(r.rural_priority_households, 0) AS rural_priority_households,
        coalesce(r.rural_done_households, 0) AS rural_done_households
    FROM targets AS t
    LEFT JOIN stock AS s USING (region_code)
    LEFT JOIN sales AS sa USING (region_code)
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
    greatest(b.saleable_area_m2 - b.absorbed_area_m2, 0) / nullif(b.avg_monthly_sold_m2, 0) AS destock_months_after,
    b.compensation_yuan,
    b.resettled_households,
    b.resettled_households / nullif(b.planned_households, 0) AS completion_share,
    -- beyond the contract's columns
    b.started_households,
    b.started_households / nullif(b.planned_households, 0) AS start_share,
    b.absorbed_units,
    b.absorbed_area_m2 / nullif(b.saleable_area_m2, 0) AS absorbed_share,
    b.saleable_units,
    b.avg_monthly_sold_units,
    b.destock_months_units,
    b.months_with_data,
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
