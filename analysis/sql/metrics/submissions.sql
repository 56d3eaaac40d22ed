-- Grain: one row per county under $scope per month from $first_period to $last_period:
-- whether inventory data was submitted (报送进度) and by which import (version).
-- Parameters: $scope (region code), $first_period, $last_period ('YYYY-MM')
WITH months AS (
    SELECT strftime(d, '%Y-%m') AS period
    FROM range(CAST($first_period || '-01' AS DATE), CAST($last_period || '-01' AS DATE) + INTERVAL 1 MONTH,
               INTERVAL 1 MONTH) AS t(d)
),

counties AS (
    SELECT r.region_code, r.name AS region_name, r.parent_code AS city_code, c.name AS city_name
    FROM regions AS r
    INNER JOIN regions AS c ON c.region_code = r.parent_code
    WHERE r.level = 'county'
      AND r.region_code IN (SELECT region_code FROM region_tree WHERE ancestor_code = $scope)
)

SELECT
    c.city_code,
    c.city_name,
    c.region_code,
    c.region_name,
    m.period,
    i.region_code IS NOT NULL AS submitted,
    i.import_version
FROM counties AS c
CROSS JOIN months AS m
LEFT JOIN inventory AS i ON i.region_code = c.region_code AND i.period = m.period
ORDER BY c.region_code, m.period
