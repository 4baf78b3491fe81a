-- Per team (of tw_people) and window (of tw_windows: window_start, window_next = the next window's start):
-- members, internal and external tie counts and weights (from tw_ties, which carries the team of each end:
-- team_a_of, team_b_of), members with a strong tie, tie ends, the means of members' shares and how many
-- members had each share, the means of members' channel shares, and members' new and lost ties (from tw_persons). Every team gets a row in every window, active or not.
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
thin AS (  -- other teams (of at least $min_team members) reached through fewer than max($min_team, 2) members
    SELECT l.window_start, l.team_id, count(*) AS thin_links
    FROM tw_team_links AS l
    LEFT JOIN grid AS o ON o.window_start = l.window_start AND o.team_id = l.other_team
    WHERE l.carriers < greatest($min_team, 2) AND ($min_team <= 0 OR coalesce(o.members, 0) >= $min_team)
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
        count(m.after_hours_share) AS after_hours_members,
        avg(m.chat_share) AS chat_share,
        avg(m.email_share) AS email_share,
        avg(m.meeting_share) AS meeting_share,
        avg(m.code_review_share) AS code_review_share,
        avg(m.in_person_share) AS in_person_share,
        count(m.chat_share) AS channel_members,
        sum(m.new_ties) AS new_tie_ends,
        sum(m.lost_ties) AS lost_tie_ends,
        count(m.new_ties) AS turnover_members,
        count(*) FILTER (WHERE m.cut_point) AS cut_points,
        avg(m.focus_hours) AS focus_hours,
        avg(m.focus_blocks) AS focus_blocks,
        count(m.focus_hours) AS focus_members
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
    coalesce(s.after_hours_members, 0) AS after_hours_members,
    s.chat_share::DOUBLE AS chat_share,
    s.email_share::DOUBLE AS email_share,
    s.meeting_share::DOUBLE AS meeting_share,
    s.code_review_share::DOUBLE AS code_review_share,
    s.in_person_share::DOUBLE AS in_person_share,
    coalesce(s.channel_members, 0) AS channel_members,
    CASE WHEN coalesce(s.turnover_members, 0) = 0 THEN NULL ELSE s.new_tie_ends END::DOUBLE AS new_tie_ends,
    CASE WHEN coalesce(s.turnover_members, 0) = 0 THEN NULL ELSE s.lost_tie_ends END::DOUBLE AS lost_tie_ends,
    coalesce(s.cut_points, 0) AS cut_points,
    coalesce(th.thin_links, 0) AS thin_links,
    s.focus_hours::DOUBLE AS focus_hours,
    s.focus_blocks::DOUBLE AS focus_blocks,
    coalesce(s.focus_members, 0) AS focus_members
FROM grid AS g
LEFT JOIN internal AS i ON i.window_start = g.window_start AND i.team_id = g.team_id
LEFT JOIN external AS e ON e.window_start = g.window_start AND e.team_id = g.team_id
LEFT JOIN member_stats AS s ON s.window_start = g.window_start AND s.team_id = g.team_id
LEFT JOIN thin AS th ON th.window_start = g.window_start AND th.team_id = g.team_id
ORDER BY g.window_start, g.team_id
