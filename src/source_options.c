/*-------------------------------------------------------------------------
 *
 * source_options.c
 *	  Reading a source's options (a jsonb object) and checking them when
 *	  the source is added: _check_source_options(kind, options).
 *
 * Every helper raises 22023 (invalid_parameter_value) naming the option
 * when it has the wrong type or range, so add_source() refuses a source
 * whose worker could not start.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "source.h"

PG_FUNCTION_INFO_V1(as_check_source_options);
PG_FUNCTION_INFO_V1(as_caller_may_insert);

static JsonbValue *
opt_get(Jsonb *options, const char *key)
{
	if (options == NULL || !JB_ROOT_IS_OBJECT(options))
		return NULL;
	return getKeyJsonValueFromContainer(&options->root, key, strlen(key), NULL);
}

static void
opt_type_error(const char *key, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("source option \"%s\" must be %s", key, what)));
}

char *
source_opt_text(Jsonb *options, const char *key, const char *dflt)
{
	JsonbValue *v = opt_get(options, key);

	if (v == NULL || v->type == jbvNull)
		return dflt ? pstrdup(dflt) : NULL;
	if (v->type != jbvString)
		opt_type_error(key, "a string");
	return pnstrdup(v->val.string.val, v->val.string.len);
}

int
source_opt_int(Jsonb *options, const char *key, int dflt, int min, int max)
{
	JsonbValue *v = opt_get(options, key);
	Numeric		num;
	Numeric		rounded;
	int64		val;

	if (v == NULL || v->type == jbvNull)
		return dflt;
	if (v->type != jbvNumeric)
		opt_type_error(key, "a number");
	num = v->val.numeric;
	rounded = DatumGetNumeric(DirectFunctionCall2(numeric_round, NumericGetDatum(num),
												  Int32GetDatum(0)));
	if (numeric_is_nan(num) || numeric_is_inf(num) ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
										  NumericGetDatum(rounded))) != 0)
		opt_type_error(key, "a whole number");
	val = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(num)));
	if (val < min || val > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source option \"%s\" must be between %d and %d, not " INT64_FORMAT,
						key, min, max, val)));
	return (int) val;
}

bool
source_opt_bool(Jsonb *options, const char *key, bool dflt)
{
	JsonbValue *v = opt_get(options, key);

	if (v == NULL || v->type == jbvNull)
		return dflt;
	if (v->type != jbvBool)
		opt_type_error(key, "true or false");
	return v->val.boolean;
}

/*
 * A string, or an array of strings.  Returns the count (0 when absent).
 */
int
source_opt_text_array(Jsonb *options, const char *key, char ***out)
{
	JsonbValue *v = opt_get(options, key);
	JsonbIterator *it;
	JsonbValue	elem;
	JsonbIteratorToken tok;
	int			n = 0;
	int			cap = 4;

	*out = NULL;
	if (v == NULL || v->type == jbvNull)
		return 0;
	if (v->type == jbvString)
	{
		*out = palloc(sizeof(char *));
		(*out)[0] = pnstrdup(v->val.string.val, v->val.string.len);
		return 1;
	}
	if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
		opt_type_error(key, "a string or an array of strings");

	*out = palloc(sizeof(char *) * cap);
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (elem.type != jbvString)
			opt_type_error(key, "a string or an array of strings");
		if (n == cap)
		{
			cap *= 2;
			*out = repalloc(*out, sizeof(char *) * cap);
		}
		(*out)[n++] = pnstrdup(elem.val.string.val, elem.val.string.len);
	}
	return n;
}

/*
 * The options every kind shares: batching and the payload format.
 */
void
source_read_common_options(SourceContext *ctx)
{
	ingest_format_parse_options(&ctx->format, ctx->options);
	ctx->batch_rows = source_opt_int(ctx->options, "batch_rows", 1000, 1, 1000000);
	ctx->batch_ms = source_opt_int(ctx->options, "batch_ms", 20, 1, 60000);
}

/*
 * _check_source_options(kind, options): raise an error for options the
 * source's worker could not use.
 */
Datum
as_check_source_options(PG_FUNCTION_ARGS)
{
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
	Jsonb	   *options = PG_GETARG_JSONB_P(1);
	SourceContext ctx;

	if (!JB_ROOT_IS_OBJECT(options))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source options must be a JSON object")));
	memset(&ctx, 0, sizeof(ctx));
	ctx.options = options;
	source_read_common_options(&ctx);
	if (strcmp(kind, "mqtt") == 0)
		source_mqtt_check_options(options);
	else if (strcmp(kind, "http") == 0)
		source_http_check_options(options);
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown source kind \"%s\"", kind)));
	PG_RETURN_VOID();
}

/*
 * _caller_may_insert(stream): may the role that called into the SECURITY
 * DEFINER source functions insert into the stream?  That role is the outer
 * user (the session user, or the role set with SET ROLE), which SECURITY
 * DEFINER does not change.
 */
Datum
as_caller_may_insert(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);

	PG_RETURN_BOOL(pg_class_aclcheck(relid, GetOuterUserId(), ACL_INSERT) == ACLCHECK_OK);
}
