-- Two identities of one person among an event's targets (aliases, tw_aliases) give that person two rows in
-- tw_participants; keep one. Only rows whose identity was mapped to another person (remapped) can repeat one:
-- each identity is taken once per event, and a target who is the event's actor is already left out. A remapped
-- row goes when the same event has a row of the same person that is not remapped, or a remapped one before it.
-- The rows of the events with a remapped row are found first (a semi-join on those few events), so the
-- comparison never builds a table of every participation.
DELETE FROM tw_participants WHERE rowid IN (
    WITH r AS (
        SELECT rowid AS row_id, event_key, pid FROM tw_participants WHERE remapped AND NOT is_actor
    ),
    o AS (
        SELECT t.rowid AS row_id, t.event_key, t.pid, t.remapped
        FROM tw_participants AS t
        SEMI JOIN r ON r.event_key = t.event_key
    )
    SELECT r.row_id
    FROM r
    JOIN o ON o.event_key = r.event_key AND o.pid = r.pid AND o.row_id <> r.row_id
    WHERE NOT o.remapped OR o.row_id < r.row_id
)
