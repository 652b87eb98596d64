-- The ingest writer (ingest_write_batch), through the internal
-- asset_stream._write_rows() and asset_stream.ingest(): routing to
-- partitions, partitions made on demand, retention, NULL positions, attrs,
-- received_at, rejects, rows refused by a user's CHECK or unique index,
-- triggers, privileges, logged and unlogged streams.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

-- Let this database's maintenance worker finish its first run, so that it
-- does not race the partitions made below.
DO $$
BEGIN
    FOR i IN 1..300 LOOP
        EXIT WHEN EXISTS (SELECT 1 FROM asset_stream.worker_status()
                          WHERE database = current_database() AND runs > 0);
        PERFORM pg_sleep(0.1);
    END LOOP;
END $$;

-- a stream that keeps everything (unlogged partitions, the default)
SELECT asset_stream.create_stream('iw_reads', partition_interval => '1 hour', retention => NULL);
SELECT count(*) AS partitions_before FROM asset_stream._partitions('iw_reads') WHERE NOT is_default;

-- four reads in three hours that have no partition yet; NULL positions
-- (either coordinate NULL), source_id, rssi and attrs
SELECT * FROM asset_stream._write_rows('iw_reads',
    ARRAY['tag-1', 'tag-2', 'tag-3', 'tag-4'],
    ARRAY['2024-01-01 10:15Z', '2024-01-01 10:45Z', '2024-01-01 11:05Z', '2024-01-02 00:00Z']::timestamptz[],
    lons => ARRAY[13.4, NULL, 13.5, 13.123456789],
    lats => ARRAY[52.5, 52.5, NULL, 52.987654321],
    source_ids => ARRAY['ant-1', NULL, 'ant-2', 'ant-3'],
    rssis => ARRAY[-61.5, NULL, -70, -80.25]::real[],
    attrs => ARRAY['{"battery": 80}', NULL, '{"tamper": true, "n": [1, 2]}', NULL]::jsonb[]);

-- made on demand: one partition per hour, none for the empty hour between
SELECT count(*) AS partitions_after FROM asset_stream._partitions('iw_reads') WHERE NOT is_default;
SELECT partition, lower_bound, upper_bound
FROM asset_stream._partitions('iw_reads') WHERE upper_bound <= '2024-12-31' ORDER BY lower_bound;

-- each read in its hour's partition, nothing in the default partition
SELECT tableoid::regclass AS partition, asset_id, event_time, source_id,
       ST_AsText(position) AS position, ST_SRID(position) AS srid, rssi, attrs
FROM iw_reads ORDER BY event_time;
SELECT count(*) AS in_default FROM iw_reads_default;
-- the position column's typmod holds: the values are Points in SRID 4326
SELECT DISTINCT GeometryType(position) AS type FROM iw_reads WHERE position IS NOT NULL;

-- the index on (asset_id, event_time) has the rows
SET enable_seqscan = off;
SELECT asset_id FROM iw_reads WHERE asset_id = 'tag-3' AND event_time > '2024-01-01';
RESET enable_seqscan;

-- more reads in the same hours make no new partition
SELECT * FROM asset_stream._write_rows('iw_reads', ARRAY['tag-1', 'tag-2'],
    ARRAY['2024-01-01 10:59:59.999999Z', '2024-01-01 11:00Z']::timestamptz[]);
SELECT count(*) AS partitions_unchanged FROM asset_stream._partitions('iw_reads') WHERE NOT is_default;
SELECT tableoid::regclass AS partition, event_time FROM iw_reads
WHERE event_time IN ('2024-01-01 10:59:59.999999Z', '2024-01-01 11:00Z') ORDER BY event_time;

-- received_at is the transaction's now(), not the clock
BEGIN;
SELECT pg_sleep(0.05);
SELECT rows_written FROM asset_stream._write_rows('iw_reads', ARRAY['tag-5'], ARRAY['2024-01-01 10:30Z']::timestamptz[]);
SELECT received_at = now() AS received_at_is_now, received_at < clock_timestamp() - interval '40 ms' AS not_the_clock
FROM iw_reads WHERE asset_id = 'tag-5';
COMMIT;

-- an empty batch writes nothing
SELECT * FROM asset_stream._write_rows('iw_reads', ARRAY[]::text[], ARRAY[]::timestamptz[]);

-- the batch's rejects go to asset_stream.rejected with the reads
BEGIN;
SELECT * FROM asset_stream._write_rows('iw_reads', ARRAY['tag-6'], ARRAY['2024-01-01 10:31Z']::timestamptz[],
    rejects => ARRAY['{"asset_id": ""}', NULL], source => 'iw-rejects');
SELECT source, payload, error, received_at = now() AS received_now
FROM asset_stream.rejected WHERE source = 'iw-rejects' ORDER BY id;
COMMIT;
SELECT count(*) AS tag_6 FROM iw_reads WHERE asset_id = 'tag-6';

-- a CHECK the user added, a NULL asset_id and a read from the future: those
-- rows are refused (to asset_stream.rejected, rendered as JSON, with the
-- error), the others of the batch are written
ALTER TABLE iw_reads ADD CONSTRAINT no_bad_tags CHECK (asset_id NOT LIKE 'bad%');
SELECT * FROM asset_stream._write_rows('iw_reads',
    ARRAY['ok-1', 'bad-1', 'ok-2', NULL, 'ok-3', 'bad-2', 'ok-4'],
    ARRAY['2024-01-01 10:01Z', '2024-01-01 10:02Z', '2024-01-01 10:03Z', '2024-01-01 10:04Z',
          '2024-01-01 10:05Z', '2024-01-01 11:06Z', '2100-01-01 00:00Z']::timestamptz[],
    lons => ARRAY[1.5, 2.25, NULL, NULL, NULL, NULL, NULL],
    lats => ARRAY[3.5, -4.125, NULL, NULL, NULL, NULL, NULL],
    source_ids => ARRAY[NULL, 'ant-"9"', NULL, NULL, NULL, NULL, NULL],
    rssis => ARRAY[NULL, -55.5, NULL, NULL, NULL, NULL, NULL]::real[],
    attrs => ARRAY[NULL, '{"k": "v"}', NULL, NULL, NULL, NULL, NULL]::jsonb[],
    source => 'iw-check');
SELECT payload, error FROM asset_stream.rejected WHERE source = 'iw-check' ORDER BY id;
SELECT tableoid::regclass AS partition, asset_id FROM iw_reads WHERE asset_id LIKE 'ok-%' ORDER BY asset_id;
-- no partition for the year 2100: the CHECK refuses such reads
SELECT count(*) AS partitions_in_2100 FROM asset_stream._partitions('iw_reads') WHERE lower_bound >= '2100-01-01';

-- a unique index the user added: duplicates (in the table, or twice in
-- the batch) are refused, the rest is written
CREATE UNIQUE INDEX iw_reads_unique ON iw_reads (asset_id, event_time);
SELECT * FROM asset_stream._write_rows('iw_reads',
    ARRAY['tag-1', 'dup-1', 'dup-1', 'new-1'],
    ARRAY['2024-01-01 10:15Z', '2024-01-01 10:20Z', '2024-01-01 10:20Z', '2024-01-01 10:21Z']::timestamptz[],
    source => 'iw-unique');
SELECT payload, error FROM asset_stream.rejected WHERE source = 'iw-unique' ORDER BY id;
SELECT asset_id, count(*) FROM iw_reads WHERE asset_id IN ('tag-1', 'dup-1', 'new-1') GROUP BY 1 ORDER BY 1;
DROP INDEX iw_reads_unique;
ALTER TABLE iw_reads DROP CONSTRAINT no_bad_tags;

-- a big batch over 30 hours (one partition buffer per hour, flushed every
-- 1000 rows); every read where it belongs
SELECT * FROM asset_stream._write_rows('iw_reads',
    (SELECT array_agg('big-' || (i % 100)) FROM generate_series(1, 5000) i),
    (SELECT array_agg(timestamptz '2024-02-01 00:00Z' + (i % 30) * interval '1 hour' + i * interval '1 ms')
     FROM generate_series(1, 5000) i),
    lons => (SELECT array_agg(i / 1000.0) FROM generate_series(1, 5000) i),
    lats => (SELECT array_agg(i / 2000.0) FROM generate_series(1, 5000) i));
SELECT count(*) AS rows, count(DISTINCT r.tableoid) AS partitions,
       bool_and(event_time >= p.lower_bound AND event_time < p.upper_bound) AS all_in_bounds
FROM iw_reads r JOIN asset_stream._partitions('iw_reads') p ON p.partition = r.tableoid
WHERE asset_id LIKE 'big-%';

-- a column the user added gets its default
ALTER TABLE iw_reads ADD COLUMN batch_note text DEFAULT 'from the writer';
SELECT * FROM asset_stream._write_rows('iw_reads', ARRAY['tag-7'], ARRAY['2024-01-01 10:32Z']::timestamptz[]);
SELECT asset_id, batch_note FROM iw_reads WHERE asset_id = 'tag-7';
ALTER TABLE iw_reads DROP COLUMN batch_note;
-- a dropped column: partitions made since have a different layout
SELECT * FROM asset_stream._write_rows('iw_reads', ARRAY['tag-8', 'tag-9'],
    ARRAY['2024-01-01 10:33Z', '2024-01-03 10:00Z']::timestamptz[],
    lons => ARRAY[7, 8], lats => ARRAY[9, 10]);
SELECT tableoid::regclass AS partition, asset_id, ST_AsText(position) AS position
FROM iw_reads WHERE asset_id IN ('tag-8', 'tag-9') ORDER BY asset_id;

-- a partition dropped meanwhile (as maintenance does past retention) is
-- made again for the next read in its hour
DROP TABLE iw_reads_p20240103_100000;
SELECT * FROM asset_stream._write_rows('iw_reads', ARRAY['tag-10'], ARRAY['2024-01-03 10:30Z']::timestamptz[]);
SELECT tableoid::regclass AS partition, asset_id FROM iw_reads WHERE event_time >= '2024-01-03' AND event_time < '2024-01-04';

-- unlogged stream: the partitions made on demand are unlogged
SELECT DISTINCT c.relpersistence FROM asset_stream._partitions('iw_reads') p
JOIN pg_class c ON c.oid = p.partition;

-- logged stream: the partitions made on demand are logged
SELECT asset_stream.create_stream('iw_logged', durability => 'logged', retention => NULL);
SELECT * FROM asset_stream._write_rows('iw_logged', ARRAY['a', 'b'],
    ARRAY['2024-03-01 08:00Z', '2024-03-01 09:00Z']::timestamptz[]);
SELECT r.tableoid::regclass AS partition, c.relpersistence
FROM iw_logged r JOIN pg_class c ON c.oid = r.tableoid ORDER BY 1;

-- retention: reads older than the retention go to the default partition
-- (maintenance deletes them) and get no partition; younger ones do
SELECT asset_stream.create_stream('iw_short', partition_interval => '1 hour', retention => '1 day');
SELECT count(*) AS partitions_before FROM asset_stream._partitions('iw_short') WHERE NOT is_default;
SELECT * FROM asset_stream._write_rows('iw_short', ARRAY['old', 'recent', 'now'],
    ARRAY[now() - interval '3 days', now() - interval '12 hours', now()]);
SELECT asset_id, tableoid = 'iw_short_default'::regclass AS in_default FROM iw_short ORDER BY asset_id;
SELECT count(*) AS partitions_after,
       count(*) FILTER (WHERE upper_bound <= now() - interval '1 day') AS past_retention
FROM asset_stream._partitions('iw_short') WHERE NOT is_default;
SELECT count(*) AS deleted_by_maintenance FROM asset_stream.run_maintenance('iw_short')
WHERE action LIKE 'deleted%';
SELECT asset_id FROM iw_short ORDER BY asset_id;

-- triggers: a BEFORE ROW trigger (row at a time) and an AFTER ROW trigger
CREATE TABLE iw_seen (asset_id text, partition regclass);
CREATE FUNCTION iw_before() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.asset_id = 'skip' THEN RETURN NULL; END IF;
    NEW.attrs := coalesce(NEW.attrs, '{}') || '{"before": true}';
    RETURN NEW;
END $$;
CREATE FUNCTION iw_after() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO iw_seen VALUES (NEW.asset_id, TG_RELID::regclass);
    RETURN NULL;
END $$;
SELECT asset_stream.create_stream('iw_trig', retention => NULL);
CREATE TRIGGER iw_after AFTER INSERT ON iw_trig FOR EACH ROW EXECUTE FUNCTION iw_after();
SELECT * FROM asset_stream._write_rows('iw_trig', ARRAY['t-1', 't-2'],
    ARRAY['2024-04-01 00:10Z', '2024-04-01 01:10Z']::timestamptz[]);
SELECT * FROM iw_seen ORDER BY 1;
CREATE TRIGGER iw_before BEFORE INSERT ON iw_trig FOR EACH ROW EXECUTE FUNCTION iw_before();
SELECT * FROM asset_stream._write_rows('iw_trig', ARRAY['t-3', 'skip', 't-4'],
    ARRAY['2024-04-01 00:20Z', '2024-04-01 00:21Z', '2024-04-01 02:10Z']::timestamptz[]);
SELECT tableoid::regclass AS partition, asset_id, attrs FROM iw_trig ORDER BY asset_id;
SELECT * FROM iw_seen ORDER BY 1;

-- privileges: INSERT on the stream is needed; partitions are made as the
-- stream's owner, rejects written as the owner of asset_stream.rejected
CREATE ROLE iw_nobody;
CREATE ROLE iw_writer;
GRANT INSERT ON iw_reads TO iw_writer;
SET ROLE iw_nobody;
SELECT * FROM asset_stream._write_rows('iw_reads', ARRAY['x'], ARRAY['2024-01-01 10:00Z']::timestamptz[]);
SELECT * FROM asset_stream.ingest('iw_reads', '{"asset_id": "x", "event_time": "2024-01-01T10:00:00Z"}');
RESET ROLE;
SET ROLE iw_writer;
SELECT * FROM asset_stream._write_rows('iw_reads', ARRAY['by-writer'], ARRAY['2024-01-05 10:00Z']::timestamptz[],
    rejects => ARRAY['junk'], source => 'iw-writer');
RESET ROLE;
SELECT p.partition, pg_get_userbyid(c.relowner) = current_user AS owned_by_stream_owner
FROM asset_stream._partitions('iw_reads') p JOIN pg_class c ON c.oid = p.partition
WHERE p.lower_bound = '2024-01-05 10:00Z';
SELECT tableoid::regclass AS partition, asset_id FROM iw_reads WHERE asset_id = 'by-writer';
SELECT source, payload FROM asset_stream.rejected WHERE source = 'iw-writer';

-- asset_stream.ingest(): a payload that is no JSON at all is one reject
SELECT * FROM asset_stream.ingest('iw_reads', 'this is not json', source => 'iw-sql');
SELECT source, payload FROM asset_stream.rejected WHERE source = 'iw-sql';
SELECT * FROM asset_stream.ingest('iw_reads', NULL);
SELECT * FROM asset_stream.ingest(NULL, 'x');
-- not a stream
CREATE TABLE iw_plain (asset_id text, event_time timestamptz);
SELECT * FROM asset_stream._write_rows('iw_plain', ARRAY['x'], ARRAY['2024-01-01 10:00Z']::timestamptz[]);

-- clean up
DROP TABLE iw_plain, iw_seen;
SELECT asset_stream.drop_stream('iw_reads');
SELECT asset_stream.drop_stream('iw_logged');
SELECT asset_stream.drop_stream('iw_short');
SELECT asset_stream.drop_stream('iw_trig');
DROP FUNCTION iw_before(), iw_after();
DROP ROLE iw_nobody;
DROP ROLE iw_writer;
DELETE FROM asset_stream.rejected WHERE source LIKE 'iw-%';
