-- One row per (event, person) for the people of the analysis, with what the metrics need of the event.
-- Inputs: tw_events (the event store), tw_aliases(identity, person),
-- tw_people(pseudonym, team_id, timezone, start_date): a person takes part from their start date on,
-- tw_excluded(person): people who opted out of analytics; $bots: pseudonyms of bot and AI-tool identities.
-- Identities are mapped through the alias map first. Events acted by an excluded person are dropped whole;
-- actors of bot events never become participants; an event aimed only at bots is a tool event; people not
-- in tw_people (unknown identities, excluded people) and acts before a person's start date are dropped here,
-- before any metric. Each person also gets an integer id, pid, numbered in pseudonym order (tw_nodes.pid),
-- so the joins and groupings of ties.sql run on integers and least/greatest of two ids match their pseudonyms'.
-- message: the event is a message, reply, e-mail or review comment not aimed only at bots (messages_sent);
-- meeting_s: for a meeting, call or in-person meeting with a known duration, that duration when at least one other
-- human identity (not a bot; the actor unless a bot acted) took part, else 0; NULL otherwise (no duration known,
-- or not a meeting) (meeting_hours). Both are defined in docs/metrics.md, "Person metrics".
CREATE OR REPLACE TEMP TABLE tw_participants AS
WITH kept AS (
    SELECT e.*, len(e.targets) > 0 AND list_has_all($bots::VARCHAR[], e.targets) AS to_bots
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
        by_bot OR via_ai OR to_bots AS tool,
        kind IN ('message', 'reply', 'email', 'review') AND NOT to_bots AS message,
        CASE
            WHEN kind IN ('meeting', 'call', 'in_person') AND duration_s IS NOT NULL
                THEN CASE
                    WHEN len(list_distinct(list_concat(
                        CASE WHEN by_bot THEN []::VARCHAR[] ELSE [actor] END,
                        list_filter(targets, lambda t: NOT list_contains($bots::VARCHAR[], t))
                    ))) >= 2 THEN greatest(duration_s, 0)
                    ELSE 0
                END
        END AS meeting_s,
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
    SELECT
        event_key, ts, tool, sync, medium, units, busy_s, others, message, meeting_s, actor AS who, TRUE AS is_actor
    FROM scored
    WHERE NOT by_bot
    UNION ALL
    SELECT
        event_key, ts, tool, sync, medium, units, busy_s, others, message, meeting_s, unnest(targets) AS who,
        FALSE AS is_actor
    FROM scored
),
mapped AS (
    SELECT r.*, coalesce(a.person, r.who) AS person
    FROM roles AS r
    LEFT JOIN tw_aliases AS a ON a.identity = r.who
),
placed AS (  -- the person's integer id and the event's wall-clock time in their zone: one timezone() per row
    SELECT m.*, p.pid, timezone(p.timezone, m.ts) AS local_ts, p.start_date
    FROM mapped AS m
    JOIN tw_nodes AS p ON p.pseudonym = m.person
    WHERE m.person NOT IN (SELECT person FROM tw_excluded)
),
merged AS (  -- one row per (event, person): a person both actor and target, or under two aliases, counts once
    SELECT
        event_key,
        pid,
        bool_or(is_actor) AS is_actor,
        any_value(person) AS person,
        any_value(tool) AS tool,
        any_value(sync) AS sync,
        any_value(medium) AS medium,
        any_value(units) AS units,
        any_value(others) AS others,
        any_value(ts) AS ts,
        any_value(local_ts) AS local_ts,
        any_value(busy_s) AS busy_s,
        any_value(message) AS message,
        any_value(meeting_s) AS meeting_s
    FROM placed
    WHERE start_date IS NULL OR local_ts::DATE >= start_date
    GROUP BY event_key, pid
)
SELECT
    event_key,
    person,
    pid,
    is_actor,
    tool,
    sync,
    medium,
    units,
    others,
    date_trunc('week', timezone('UTC', ts))::DATE AS week,
    date_trunc('month', timezone('UTC', ts))::DATE AS month,
    local_ts,  -- wall-clock time in the person's zone (focus, integration)
    busy_s,
    message,
    meeting_s,
    hour(local_ts) < $work_day_start OR hour(local_ts) >= $work_day_end OR isodow(local_ts) >= 6 AS after_hours
FROM merged
