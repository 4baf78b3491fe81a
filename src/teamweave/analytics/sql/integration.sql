-- New-hire integration: for each person of tw_people who started on or after the first day of the data, how
-- many different people they were in touch with (a human interaction that makes a tie: see ties.sql) within
-- their first 30, 60 and 90 days (local days [start, start + N)). NULL while day N is after the data's last day.
-- $first_day, $last_day: the first and last days of the data when tw_participants holds only part of it (an
-- incremental run; NULL: those of tw_participants).
WITH first_last AS (
    SELECT coalesce($first_day::DATE, min(local_ts)::DATE) AS first_day, coalesce($last_day::DATE, max(local_ts)::DATE) AS last_day
    FROM tw_participants
),
hires AS (
    SELECT p.pseudonym AS person, p.start_date
    FROM tw_people AS p
    CROSS JOIN first_last AS f
    WHERE p.start_date IS NOT NULL AND p.start_date >= f.first_day
),
met AS (  -- tw_contacts: the rows of integration_contacts.sql (of one or more passes over the events)
    SELECT person, other, min(first_offset) AS first_offset
    FROM tw_contacts
    GROUP BY ALL
)
SELECT
    h.person,
    h.start_date,
    CASE WHEN h.start_date + 29 <= any_value(f.last_day)
        THEN count(m.other) FILTER (WHERE m.first_offset < 30) END AS ties_30,
    CASE WHEN h.start_date + 59 <= any_value(f.last_day)
        THEN count(m.other) FILTER (WHERE m.first_offset < 60) END AS ties_60,
    CASE WHEN h.start_date + 89 <= any_value(f.last_day)
        THEN count(m.other) FILTER (WHERE m.first_offset < 90) END AS ties_90
FROM hires AS h
CROSS JOIN first_last AS f
LEFT JOIN met AS m ON m.person = h.person
GROUP BY h.person, h.start_date
ORDER BY h.person
