-- The table tw_ties of the quarters of the month ties in tw_month_ties (month, a, b: pseudonyms, weight, the
-- direction flags a_to_b and b_to_a, the channel weights), as ties.sql builds it from a quarter's events: the
-- weights summed over the months, reciprocated when some month had an act each way (a -> b in one month and
-- b -> a in the next is reciprocated over the quarter), with this run's integer ids and teams (tw_nodes); pairs
-- with a person no longer among them are left out.
CREATE OR REPLACE TEMP TABLE tw_ties AS
SELECT
    date_trunc('quarter', m.month)::DATE AS window_start,
    na.pid AS a_id,
    nb.pid AS b_id,
    sum(m.weight)::DOUBLE AS weight,
    bool_or(m.a_to_b) AND bool_or(m.b_to_a) AS reciprocated,
    bool_or(m.a_to_b) AS a_to_b,
    bool_or(m.b_to_a) AS b_to_a,
    sum(m.chat_weight)::DOUBLE AS chat_weight,
    sum(m.email_weight)::DOUBLE AS email_weight,
    sum(m.meeting_weight)::DOUBLE AS meeting_weight,
    sum(m.code_review_weight)::DOUBLE AS code_review_weight,
    sum(m.in_person_weight)::DOUBLE AS in_person_weight,
    any_value(na.team_id)::BIGINT AS team_a_of,
    any_value(nb.team_id)::BIGINT AS team_b_of
FROM tw_month_ties AS m
JOIN tw_nodes AS na ON na.pseudonym = m.a
JOIN tw_nodes AS nb ON nb.pseudonym = m.b
GROUP BY ALL
