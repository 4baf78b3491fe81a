-- Focus per person and window: the means over the window's working days of tw_focus_days (focus_days.sql), per
-- integer id, named at the end.
WITH means AS (
    SELECT
        date_trunc($period, day)::DATE AS window_start,
        pid,
        avg(longest_h)::DOUBLE AS focus_hours,
        avg(blocks)::DOUBLE AS focus_blocks,
        count(*) AS working_days
    FROM tw_focus_days
    GROUP BY ALL
)
SELECT m.window_start, n.pseudonym AS person, m.focus_hours, m.focus_blocks, m.working_days
FROM means AS m
JOIN tw_nodes AS n ON n.pid = m.pid
ORDER BY m.window_start, m.pid
