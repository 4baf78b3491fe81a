-- Per window, team and other team, from tw_link_ties (window_start, a, b, team_a_of, team_b_of): how many
-- members of the team have a tie to a member of the other team (carriers), and that member when there is
-- exactly one (sole_carrier). Ties to or from people without a team are left out.
WITH ends AS (
    SELECT window_start, a AS person, team_a_of AS team_id, team_b_of AS other_team
    FROM tw_link_ties
    WHERE team_a_of IS NOT NULL AND team_b_of IS NOT NULL AND team_a_of <> team_b_of
    UNION ALL
    SELECT window_start, b AS person, team_b_of AS team_id, team_a_of AS other_team
    FROM tw_link_ties
    WHERE team_a_of IS NOT NULL AND team_b_of IS NOT NULL AND team_a_of <> team_b_of
)
SELECT
    window_start,
    team_id,
    other_team,
    count(DISTINCT person) AS carriers,
    CASE WHEN count(DISTINCT person) = 1 THEN min(person) END AS sole_carrier
FROM ends
GROUP BY ALL
ORDER BY window_start, team_id, other_team
