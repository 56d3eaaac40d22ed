-- Grain: one row per region at $level under $scope per value of one household dimension.
-- The dimension column is chosen in Python from a whitelist (analysis/breakdown.py) and substituted
-- for the placeholder DIMENSION; every value goes in as a named parameter.
-- Parameters: $level, $scope (region code), $years (INTEGER[]), $rural (BOOLEAN: rural roll or urban roll)
WITH rolled AS (
    SELECT t.region_code AS county_code, t.ancestor_code AS region_code
    FROM region_tree AS t
    WHERE t.ancestor_level = $level
      AND t.ancestor_code IN (SELECT region_code FROM region_tree WHERE ancestor_code = $scope)
)

SELECT
    u.region_code,
    r.name AS region_name,
    CAST(h.DIMENSION AS VARCHAR) AS value,
    count(*) AS households,
    sum(h.compensation_yuan) AS compensation_yuan,
    count(*) FILTER (WHERE h.is_hardship) AS hardship_households
FROM households AS h
INNER JOIN rolled AS u ON u.county_code = h.region_code
INNER JOIN regions AS r ON r.region_code = u.region_code
WHERE list_contains($years, h.plan_year)
  AND (h.category = 'rural_dilapidated') = $rural
GROUP BY ALL
ORDER BY u.region_code, value
