-- A month's people piece (analytics.quarters): per person, in the month window $window, the counts activity.sql
-- takes, the meeting seconds (summed here, turned into hours once per quarter) and the sums over the month's
-- working days of tw_focus_days (focus_days.sql: longest stretch, blocks of at least the block length, days).
-- A person's local day can fall in the month next to the UTC month of the event: either part may be missing
-- (NULL) for a person in one month.
WITH counted AS (
    SELECT
        pid,
        count(*) FILTER (WHERE NOT tool) AS human_events,
        count(*) FILTER (WHERE tool) AS tool_events,
        count(*) FILTER (WHERE is_actor) AS acts,
        count(*) FILTER (WHERE is_actor AND after_hours) AS after_hours_acts,
        count(*) FILTER (WHERE is_actor AND message) AS messages_sent,
        sum(meeting_s)::BIGINT AS meeting_s
    FROM tw_participants
    WHERE month = $window::DATE
    GROUP BY pid
),
focus AS (
    SELECT
        pid,
        sum(longest_h)::DOUBLE AS focus_hours_sum,
        sum(blocks)::BIGINT AS focus_blocks_sum,
        count(*) AS working_days
    FROM tw_focus_days
    WHERE date_trunc('month', day)::DATE = $window::DATE
    GROUP BY pid
)
SELECT n.pseudonym AS person, c.* EXCLUDE (pid), f.* EXCLUDE (pid)
FROM counted AS c
FULL JOIN focus AS f ON f.pid = c.pid
JOIN tw_nodes AS n ON n.pid = coalesce(c.pid, f.pid)
ORDER BY n.pid
