-- Grain: one row per province that has any row in any canonical table. No parameters.
SELECT DISTINCT r.province_code, p.name AS province_name
FROM (
    SELECT region_code FROM inventory
    UNION SELECT region_code FROM plans
    UNION SELECT region_code FROM households
) AS d
INNER JOIN regions AS r USING (region_code)
INNER JOIN regions AS p ON p.region_code = r.province_code
ORDER BY r.province_code
