-- Per person and window: human and tool interactions taken part in, own acts, own acts after hours.
SELECT
    CASE WHEN $period = 'week' THEN week ELSE month END AS window_start,
    person,
    count(*) FILTER (WHERE NOT tool) AS human_events,
    count(*) FILTER (WHERE tool) AS tool_events,
    count(*) FILTER (WHERE is_actor) AS acts,
    count(*) FILTER (WHERE is_actor AND after_hours) AS after_hours_acts
FROM tw_participants
GROUP BY ALL
ORDER BY window_start, person
