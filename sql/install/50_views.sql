-- Views over the streams.

CREATE VIEW streams AS
SELECT format('%I.%I', n.nspname, c.relname) AS name,
       s.relid AS relation,
       s.partition_interval,
       s.retention,
       s.durability,
       (SELECT count(*) FROM asset_stream._partitions(s.relid) p WHERE NOT p.is_default)::integer AS partitions,
       (SELECT coalesce(sum(greatest(pc.reltuples, 0)), 0)::bigint
          FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhrelid
         WHERE i.inhparent = s.relid) AS estimated_rows,
       (SELECT min(p.lower_bound) FROM asset_stream._partitions(s.relid) p) AS oldest_bound,
       (SELECT max(p.upper_bound) FROM asset_stream._partitions(s.relid) p) AS newest_bound
FROM asset_stream.stream_config s
JOIN pg_catalog.pg_class c ON c.oid = s.relid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace;
COMMENT ON VIEW streams IS
'Streams with their partitioning, retention, durability, partition count, estimated rows (pg_class.reltuples) and partition bounds';

GRANT USAGE ON SCHEMA asset_stream TO PUBLIC;
GRANT SELECT ON streams TO PUBLIC;

-- Serve this database now: wake the launcher when CREATE EXTENSION commits.
SELECT asset_stream._wake_launcher();
