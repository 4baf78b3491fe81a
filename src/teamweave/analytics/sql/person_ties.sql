-- Per person and window, from tw_ties (window_start, a_id, b_id, weight, reciprocated, team_a_of, team_b_of;
-- the ids named by tw_tie_names): tie count, strong ties (reciprocated and weight >= $strong_weight), strength, weight to other
-- teams, and the weight of each channel (chat, email, meeting, code_review, in_person). With tw_sites
-- (pseudonym, site_id: the people of known site) and tw_tie_names (id, name): the weight of the ties whose both
-- ends have a site (sited_weight) and of those whose ends' sites differ (cross_site_weight), and whether the
-- person has a site. Sites are looked up by integer id, once per tie.
WITH sites AS (
    SELECT n.id, s.site_id
    FROM tw_tie_names AS n
    JOIN tw_sites AS s ON s.pseudonym = n.name
),
sited AS (
    SELECT
        t.*,
        sa.site_id AS site_a,
        sb.site_id AS site_b
    FROM tw_ties AS t
    LEFT JOIN sites AS sa ON sa.id = t.a_id
    LEFT JOIN sites AS sb ON sb.id = t.b_id
),
ends AS (
    SELECT
        window_start, a_id AS person, weight, reciprocated, team_a_of AS own_team, team_b_of AS other_team,
        site_a AS own_site, site_b AS other_site,
        chat_weight, email_weight, meeting_weight, code_review_weight, in_person_weight
    FROM sited
    UNION ALL
    SELECT
        window_start, b_id AS person, weight, reciprocated, team_b_of AS own_team, team_a_of AS other_team,
        site_b AS own_site, site_a AS other_site,
        chat_weight, email_weight, meeting_weight, code_review_weight, in_person_weight
    FROM sited
),
stats AS (  -- per integer id; named once per row at the end (ids are numbered in name order)
    SELECT
        e.window_start,
        e.person,
        count(*) AS ties,
        count(*) FILTER (WHERE e.reciprocated AND e.weight >= $strong_weight - 1e-9) AS strong_ties,
        sum(e.weight)::DOUBLE AS strength,
        sum(CASE WHEN e.other_team IS NOT DISTINCT FROM e.own_team THEN 0.0 ELSE e.weight END)::DOUBLE AS cross_weight,
        any_value(e.own_team) IS NOT NULL AS has_team,
        coalesce(sum(e.weight) FILTER (WHERE e.other_site IS NOT NULL AND e.own_site IS NOT NULL), 0.0)::DOUBLE
            AS sited_weight,
        coalesce(sum(e.weight) FILTER (WHERE e.other_site <> e.own_site), 0.0)::DOUBLE AS cross_site_weight,
        any_value(e.own_site) IS NOT NULL AS has_site,
        sum(e.chat_weight)::DOUBLE AS chat_weight,
        sum(e.email_weight)::DOUBLE AS email_weight,
        sum(e.meeting_weight)::DOUBLE AS meeting_weight,
        sum(e.code_review_weight)::DOUBLE AS code_review_weight,
        sum(e.in_person_weight)::DOUBLE AS in_person_weight
    FROM ends AS e
    GROUP BY e.window_start, e.person
)
SELECT s.window_start, n.name AS person, s.* EXCLUDE (window_start, person)
FROM stats AS s
JOIN tw_tie_names AS n ON n.id = s.person
ORDER BY s.window_start, s.person
