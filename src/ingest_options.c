/*-------------------------------------------------------------------------
 *
 * ingest_options.c
 *	  A source's format options (format, fields, time_format, csv_columns,
 *	  csv_header, max_payload) read from its options jsonb, the payload kind
 *	  of an HTTP Content-Type, and the checks every read must pass (the
 *	  rules of the streams' read_is_valid CHECK).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "asset_stream.h"
#include "ingest.h"

/* Largest max_payload (1 GB). */
#define IF_MAX_PAYLOAD		(1024 * 1024 * 1024)

const char *const ingest_field_canon[IF_NFIELDS] = {
	"asset_id", "event_time", "source_id", "lon", "lat", "position", "rssi",
	"attrs"
};

/* ---------------------------------------------------------------------
 * Options
 * ---------------------------------------------------------------------
 */

static JsonbValue *
opt_get(Jsonb *options, const char *key, JsonbValue *val)
{
	if (options == NULL)
		return NULL;
	return getKeyJsonValueFromContainer(&options->root, key, strlen(key), val);
}

static const char *
jbv_type_name(JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "a string";
		case jbvNumeric:
			return "a number";
		case jbvBool:
			return "a boolean";
		case jbvBinary:
			return JsonContainerIsArray(v->val.binary.data) ? "an array" : "an object";
		default:
			return "a JSON value";
	}
}

static char *
opt_string(Jsonb *options, const char *key, const char *dflt)
{
	JsonbValue	v;

	if (opt_get(options, key, &v) == NULL)
		return dflt ? pstrdup(dflt) : NULL;
	if (v.type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"%s\" must be a string, not %s",
						key, jbv_type_name(&v))));
	return pnstrdup(v.val.string.val, v.val.string.len);
}

/*
 * Fill *fmt from a source's options (NULL: every default).  Keys that are
 * not format options are ignored: the source kinds read their own.  The
 * strings are allocated in the current memory context.
 */
void
ingest_format_parse_options(IngestFormat *fmt, Jsonb *options)
{
	JsonbValue	v;
	char	   *s;
	int			f,
				g;

	memset(fmt, 0, sizeof(IngestFormat));
	for (f = 0; f < IF_NFIELDS; f++)
		fmt->field_names[f] = pstrdup(ingest_field_canon[f]);
	fmt->default_kind = IPK_JSON;
	fmt->time_format = ITF_AUTO;
	fmt->max_payload = 1024 * 1024;

	if (options != NULL && !JB_ROOT_IS_OBJECT(options))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source options must be a JSON object")));

	/* format */
	s = opt_string(options, "format", "json");
	if (pg_strcasecmp(s, "json") == 0)
		fmt->default_kind = IPK_JSON;
	else if (pg_strcasecmp(s, "ndjson") == 0)
		fmt->default_kind = IPK_NDJSON;
	else if (pg_strcasecmp(s, "csv") == 0)
		fmt->default_kind = IPK_CSV;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"format\" must be \"json\", \"ndjson\" or \"csv\", not \"%s\"", s)));

	/* time_format */
	s = opt_string(options, "time_format", "auto");
	if (pg_strcasecmp(s, "auto") == 0)
		fmt->time_format = ITF_AUTO;
	else if (pg_strcasecmp(s, "iso") == 0)
		fmt->time_format = ITF_ISO;
	else if (pg_strcasecmp(s, "epoch_s") == 0)
		fmt->time_format = ITF_EPOCH_S;
	else if (pg_strcasecmp(s, "epoch_ms") == 0)
		fmt->time_format = ITF_EPOCH_MS;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"time_format\" must be \"auto\", \"iso\", \"epoch_s\" or \"epoch_ms\", not \"%s\"", s)));

	/* fields: {"canonical field": "payload key", ...} */
	if (opt_get(options, "fields", &v) != NULL)
	{
		JsonbIterator *it;
		JsonbIteratorToken tok;
		JsonbValue	k,
					val;

		if (v.type != jbvBinary || !JsonContainerIsObject(v.val.binary.data))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"fields\" must be an object mapping field names to payload keys, not %s",
							jbv_type_name(&v))));
		it = JsonbIteratorInit(v.val.binary.data);
		while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
		{
			char	   *name;

			if (tok != WJB_KEY)
				continue;
			name = pnstrdup(k.val.string.val, k.val.string.len);
			tok = JsonbIteratorNext(&it, &val, true);
			Assert(tok == WJB_VALUE);
			for (f = 0; f < IF_NFIELDS; f++)
				if (strcmp(name, ingest_field_canon[f]) == 0)
					break;
			if (f == IF_NFIELDS)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"fields\" names an unknown field \"%s\"", name),
						 errhint("The fields are asset_id, event_time, source_id, lon, lat, position, rssi and attrs.")));
			if (val.type != jbvString || val.val.string.len == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"fields\": the key of field \"%s\" must be a non-empty string",
								name)));
			fmt->field_names[f] = pnstrdup(val.val.string.val, val.val.string.len);
		}
		for (f = 0; f < IF_NFIELDS; f++)
			for (g = f + 1; g < IF_NFIELDS; g++)
				if (strcmp(fmt->field_names[f], fmt->field_names[g]) == 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("option \"fields\": key \"%s\" would fill both %s and %s",
									fmt->field_names[f], ingest_field_canon[f], ingest_field_canon[g]),
							 errhint("Map the other field to a key of its own.")));
	}

	/* csv_columns: ["name", ...] */
	if (opt_get(options, "csv_columns", &v) != NULL)
	{
		JsonbIterator *it;
		JsonbIteratorToken tok;
		JsonbValue	e;
		int			n = 0;
		bool		has_id = false,
					has_time = false;

		if (v.type != jbvBinary || !JsonContainerIsArray(v.val.binary.data))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"csv_columns\" must be an array of column names, not %s",
							jbv_type_name(&v))));
		fmt->ncsv = JsonContainerSize(v.val.binary.data);
		if (fmt->ncsv == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"csv_columns\" must not be empty")));
		fmt->csv_columns = palloc0(fmt->ncsv * sizeof(char *));
		it = JsonbIteratorInit(v.val.binary.data);
		while ((tok = JsonbIteratorNext(&it, &e, true)) != WJB_DONE)
		{
			if (tok != WJB_ELEM)
				continue;
			if (e.type != jbvString)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"csv_columns\": element %d must be a string, not %s",
								n + 1, jbv_type_name(&e))));
			fmt->csv_columns[n] = pnstrdup(e.val.string.val, e.val.string.len);
			for (g = 0; g < n; g++)
				if (fmt->csv_columns[n][0] != '\0' &&
					strcmp(fmt->csv_columns[g], fmt->csv_columns[n]) == 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("option \"csv_columns\" names column \"%s\" twice",
									fmt->csv_columns[n])));
			if (strcmp(fmt->csv_columns[n], fmt->field_names[IF_ASSET_ID]) == 0)
				has_id = true;
			if (strcmp(fmt->csv_columns[n], fmt->field_names[IF_EVENT_TIME]) == 0)
				has_time = true;
			n++;
		}
		if (!has_id || !has_time)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"csv_columns\" must name the %s column \"%s\"",
							has_id ? "event_time" : "asset_id",
							fmt->field_names[has_id ? IF_EVENT_TIME : IF_ASSET_ID])));
	}
	else if (fmt->default_kind == IPK_CSV)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"csv_columns\" is required with \"format\": \"csv\""),
				 errhint("List the columns in order, for example [\"asset_id\", \"event_time\", \"rssi\"].")));

	/* csv_header */
	if (opt_get(options, "csv_header", &v) != NULL)
	{
		if (v.type != jbvBool)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"csv_header\" must be a boolean, not %s",
							jbv_type_name(&v))));
		fmt->csv_header = v.val.boolean;
	}

	/* max_payload */
	if (opt_get(options, "max_payload", &v) != NULL)
	{
		char	   *num;
		char	   *end;
		long		n = 0;
		bool		ok = false;

		if (v.type == jbvNumeric)
		{
			num = DatumGetCString(DirectFunctionCall1(numeric_out,
													  NumericGetDatum(v.val.numeric)));
			errno = 0;
			n = strtol(num, &end, 10);
			ok = (errno == 0 && *end == '\0' && end != num &&
				  n >= 1 && n <= IF_MAX_PAYLOAD);
		}
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"max_payload\" must be an integer number of bytes between 1 and %d",
							IF_MAX_PAYLOAD)));
		fmt->max_payload = (int) n;
	}
}

/*
 * The payload kind for an HTTP Content-Type (its parameters and case
 * ignored); the source's "format" when there is none or it is another.
 */
IngestPayloadKind
ingest_kind_for_content_type(const IngestFormat *fmt, const char *content_type)
{
	const char *p;
	size_t		len;

	if (content_type == NULL)
		return fmt->default_kind;
	p = content_type;
	while (*p == ' ' || *p == '\t')
		p++;
	len = strcspn(p, "; \t");

#define CT_IS(name) (len == strlen(name) && pg_strncasecmp(p, name, len) == 0)
	if (CT_IS("application/json"))
		return IPK_JSON;
	if (CT_IS("application/x-ndjson") || CT_IS("application/ndjson") ||
		CT_IS("application/jsonl") || CT_IS("application/x-jsonl"))
		return IPK_NDJSON;
	if (CT_IS("text/csv"))
		return IPK_CSV;
#undef CT_IS
	return fmt->default_kind;
}

/*
 * Why a read cannot go into a stream, or NULL: the rules of the stream's
 * CHECK constraint (read_check.c), for a reject instead of an error.
 */
const char *
ingest_read_problem(const char *asset_id, size_t len, TimestampTz event_time,
					TimestampTz now)
{
	if (asset_id == NULL)
		return "missing asset_id";
	if (len == 0)
		return "asset_id is empty";
	if (len > (size_t) as_max_asset_id_len)
		return psprintf("asset_id is %zu bytes long, more than asset_stream.max_asset_id_length (%d)",
						len, as_max_asset_id_len);
	if (TIMESTAMP_NOT_FINITE(event_time))
		return "event_time is not finite";
	if (as_max_future_s >= 0 &&
		event_time > now + (TimestampTz) as_max_future_s * USECS_PER_SEC)
		return psprintf("event_time %s is too far in the future (asset_stream.max_future = %d s)",
						timestamptz_to_str(event_time), as_max_future_s);
	return NULL;
}
