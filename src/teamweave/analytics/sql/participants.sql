-- One row per (event, person) for the people of the analysis, with what the metrics need of the event.
-- Inputs: tw_events (the event store), tw_aliases(identity, person),
-- tw_people(pseudonym, team_id, timezone, start_date): a person takes part from their start date on,
-- tw_excluded(person): people who opted out of analytics; $bots and tw_bots(identity): pseudonyms of bot and
-- AI-tool identities.
-- Identities are mapped through the alias map first. Events acted by an excluded person are dropped whole;
-- actors of bot events never become participants; an event aimed only at bots is a tool event; people not
-- in tw_people (unknown identities, excluded people) and acts before a person's start date are dropped here,
-- before any metric. Each person also gets an integer id, pid, numbered in pseudonym order (tw_nodes.pid),
-- so the joins and groupings of ties.sql run on integers and least/greatest of two ids match their pseudonyms'.
-- A person's wall-clock time (local_ts) adds their zone's offset in the event's quarter hour (tw_zone_offsets,
-- zone_offsets.sql) to the event's time: the same as a time zone lookup per row, at a fraction of its cost.
-- actor_pid: the pid of the event's actor on every row of the event (NULL: a bot acted, or the actor is not a
-- participant), so that ties.sql finds the actor of a text event without joining the event's rows; team and
-- actor_team: the team_id of pid and of actor_pid, so that ties.sql gives each tie its ends' teams without a join.
-- Each person counts once per event: the actor's row stands for a target who is the same person, and targets
-- are taken once each. Only two identities of one person among the targets (aliases) can still repeat a person;
-- those rows are marked remapped and participants_merge.sql removes the repeats (no grouping of every row).
-- message: the event is a message, reply, e-mail or review comment not aimed only at bots (messages_sent);
-- meeting_s: for a meeting, call or in-person meeting with a known duration, that duration when at least one other
-- human identity (not a bot; the actor unless a bot acted) took part, else 0; NULL otherwise (no duration known,
-- or not a meeting) (meeting_hours). Both are defined in docs/metrics.md, "Person metrics".
CREATE OR REPLACE TEMP TABLE tw_participants AS
WITH kept AS (
    SELECT
        e.*,
        coalesce(al.person, e.actor) AS actor_person,
        -- aimed only at bots: most events are not, and their first target (a hash probe) says so
        CASE
            WHEN len(e.targets) = 0 OR NOT coalesce(e.targets[1] IN (SELECT identity FROM tw_bots), false) THEN false
            ELSE list_has_all($bots::VARCHAR[], e.targets)
        END AS to_bots
    FROM tw_events AS e
    LEFT JOIN tw_aliases AS al ON al.identity = e.actor
    WHERE coalesce(al.person, e.actor) NOT IN (SELECT person FROM tw_excluded)
),
scored AS (
    SELECT
        (row_number() OVER ())::INTEGER AS event_key,  -- far lighter than the 32-character event id to join on
        k.ts,
        n.pid AS actor_pid,  -- the actor as a participant: a person of tw_nodes, not a bot, from their start date on
        n.team_id::INTEGER AS actor_team,
        list_prepend(k.actor, k.targets) AS identities,  -- position 1: the actor; then the targets
        k.targets,
        k.by_bot OR k.via_ai OR k.to_bots AS tool,
        k.kind IN ('message', 'reply', 'email', 'review') AND NOT k.to_bots AS message,
        CASE
            WHEN k.kind IN ('meeting', 'call', 'in_person') AND k.duration_s IS NOT NULL
                THEN CASE
                    WHEN len(list_distinct(list_concat(
                        CASE WHEN k.by_bot THEN []::VARCHAR[] ELSE [k.actor] END,
                        list_filter(k.targets, lambda t: NOT list_contains($bots::VARCHAR[], t))
                    ))) >= 2 THEN greatest(k.duration_s, 0)
                    ELSE 0
                END
        END AS meeting_s,
        k.kind IN ('meeting', 'call', 'in_person') AS sync,
        -- the channel of the channel mix (docs/metrics.md, "Channel mix"); an enum: one byte on every row
        CASE
            WHEN k.in_person OR k.kind = 'in_person' THEN 'in_person'
            WHEN k.kind IN ('meeting', 'call') THEN 'meeting'
            WHEN k.kind IN ('review', 'co_author') OR k.source IN ('git', 'github') THEN 'code_review'
            WHEN k.kind = 'email' OR k.source = 'email' THEN 'email'
            ELSE 'chat'
        END::ENUM('chat', 'email', 'meeting', 'code_review', 'in_person') AS medium,
        CASE
            WHEN k.kind IN ('meeting', 'call', 'in_person')
                THEN least(
                    greatest(coalesce(k.duration_s, $default_duration_s) / $seconds_per_unit, $min_sync_units),
                    $max_sync_units
                )
            WHEN k.kind = 'reaction' THEN $reaction_units
            ELSE $text_units
        END AS units,
        CASE
            WHEN k.kind IN ('meeting', 'call', 'in_person') THEN coalesce(k.duration_s, $default_duration_s)
            ELSE 0
        END AS busy_s,
        greatest(k.audience, len(k.targets) - CASE WHEN list_contains(k.targets, k.actor) THEN 1 ELSE 0 END, 1)::INTEGER
            AS others
    FROM kept AS k
    LEFT JOIN tw_nodes AS n
        ON n.pseudonym = k.actor_person
        AND NOT k.by_bot
        AND (  -- a local day is within a day of the UTC one: only events near the start date look the zone up
            n.start_date IS NULL
            OR epoch_us(k.ts) >= n.start_us + $day_us
            OR (epoch_us(k.ts) >= n.start_us - $day_us AND timezone(n.timezone, k.ts)::DATE >= n.start_date)
        )
),
unnested AS (
    SELECT
        s.* EXCLUDE (identities),
        unnest(s.identities) AS who,
        generate_subscripts(s.identities, 1) AS position
    FROM scored AS s
),
roles AS (  -- each target once, at its first position among the targets (cheaper than list_distinct per event)
    SELECT * EXCLUDE (targets, position), position = 1 AS is_actor
    FROM unnested
    WHERE position <= 2 OR list_position(targets, who) = position - 1
),
placed AS (  -- the person's integer id and the event's wall-clock time in their zone: one timezone() per row
    SELECT
        r.* EXCLUDE (who),
        p.pid,
        p.team_id::INTEGER AS team,
        CASE  -- the zone's offset in the event's quarter hour (zone_offsets.sql), or a lookup where it changes
            WHEN o.offset_us IS NOT NULL THEN make_timestamp(epoch_us(r.ts) + o.offset_us)
            ELSE timezone(p.timezone, r.ts)
        END AS local_ts,
        p.start_date,
        a.person IS NOT NULL AND a.person <> r.who AS remapped
    FROM roles AS r
    LEFT JOIN tw_aliases AS a ON a.identity = r.who
    JOIN tw_nodes AS p ON p.pseudonym = coalesce(a.person, r.who)
    LEFT JOIN tw_zone_offsets AS o  -- the bucket as zone_offsets.sql numbers it (rounded down, before 1970 too)
        ON o.zone = p.zone AND o.bucket = epoch_us(r.ts) // $bucket_us - (epoch_us(r.ts) % $bucket_us < 0)::BIGINT
    WHERE p.pseudonym NOT IN (SELECT person FROM tw_excluded)
)
SELECT
    event_key,
    pid,  -- the person (tw_nodes.pseudonym): named where a result leaves, not on every row
    actor_pid,
    team,
    actor_team,
    is_actor,
    remapped,
    tool,
    sync,
    medium,
    units,
    others,
    date_trunc('week', make_timestamp(epoch_us(ts)))::DATE AS week,  -- UTC (no time zone lookup per row)
    date_trunc('month', make_timestamp(epoch_us(ts)))::DATE AS month,
    local_ts,  -- wall-clock time in the person's zone (focus, integration)
    busy_s,
    message,
    meeting_s,
    hour(local_ts) < $work_day_start OR hour(local_ts) >= $work_day_end OR isodow(local_ts) >= 6 AS after_hours
FROM placed
WHERE CASE
    WHEN is_actor THEN actor_pid IS NOT NULL  -- (the same person, zone and start date as actor_pid's)
    ELSE pid IS DISTINCT FROM actor_pid AND (start_date IS NULL OR local_ts::DATE >= start_date)
END
