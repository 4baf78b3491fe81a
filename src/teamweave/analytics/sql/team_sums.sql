-- Per team (of tw_people) and window (of tw_windows): members, internal and external tie counts and
-- weights (from tw_ties, which carries the team of each end: team_a_of, team_b_of), members with a strong tie, tie ends, and the means of members' shares
-- (from tw_persons). Every team gets a row in every window, active or not.
WITH members AS (
    SELECT team_id, count(*) AS members
    FROM tw_people
    WHERE team_id IS NOT NULL
    GROUP BY team_id
),
grid AS (
    SELECT w.window_start, m.team_id, m.members
    FROM tw_windows AS w
    CROSS JOIN members AS m
),
tie_teams AS (
    SELECT window_start, team_a_of AS ta, team_b_of AS tb, weight
    FROM tw_ties
),
internal AS (
    SELECT window_start, ta AS team_id, count(*) AS internal_ties, sum(weight) AS internal_weight
    FROM tie_teams
    WHERE ta = tb
    GROUP BY ALL
),
external AS (
    SELECT window_start, team_id, count(*) AS external_ties, sum(weight) AS external_weight
    FROM (
        SELECT window_start, ta AS team_id, weight FROM tie_teams WHERE ta IS DISTINCT FROM tb
        UNION ALL
        SELECT window_start, tb AS team_id, weight FROM tie_teams WHERE ta IS DISTINCT FROM tb
    )
    WHERE team_id IS NOT NULL
    GROUP BY ALL
),
member_stats AS (
    SELECT
        m.window_start,
        p.team_id,
        count(*) FILTER (WHERE m.strong_ties > 0) AS with_strong_tie,
        sum(m.ties) AS tie_ends,
        avg(m.human_share) AS human_share,
        avg(m.after_hours_share) AS after_hours_share
    FROM tw_persons AS m
    JOIN tw_people AS p ON p.pseudonym = m.person
    WHERE p.team_id IS NOT NULL
    GROUP BY ALL
)
SELECT
    g.window_start,
    g.team_id,
    g.members,
    coalesce(i.internal_ties, 0) AS internal_ties,
    coalesce(i.internal_weight, 0.0)::DOUBLE AS internal_weight,
    coalesce(e.external_ties, 0) AS external_ties,
    coalesce(e.external_weight, 0.0)::DOUBLE AS external_weight,
    coalesce(s.with_strong_tie, 0) AS with_strong_tie,
    coalesce(s.tie_ends, 0) AS tie_ends,
    s.human_share::DOUBLE AS human_share,
    s.after_hours_share::DOUBLE AS after_hours_share
FROM grid AS g
LEFT JOIN internal AS i ON i.window_start = g.window_start AND i.team_id = g.team_id
LEFT JOIN external AS e ON e.window_start = g.window_start AND e.team_id = g.team_id
LEFT JOIN member_stats AS s ON s.window_start = g.window_start AND s.team_id = g.team_id
ORDER BY g.window_start, g.team_id
