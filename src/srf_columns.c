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

#include "srf_columns.h"

int
srf_find_column(TupleDesc desc, const char *name, const char *fname)
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
