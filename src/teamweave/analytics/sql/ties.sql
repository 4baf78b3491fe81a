-- Undirected ties per window from tw_participants: weight = sum of both directions' pair weights,
-- reciprocated = acts in both directions. Only human events (not by a bot, not via an AI tool) make ties.
-- A text act gives actor -> each target units / others; a synchronous event (meeting, call, in person)
-- gives every pair of participants units / others, half in each direction. The weight is also split by the
-- event's channel (medium: chat, email, meeting, code_review, in_person) for the channel mix.
WITH p AS (
    SELECT
        event_key, person, is_actor, sync, medium, units, others,
        CASE WHEN $period = 'week' THEN week ELSE month END AS window_start
    FROM tw_participants
    WHERE NOT tool
),
directed AS (
    SELECT
        s.window_start,
        s.person AS src,
        d.person AS dst,
        s.medium,
        CASE WHEN s.sync THEN s.units / s.others / 2 ELSE s.units / s.others END AS w
    FROM p AS s
    JOIN p AS d ON d.event_key = s.event_key AND d.person <> s.person
    WHERE s.sync OR s.is_actor
)
SELECT
    window_start,
    least(src, dst) AS a,
    greatest(src, dst) AS b,
    sum(w)::DOUBLE AS weight,
    bool_or(src < dst) AND bool_or(src > dst) AS reciprocated,
    coalesce(sum(w) FILTER (WHERE medium = 'chat'), 0.0)::DOUBLE AS chat_weight,
    coalesce(sum(w) FILTER (WHERE medium = 'email'), 0.0)::DOUBLE AS email_weight,
    coalesce(sum(w) FILTER (WHERE medium = 'meeting'), 0.0)::DOUBLE AS meeting_weight,
    coalesce(sum(w) FILTER (WHERE medium = 'code_review'), 0.0)::DOUBLE AS code_review_weight,
    coalesce(sum(w) FILTER (WHERE medium = 'in_person'), 0.0)::DOUBLE AS in_person_weight
FROM directed
GROUP BY ALL
ORDER BY window_start, a, b
