-- Per person and window: human and tool interactions taken part in, own acts, own acts after hours, messages
-- sent to people (own acts with message set) and hours of meetings with another human (NULL: no meeting of
-- theirs in the window had a known duration).
WITH counted AS (  -- per integer id (numbered in pseudonym order); named once per row at the end
    SELECT
        CASE $period
            WHEN 'week' THEN week WHEN 'month' THEN month WHEN 'quarter' THEN date_trunc('quarter', month)::DATE
        END AS window_start,
        pid,
        count(*) FILTER (WHERE NOT tool) AS human_events,
        count(*) FILTER (WHERE tool) AS tool_events,
        count(*) FILTER (WHERE is_actor) AS acts,
        count(*) FILTER (WHERE is_actor AND after_hours) AS after_hours_acts,
        count(*) FILTER (WHERE is_actor AND message) AS messages_sent,
        (sum(meeting_s) / 3600.0)::DOUBLE AS meeting_hours
    FROM tw_participants
    GROUP BY ALL
)
SELECT c.window_start, n.pseudonym AS person, c.* EXCLUDE (window_start, pid)
FROM counted AS c
JOIN tw_nodes AS n ON n.pid = c.pid
ORDER BY c.window_start, c.pid
