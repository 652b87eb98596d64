-- Payload formats of the ingest sources, through asset_stream.parse_payload():
-- JSON, NDJSON and CSV, field mapping, positions, times, and every kind of
-- reject (docs/ingest_formats.md).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS asset_stream CASCADE;
RESET client_min_messages;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 0;
\set SHOW_CONTEXT never
\pset null '<null>'

-- Text holding any bytes (invalid UTF-8, NUL), which no text input accepts.
CREATE FUNCTION pg_temp.raw_text(bytea) RETURNS text
LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';

-- The parse of a payload, reads then rejects.
CREATE FUNCTION pg_temp.p(payload text, options jsonb DEFAULT '{}',
                          content_type text DEFAULT NULL, topic text DEFAULT NULL)
RETURNS TABLE (asset_id text, event_time timestamptz, source_id text, lon float8,
               lat float8, rssi real, attrs jsonb, error text, rejected_payload text)
LANGUAGE sql AS $$
    SELECT * FROM asset_stream.parse_payload(payload, options, content_type, topic)
$$;

-- JSON: one object
SELECT * FROM pg_temp.p('{"asset_id":"a1","event_time":"2024-05-01T10:00:00Z","source_id":"gw1","lon":2.35,"lat":48.85,"rssi":-61.5}');
-- every other key goes into attrs, with its JSON value; an "attrs" object is merged
SELECT asset_id, attrs FROM pg_temp.p('{"asset_id":"a1","event_time":"2024-05-01T10:00:00Z","battery":3.71,"moving":true,"tags":["x",{"y":null}],"note":null,"attrs":{"fw":"1.2","battery":0}}');
-- no other key: attrs is NULL
SELECT asset_id, attrs IS NULL AS no_attrs FROM pg_temp.p('{"asset_id":"a1","event_time":"2024-05-01T10:00:00Z","attrs":{}}');
-- JSON: an array of objects; a non-object element is a reject of that element
SELECT * FROM pg_temp.p('[{"asset_id":"a1","event_time":"2024-05-01T10:00:00Z"},
 42, {"asset_id":"a2","event_time":"2024-05-01T10:00:01Z"}, [1,2], "s"]');
SELECT count(*) FROM pg_temp.p('[]');
-- asset_id and source_id may be numbers (kept as text); null counts as missing
SELECT asset_id, source_id, rssi FROM pg_temp.p('{"asset_id":12345,"event_time":"2024-05-01T10:00:00Z","source_id":7,"rssi":null}');
-- duplicate keys: the last one wins
SELECT asset_id FROM pg_temp.p('{"asset_id":"first","event_time":"2024-05-01T10:00:00Z","asset_id":"last"}');

-- NDJSON: one object per line, blank lines skipped, CRLF, each bad line its own reject
SELECT * FROM pg_temp.p(E'{"asset_id":"n1","event_time":"2024-05-01T10:00:00Z"}\r\n\n  \n{"asset_id":"n2","event_time":"2024-05-01T10:00:01Z"}\n{"asset_id":\n[{"asset_id":"n3","event_time":"2024-05-01T10:00:00Z"}]\n7\n{"asset_id":"n4","event_time":"2024-05-01T10:00:02Z"}',
                        '{"format":"ndjson"}');

-- Content-Type overrides the source's format; parameters and case are ignored
SELECT asset_id FROM pg_temp.p(E'{"asset_id":"c1","event_time":"2024-05-01T10:00:00Z"}\n{"asset_id":"c2","event_time":"2024-05-01T10:00:00Z"}',
                               '{}', 'Application/X-NDJSON; charset=utf-8');
SELECT asset_id FROM pg_temp.p('{"asset_id":"c3","event_time":"2024-05-01T10:00:00Z"}', '{"format":"ndjson"}', 'application/json');
SELECT asset_id FROM pg_temp.p('{"asset_id":"c4","event_time":"2024-05-01T10:00:00Z"}', '{}', 'text/plain');
SELECT error FROM pg_temp.p('a,b', '{}', 'text/csv');

-- CSV: header, quotes with "" inside, a quoted newline, a skipped column,
-- unknown columns into attrs as strings, unquoted empty = absent, CRLF
SELECT * FROM pg_temp.p(E'id,ts,skip,rssi,site,note\r\n' ||
                        E'a1,2024-05-01T10:00:00Z,zzz,-70,"Lyon, FR","say ""hi"""\r\n' ||
                        E'a2,2024-05-01 10:00:01+02,,,,\r\n' ||
                        E'"a3",1714557602,x,-1.5,"multi\nline",""\n',
                        '{"format":"csv","csv_header":true,"fields":{"asset_id":"id","event_time":"ts"},
                          "csv_columns":["id","ts","","rssi","site","note"]}');
-- CSV: lon/lat, position and attrs as JSON text, source_id
SELECT * FROM pg_temp.p(E'a1,2024-05-01T10:00:00Z,2.5,45.1,,,s1\n' ||
                        E'a2,2024-05-01T10:00:00Z,,,"[3.5,46]","{""k"":1}",s2\n' ||
                        E'a3,2024-05-01T10:00:00Z,,,"{""type"":""Point"",""coordinates"":[4,47]}",,\n',
                        '{"format":"csv","csv_columns":["asset_id","event_time","lon","lat","position","attrs","source_id"]}');
-- CSV rejects: wrong column count, unterminated quote, text after a closing quote
SELECT error, rejected_payload FROM pg_temp.p(E'a1,2024-05-01T10:00:00Z\na2\na3,2024-05-01T10:00:00Z,x\n"a4"x,2024-05-01T10:00:00Z\na5,2024-05-01T10:00:00Z\n"a6,2024',
                        '{"format":"csv","csv_columns":["asset_id","event_time"]}');

-- Field mapping: mapped keys fill the fields, the default names go to attrs
SELECT * FROM pg_temp.p('{"tag":"t1","ts":"2024-05-01T10:00:00Z","gw":"g9","x":1.5,"y":2.5,"signal":-80,"asset_id":"not me","meta":{"a":1}}',
                        '{"fields":{"asset_id":"tag","event_time":"ts","source_id":"gw","lon":"x","lat":"y","rssi":"signal","attrs":"meta"}}');
SELECT error FROM pg_temp.p('{"asset_id":"x","ts":"2024-05-01T10:00:00Z"}', '{"fields":{"asset_id":"tag","event_time":"ts"}}');

-- Positions: GeoJSON Point (an altitude is allowed), [lon, lat], lon/lat
-- (numbers or numeric strings); position wins over lon/lat
SELECT asset_id, lon, lat, error FROM pg_temp.p('[
 {"asset_id":"g1","event_time":"2024-05-01T10:00:00Z","position":{"type":"Point","coordinates":[2.35,48.85]}},
 {"asset_id":"g2","event_time":"2024-05-01T10:00:00Z","position":{"type":"Point","coordinates":[2.35,48.85,35]}},
 {"asset_id":"g3","event_time":"2024-05-01T10:00:00Z","position":[-73.98,40.75]},
 {"asset_id":"g4","event_time":"2024-05-01T10:00:00Z","lon":"-0.12","lat":" 51.5 "},
 {"asset_id":"g5","event_time":"2024-05-01T10:00:00Z","position":[1,2],"lon":3,"lat":4},
 {"asset_id":"g6","event_time":"2024-05-01T10:00:00Z","lon":180,"lat":-90}
]');

-- Times: ISO 8601 with Z, an offset, fractions, none (UTC); epoch seconds
-- (fractional), milliseconds (auto: above 1e11), numeric strings
SELECT asset_id, event_time, error FROM pg_temp.p('[
 {"asset_id":"t1","event_time":"2024-05-01T10:00:00Z"},
 {"asset_id":"t2","event_time":"2024-05-01T12:00:00+02:00"},
 {"asset_id":"t3","event_time":"2024-05-01T10:00:00.123456Z"},
 {"asset_id":"t4","event_time":"2024-05-01T10:00:00"},
 {"asset_id":"t5","event_time":"2024-05-01 10:00:00-0130"},
 {"asset_id":"t6","event_time":"2024-05-01"},
 {"asset_id":"t7","event_time":1714557600},
 {"asset_id":"t8","event_time":1714557600.25},
 {"asset_id":"t9","event_time":1714557600250},
 {"asset_id":"t10","event_time":"1714557600"},
 {"asset_id":"t11","event_time":"1714557600250"}
]');
-- time_format iso: numbers are rejected
SELECT asset_id, event_time, error FROM pg_temp.p('[{"asset_id":"i1","event_time":"2024-05-01T10:00:00Z"},{"asset_id":"i2","event_time":1714557600}]',
                                                  '{"time_format":"iso"}');
-- time_format epoch_s and epoch_ms: numbers and numeric strings, nothing else
SELECT asset_id, event_time, error FROM pg_temp.p('[{"asset_id":"s1","event_time":"1714557600.5"},{"asset_id":"s2","event_time":"2024-05-01T10:00:00Z"}]',
                                                  '{"time_format":"epoch_s"}');
SELECT asset_id, event_time, error FROM pg_temp.p('[{"asset_id":"m1","event_time":1714557600},{"asset_id":"m2","event_time":"1714557600250.5"}]',
                                                  '{"time_format":"epoch_ms"}');

-- topic_source_id fills source_id when the payload has none
SELECT asset_id, source_id FROM pg_temp.p('[{"asset_id":"s1","event_time":"2024-05-01T10:00:00Z"},
 {"asset_id":"s2","event_time":"2024-05-01T10:00:00Z","source_id":"own"}]', '{}', NULL, 'devices/gw7');

-- Rejects, one kind per element
SELECT error, rejected_payload FROM pg_temp.p('[
 {"event_time":"2024-05-01T10:00:00Z"},
 {"asset_id":"r2"},
 {"asset_id":"","event_time":"2024-05-01T10:00:00Z"},
 {"asset_id":{"id":1},"event_time":"2024-05-01T10:00:00Z"},
 {"asset_id":"r5","event_time":"yesterday-ish"},
 {"asset_id":"r6","event_time":"now"},
 {"asset_id":"r7","event_time":"2024-05-01 10:00 Europe/Paris"},
 {"asset_id":"r8","event_time":"2024-02-30T10:00:00Z"},
 {"asset_id":"r9","event_time":true},
 {"asset_id":"r10","event_time":"2999-01-01T00:00:00Z"},
 {"asset_id":"r11","event_time":1e300},
 {"asset_id":"r12","event_time":"2024-05-01T10:00:00Z","lat":95,"lon":0},
 {"asset_id":"r13","event_time":"2024-05-01T10:00:00Z","lon":-180.5,"lat":0},
 {"asset_id":"r14","event_time":"2024-05-01T10:00:00Z","lon":1},
 {"asset_id":"r15","event_time":"2024-05-01T10:00:00Z","lon":"east","lat":1},
 {"asset_id":"r16","event_time":"2024-05-01T10:00:00Z","position":{"type":"LineString","coordinates":[[1,2],[3,4]]}},
 {"asset_id":"r17","event_time":"2024-05-01T10:00:00Z","position":[1]},
 {"asset_id":"r18","event_time":"2024-05-01T10:00:00Z","rssi":"loud"},
 {"asset_id":"r19","event_time":"2024-05-01T10:00:00Z","rssi":1e39},
 {"asset_id":"r20","event_time":"2024-05-01T10:00:00Z","source_id":[1]},
 {"asset_id":"r21","event_time":"2024-05-01T10:00:00Z","attrs":[1]},
 {"asset_id":"r22","event_time":"2024-05-01T10:00:00Z","big":1e999999}
]');
-- asset_id longer than asset_stream.max_asset_id_length
SET asset_stream.max_asset_id_length = 256;
SELECT error FROM pg_temp.p(format('{"asset_id":"%s","event_time":"2024-05-01T10:00:00Z"}', repeat('x', 300)));
SELECT length(asset_id) FROM pg_temp.p(format('{"asset_id":"%s","event_time":"2024-05-01T10:00:00Z"}', repeat('x', 256)));
RESET asset_stream.max_asset_id_length;
-- asset_stream.max_future = -1 turns the future check off
SET asset_stream.max_future = -1;
SELECT asset_id, event_time FROM pg_temp.p('{"asset_id":"f1","event_time":"2999-01-01T00:00:00Z"}');
RESET asset_stream.max_future;

-- Whole-payload rejects: malformed JSON (nothing of the payload is taken),
-- empty payload, scalar, deep nesting, oversize, invalid UTF-8, NUL bytes
SELECT error, rejected_payload FROM pg_temp.p('{"asset_id":"a1", "event_time": }');
SELECT error FROM pg_temp.p('[{"asset_id":"a1","event_time":"2024-05-01T10:00:00Z"}, {"asset_id":"a2",');
SELECT error FROM pg_temp.p('[{"asset_id":"a1","event_time":"2024-05-01T10:00:00Z"}] trailing');
SELECT error FROM pg_temp.p(' ');
SELECT error FROM pg_temp.p('"just a string"');
SELECT error FROM pg_temp.p('{"asset_id":"\u0000","event_time":"2024-05-01T10:00:00Z"}');
SELECT error FROM pg_temp.p(repeat('[', 10000));
-- 100 levels are taken, 101 are not; brackets inside strings do not count
SELECT error, jsonb_path_query(attrs, ('strict $.x' || repeat('.y', 98))::jsonpath) AS deepest FROM pg_temp.p('{"asset_id":"a","event_time":"2024-05-01T10:00:00Z","x":' || repeat('{"y":', 99) || '1' || repeat('}', 99) || '}');
SELECT error FROM pg_temp.p('[{"asset_id":"a","event_time":"2024-05-01T10:00:00Z","x":' || repeat('{"y":', 99) || '1' || repeat('}', 99) || '}]');
SELECT error, length(attrs->>'x') FROM pg_temp.p('{"asset_id":"a","event_time":"2024-05-01T10:00:00Z","x":"' || repeat('[', 500) || '"}');
SELECT error, length(rejected_payload) FROM pg_temp.p(repeat(' ', 10000) || '{}', '{"max_payload":1000}');
SELECT error, rejected_payload FROM pg_temp.p(pg_temp.raw_text('\x7b22617373657422ff7d'::bytea));
SELECT error, rejected_payload FROM pg_temp.p(pg_temp.raw_text('\x7b0022'::bytea));
SELECT asset_id, error, rejected_payload FROM pg_temp.p(pg_temp.raw_text(convert_to(E'{"asset_id":"ok","event_time":"2024-05-01T10:00:00Z"}\n{"bad":"', 'UTF8') || '\xc3'::bytea || convert_to(E'"}\n', 'UTF8')), '{"format":"ndjson"}');

-- Bad options: errors with SQLSTATE 22023
\set VERBOSITY sqlstate
SELECT * FROM asset_stream.parse_payload('{}', '{"format":"xml"}');
\set VERBOSITY terse
SELECT * FROM asset_stream.parse_payload('{}', '{"format":"xml"}');
SELECT * FROM asset_stream.parse_payload('{}', '{"format":1}');
SELECT * FROM asset_stream.parse_payload('{}', '{"time_format":"rfc2822"}');
SELECT * FROM asset_stream.parse_payload('{}', '{"fields":["asset_id"]}');
SELECT * FROM asset_stream.parse_payload('{}', '{"fields":{"asset":"tag"}}');
SELECT * FROM asset_stream.parse_payload('{}', '{"fields":{"asset_id":""}}');
SELECT * FROM asset_stream.parse_payload('{}', '{"fields":{"asset_id":"source_id"}}');
SELECT * FROM asset_stream.parse_payload('{}', '{"format":"csv"}');
SELECT * FROM asset_stream.parse_payload('{}', '{"csv_columns":"asset_id,event_time"}');
SELECT * FROM asset_stream.parse_payload('{}', '{"csv_columns":["asset_id",2]}');
SELECT * FROM asset_stream.parse_payload('{}', '{"csv_columns":["asset_id","rssi"]}');
SELECT * FROM asset_stream.parse_payload('{}', '{"csv_columns":["asset_id","event_time","x","x"]}');
SELECT * FROM asset_stream.parse_payload('{}', '{"csv_header":"yes"}');
SELECT * FROM asset_stream.parse_payload('{}', '{"max_payload":0}');
SELECT * FROM asset_stream.parse_payload('{}', '{"max_payload":1.5}');
SELECT * FROM asset_stream.parse_payload('{}', '{"max_payload":"1000"}');
SELECT * FROM asset_stream.parse_payload('{}', '[1]');
\set VERBOSITY default
-- keys of other kinds are not format options: ignored here
SELECT count(*) FROM asset_stream.parse_payload('[]', '{"host":"localhost","port":1883,"topics":["a/#"],"qos":1}');
-- NULL options are the defaults; a NULL payload gives nothing
SELECT asset_id FROM asset_stream.parse_payload('{"asset_id":"d","event_time":0}', NULL);
SELECT count(*) FROM asset_stream.parse_payload(NULL);
