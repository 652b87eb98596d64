#!/usr/bin/env bash
# test/fuzz/ingest_payloads.sh: fuzz the payload parser of the ingest
# sources (src/ingest_format.c) through asset_stream.parse_payload() on a
# throwaway cluster.  Not part of scripts/test.sh (it takes minutes).
#
# Generates N payloads (default 100000): valid JSON, NDJSON and CSV samples
# and mutations of them (byte flips, truncation, duplicated slices, spliced
# tokens, random bytes, deep nesting, huge numbers), passes their raw bytes
# to the parser (invalid UTF-8 and NUL bytes included) with random options
# and content types, and checks that the server never crashes and that the
# parser never raises an error.  Ends with a summary line; exits non-zero
# on any crash or error.
#
# Usage: test/fuzz/ingest_payloads.sh [N] [SEED]     (needs python3)
set -u
. "$(dirname "$0")/../../scripts/lib.sh"

n=${1:-100000}
seed=${2:-$RANDOM}
batch=5000
command -v python3 >/dev/null || { as_log "python3 is needed"; exit 1; }

work=$(mktemp -d /tmp/asset_stream_fuzz.XXXXXX)
chmod 755 "$work"
cluster=$work/cluster
trap 'as_cluster_stop "$cluster"; rm -rf "$work"' EXIT

# Same lock as scripts/test.sh: the build is installed system-wide.
exec 9>/tmp/asset_stream_install.lock
flock 9
as_build_install || exit 1
as_cluster_start "$cluster" || exit 1
db=postgres

as_log "generating $n payloads (seed $seed)"
python3 - "$n" "$seed" >"$work/payloads.copy" <<'PY'
import json, random, sys

n, seed = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(seed)

def obj():
    o = {"asset_id": rnd.choice(["a1", "tag-7", "", "x" * rnd.randint(1, 300), 123]),
         "event_time": rnd.choice(["2024-05-01T10:00:00Z", "2024-05-01 12:00:00+02:00",
                                   "2024-05-01T10:00:00.5", 1714557600, 1714557600250,
                                   "1714557600", "2999-01-01", "yesterday", None])}
    for k, v in [("lon", rnd.uniform(-200, 200)), ("lat", rnd.uniform(-100, 100)),
                 ("rssi", rnd.choice([-60, "-61.5", 1e39, None])),
                 ("source_id", rnd.choice(["gw", 7, None, [1]])),
                 ("position", rnd.choice([[2.3, 48.8], {"type": "Point", "coordinates": [1, 2]},
                                          {"type": "Line"}, [1]])),
                 ("attrs", rnd.choice([{"fw": "1.2", "n": [1, {"a": None}]}, [], "s"])),
                 ("battery", rnd.random()), ("moving", rnd.random() < 0.5)]:
        if rnd.random() < 0.4:
            o[k] = v
    return o

def sample(kind):
    if kind == "json":
        if rnd.random() < 0.5:
            return json.dumps(obj()).encode()
        return json.dumps([obj() for _ in range(rnd.randint(0, 6))]).encode()
    if kind == "ndjson":
        return "\n".join(json.dumps(obj()) for _ in range(rnd.randint(1, 6))).encode()
    rows = []
    for _ in range(rnd.randint(1, 6)):
        o = obj()
        cells = [o["asset_id"], o["event_time"], o.get("lon", ""), o.get("lat", ""),
                 o.get("rssi", ""), "skip", rnd.choice(['"q ""x"", y"', "z", '"a\nb"', ""])]
        rows.append(",".join("" if c is None else str(c) for c in cells))
    head = "asset_id,event_time,lon,lat,rssi,,note\r\n" if rnd.random() < 0.3 else ""
    return (head + rnd.choice(["\n", "\r\n"]).join(rows)).encode()

TOKENS = [b'"', b"\\", b"\\u0000", b"\\ud800", b"\\udc00x", b"\\uZZZZ", b"\x00", b"\xff",
          b"\xc3", b"\xe2\x82", b"\r\n", b"\n", b",", b'""', b"{", b"}", b"[", b"]", b":",
          b"null", b"-", b"1e999999", b"9" * 400, b"0." + b"0" * 20000 + b"1",
          b"2024-13-45T99:99:99+99:99", b"99999-01-01", b"2024-05-01T10:00:00 Europe/Paris",
          b"2024-01-01t-5", b"\xf0\x9f\x93\xa6", b"\xed\xa0\x80"]

def mutate(p):
    for _ in range(rnd.randint(1, 4)):
        m = rnd.randrange(7)
        if m == 0 and p:                           # byte flips
            b = bytearray(p)
            for _ in range(rnd.randint(1, 8)):
                b[rnd.randrange(len(b))] = rnd.randrange(256)
            p = bytes(b)
        elif m == 1 and p:                         # truncation
            p = p[:rnd.randrange(len(p))]
        elif m == 2 and p:                         # duplicated slice
            i = rnd.randrange(len(p)); j = min(len(p), i + rnd.randint(1, 64))
            p = p[:j] + p[i:j] * rnd.randint(1, 4) + p[j:]
        elif m == 3:                               # spliced token
            i = rnd.randint(0, len(p))
            p = p[:i] + rnd.choice(TOKENS) + p[i:]
        elif m == 4:                               # a number made huge
            i = p.find(b"17")
            if i >= 0:
                p = p[:i] + rnd.choice([b"1e" + b"9" * rnd.randint(1, 12), b"7" * 5000,
                                        b"-1e-99999", b"1E+2147483648"]) + p[i:]
        elif m == 5 and p:                         # deleted slice
            i = rnd.randrange(len(p))
            p = p[:i] + p[i + rnd.randint(1, 16):]
        else:                                      # swapped halves
            i = rnd.randint(0, len(p))
            p = p[i:] + p[:i]
    return p

def deep():
    d = rnd.choice([50, 99, 100, 101, 1000] * 20 + [10000] * 10 + [150000])
    o, c = rnd.choice([(b"[", b"]"), (b'{"a":', b"}"), (b'[{"x":', b"}]")])
    body = b'{"asset_id":"d","event_time":0,"x":' + o * d + b"1" + c * (d if rnd.random() < 0.7 else d // 2) + b"}"
    return body if rnd.random() < 0.5 else o * d

CSV_OPTS = {"format": "csv", "csv_columns": ["asset_id", "event_time", "lon", "lat", "rssi", "", "note"]}
for i in range(n):
    kind = rnd.choice(["json", "ndjson", "csv"])
    r = rnd.random()
    if r < 0.15:
        p = sample(kind)
    elif r < 0.85:
        p = mutate(sample(kind))
    elif r < 0.95:
        p = bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 300)))
    else:
        p = deep()
    opts = {"json": {}, "ndjson": {"format": "ndjson"}, "csv": dict(CSV_OPTS)}[kind]
    if kind == "csv" and rnd.random() < 0.3:
        opts["csv_header"] = True
    if rnd.random() < 0.2:
        opts["time_format"] = rnd.choice(["auto", "iso", "epoch_s", "epoch_ms"])
    if rnd.random() < 0.05:
        opts["max_payload"] = rnd.randint(1, 200)
    ct = rnd.choice([r"\N"] * 6 + ["application/json", "application/x-ndjson", "text/csv; charset=utf-8"])
    topic = rnd.choice([r"\N", "gw/1"])
    sys.stdout.write("%d\t%s\t%s\t%s\t%s\t\\\\x%s\n" % (i + 1, kind, json.dumps(opts), ct, topic, p.hex()))
PY

as_psql -d $db <<'SQL' || exit 1
SET client_min_messages = warning;
CREATE EXTENSION asset_stream CASCADE;
CREATE TABLE fuzz (id int PRIMARY KEY, kind text, opts jsonb, content_type text, topic text, payload bytea);
CREATE TABLE fuzz_result (id int PRIMARY KEY, reads int, rejects int, error text);
-- text holding the payload's raw bytes, which no text input accepts
CREATE FUNCTION raw_text(bytea) RETURNS text LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';
CREATE PROCEDURE fuzz_run(lo int, hi int) LANGUAGE plpgsql AS $$
DECLARE
    f record;
    r int;
    j int;
BEGIN
    FOR f IN SELECT * FROM fuzz WHERE id BETWEEN lo AND hi ORDER BY id LOOP
        BEGIN
            SELECT count(*) FILTER (WHERE p.error IS NULL), count(*) FILTER (WHERE p.error IS NOT NULL)
              INTO r, j
              FROM asset_stream.parse_payload(raw_text(f.payload), f.opts, f.content_type, f.topic) p;
            INSERT INTO fuzz_result VALUES (f.id, r, j, NULL);
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO fuzz_result VALUES (f.id, NULL, NULL, SQLSTATE || ': ' || SQLERRM);
        END;
    END LOOP;
END $$;
SQL
as_run "$AS_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d $db \
    -c "\\copy fuzz FROM '$work/payloads.copy'" || exit 1

start=$(date +%s)
crashes=0
lo=1
while [ "$lo" -le "$n" ]; do
    hi=$((lo + batch - 1))
    if ! as_psql -d $db -c "CALL fuzz_run($lo, $hi)" >"$work/batch.log" 2>&1; then
        as_log "batch $lo..$hi failed: $(head -3 "$work/batch.log")"
        # wait for the server to be back after a crash, then go on with the next batch
        for _ in $(seq 1 300); do
            as_q $db "SELECT 1" >/dev/null 2>&1 && break
            sleep 0.2
        done
    fi
    lo=$((hi + 1))
done
secs=$(( $(date +%s) - start ))

crashes=$(grep -cE 'terminated by signal|was terminated by exception' "$cluster/server.log")
done_n=$(as_q $db "SELECT count(*) FROM fuzz_result")
errors=$(as_q $db "SELECT count(*) FROM fuzz_result WHERE error IS NOT NULL")
missing=$((n - done_n))
stats=$(as_q $db "SELECT string_agg(format('%s %s', kind, c), ', ' ORDER BY kind) FROM (SELECT kind, count(*) c FROM fuzz GROUP BY kind) s")
sums=$(as_q $db "SELECT format('%s reads, %s rejects', sum(reads), sum(rejects)) FROM fuzz_result")
big=$(as_q $db "SELECT format('largest %s bytes', max(length(payload))) FROM fuzz")
if [ "$errors" -gt 0 ]; then
    as_log "payloads that raised an error:"
    as_q $db "SELECT id, error FROM fuzz_result WHERE error IS NOT NULL ORDER BY id LIMIT 20" >&2
fi
if [ "$crashes" -gt 0 ]; then
    grep -E 'terminated by signal' "$cluster/server.log" | head -5 >&2
fi
echo "fuzz: $n payloads ($stats; $big; seed $seed) in ${secs}s: $sums; errors raised $errors, not run $missing, server crashes $crashes"
[ "$crashes" -eq 0 ] && [ "$errors" -eq 0 ] && [ "$missing" -eq 0 ]
