-- Tie age and decay per person and window, from tw_ties (window_start, a, b, ...): new_ties = ties of the
-- window the person did not have in the previous window of the same period; lost_ties = ties of the previous
-- window they no longer have. Rows for windows up to the last window of the data only.
WITH ends AS (
    SELECT window_start, a AS person, b AS other FROM tw_ties
    UNION ALL
    SELECT window_start, b AS person, a AS other FROM tw_ties
),
carried AS (  -- each tie moved to the window after the one it was seen in
    SELECT
        CASE
            WHEN $period = 'week' THEN (window_start + INTERVAL 7 DAY)::DATE
            ELSE (window_start + INTERVAL 1 MONTH)::DATE
        END AS window_start,
        person,
        other
    FROM ends
)
SELECT
    coalesce(e.window_start, c.window_start) AS window_start,
    coalesce(e.person, c.person) AS person,
    count(*) FILTER (WHERE c.person IS NULL) AS new_ties,
    count(*) FILTER (WHERE e.person IS NULL) AS lost_ties
FROM ends AS e
FULL JOIN carried AS c ON c.window_start = e.window_start AND c.person = e.person AND c.other = e.other
WHERE coalesce(e.window_start, c.window_start) <= (SELECT max(window_start) FROM ends)
GROUP BY ALL
ORDER BY window_start, person
