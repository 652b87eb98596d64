/*-------------------------------------------------------------------------
 *
 * srf_columns.c
 *	  Input columns of the set-returning functions that run an input query
 *	  (see srf_columns.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "nodes/pg_list.h"
#include "parser/scansup.h"

#include "srf_columns.h"

static int
srf_find_exact(TupleDesc desc, const char *name, const char *fname)
{
	int			found = -1;

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->attisdropped || strcmp(NameStr(a->attname), name) != 0)
			continue;
		if (found >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_AMBIGUOUS_COLUMN),
					 errmsg("%s: input query has more than one column named \"%s\"",
							fname, name)));
		found = i;
	}
	return found;
}

char *
srf_identifier(const char *name)
{
	size_t		len = strlen(name);

	if (len >= 2 && name[0] == '"' && name[len - 1] == '"')
	{
		char	   *out = palloc(len);
		char	   *o = out;

		for (const char *p = name + 1; p < name + len - 1; p++)
		{
			if (*p == '"')
			{
				if (p[1] != '"' || p + 1 >= name + len - 1)
					return NULL;	/* not a well-formed quoted identifier */
				p++;
			}
			*o++ = *p;
		}
		*o = '\0';
		return out;
	}
	return downcase_identifier(name, len, false, false);
}

int
srf_find_column(TupleDesc desc, const char *name, const char *fname)
{
	return srf_find_exact(desc, name, fname);
}

int
srf_find_column_arg(TupleDesc desc, const char *name, const char *fname)
{
	int			found = srf_find_exact(desc, name, fname);
	char	   *ident;

	if (found >= 0)
		return found;
	ident = srf_identifier(name);
	if (ident != NULL && strcmp(ident, name) != 0)
		found = srf_find_exact(desc, ident, fname);
	return found;
}

List *
srf_split_columns(const char *list, const char *fname, const char *argname,
				  bool *ok)
{
	List	   *names = NIL;
	const char *p = list;

	if (ok != NULL)
		*ok = true;
	for (;;)
	{
		const char *start,
				   *end;
		bool		quoted = false;

		while (scanner_isspace(*p))
			p++;
		if (*p == '\0' && names == NIL)
			return NIL;
		start = p;
		while (*p != '\0' && (quoted || *p != ','))
		{
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		end = p;
		while (end > start && scanner_isspace(end[-1]))
			end--;
		if (end == start && ok != NULL)
		{
			*ok = false;
			return NIL;
		}
		if (end == start)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s has an empty column name", fname, argname),
					 errdetail("The list was \"%s\".", list)));
		names = lappend(names, pnstrdup(start, end - start));
		if (*p == '\0')
			return names;
		p++;					/* the comma */
	}
}

SPIPlanPtr
srf_prepare_input(const char *query, const char *fname)
{
	SPIPlanPtr	plan = SPI_prepare(query, 0, NULL);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	if (!SPI_is_cursor_plan(plan))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: input must be a single query that returns rows", fname)));
	return plan;
}
