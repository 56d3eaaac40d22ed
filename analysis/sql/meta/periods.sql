-- Grain: one row per month that has any inventory row, oldest first. No parameters.
SELECT DISTINCT period FROM inventory ORDER BY period
