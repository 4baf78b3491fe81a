-- New-hire integration, the first part: whom each newcomer (a person of tw_people who started on or after the
-- first day of the data) was in touch with in tw_participants (a human interaction that makes a tie: see
-- ties.sql) within their first 90 local days, and on which day of them first (first_offset: 0 = the start date).
-- A pair can come twice (events loaded by two monthly passes): integration.sql takes the earliest.
-- $first_day: the first day of the data when tw_participants holds only part of it (NULL: its first day).
WITH first_day AS (
    SELECT coalesce($first_day::DATE, min(local_ts)::DATE) AS first_day FROM tw_participants
),
hires AS (
    SELECT p.pid, p.start_date
    FROM tw_nodes AS p
    CROSS JOIN first_day AS f
    WHERE p.start_date IS NOT NULL AND p.start_date >= f.first_day
),
own AS (
    SELECT t.event_key, t.pid, t.is_actor, t.sync, t.local_ts::DATE AS local_day, h.start_date
    FROM tw_participants AS t
    JOIN hires AS h ON h.pid = t.pid
    WHERE NOT t.tool AND t.local_ts::DATE < h.start_date + 90
),
met AS (
    SELECT o.pid, d.pid AS other_pid, min(o.local_day - o.start_date) AS first_offset
    FROM own AS o
    JOIN tw_participants AS d ON d.event_key = o.event_key AND d.pid <> o.pid
    WHERE o.sync OR o.is_actor OR d.is_actor
    GROUP BY ALL
)
SELECT n.pseudonym AS person, o.pseudonym AS other, m.first_offset
FROM met AS m
JOIN tw_nodes AS n ON n.pid = m.pid
JOIN tw_nodes AS o ON o.pid = m.other_pid
