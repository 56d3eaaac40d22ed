-- Grain: one row per plan year that has a plan or a household of the roll in a county under $scope.
-- Parameters: $scope (region code)
SELECT DISTINCT y.year
FROM (
    SELECT p.year, p.region_code FROM plans AS p
    UNION ALL
    SELECT c.plan_year AS year, c.region_code FROM household_counts AS c
) AS y
WHERE y.region_code IN (SELECT region_code FROM region_tree WHERE ancestor_code = $scope)
ORDER BY y.year
