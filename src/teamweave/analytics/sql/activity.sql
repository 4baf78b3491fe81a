-- Per person and window: human and tool interactions taken part in, own acts, own acts after hours, messages
-- sent to people (own acts with message set) and hours of meetings with another human (NULL: no meeting of
-- theirs in the window had a known duration).
SELECT
    CASE WHEN $period = 'week' THEN week ELSE month END AS window_start,
    person,
    count(*) FILTER (WHERE NOT tool) AS human_events,
    count(*) FILTER (WHERE tool) AS tool_events,
    count(*) FILTER (WHERE is_actor) AS acts,
    count(*) FILTER (WHERE is_actor AND after_hours) AS after_hours_acts,
    count(*) FILTER (WHERE is_actor AND message) AS messages_sent,
    (sum(meeting_s) / 3600.0)::DOUBLE AS meeting_hours
FROM tw_participants
GROUP BY ALL
ORDER BY window_start, person
