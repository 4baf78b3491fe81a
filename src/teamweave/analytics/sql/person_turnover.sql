-- Tie age and decay per person and window, from tw_ties (window_start, a_id, b_id: integer ids named by
-- tw_tie_names): new_ties = ties of the window the person did not have in the previous window of the same
-- period; lost_ties = ties of the previous window they no longer have. Rows for windows up to the last window
-- of the data only. Counted as degree minus kept ties (pairs in both windows): one inner join of the tie table
-- with itself moved a window on, rather than a full join of every tie end (2x the rows, an outer join).
WITH moved AS (  -- each tie moved to the window after the one it was seen in
    SELECT
        CASE $period
            WHEN 'week' THEN (window_start + INTERVAL 7 DAY)::DATE
            WHEN 'month' THEN (window_start + INTERVAL 1 MONTH)::DATE
            WHEN 'quarter' THEN (window_start + INTERVAL 3 MONTH)::DATE
        END AS window_start,
        a_id,
        b_id
    FROM tw_ties
),
kept_pairs AS (
    SELECT t.window_start, t.a_id, t.b_id
    FROM tw_ties AS t
    JOIN moved AS m ON m.window_start = t.window_start AND m.a_id = t.a_id AND m.b_id = t.b_id
),
kept AS (
    SELECT window_start, person, count(*) AS kept
    FROM (
        SELECT window_start, a_id AS person FROM kept_pairs
        UNION ALL
        SELECT window_start, b_id AS person FROM kept_pairs
    )
    GROUP BY ALL
),
degree AS (
    SELECT window_start, person, count(*) AS ties
    FROM (
        SELECT window_start, a_id AS person FROM tw_ties
        UNION ALL
        SELECT window_start, b_id AS person FROM tw_ties
    )
    GROUP BY ALL
),
carried AS (
    SELECT
        CASE $period
            WHEN 'week' THEN (window_start + INTERVAL 7 DAY)::DATE
            WHEN 'month' THEN (window_start + INTERVAL 1 MONTH)::DATE
            WHEN 'quarter' THEN (window_start + INTERVAL 3 MONTH)::DATE
        END AS window_start,
        person,
        ties
    FROM degree
),
counted AS (
    SELECT
        coalesce(d.window_start, c.window_start) AS window_start,
        coalesce(d.person, c.person) AS person,
        coalesce(d.ties, 0) AS ties_now,
        coalesce(c.ties, 0) AS ties_before
    FROM degree AS d
    FULL JOIN carried AS c ON c.window_start = d.window_start AND c.person = d.person
    WHERE coalesce(d.window_start, c.window_start) <= (SELECT max(window_start) FROM tw_ties)
)
SELECT
    t.window_start,
    n.name AS person,
    t.ties_now - coalesce(k.kept, 0) AS new_ties,
    t.ties_before - coalesce(k.kept, 0) AS lost_ties
FROM counted AS t
LEFT JOIN kept AS k ON k.window_start = t.window_start AND k.person = t.person
JOIN tw_tie_names AS n ON n.id = t.person
ORDER BY t.window_start, t.person
