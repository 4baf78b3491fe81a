-- One row per person active in a window (a tie or any interaction): tie stats joined to activity, and the
-- change against the previous window of the same period (absent then = 0; NULL in the first window), and
-- tie turnover from tw_turnover (new and lost ties; NULL in the first window), cut points (tw_cut_points) and
-- the teams a person is their team's sole link to (tw_team_links), and focus (tw_focus). Load from tw_activity:
-- messages sent (0 without any) and meeting hours: 0 without a meeting, NULL in a window where no meeting of
-- anyone had a known duration (no calendar data: not zero hours).
WITH cur AS (
    SELECT
        coalesce(t.window_start, a.window_start) AS window_start,
        coalesce(t.person, a.person) AS person,
        coalesce(t.ties, 0) AS ties,
        coalesce(t.strong_ties, 0) AS strong_ties,
        coalesce(t.weak_ties, 0) AS weak_ties,
        coalesce(t.strength, 0.0) AS strength,
        t.cross_team_share,
        t.cross_site_share,
        t.chat_share,
        t.email_share,
        t.meeting_share,
        t.code_review_share,
        t.in_person_share,
        coalesce(a.human_events, 0) AS human_events,
        coalesce(a.tool_events, 0) AS tool_events,
        a.human_share,
        a.after_hours_share,
        coalesce(a.messages_sent, 0) AS messages_sent,
        a.meeting_hours
    FROM tw_tie_stats AS t
    FULL JOIN tw_activity AS a ON a.window_start = t.window_start AND a.person = t.person
),
first_window AS (  -- $first_window: the data's first window when the loaded events are not all of it
    SELECT coalesce($first_window::DATE, min(window_start)) AS first_start FROM cur
),
timed AS (  -- windows with at least one meeting of known duration
    SELECT DISTINCT window_start FROM tw_activity WHERE meeting_hours IS NOT NULL
),
sole AS (
    SELECT window_start, sole_carrier AS person, string_agg(other_team::VARCHAR, ' ' ORDER BY other_team) AS teams
    FROM tw_team_links
    WHERE sole_carrier IS NOT NULL
    GROUP BY ALL
)
SELECT
    c.* EXCLUDE (meeting_hours),
    CASE WHEN c.window_start = f.first_start THEN NULL ELSE c.ties - coalesce(prev.ties, 0) END AS ties_change,
    CASE WHEN c.window_start = f.first_start THEN NULL ELSE c.strength - coalesce(prev.strength, 0.0) END
        AS strength_change,
    CASE WHEN c.window_start = f.first_start THEN NULL ELSE coalesce(o.new_ties, 0) END AS new_ties,
    CASE WHEN c.window_start = f.first_start THEN NULL ELSE coalesce(o.lost_ties, 0) END AS lost_ties,
    cp.person IS NOT NULL AS cut_point,
    so.teams AS sole_link_teams,
    fo.focus_hours,
    fo.focus_blocks,
    CASE WHEN ti.window_start IS NULL THEN NULL ELSE coalesce(c.meeting_hours, 0.0) END AS meeting_hours
FROM cur AS c
CROSS JOIN first_window AS f
LEFT JOIN tw_turnover AS o ON o.window_start = c.window_start AND o.person = c.person
LEFT JOIN tw_cut_points AS cp ON cp.window_start = c.window_start AND cp.person = c.person
LEFT JOIN sole AS so ON so.window_start = c.window_start AND so.person = c.person
LEFT JOIN tw_focus AS fo ON fo.window_start = c.window_start AND fo.person = c.person
LEFT JOIN timed AS ti ON ti.window_start = c.window_start
LEFT JOIN cur AS prev
    ON prev.person = c.person
    AND prev.window_start = CASE $period
        WHEN 'week' THEN (c.window_start - INTERVAL 7 DAY)::DATE
        WHEN 'month' THEN (c.window_start - INTERVAL 1 MONTH)::DATE
        WHEN 'quarter' THEN (c.window_start - INTERVAL 3 MONTH)::DATE
    END
ORDER BY c.window_start, c.person
