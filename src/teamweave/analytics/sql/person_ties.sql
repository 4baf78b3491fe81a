-- Per person and window, from tw_ties (window_start, a, b, weight, reciprocated, team_a_of, team_b_of):
-- tie count, strong ties (reciprocated and weight >= $strong_weight), strength, weight to other teams,
-- and the weight of each channel (chat, email, meeting, code_review, in_person).
WITH ends AS (
    SELECT
        window_start, a AS person, weight, reciprocated, team_a_of AS own_team, team_b_of AS other_team,
        chat_weight, email_weight, meeting_weight, code_review_weight, in_person_weight
    FROM tw_ties
    UNION ALL
    SELECT
        window_start, b AS person, weight, reciprocated, team_b_of AS own_team, team_a_of AS other_team,
        chat_weight, email_weight, meeting_weight, code_review_weight, in_person_weight
    FROM tw_ties
)
SELECT
    e.window_start,
    e.person,
    count(*) AS ties,
    count(*) FILTER (WHERE e.reciprocated AND e.weight >= $strong_weight - 1e-9) AS strong_ties,
    sum(e.weight)::DOUBLE AS strength,
    sum(CASE WHEN e.other_team IS NOT DISTINCT FROM e.own_team THEN 0.0 ELSE e.weight END)::DOUBLE AS cross_weight,
    any_value(e.own_team) IS NOT NULL AS has_team,
    sum(e.chat_weight)::DOUBLE AS chat_weight,
    sum(e.email_weight)::DOUBLE AS email_weight,
    sum(e.meeting_weight)::DOUBLE AS meeting_weight,
    sum(e.code_review_weight)::DOUBLE AS code_review_weight,
    sum(e.in_person_weight)::DOUBLE AS in_person_weight
FROM ends AS e
GROUP BY e.window_start, e.person
ORDER BY e.window_start, e.person
