-- Households whose id was made with the id key (HH-…): those a key change parts from their later re-imports.
SELECT count(*) AS households FROM households WHERE household_id LIKE 'HH-%'
