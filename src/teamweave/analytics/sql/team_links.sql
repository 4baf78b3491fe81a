-- Per window, team and other team, from tw_ties (window_start, a_id, b_id, team_a_of, team_b_of; ids named by
-- tw_tie_names): how many members of the team have a tie to a member of the other team (carriers), and that
-- member when there is exactly one (sole_carrier). Ties to or from people without a team are left out.
-- Distinct carriers are found by grouping (which spills to disk) rather than count(DISTINCT) (which does not:
-- it ran out of memory at 20M events under a 3 GB limit).
WITH ends AS (
    SELECT window_start, a_id AS pid, team_a_of AS team_id, team_b_of AS other_team
    FROM tw_ties
    WHERE team_a_of IS NOT NULL AND team_b_of IS NOT NULL AND team_a_of <> team_b_of
    UNION ALL
    SELECT window_start, b_id AS pid, team_b_of AS team_id, team_a_of AS other_team
    FROM tw_ties
    WHERE team_a_of IS NOT NULL AND team_b_of IS NOT NULL AND team_a_of <> team_b_of
),
carriers AS (
    SELECT window_start, team_id, other_team, pid FROM ends GROUP BY ALL
),
counted AS (
    SELECT window_start, team_id, other_team, count(*) AS carriers, min(pid) AS first_pid
    FROM carriers
    GROUP BY ALL
)
SELECT
    c.window_start,
    c.team_id,
    c.other_team,
    c.carriers,
    CASE WHEN c.carriers = 1 THEN n.name END AS sole_carrier
FROM counted AS c
LEFT JOIN tw_tie_names AS n ON n.id = c.first_pid
ORDER BY c.window_start, c.team_id, c.other_team
