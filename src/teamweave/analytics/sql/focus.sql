-- Focus per person and window: the means over the window's working days of tw_focus_days (focus_days.sql).
SELECT
    CASE WHEN $period = 'week' THEN date_trunc('week', day) ELSE date_trunc('month', day) END::DATE AS window_start,
    person,
    avg(longest_h)::DOUBLE AS focus_hours,
    avg(blocks)::DOUBLE AS focus_blocks,
    count(*) AS working_days
FROM tw_focus_days
GROUP BY ALL
ORDER BY window_start, person
