/*-------------------------------------------------------------------------
 *
 * srf_columns.h
 *	  Helpers shared by the set-returning functions that run an input query
 *	  (window table functions, match_recognize): finding an input column by
 *	  name, and making an input value safe to keep in a tuplestore.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SRF_COLUMNS_H
#define SRF_COLUMNS_H

#include "access/detoast.h"
#include "access/tupdesc.h"

/*
 * The input column named exactly `name` (a name of a column definition
 * list, a measure); -1 if there is none, 42702 naming the function fname if
 * there are several.
 */
extern int	srf_find_column(TupleDesc desc, const char *name, const char *fname);

/*
 * The input column a text argument names (time_column, partition_by, ...):
 * exactly, or else read as an SQL identifier, folded to lower case unless
 * double-quoted ('BidTime' finds bidtime, '"BidTime"' finds BidTime).
 */
extern int	srf_find_column_arg(TupleDesc desc, const char *name, const char *fname);

/*
 * A column name read as an SQL identifier: a double-quoted name loses its
 * quotes (doubled quotes inside become one), any other is folded to lower
 * case; NULL for a malformed quoted name.
 */
extern char *srf_identifier(const char *name);

/*
 * Split a list of column names at commas outside double quotes, trimming
 * blanks: 'item, "Supplier"' gives item and "Supplier" (each then goes to
 * srf_find_column_arg).  NIL for an empty list.  An empty element is 22023,
 * or with ok given, NIL and *ok false.
 */
struct List;
extern struct List *srf_split_columns(const char *list, const char *fname,
									  const char *argname, bool *ok);

/*
 * Prepare an input query through SPI (the caller is connected): an error
 * naming the function fname unless it is one statement that returns rows.
 */
struct _SPI_plan;
extern struct _SPI_plan *srf_prepare_input(const char *query, const char *fname);

/*
 * An input value ready to go into a tuplestore: external TOAST pointers are
 * fetched (with detoast, for varlena columns), since the tuplestore
 * outlives the scan.
 */
static inline Datum
srf_store_value(Datum v, bool isnull, bool detoast)
{
	if (detoast && !isnull && VARATT_IS_EXTERNAL(DatumGetPointer(v)))
		return PointerGetDatum(detoast_external_attr((struct varlena *) DatumGetPointer(v)));
	return v;
}

#endif							/* SRF_COLUMNS_H */
