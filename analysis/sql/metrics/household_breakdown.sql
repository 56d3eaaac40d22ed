-- Grain: one row per region at $level under $scope per value of one household dimension.
-- The dimension is a parameter too ($dimension: mode | channel | status | category | hazard_grade |
-- seismic_intensity | is_hardship); analysis/series.py checks it against that list first.
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
    CASE $dimension
        WHEN 'mode' THEN h.mode
        WHEN 'channel' THEN h.channel
        WHEN 'status' THEN h.status
        WHEN 'category' THEN h.category
        WHEN 'hazard_grade' THEN h.hazard_grade
        WHEN 'seismic_intensity' THEN CAST(h.seismic_intensity AS VARCHAR)
        WHEN 'is_hardship' THEN CAST(h.is_hardship AS VARCHAR)
    END AS value,
    count(*) AS households,
    sum(h.compensation_yuan) AS compensation_yuan,
    count(*) FILTER (WHERE h.is_hardship) AS hardship_households
FROM households AS h
INNER JOIN rolled AS u ON u.county_code = h.region_code
INNER JOIN regions AS r ON r.region_code = u.region_code
WHERE list_contains($years, h.plan_year)
  AND (coalesce(h.category, '') = 'rural_dilapidated') = $rural
GROUP BY ALL
ORDER BY u.region_code, value
