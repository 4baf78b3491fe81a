-- The table tw_zone_offsets: for each time zone of tw_nodes (zone: its integer id there) and each 15-minute
-- bucket of UTC time that holds an event of tw_events (bucket: epoch microseconds divided by $bucket_us, rounded
-- down: // rounds toward zero, which would merge the quarter hours either side of 1970 into one), the zone's
-- offset from UTC in microseconds, when it is the same all through the bucket. participants.sql adds it to an
-- event's time to get a person's wall-clock time, instead of one time zone lookup (ICU) per participation row;
-- a bucket in which the offset changes (a transition off the quarter hour, as Monrovia's at 00:44:30 UTC on
-- 7 January 1972) has no row here, and its rows look their zone up as before. Either way the wall-clock time
-- is DuckDB's timezone(zone, ts) exactly (tests/analytics/test_zone_offsets.py).
CREATE OR REPLACE TEMP TABLE tw_zone_offsets AS
WITH zones AS (
    SELECT DISTINCT zone, timezone FROM tw_nodes
),
buckets AS (
    SELECT DISTINCT epoch_us(ts) // $bucket_us - (epoch_us(ts) % $bucket_us < 0)::BIGINT AS bucket FROM tw_events
),
bounds AS (
    SELECT
        z.zone,
        b.bucket,
        epoch_us(timezone(z.timezone, make_timestamptz(b.bucket * $bucket_us))) - b.bucket * $bucket_us AS at_start,
        epoch_us(timezone(z.timezone, make_timestamptz((b.bucket + 1) * $bucket_us - 1)))
            - ((b.bucket + 1) * $bucket_us - 1) AS at_end
    FROM zones AS z
    CROSS JOIN buckets AS b
)
SELECT zone, bucket, at_start AS offset_us
FROM bounds
WHERE at_start = at_end
