-- Per person and quarter, from the people pieces of its months (tw_month_people: month, person and the columns of
-- month_people.sql): the counts of activity.sql summed, meeting hours from the summed seconds (NULL: no meeting of
-- theirs in the quarter had a known duration). Only the months where the person took part in something count.
SELECT
    date_trunc('quarter', p.month)::DATE AS window_start,
    p.person,
    sum(p.human_events)::BIGINT AS human_events,
    sum(p.tool_events)::BIGINT AS tool_events,
    sum(p.acts)::BIGINT AS acts,
    sum(p.after_hours_acts)::BIGINT AS after_hours_acts,
    sum(p.messages_sent)::BIGINT AS messages_sent,
    (sum(p.meeting_s) / 3600.0)::DOUBLE AS meeting_hours
FROM tw_month_people AS p
JOIN tw_nodes AS n ON n.pseudonym = p.person
WHERE p.human_events IS NOT NULL
GROUP BY 1, p.person, n.pid
ORDER BY 1, n.pid
