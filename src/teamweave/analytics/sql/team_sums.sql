-- Per team (of tw_people) and window (of tw_windows: window_start, window_next = the next window's start):
-- members, internal and external tie counts and weights (from tw_ties, which carries the team of each end:
-- team_a_of, team_b_of), members with a strong tie, tie ends, the means of members' shares and how many
-- members had each share (from tw_persons). Every team gets a row in every window, active or not.
-- Members of a window are the people of the team who had started by its end (start_date NULL: always).
-- External ties count only ties to teams with at least $min_team members in that window ($min_team <= 0:
-- every external tie): a tie to a team too small to show, or to no team, is not shown on the org map either.
WITH teams AS (
    SELECT DISTINCT team_id FROM tw_people WHERE team_id IS NOT NULL
),
started AS (
    SELECT w.window_start, p.team_id, count(*) AS members
    FROM tw_windows AS w
    JOIN tw_people AS p ON p.start_date IS NULL OR p.start_date < w.window_next
    WHERE p.team_id IS NOT NULL
    GROUP BY ALL
),
grid AS (
    SELECT w.window_start, t.team_id, coalesce(s.members, 0) AS members
    FROM tw_windows AS w
    CROSS JOIN teams AS t
    LEFT JOIN started AS s ON s.window_start = w.window_start AND s.team_id = t.team_id
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
    SELECT x.window_start, x.team_id, count(*) AS external_ties, sum(x.weight) AS external_weight
    FROM (
        SELECT window_start, ta AS team_id, tb AS other, weight FROM tie_teams WHERE ta IS DISTINCT FROM tb
        UNION ALL
        SELECT window_start, tb AS team_id, ta AS other, weight FROM tie_teams WHERE ta IS DISTINCT FROM tb
    ) AS x
    LEFT JOIN grid AS o ON o.window_start = x.window_start AND o.team_id = x.other
    WHERE x.team_id IS NOT NULL AND ($min_team <= 0 OR coalesce(o.members, 0) >= $min_team)
    GROUP BY ALL
),
member_stats AS (
    SELECT
        m.window_start,
        p.team_id,
        count(*) FILTER (WHERE m.strong_ties > 0) AS with_strong_tie,
        sum(m.ties) AS tie_ends,
        avg(m.human_share) AS human_share,
        count(m.human_share) AS human_share_members,
        avg(m.after_hours_share) AS after_hours_share,
        count(m.after_hours_share) AS after_hours_members
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
    coalesce(s.human_share_members, 0) AS human_share_members,
    s.after_hours_share::DOUBLE AS after_hours_share,
    coalesce(s.after_hours_members, 0) AS after_hours_members
FROM grid AS g
LEFT JOIN internal AS i ON i.window_start = g.window_start AND i.team_id = g.team_id
LEFT JOIN external AS e ON e.window_start = g.window_start AND e.team_id = g.team_id
LEFT JOIN member_stats AS s ON s.window_start = g.window_start AND s.team_id = g.team_id
ORDER BY g.window_start, g.team_id
