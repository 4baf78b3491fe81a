-- Focus per person and quarter from the people pieces of its months (tw_month_people): the means of focus.sql over
-- the quarter's working days, from the months' sums.
SELECT
    date_trunc('quarter', p.month)::DATE AS window_start,
    p.person,
    (sum(p.focus_hours_sum) / sum(p.working_days))::DOUBLE AS focus_hours,
    (sum(p.focus_blocks_sum) / sum(p.working_days))::DOUBLE AS focus_blocks,
    sum(p.working_days)::BIGINT AS working_days
FROM tw_month_people AS p
JOIN tw_nodes AS n ON n.pseudonym = p.person
WHERE p.working_days IS NOT NULL
GROUP BY 1, p.person, n.pid
ORDER BY 1, n.pid
