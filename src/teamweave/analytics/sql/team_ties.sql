-- Ties between two different teams per window (team_a < team_b): summed weight and person-to-person ties.
-- tw_ties carries the team of each end (team_a_of, team_b_of; see ties.with_teams).
SELECT
    window_start,
    least(team_a_of, team_b_of) AS team_a,
    greatest(team_a_of, team_b_of) AS team_b,
    sum(weight)::DOUBLE AS weight,
    count(*) AS ties
FROM tw_ties
WHERE team_a_of IS NOT NULL AND team_b_of IS NOT NULL AND team_a_of <> team_b_of
GROUP BY ALL
ORDER BY window_start, team_a, team_b
