-- One row per person active in a window (a tie or any interaction): tie stats joined to activity, and the
-- change against the previous window of the same period (absent then = 0; NULL in the first window).
WITH cur AS (
    SELECT
        coalesce(t.window_start, a.window_start) AS window_start,
        coalesce(t.person, a.person) AS person,
        coalesce(t.ties, 0) AS ties,
        coalesce(t.strong_ties, 0) AS strong_ties,
        coalesce(t.weak_ties, 0) AS weak_ties,
        coalesce(t.strength, 0.0) AS strength,
        t.cross_team_share,
        coalesce(a.human_events, 0) AS human_events,
        coalesce(a.tool_events, 0) AS tool_events,
        a.human_share,
        a.after_hours_share
    FROM tw_tie_stats AS t
    FULL JOIN tw_activity AS a ON a.window_start = t.window_start AND a.person = t.person
),
first_window AS (
    SELECT min(window_start) AS first_start FROM cur
)
SELECT
    c.*,
    CASE WHEN c.window_start = f.first_start THEN NULL ELSE c.ties - coalesce(prev.ties, 0) END AS ties_change,
    CASE WHEN c.window_start = f.first_start THEN NULL ELSE c.strength - coalesce(prev.strength, 0.0) END
        AS strength_change
FROM cur AS c
CROSS JOIN first_window AS f
LEFT JOIN cur AS prev
    ON prev.person = c.person
    AND prev.window_start = CASE
        WHEN $period = 'week' THEN (c.window_start - INTERVAL 7 DAY)::DATE
        ELSE (c.window_start - INTERVAL 1 MONTH)::DATE
    END
ORDER BY c.window_start, c.person
