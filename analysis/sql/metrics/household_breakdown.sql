-- Grain: one row per region at $level under $scope per value of one household dimension.
-- The dimension is a parameter too ($dimension: mode | channel | status | category | hazard_grade |
-- seismic_intensity | is_hardship); analysis/series.py checks it against that list first.
-- Reads the roll's aggregate household_values (sql/aggregate/), never the raw roll.
-- Parameters: $level, $scope (region code), $dimension, $years (INTEGER[]), $rural (BOOLEAN: rural roll or urban roll)
WITH rolled AS (
    SELECT t.region_code AS county_code, t.ancestor_code AS region_code
    FROM region_tree AS t
    WHERE t.ancestor_level = $level
      AND t.ancestor_code IN (SELECT region_code FROM region_tree WHERE ancestor_code = $scope)
)

SELECT
    u.region_code,
    r.name AS region_name,
    v.value,
    CAST(sum(v.households) AS BIGINT) AS households,
    sum(v.compensation_yuan) AS compensation_yuan,
    CAST(sum(v.hardship_households) AS BIGINT) AS hardship_households
FROM household_values AS v
INNER JOIN rolled AS u ON u.county_code = v.region_code
INNER JOIN regions AS r ON r.region_code = u.region_code
WHERE list_contains($years, v.plan_year)
  AND v.rural = $rural
  AND v.dimension = $dimension
GROUP BY u.region_code, r.name, v.value
ORDER BY u.region_code, v.value
