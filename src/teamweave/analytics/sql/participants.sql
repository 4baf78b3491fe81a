-- One row per (event, person) for the people of the analysis, with what the metrics need of the event.
-- Inputs: tw_events (the event store), tw_aliases(identity, person),
-- tw_people(pseudonym, team_id, timezone, start_date): a person takes part from their start date on,
-- tw_excluded(person): people who opted out of analytics; $bots: pseudonyms of bot and AI-tool identities.
-- Identities are mapped through the alias map first. Events acted by an excluded person are dropped whole;
-- actors of bot events never become participants; an event aimed only at bots is a tool event; people not
-- in tw_people (unknown identities, excluded people) and acts before a person's start date are dropped here,
-- before any metric.
CREATE OR REPLACE TEMP TABLE tw_participants AS
WITH kept AS (
    SELECT e.*
    FROM tw_events AS e
    LEFT JOIN tw_aliases AS al ON al.identity = e.actor
    WHERE coalesce(al.person, e.actor) NOT IN (SELECT person FROM tw_excluded)
),
scored AS (
    SELECT
        row_number() OVER () AS event_key,  -- an integer key: far lighter than the 32-character event id to join on
        ts,
        actor,
        targets,
        by_bot,
        by_bot OR via_ai OR (len(targets) > 0 AND list_has_all($bots::VARCHAR[], targets)) AS tool,
        kind IN ('meeting', 'call', 'in_person') AS sync,
        -- the channel of the channel mix (docs/metrics.md, "Channel mix")
        CASE
            WHEN in_person OR kind = 'in_person' THEN 'in_person'
            WHEN kind IN ('meeting', 'call') THEN 'meeting'
            WHEN kind IN ('review', 'co_author') OR source IN ('git', 'github') THEN 'code_review'
            WHEN kind = 'email' OR source = 'email' THEN 'email'
            ELSE 'chat'
        END AS medium,
        CASE
            WHEN kind IN ('meeting', 'call', 'in_person')
                THEN least(
                    greatest(coalesce(duration_s, $default_duration_s) / $seconds_per_unit, $min_sync_units),
                    $max_sync_units
                )
            WHEN kind = 'reaction' THEN $reaction_units
            ELSE $text_units
        END AS units,
        CASE WHEN kind IN ('meeting', 'call', 'in_person') THEN coalesce(duration_s, $default_duration_s) ELSE 0 END
            AS busy_s,
        greatest(audience, len(targets) - CASE WHEN list_contains(targets, actor) THEN 1 ELSE 0 END, 1) AS others
    FROM kept
),
roles AS (
    SELECT event_key, ts, tool, sync, medium, units, busy_s, others, actor AS who, TRUE AS is_actor
    FROM scored
    WHERE NOT by_bot
    UNION ALL
    SELECT event_key, ts, tool, sync, medium, units, busy_s, others, unnest(targets) AS who, FALSE AS is_actor
    FROM scored
),
mapped AS (
    SELECT r.*, coalesce(a.person, r.who) AS person
    FROM roles AS r
    LEFT JOIN tw_aliases AS a ON a.identity = r.who
)
SELECT
    m.event_key,
    m.person,
    bool_or(m.is_actor) AS is_actor,
    m.tool,
    m.sync,
    m.medium,
    m.units,
    m.others,
    date_trunc('week', timezone('UTC', m.ts))::DATE AS week,
    date_trunc('month', timezone('UTC', m.ts))::DATE AS month,
    timezone(p.timezone, m.ts) AS local_ts,  -- wall-clock time in the person's zone (focus, integration)
    m.busy_s,
    hour(timezone(p.timezone, m.ts)) < $work_day_start
        OR hour(timezone(p.timezone, m.ts)) >= $work_day_end
        OR isodow(timezone(p.timezone, m.ts)) >= 6 AS after_hours
FROM mapped AS m
JOIN tw_people AS p ON p.pseudonym = m.person
WHERE m.person NOT IN (SELECT person FROM tw_excluded)
  AND (p.start_date IS NULL OR timezone(p.timezone, m.ts)::DATE >= p.start_date)
GROUP BY m.event_key, m.person, m.tool, m.sync, m.medium, m.units, m.busy_s, m.others, m.ts, p.timezone
