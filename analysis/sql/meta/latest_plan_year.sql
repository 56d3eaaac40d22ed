-- Grain: one row: the latest plan year in the plans, else in the household roll (NULL when neither has any).
-- No parameters.
SELECT coalesce((SELECT max(year) FROM plans), (SELECT max(plan_year) FROM households)) AS year
