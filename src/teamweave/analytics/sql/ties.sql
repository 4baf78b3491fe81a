-- The table tw_ties: undirected ties per window from tw_participants, with integer ids of the ends (a_id, b_id;
-- tw_nodes.pid, named by tw_tie_names) and their teams (team_a_of, team_b_of). weight = sum of both directions' pair weights,
-- reciprocated = acts in both directions (a_to_b: from the lower id's end to the other; b_to_a: back; kept so that
-- the months of a quarter combine into its ties, analytics.quarters). Only human events (not by a bot, not via an
-- AI tool) make ties.
-- A text act gives actor -> each target units / others; a synchronous event (meeting, call, in person)
-- gives every pair of participants units / others, half in each direction. The weight is also split by the
-- event's channel (medium: chat, email, meeting, code_review, in_person) for the channel mix.
-- Only the windows from $first to $last are built (NULL: no bound): a monthly pass leaves out the partial windows
-- its extra days hold, whose ties it would throw away (analytics.chunks). A window's ties depend on its own rows only.
CREATE OR REPLACE TEMP TABLE tw_ties AS
WITH wanted AS NOT MATERIALIZED (  -- read where it is used, twice for meetings: not a copy of the participants
    SELECT *
    FROM (
        SELECT
            CASE $period
                WHEN 'week' THEN week WHEN 'month' THEN month WHEN 'quarter' THEN date_trunc('quarter', month)::DATE
            END AS window_start,
            event_key, pid, actor_pid, team, actor_team, is_actor, tool, sync, medium, units, others
        FROM tw_participants
    )
    WHERE ($first IS NULL OR window_start >= $first::DATE) AND ($last IS NULL OR window_start <= $last::DATE)
),
directed AS (
    -- a text act: from the actor (actor_pid, on every row of the event) to each target row; no join needed
    SELECT
        window_start,
        least(actor_pid, pid) AS a_id,
        greatest(actor_pid, pid) AS b_id,
        actor_pid < pid AS fwd,
        actor_pid > pid AS back,
        CASE WHEN actor_pid < pid THEN actor_team ELSE team END AS team_low,  -- the team of the lower id's end
        CASE WHEN actor_pid < pid THEN team ELSE actor_team END AS team_high,
        medium,
        units / others AS w
    FROM wanted
    WHERE NOT tool AND NOT sync AND NOT is_actor AND actor_pid IS NOT NULL
    UNION ALL
    -- a synchronous event: every pair of its participants once (the lower id first), as acts both ways: the
    -- same sums as both ordered pairs with half the pair weight each, from half the rows
    SELECT
        s.window_start,
        s.pid AS a_id,
        d.pid AS b_id,
        true AS fwd,
        true AS back,
        s.team AS team_low,
        d.team AS team_high,
        s.medium,
        s.units / s.others AS w
    FROM wanted AS s
    JOIN wanted AS d ON d.event_key = s.event_key AND d.pid > s.pid
    WHERE s.sync AND NOT s.tool AND d.sync AND NOT d.tool
),
pairs AS (  -- on integer ids (numbered in pseudonym order, so least/greatest and the order match the names')
    SELECT
        window_start,
        a_id,
        b_id,
        sum(w)::DOUBLE AS weight,
        bool_or(fwd) AND bool_or(back) AS reciprocated,
        bool_or(fwd) AS a_to_b,
        bool_or(back) AS b_to_a,
        coalesce(sum(w) FILTER (WHERE medium = 'chat'), 0.0)::DOUBLE AS chat_weight,
        coalesce(sum(w) FILTER (WHERE medium = 'email'), 0.0)::DOUBLE AS email_weight,
        coalesce(sum(w) FILTER (WHERE medium = 'meeting'), 0.0)::DOUBLE AS meeting_weight,
        coalesce(sum(w) FILTER (WHERE medium = 'code_review'), 0.0)::DOUBLE AS code_review_weight,
        coalesce(sum(w) FILTER (WHERE medium = 'in_person'), 0.0)::DOUBLE AS in_person_weight,
        any_value(team_low)::BIGINT AS team_a_of,  -- a person's team is one value: any row's (BIGINT: tw_nodes')
        any_value(team_high)::BIGINT AS team_b_of
    FROM directed
    GROUP BY window_start, a_id, b_id
)
SELECT * FROM pairs
