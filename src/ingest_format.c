/*-------------------------------------------------------------------------
 *
 * ingest_format.c
 *	  Payload formats of the ingest sources: a source's format options, and
 *	  the parser that turns one payload (JSON, NDJSON or CSV) into reads and
 *	  rejects of a batch.  docs/ingest_formats.md describes the rules.
 *
 * JSON text goes through PostgreSQL's own parser (common/jsonapi.h) with
 * callbacks that build a small tree per row; the elements of a top-level
 * array are turned into reads one at a time, so memory stays bounded by
 * the largest row.  Times go through PostgreSQL's datetime parser, called
 * the way timestamptz_in() calls it but checking return codes.
 *
 * Nothing here raises an error for bad input.  Three guards keep it so:
 * the payload's encoding is verified first (which also catches NUL bytes),
 * JSON nesting is measured before parsing (the parser's stack-depth check
 * would raise), and numbers are range-checked before numeric_in().  As a
 * last resort, an error of the "bad data" kinds raised while parsing one
 * unit (a JSON payload, an NDJSON line, a CSV record) is caught and turned
 * into a reject of that unit: in a database that is not UTF8, a JSON \u
 * escape of a character the encoding lacks raises one in PostgreSQL's
 * lexer.  The code under that guard holds no locks, buffers or other
 * resources.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <float.h>
#include <math.h>

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "asset_stream.h"
#include "ingest.h"

/* Deepest JSON nesting taken (a read needs a handful of levels). */
#define IF_MAX_DEPTH		100
/* Largest row (JSON object, array element, NDJSON line, CSV record). */
#define IF_MAX_ROW_BYTES	(16 * 1024 * 1024)
/* Longest value quoted in a reject reason. */
#define IF_QUOTE_MAX		64


/*
 * A parsed JSON value.  Scalars keep their text: the de-escaped string,
 * the number's lexeme, "true" or "false".  CSV values are strings.
 */
typedef enum JNodeType
{
	JN_NULL,
	JN_BOOL,
	JN_NUMBER,
	JN_STRING,
	JN_OBJECT,
	JN_ARRAY
} JNodeType;

typedef struct JNode
{
	JNodeType	type;
	char	   *str;			/* scalars */
	int			n;				/* containers: members */
	int			max;
	char	  **keys;			/* objects: member names */
	struct JNode **items;
} JNode;

/* What one call of ingest_parse_payload() works with. */
typedef struct ParseCtx
{
	IngestBatch *batch;
	const IngestFormat *fmt;
	const char *topic_source_id;
	TimestampTz now;
	MemoryContext row_cxt;		/* scratch, reset after each row */
} ParseCtx;

/* State of the JSON tree builder (the parser's callbacks). */
typedef struct JBuild
{
	ParseCtx   *pc;
	JsonLexContext *lex;
	int			depth;			/* open containers */
	JNode	   *stack[IF_MAX_DEPTH + 1];
	char	   *key;			/* name of the next member of an object */
	JNode	   *root;
	bool		stream;			/* make reads from a top-level array's
								 * elements as they end */
	bool		root_array;		/* the root is an array being streamed */
	bool		skip;			/* element too large: build nothing */
	int			elem_no;
	int			elem_start;		/* byte offset of the current element */
	JNode	   *elem;
} JBuild;

static JNodeType node_type_for_token(JsonTokenType tok);
static const char *node_type_name(JNode *n);
static char *quote_value(const char *s);
static const char *field_label(const IngestFormat *fmt, IngestField f);
static bool parse_plain_number(const char *s, double *out);
static bool node_number(JNode *n, double *out);
static char *epoch_to_timestamp(double v, bool ms, const char *text,
								TimestampTz *out);
static char *node_time(ParseCtx *pc, JNode *n, TimestampTz *out);
static char *node_position(ParseCtx *pc, JNode *n, bool from_csv,
						   double *lon, double *lat);
static char *check_lon_lat(double lon, double lat);
static char *push_node(JsonbParseState **ps, JsonbIteratorToken tok, JNode *n,
					   const char *key);
static char *make_row(ParseCtx *pc, JNode **slot, int nextra, char **xkeys,
					  JNode **xvals, bool from_csv);
static char *json_parse_tree(ParseCtx *pc, const char *text, int len,
							 JNode **root);
static char *encoding_problem(const char *s, int len);
static int	json_depth(const char *s, int len);
static void reject_where(ParseCtx *pc, const char *payload, size_t len,
						 const char *where, const char *why);
static void json_row_from_node(ParseCtx *pc, JNode *n, const char *text,
							   int len, const char *where, const char *expect);
static void parse_json_unit(ParseCtx *pc, const char *text, int len,
							const char *where, bool allow_array);
static void parse_json_guarded(ParseCtx *pc, const char *text, int len,
							   const char *where, bool allow_array);
static void parse_ndjson(ParseCtx *pc, const char *data, int len);
static void parse_csv(ParseCtx *pc, const char *data, int len);


/* ---------------------------------------------------------------------
 * Small helpers
 * ---------------------------------------------------------------------
 */

static JNode *
node_new(JNodeType type, char *str)
{
	JNode	   *n = palloc0(sizeof(JNode));

	n->type = type;
	n->str = str;
	return n;
}

static void
node_append(JNode *c, char *key, JNode *item)
{
	if (c->n == c->max)
	{
		c->max = c->max ? c->max * 2 : 8;
		if (c->items == NULL)
		{
			c->items = palloc(c->max * sizeof(JNode *));
			if (c->type == JN_OBJECT)
				c->keys = palloc(c->max * sizeof(char *));
		}
		else
		{
			c->items = repalloc(c->items, c->max * sizeof(JNode *));
			if (c->type == JN_OBJECT)
				c->keys = repalloc(c->keys, c->max * sizeof(char *));
		}
	}
	if (c->type == JN_OBJECT)
		c->keys[c->n] = key;
	c->items[c->n++] = item;
}

/* The last member of an object with that name (later duplicates win). */
static JNode *
node_member(JNode *obj, const char *key)
{
	int			i;

	for (i = obj->n - 1; i >= 0; i--)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

static JNodeType
node_type_for_token(JsonTokenType tok)
{
	switch (tok)
	{
		case JSON_TOKEN_STRING:
			return JN_STRING;
		case JSON_TOKEN_NUMBER:
			return JN_NUMBER;
		case JSON_TOKEN_TRUE:
		case JSON_TOKEN_FALSE:
			return JN_BOOL;
		default:
			return JN_NULL;
	}
}

static const char *
node_type_name(JNode *n)
{
	switch (n->type)
	{
		case JN_NULL:
			return "null";
		case JN_BOOL:
			return "a boolean";
		case JN_NUMBER:
			return "a number";
		case JN_STRING:
			return "a string";
		case JN_OBJECT:
			return "an object";
		case JN_ARRAY:
			return "an array";
	}
	return "a JSON value";
}

/* A value, quoted and cut short, for a reject reason. */
static char *
quote_value(const char *s)
{
	int			len = strlen(s);
	int			cut = pg_mbcliplen(s, len, IF_QUOTE_MAX);

	return psprintf("\"%.*s%s\"", cut, s, cut < len ? "..." : "");
}

/* "asset_id", or "asset_id (key "tag")" when the field is mapped. */
static const char *
field_label(const IngestFormat *fmt, IngestField f)
{
	if (strcmp(fmt->field_names[f], ingest_field_canon[f]) == 0)
		return ingest_field_canon[f];
	return psprintf("%s (key \"%s\")", ingest_field_canon[f], fmt->field_names[f]);
}

/*
 * A number written in decimal (optional sign, digits, point, exponent),
 * with blanks around it allowed; no "inf", "nan" or hex.  The value may
 * be infinite when it overflows a double.
 */
static bool
parse_plain_number(const char *s, double *out)
{
	const char *p;
	char	   *end;
	bool		digit = false;

	while (*s == ' ' || *s == '\t')
		s++;
	for (p = s; *p && *p != ' ' && *p != '\t'; p++)
	{
		if (*p >= '0' && *p <= '9')
			digit = true;
		else if (!strchr("+-.eE", *p))
			return false;
	}
	if (!digit)
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0')
		return false;
	errno = 0;
	*out = strtod(s, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	return *end == '\0';
}

/* A number, or a string holding one. */
static bool
node_number(JNode *n, double *out)
{
	if (n->type == JN_NUMBER)
	{
		*out = strtod(n->str, NULL);
		return true;
	}
	if (n->type == JN_STRING)
		return parse_plain_number(n->str, out);
	return false;
}

/*
 * Can numeric_in() take this JSON number lexeme without an error?  A
 * conservative test of the digits and exponent against numeric's range
 * (about 131072 digits before the point, 16383 after).
 */
static bool
numeric_lexeme_ok(const char *s)
{
	const char *p = s;
	long		nint = 0,
				nfrac = 0,
				exp = 0;
	bool		neg = false;

	if (*p == '-')
		p++;
	while (*p >= '0' && *p <= '9')
		p++, nint++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			nfrac++;
	if (*p == 'e' || *p == 'E')
	{
		p++;
		if (*p == '+' || *p == '-')
			neg = (*p++ == '-');
		for (; *p >= '0' && *p <= '9'; p++)
			if (exp < 1000000)
				exp = exp * 10 + (*p - '0');
		if (neg)
			exp = -exp;
	}
	return nint + exp <= 100000 && nfrac - exp <= 16000;
}


/* ---------------------------------------------------------------------
 * Times
 * ---------------------------------------------------------------------
 */

/* Seconds (or milliseconds) since 1970-01-01 UTC to a timestamptz. */
static char *
epoch_to_timestamp(double v, bool ms, const char *text, TimestampTz *out)
{
	double		us;

	if (ms)
		v /= 1000.0;
	us = rint(v * USECS_PER_SEC) -
		(double) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;
	if (isnan(us) || !(us >= (double) MIN_TIMESTAMP && us < (double) END_TIMESTAMP))
		return psprintf("event_time %s is out of range", quote_value(text));
	*out = (TimestampTz) us;
	return NULL;
}

static char *
node_time(ParseCtx *pc, JNode *n, TimestampTz *out)
{
	IngestTimeFormat tf = pc->fmt->time_format;
	const char *label = field_label(pc->fmt, IF_EVENT_TIME);
	double		v;

	if (n->type != JN_STRING && n->type != JN_NUMBER)
		return psprintf("%s must be a string or a number, not %s",
						label, node_type_name(n));

	if (tf == ITF_ISO)
	{
		if (n->type == JN_STRING && ingest_parse_iso_time(n->str, out))
			return NULL;
		return psprintf("%s %s is not an ISO 8601 time", label,
						quote_value(n->str));
	}
	if (tf == ITF_EPOCH_S || tf == ITF_EPOCH_MS)
	{
		if (node_number(n, &v))
			return epoch_to_timestamp(v, tf == ITF_EPOCH_MS, n->str, out);
		return psprintf("%s %s is not an epoch number (%s)", label,
						quote_value(n->str),
						tf == ITF_EPOCH_MS ? "milliseconds" : "seconds");
	}
	/* auto */
	if (node_number(n, &v))
		return epoch_to_timestamp(v, v > 1e11, n->str, out);
	if (ingest_parse_iso_time(n->str, out))
		return NULL;
	return psprintf("%s %s is not an ISO 8601 time or epoch number", label,
					quote_value(n->str));
}


/* ---------------------------------------------------------------------
 * Rows
 * ---------------------------------------------------------------------
 */

static char *
check_lon_lat(double lon, double lat)
{
	if (!isfinite(lon) || lon < -180.0 || lon > 180.0)
		return psprintf("lon %g is out of range [-180, 180]", lon);
	if (!isfinite(lat) || lat < -90.0 || lat > 90.0)
		return psprintf("lat %g is out of range [-90, 90]", lat);
	return NULL;
}

/* position: a GeoJSON Point, or [lon, lat] (CSV: either, as JSON text). */
static char *
node_position(ParseCtx *pc, JNode *n, bool from_csv, double *lon, double *lat)
{
	const char *label = field_label(pc->fmt, IF_POSITION);
	const char *expect = "a GeoJSON Point or [lon, lat]";
	JNode	   *coords = n;

	if (from_csv && n->type == JN_STRING)
	{
		JNode	   *parsed;
		char	   *err = json_parse_tree(pc, n->str, strlen(n->str), &parsed);

		if (err)
			return psprintf("%s is not %s: %s", label, expect, err);
		n = coords = parsed;
	}
	if (n->type == JN_OBJECT)
	{
		JNode	   *type = node_member(n, "type");

		if (type == NULL || type->type != JN_STRING ||
			strcmp(type->str, "Point") != 0)
			return psprintf("%s is an object but not a GeoJSON Point", label);
		coords = node_member(n, "coordinates");
		if (coords == NULL)
			return psprintf("%s is a GeoJSON Point without coordinates", label);
	}
	if (coords->type != JN_ARRAY || coords->n < 2 || coords->n > 3 ||
		!node_number(coords->items[0], lon) ||
		!node_number(coords->items[1], lat) ||
		(coords->n == 3 && coords->items[2]->type != JN_NUMBER))
		return psprintf("%s is not %s", label, expect);
	return check_lon_lat(*lon, *lat);
}

/*
 * Push a JSON value into a jsonb being built; an error message for a
 * number numeric cannot hold.
 */
static char *
push_node(JsonbParseState **ps, JsonbIteratorToken tok, JNode *n,
		  const char *key)
{
	JsonbValue	v;
	int			i;
	char	   *err;

	switch (n->type)
	{
		case JN_NULL:
			v.type = jbvNull;
			break;
		case JN_BOOL:
			v.type = jbvBool;
			v.val.boolean = (n->str[0] == 't');
			break;
		case JN_STRING:
			v.type = jbvString;
			v.val.string.val = n->str;
			v.val.string.len = strlen(n->str);
			break;
		case JN_NUMBER:
			if (!numeric_lexeme_ok(n->str))
				return psprintf("attrs key \"%s\": number %s is out of range",
								key, quote_value(n->str));
			v.type = jbvNumeric;
			v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
																CStringGetDatum(n->str),
																ObjectIdGetDatum(InvalidOid),
																Int32GetDatum(-1)));
			break;
		case JN_OBJECT:
			pushJsonbValue(ps, WJB_BEGIN_OBJECT, NULL);
			for (i = 0; i < n->n; i++)
			{
				v.type = jbvString;
				v.val.string.val = n->keys[i];
				v.val.string.len = strlen(n->keys[i]);
				pushJsonbValue(ps, WJB_KEY, &v);
				if ((err = push_node(ps, WJB_VALUE, n->items[i], key)) != NULL)
					return err;
			}
			pushJsonbValue(ps, WJB_END_OBJECT, NULL);
			return NULL;
		case JN_ARRAY:
			pushJsonbValue(ps, WJB_BEGIN_ARRAY, NULL);
			for (i = 0; i < n->n; i++)
				if ((err = push_node(ps, WJB_ELEM, n->items[i], key)) != NULL)
					return err;
			pushJsonbValue(ps, WJB_END_ARRAY, NULL);
			return NULL;
	}
	pushJsonbValue(ps, tok, &v);
	return NULL;
}

static void
push_key(JsonbParseState **ps, const char *key)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = unconstify(char *, key);
	v.val.string.len = strlen(key);
	pushJsonbValue(ps, WJB_KEY, &v);
}

/*
 * Make a read from its fields (slot[f]: the value of field f, or NULL) and
 * the other members (xkeys/xvals, for attrs), and add it to the batch.
 * Runs in pc->row_cxt.  Returns NULL, or why the row is rejected.
 */
static char *
make_row(ParseCtx *pc, JNode **slot, int nextra, char **xkeys, JNode **xvals,
		 bool from_csv)
{
	const IngestFormat *fmt = pc->fmt;
	IngestBatch *batch = pc->batch;
	JNode	   *v;
	char	   *asset_id;
	char	   *source_id = NULL;
	TimestampTz t;
	const char *problem;
	char	   *err;
	bool		has_pos = false;
	double		lon = 0,
				lat = 0;
	bool		has_rssi = false;
	double		rssi = 0;
	JNode	   *attrs_obj = NULL;
	Jsonb	   *attrs = NULL;
	IngestRow  *row;
	MemoryContext old;
	int			f,
				i;

	/* null counts as missing */
	for (f = 0; f < IF_NFIELDS; f++)
		if (slot[f] != NULL && slot[f]->type == JN_NULL)
			slot[f] = NULL;

	v = slot[IF_ASSET_ID];
	if (v == NULL)
		return psprintf("missing %s", field_label(fmt, IF_ASSET_ID));
	if (v->type != JN_STRING && v->type != JN_NUMBER)
		return psprintf("%s must be a string or a number, not %s",
						field_label(fmt, IF_ASSET_ID), node_type_name(v));
	asset_id = v->str;

	if (slot[IF_EVENT_TIME] == NULL)
		return psprintf("missing %s", field_label(fmt, IF_EVENT_TIME));
	if ((err = node_time(pc, slot[IF_EVENT_TIME], &t)) != NULL)
		return err;

	problem = ingest_read_problem(asset_id, strlen(asset_id), t, pc->now);
	if (problem)
		return pstrdup(problem);

	v = slot[IF_SOURCE_ID];
	if (v != NULL)
	{
		if (v->type != JN_STRING && v->type != JN_NUMBER)
			return psprintf("%s must be a string or a number, not %s",
							field_label(fmt, IF_SOURCE_ID), node_type_name(v));
		source_id = v->str;
	}
	else if (pc->topic_source_id != NULL)
		source_id = unconstify(char *, pc->topic_source_id);

	/* position, else lon and lat */
	if (slot[IF_POSITION] != NULL)
	{
		if ((err = node_position(pc, slot[IF_POSITION], from_csv, &lon, &lat)) != NULL)
			return err;
		has_pos = true;
	}
	else if (slot[IF_LON] != NULL || slot[IF_LAT] != NULL)
	{
		if (slot[IF_LON] == NULL || slot[IF_LAT] == NULL)
			return psprintf("%s is given without %s",
							field_label(fmt, slot[IF_LON] ? IF_LON : IF_LAT),
							field_label(fmt, slot[IF_LON] ? IF_LAT : IF_LON));
		if (!node_number(slot[IF_LON], &lon))
			return psprintf("%s must be a number, not %s",
							field_label(fmt, IF_LON),
							slot[IF_LON]->type == JN_STRING ?
							quote_value(slot[IF_LON]->str) :
							node_type_name(slot[IF_LON]));
		if (!node_number(slot[IF_LAT], &lat))
			return psprintf("%s must be a number, not %s",
							field_label(fmt, IF_LAT),
							slot[IF_LAT]->type == JN_STRING ?
							quote_value(slot[IF_LAT]->str) :
							node_type_name(slot[IF_LAT]));
		if ((err = check_lon_lat(lon, lat)) != NULL)
			return err;
		has_pos = true;
	}

	v = slot[IF_RSSI];
	if (v != NULL)
	{
		if (!node_number(v, &rssi))
			return psprintf("%s must be a number, not %s",
							field_label(fmt, IF_RSSI),
							v->type == JN_STRING ? quote_value(v->str) :
							node_type_name(v));
		if (!isfinite(rssi) || fabs(rssi) > FLT_MAX)
			return psprintf("%s %s is out of range for real",
							field_label(fmt, IF_RSSI), quote_value(v->str));
		has_rssi = true;
	}

	v = slot[IF_ATTRS];
	if (v != NULL)
	{
		if (from_csv && v->type == JN_STRING)
		{
			if ((err = json_parse_tree(pc, v->str, strlen(v->str), &v)) != NULL)
				return psprintf("%s is not a JSON object: %s",
								field_label(fmt, IF_ATTRS), err);
		}
		if (v->type != JN_OBJECT)
			return psprintf("%s must be a JSON object, not %s",
							field_label(fmt, IF_ATTRS), node_type_name(v));
		attrs_obj = v;
	}

	/* attrs: the attrs object's members, then every other member */
	if ((attrs_obj && attrs_obj->n > 0) || nextra > 0)
	{
		JsonbParseState *ps = NULL;
		JsonbValue *res;

		pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
		if (attrs_obj)
			for (i = 0; i < attrs_obj->n; i++)
			{
				push_key(&ps, attrs_obj->keys[i]);
				if ((err = push_node(&ps, WJB_VALUE, attrs_obj->items[i],
									 attrs_obj->keys[i])) != NULL)
					return err;
			}
		for (i = 0; i < nextra; i++)
		{
			push_key(&ps, xkeys[i]);
			if ((err = push_node(&ps, WJB_VALUE, xvals[i], xkeys[i])) != NULL)
				return err;
		}
		res = pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
		old = MemoryContextSwitchTo(batch->cxt);
		attrs = JsonbValueToJsonb(res);
		MemoryContextSwitchTo(old);
	}

	row = ingest_batch_add_row(batch);
	row->asset_id = MemoryContextStrdup(batch->cxt, asset_id);
	row->event_time = t;
	row->source_id = source_id ? MemoryContextStrdup(batch->cxt, source_id) : NULL;
	row->has_position = has_pos;
	row->lon = lon;
	row->lat = lat;
	row->has_rssi = has_rssi;
	row->rssi = (float4) rssi;
	row->attrs = attrs;
	if (t > batch->max_event_time)
		batch->max_event_time = t;
	return NULL;
}


/* ---------------------------------------------------------------------
 * JSON
 * ---------------------------------------------------------------------
 */

static void reject_element_or_row(JBuild *b);

/* Attach a new value to the open container, or make it the root. */
static void
jb_add(JBuild *b, JNode *n)
{
	if (b->depth == 0)
		b->root = n;
	else if (b->root_array && b->depth == 1)
		b->elem = n;
	else
		node_append(b->stack[b->depth - 1], b->key, n);
}

/* Is the current element (or row) over the size limit?  Then skip it. */
static bool
jb_skipping(JBuild *b)
{
	int			start = b->root_array ? b->elem_start : 0;

	if (!b->skip && b->lex->token_start - b->lex->input - start > IF_MAX_ROW_BYTES)
		b->skip = true;
	return b->skip;
}

static void
jb_container_start(JBuild *b, JNodeType type)
{
	if (b->depth == 0 && type == JN_ARRAY && b->stream)
	{
		b->root_array = true;
		b->root = node_new(JN_ARRAY, NULL);
	}
	else if (!jb_skipping(b))
	{
		JNode	   *n = node_new(type, NULL);

		jb_add(b, n);
		b->stack[b->depth] = n;
	}
	b->depth++;
}

static void
jb_object_start(void *state)
{
	jb_container_start((JBuild *) state, JN_OBJECT);
}

static void
jb_array_start(void *state)
{
	jb_container_start((JBuild *) state, JN_ARRAY);
}

static void
jb_container_end(void *state)
{
	((JBuild *) state)->depth--;
}

static void
jb_field_start(void *state, char *fname, bool isnull)
{
	((JBuild *) state)->key = fname;
}

static void
jb_scalar(void *state, char *token, JsonTokenType tokentype)
{
	JBuild	   *b = (JBuild *) state;

	if (!jb_skipping(b))
		jb_add(b, node_new(node_type_for_token(tokentype), token));
}

static void
jb_element_start(void *state, bool isnull)
{
	JBuild	   *b = (JBuild *) state;

	if (b->root_array && b->depth == 1)
	{
		b->elem_no++;
		b->elem_start = b->lex->token_start - b->lex->input;
		b->elem = NULL;
		b->skip = false;
	}
}

static void
jb_element_end(void *state, bool isnull)
{
	JBuild	   *b = (JBuild *) state;

	if (b->root_array && b->depth == 1)
	{
		reject_element_or_row(b);
		MemoryContextReset(b->pc->row_cxt);
		CHECK_FOR_INTERRUPTS();
	}
}

/* A top-level array's element has ended: make a read of it. */
static void
reject_element_or_row(JBuild *b)
{
	int			end = b->lex->prev_token_terminator - b->lex->input;
	const char *text = b->lex->input + b->elem_start;
	int			len = end - b->elem_start;
	char		where[32];

	snprintf(where, sizeof(where), "element %d", b->elem_no);
	if (b->skip)
		reject_where(b->pc, text, len, where,
					 psprintf("row of %d bytes is too large (at most %d)",
							  len, IF_MAX_ROW_BYTES));
	else
		json_row_from_node(b->pc, b->elem, text, len, where, "a JSON object");
}

/*
 * Nesting depth of JSON text (strings skipped), measured before parsing:
 * the parser raises an error when its recursion gets too deep, and its
 * callbacks cannot stop it.  An upper bound of the parser's depth.
 */
static int
json_depth(const char *s, int len)
{
	int			depth = 0,
				max = 0,
				i;
	bool		in_str = false;

	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if (in_str)
		{
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		}
		else if (c == '"')
			in_str = true;
		else if (c == '[' || c == '{')
		{
			if (++depth > max)
				max = depth;
		}
		else if ((c == ']' || c == '}') && depth > 0)
			depth--;
	}
	return max;
}

/*
 * Parse JSON text with the callbacks above.  Returns NULL or the reason
 * it is not JSON.
 */
static char *
json_run(JBuild *b, const char *text, int len)
{
	JsonSemAction sem;
	JsonLexContext *lex;
	JsonParseErrorType rc;
	MemoryContext old;
	char	   *detail;
	char	   *err = NULL;
	int			pos,
				cut;

	if (json_depth(text, len) > IF_MAX_DEPTH)
		return psprintf("JSON nested deeper than %d levels", IF_MAX_DEPTH);

	memset(&sem, 0, sizeof(sem));
	sem.semstate = b;
	sem.object_start = jb_object_start;
	sem.object_end = jb_container_end;
	sem.array_start = jb_array_start;
	sem.array_end = jb_container_end;
	sem.object_field_start = jb_field_start;
	sem.array_element_start = jb_element_start;
	sem.array_element_end = jb_element_end;
	sem.scalar = jb_scalar;

	/*
	 * The lexer lives in the current context; what the parser allocates for
	 * the callbacks goes into the row context, which the elements of a
	 * top-level array reset.
	 */
	lex = makeJsonLexContextCstringLen(unconstify(char *, text), len,
									   GetDatabaseEncoding(), true);
	b->lex = lex;
	old = MemoryContextSwitchTo(b->pc->row_cxt);
	rc = pg_parse_json(lex, &sem);
	if (rc != JSON_SUCCESS)
	{
		/* the offending token's first byte, from 1 (at the end: the last) */
		pos = (lex->token_start ? lex->token_start : lex->token_terminator) -
			lex->input + 1;
		if (pos > len)
			pos = len;
		detail = json_errdetail(rc, lex);
		cut = pg_mbcliplen(detail, strlen(detail), 200);
		err = psprintf("malformed JSON at byte %d: %.*s%s", pos, cut, detail,
					   detail[cut] ? "..." : "");
	}
	MemoryContextSwitchTo(old);
	if (lex->strval)
	{
		pfree(lex->strval->data);
		pfree(lex->strval);
	}
	pfree(lex);
	b->lex = NULL;
	return err;
}

/* Parse a JSON value (a CSV cell holding JSON) into a tree. */
static char *
json_parse_tree(ParseCtx *pc, const char *text, int len, JNode **root)
{
	JBuild		b;
	char	   *err;

	memset(&b, 0, sizeof(b));
	b.pc = pc;
	if ((err = json_run(&b, text, len)) != NULL)
		return err;
	*root = b.root;
	return NULL;
}

/* Reject with "where: why" ("why" alone when where is NULL). */
static void
reject_where(ParseCtx *pc, const char *payload, size_t len, const char *where,
			 const char *why)
{
	if (where)
		why = psprintf("%s: %s", where, why);
	ingest_batch_add_reject(pc->batch, payload, len, why);
}

/* A JSON value meant to be a row: a read, or a reject. */
static void
json_row_from_node(ParseCtx *pc, JNode *n, const char *text, int len,
				   const char *where, const char *expect)
{
	const IngestFormat *fmt = pc->fmt;
	JNode	   *slot[IF_NFIELDS];
	char	  **xkeys;
	JNode	  **xvals;
	int			nextra = 0;
	int			i,
				f;
	char	   *err;

	if (n->type != JN_OBJECT)
	{
		reject_where(pc, text, len, where,
					 psprintf("expected %s, got %s", expect, node_type_name(n)));
		return;
	}
	memset(slot, 0, sizeof(slot));
	xkeys = palloc(Max(n->n, 1) * sizeof(char *));
	xvals = palloc(Max(n->n, 1) * sizeof(JNode *));
	for (i = 0; i < n->n; i++)
	{
		for (f = 0; f < IF_NFIELDS; f++)
			if (strcmp(n->keys[i], fmt->field_names[f]) == 0)
				break;
		if (f < IF_NFIELDS)
			slot[f] = n->items[i];
		else
		{
			xkeys[nextra] = n->keys[i];
			xvals[nextra++] = n->items[i];
		}
	}
	if ((err = make_row(pc, slot, nextra, xkeys, xvals, false)) != NULL)
		reject_where(pc, text, len, where, err);
}

/*
 * Why text is not valid in the database encoding (NUL bytes included), or
 * NULL.
 */
static char *
encoding_problem(const char *s, int len)
{
	int			ok = pg_encoding_verifymbstr(GetDatabaseEncoding(), s, len);

	if (ok == len)
		return NULL;
	if (s[ok] == '\0')
		return psprintf("NUL byte at byte %d", ok + 1);
	return psprintf("invalid byte sequence for encoding \"%s\" at byte %d",
					GetDatabaseEncodingName(), ok + 1);
}

/*
 * Run fn, the parse of one unit of a payload (a JSON payload, an NDJSON
 * line, a CSV record), and turn a bad-data error raised inside PostgreSQL's
 * parsers into a reject of that unit, taking back what it added to the
 * batch.  None is expected (see the file header): this is the last guard.
 * Any other error (out of memory, cancel) goes on up.  The code it runs
 * holds no locks, buffers or other resources, so no subtransaction is
 * needed.
 */
static void
guarded(ParseCtx *pc, void (*fn) (ParseCtx *pc, void *arg), void *arg,
		const char *text, int len, const char *where)
{
	IngestBatch *batch = pc->batch;
	int			nrows = batch->nrows;
	int			nrejects = batch->nrejects;
	TimestampTz max_time = batch->max_event_time;
	MemoryContext old = CurrentMemoryContext;

	PG_TRY();
	{
		fn(pc, arg);
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		int			code;

		/* the row context may be old: empty it before copying the error */
		MemoryContextReset(pc->row_cxt);
		MemoryContextSwitchTo(old);
		edata = CopyErrorData();
		code = edata->sqlerrcode;
		if (ERRCODE_TO_CATEGORY(code) != ERRCODE_DATA_EXCEPTION &&
			code != ERRCODE_SYNTAX_ERROR &&
			code != ERRCODE_STATEMENT_TOO_COMPLEX &&
			code != ERRCODE_PROGRAM_LIMIT_EXCEEDED)
		{
			FreeErrorData(edata);
			PG_RE_THROW();
		}
		FlushErrorState();
		batch->nrows = nrows;
		batch->nrejects = nrejects;
		batch->max_event_time = max_time;
		reject_where(pc, text, len, where,
					 psprintf("could not parse: %s", edata->message));
		FreeErrorData(edata);
	}
	PG_END_TRY();
}

typedef struct JsonUnitArgs
{
	const char *text;
	int			len;
	const char *where;
	bool		allow_array;
} JsonUnitArgs;

static void
json_unit_fn(ParseCtx *pc, void *arg)
{
	JsonUnitArgs *a = (JsonUnitArgs *) arg;

	parse_json_unit(pc, a->text, a->len, a->where, a->allow_array);
}

static void
parse_json_guarded(ParseCtx *pc, const char *text, int len, const char *where,
				   bool allow_array)
{
	JsonUnitArgs a = {text, len, where, allow_array};

	guarded(pc, json_unit_fn, &a, text, len, where);
}

/*
 * One JSON document: a payload (JSON), or a line (NDJSON, where
 * allow_array is false).  Reads are added as they are parsed; when the
 * text turns out to be malformed, they are taken back and the whole text
 * is one reject.
 */
static void
parse_json_unit(ParseCtx *pc, const char *text, int len, const char *where,
				bool allow_array)
{
	IngestBatch *batch = pc->batch;
	int			nrows = batch->nrows;
	int			nrejects = batch->nrejects;
	TimestampTz max_time = batch->max_event_time;
	MemoryContext old;
	JBuild		b;
	char	   *err;
	int			i;

	if ((err = encoding_problem(text, len)) != NULL)
	{
		reject_where(pc, text, len, where, err);
		return;
	}
	for (i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i]))
			break;
	if (i == len)
	{
		reject_where(pc, text, len, where, "empty payload");
		return;
	}

	memset(&b, 0, sizeof(b));
	b.pc = pc;
	b.stream = allow_array;
	err = json_run(&b, text, len);
	if (err)
	{
		/* take back the reads and rejects of the elements before */
		batch->nrows = nrows;
		batch->nrejects = nrejects;
		batch->max_event_time = max_time;
		reject_where(pc, text, len, where, err);
	}
	else if (!b.root_array)
	{
		old = MemoryContextSwitchTo(pc->row_cxt);
		if (b.skip)
			reject_where(pc, text, len, where,
						 psprintf("row of %d bytes is too large (at most %d)",
								  len, IF_MAX_ROW_BYTES));
		else
			json_row_from_node(pc, b.root, text, len, where,
							   allow_array ? "a JSON object or an array of objects" :
							   "a JSON object");
		MemoryContextSwitchTo(old);
	}
	MemoryContextReset(pc->row_cxt);
}

/* NDJSON: one JSON object per line; blank lines are skipped. */
static void
parse_ndjson(ParseCtx *pc, const char *data, int len)
{
	int			start = 0;
	int			lineno = 0;

	while (start < len)
	{
		const char *nl = memchr(data + start, '\n', len - start);
		int			end = nl ? nl - data : len;
		int			linelen = end - start;
		int			i;
		char		where[32];

		lineno++;
		if (linelen > 0 && data[start + linelen - 1] == '\r')
			linelen--;
		for (i = 0; i < linelen; i++)
			if (data[start + i] != ' ' && data[start + i] != '\t' &&
				data[start + i] != '\r')
				break;
		if (i < linelen)
		{
			snprintf(where, sizeof(where), "line %d", lineno);
			if (linelen > IF_MAX_ROW_BYTES)
				reject_where(pc, data + start, linelen, where,
							 psprintf("row of %d bytes is too large (at most %d)",
									  linelen, IF_MAX_ROW_BYTES));
			else
				parse_json_guarded(pc, data + start, linelen, where, false);
		}
		start = end + 1;
		CHECK_FOR_INTERRUPTS();
	}
}


/* ---------------------------------------------------------------------
 * CSV
 * ---------------------------------------------------------------------
 */

/*
 * Read one CSV record from data[*pos]: comma-separated fields, quoted
 * with "..." and "" inside for a quote; a newline (LF or CRLF) outside
 * quotes ends it.  Up to maxf fields are kept (*nf counts them all);
 * values[i] is NULL for an unquoted empty field.  Returns NULL or the
 * reason the record is malformed; *pos moves past it, *reclen is its
 * length without the line end, *lines the newlines it spans.
 */
static char *
csv_record(const char *data, int len, int *pos, int *reclen, int *lines,
		   char **values, int maxf, int *nf)
{
	int			p = *pos;
	StringInfoData buf;
	char	   *err = NULL;

	*nf = 0;
	*lines = 1;
	initStringInfo(&buf);
	for (;;)
	{
		bool		quoted = false;

		resetStringInfo(&buf);
		if (p < len && data[p] == '"')
		{
			quoted = true;
			for (p++;; p++)
			{
				if (p >= len)
				{
					err = "unterminated quoted field";
					break;
				}
				if (data[p] == '"')
				{
					if (p + 1 < len && data[p + 1] == '"')
						p++;
					else
					{
						p++;
						break;
					}
				}
				else if (data[p] == '\n')
					(*lines)++;
				appendStringInfoChar(&buf, data[p]);
			}
			if (err == NULL && p < len && data[p] != ',' && data[p] != '\n' &&
				!(data[p] == '\r' && (p + 1 == len || data[p + 1] == '\n')))
				err = "unexpected character after a quoted field";
		}
		else
		{
			for (; p < len && data[p] != ',' && data[p] != '\n'; p++)
			{
				if (data[p] == '\r' && (p + 1 == len || data[p + 1] == '\n'))
					continue;
				appendStringInfoChar(&buf, data[p]);
			}
		}
		if (err)
			break;
		if (*nf < maxf)
			values[*nf] = (quoted || buf.len > 0) ? pnstrdup(buf.data, buf.len) : NULL;
		(*nf)++;
		if (p < len && data[p] == '\r')
			p++;
		if (p >= len || data[p] == '\n')
			break;
		p++;					/* the comma */
	}

	/* a malformed record ends at the next newline */
	if (err)
		while (p < len && data[p] != '\n')
			p++;
	*reclen = p - *pos;
	if (*reclen > 0 && data[*pos + *reclen - 1] == '\r')
		(*reclen)--;
	*pos = p + 1;
	return err;
}

typedef struct CsvRowArgs
{
	JNode	  **slot;
	int			nextra;
	char	  **xkeys;
	JNode	  **xvals;
	const char *rec;
	int			reclen;
	const char *where;
} CsvRowArgs;

static void
csv_row_fn(ParseCtx *pc, void *arg)
{
	CsvRowArgs *a = (CsvRowArgs *) arg;
	char	   *err;

	if ((err = make_row(pc, a->slot, a->nextra, a->xkeys, a->xvals, true)) != NULL)
		reject_where(pc, a->rec, a->reclen, a->where, err);
}

static void
parse_csv(ParseCtx *pc, const char *data, int len)
{
	const IngestFormat *fmt = pc->fmt;
	int			pos = 0;
	int			lineno = 1;
	char	  **values;
	JNode	   *cells;
	char	  **xkeys;
	JNode	  **xvals;
	bool		header = fmt->csv_header;

	if (fmt->ncsv == 0)
	{
		ingest_batch_add_reject(pc->batch, data, len,
								"CSV payload, but the source has no \"csv_columns\" option");
		return;
	}
	values = palloc((fmt->ncsv + 1) * sizeof(char *));
	cells = palloc0(fmt->ncsv * sizeof(JNode));
	xkeys = palloc(fmt->ncsv * sizeof(char *));
	xvals = palloc(fmt->ncsv * sizeof(JNode *));

	while (pos < len)
	{
		const char *rec = data + pos;
		int			reclen,
					lines,
					nf;
		char		where[32];
		char	   *err;
		MemoryContext old;

		/* blank lines */
		if (data[pos] == '\n' ||
			(data[pos] == '\r' && (pos + 1 == len || data[pos + 1] == '\n')))
		{
			pos += (data[pos] == '\r') ? 2 : 1;
			lineno++;
			continue;
		}

		old = MemoryContextSwitchTo(pc->row_cxt);
		snprintf(where, sizeof(where), "line %d", lineno);
		err = csv_record(data, len, &pos, &reclen, &lines, values,
						 fmt->ncsv + 1, &nf);
		lineno += lines;
		if (header)
			header = false;
		else if (err)
			reject_where(pc, rec, reclen, where, err);
		else if (reclen > IF_MAX_ROW_BYTES)
			reject_where(pc, rec, reclen, where,
						 psprintf("row of %d bytes is too large (at most %d)",
								  reclen, IF_MAX_ROW_BYTES));
		else if ((err = encoding_problem(rec, reclen)) != NULL)
			reject_where(pc, rec, reclen, where, err);
		else if (nf != fmt->ncsv)
			reject_where(pc, rec, reclen, where,
						 psprintf("%d column%s, but \"csv_columns\" declares %d",
								  nf, nf == 1 ? "" : "s", fmt->ncsv));
		else
		{
			JNode	   *slot[IF_NFIELDS];
			CsvRowArgs	a;
			int			nextra = 0;
			int			i,
						f;

			memset(slot, 0, sizeof(slot));
			for (i = 0; i < nf; i++)
			{
				const char *name = fmt->csv_columns[i];

				if (name[0] == '\0' || values[i] == NULL)
					continue;
				cells[i].type = JN_STRING;
				cells[i].str = values[i];
				cells[i].n = 0;
				for (f = 0; f < IF_NFIELDS; f++)
					if (strcmp(name, fmt->field_names[f]) == 0)
						break;
				if (f < IF_NFIELDS)
					slot[f] = &cells[i];
				else
				{
					xkeys[nextra] = unconstify(char *, name);
					xvals[nextra++] = &cells[i];
				}
			}
			a.slot = slot;
			a.nextra = nextra;
			a.xkeys = xkeys;
			a.xvals = xvals;
			a.rec = rec;
			a.reclen = reclen;
			a.where = where;
			guarded(pc, csv_row_fn, &a, rec, reclen, where);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(pc->row_cxt);
		CHECK_FOR_INTERRUPTS();
	}
}


/* ---------------------------------------------------------------------
 * Entry point
 * ---------------------------------------------------------------------
 */

/*
 * Parse one payload into reads and rejects of the batch.  Never raises an
 * error for the payload's bytes (only for running out of memory, or a
 * query cancel).
 */
void
ingest_parse_payload(IngestBatch *batch, const IngestFormat *fmt,
					 IngestPayloadKind kind, const char *data, size_t len,
					 const char *topic_source_id)
{
	ParseCtx	pc;
	MemoryContext old = CurrentMemoryContext;
	MemoryContext parse_cxt;

	if (data == NULL)
		data = "", len = 0;
	batch->bytes += len;
	if (len > (size_t) fmt->max_payload)
	{
		ingest_batch_add_reject(batch, data, len,
								psprintf("payload of %zu bytes exceeds max_payload (%d)",
										 len, fmt->max_payload));
		return;
	}

	pc.batch = batch;
	pc.fmt = fmt;
	pc.topic_source_id = topic_source_id;
	pc.now = GetCurrentTimestamp();
	parse_cxt = AllocSetContextCreate(CurrentMemoryContext,
									  "asset_stream payload",
									  ALLOCSET_DEFAULT_SIZES);
	pc.row_cxt = AllocSetContextCreate(parse_cxt, "asset_stream payload row",
									   ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(parse_cxt);

	switch (kind)
	{
		case IPK_JSON:
			parse_json_guarded(&pc, data, (int) len, NULL, true);
			break;
		case IPK_NDJSON:
			parse_ndjson(&pc, data, (int) len);
			break;
		case IPK_CSV:
			parse_csv(&pc, data, (int) len);
			break;
		default:
			ingest_batch_add_reject(batch, data, len, "unknown payload kind");
			break;
	}

	MemoryContextSwitchTo(old);
	MemoryContextDelete(parse_cxt);
}
