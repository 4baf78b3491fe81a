-- Focus per person (pid) and working day from tw_participants (every interaction taken part in, human or tool, with its
-- local wall-clock time local_ts and busy_s: the length of a meeting or call, 0 for a message). Working days
-- are Monday-Friday local days with at least one interaction starting inside $work_day_start..$work_day_end;
-- on each, the busy spans [local_ts, local_ts + busy_s] (clipped to the working day) split the day into gaps
-- (from the day's start to the first span, between spans, from the last span to the day's end). Per day:
-- the longest gap (hours) and the gaps of at least $block_hours, into the table tw_focus_days (focus.sql takes
-- the means per window of either period from it: the day figures are computed once for both).
CREATE OR REPLACE TEMP TABLE tw_focus_days AS
WITH spans AS (
    SELECT
        pid,
        local_ts::DATE AS day,
        local_ts::DATE + make_time($work_day_start, 0, 0) AS day_start,
        CASE WHEN $work_day_end = 24 THEN local_ts::DATE + INTERVAL 1 DAY
            ELSE local_ts::DATE + make_time($work_day_end, 0, 0) END AS day_end,
        local_ts AS busy_from,
        local_ts + to_seconds(busy_s) AS busy_to
    FROM tw_participants
    WHERE isodow(local_ts) <= 5 AND hour(local_ts) >= $work_day_start AND hour(local_ts) < $work_day_end
),
ordered AS (
    SELECT
        pid, day, day_start, day_end, busy_from,
        least(busy_to, day_end) AS busy_to,
        max(least(busy_to, day_end)) OVER (
            PARTITION BY pid, day ORDER BY busy_from ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) AS prev_end
    FROM spans
),
gaps AS (
    SELECT pid, day, epoch(busy_from - coalesce(prev_end, day_start)) / 3600.0 AS gap_h
    FROM ordered
    UNION ALL
    SELECT pid, day, epoch(any_value(day_end) - greatest(max(busy_to), any_value(day_start))) / 3600.0 AS gap_h
    FROM ordered
    GROUP BY pid, day
),
days AS (
    SELECT
        pid,
        day,
        max(greatest(gap_h, 0)) AS longest_h,
        count(*) FILTER (WHERE gap_h >= $block_hours) AS blocks
    FROM gaps
    GROUP BY pid, day
)
SELECT pid, day, longest_h, blocks FROM days
