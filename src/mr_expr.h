/*-------------------------------------------------------------------------
 *
 * mr_expr.h
 *	  DEFINE conditions and MEASURES of a MATCH_RECOGNIZE clause compiled
 *	  with PostgreSQL's parser into ExprStates, and evaluated over a
 *	  (partial) match.
 *
 * Expressions are ordinary PostgreSQL expressions over the input's
 * columns, plus:
 *	- pattern-variable references X.col (X primary or SUBSET variable);
 *	- PREV(e [, n]), NEXT(e [, n]) (physical: n rows before / after the
 *	  row e refers to, anywhere in the partition), FIRST(e [, n]),
 *	  LAST(e [, n]) (logical: the n-th row from the first / last row mapped
 *	  to e's variable), nested as PREV(LAST(A.x, 1), 2); n a constant >= 0;
 *	- RUNNING / FINAL before a navigation or aggregate (FINAL in MEASURES
 *	  only); RUNNING is the default;
 *	- CLASSIFIER([X]), MATCH_NUMBER(), and asset_stream's MATCH_STATUS()
 *	  ('MATCH' / 'TIMEOUT') and MATCH_DEADLINE();
 *	- any PostgreSQL aggregate over rows of the match: count(*),
 *	  count(A.*), sum(A.x), avg(x), array_agg(CLASSIFIER()), ...: over the
 *	  rows mapped to the variable its arguments name (all rows if none),
 *	  up to the current row (RUNNING) or all of them (FINAL).
 * Semantics and the rules of each reference: docs/match_recognize.md.
 *
 * Rows are reached through the driver's fetch callback (mr_rowstore.c in
 * the SRF); nothing here runs SPI.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MR_EXPR_H
#define MR_EXPR_H

#include "access/tupdesc.h"
#include "nodes/bitmapset.h"
#include "executor/tuptable.h"

#include "mr_clause.h"

/* Store partition row `row` in slot; false (slot cleared) if there is none. */
typedef bool (*MrFetchRow) (void *arg, int64 row, TupleTableSlot *slot);

/*
 * Column attno (1-based) of partition row `row` without a slot, valid as
 * long as a slot MrFetchRow filled would be; false if the driver cannot
 * (the row is then fetched into a slot).
 */
typedef bool (*MrFetchValue) (void *arg, int64 row, int attno, Datum *value, bool *isnull);

/*
 * A (partial) match as expressions see it.
 *
 * DEFINE of variable v at row r: start = the thread's start row, nrows =
 * r - start + 1, labels[r - start] = v, current = r.  (History-free
 * conditions may be given start = r, nrows = 1.)
 *
 * MEASURES: the rows of the match; current = the output row (ALL ROWS PER
 * MATCH) or the last row (ONE ROW PER MATCH); RUNNING sees rows start ..
 * current, FINAL all of them.  An empty match has nrows = 0 and current =
 * -1: every row reference is NULL, count() is 0.
 *
 * known_rows: rows of the partition the driver holds (NEXT beyond is
 * NULL); match_number counts from 1 per partition.
 */
typedef struct MrMatchView
{
	int64		start;
	int64		nrows;
	const int32 *labels;		/* nrows primary variables */
	int64		current;
	int64		known_rows;
	int64		match_number;
	bool		timeout;		/* MATCH_STATUS() = 'TIMEOUT' */
	int64		deadline;		/* MATCH_DEADLINE(), when timeout */
} MrMatchView;

typedef struct MrExprs MrExprs;

/*
 * Compile every DEFINE condition and measure of the clause against the
 * input's descriptor.  Errors: 42703 unknown column or variable, 42804 a
 * DEFINE that is not boolean, 42601 misused navigation (FINAL in DEFINE,
 * a navigation whose argument names two variables, a non-constant or
 * negative offset, an aggregate inside a navigation, nested aggregates,
 * ...), 0A000 what is not supported; each with an error context naming
 * the DEFINE or measure.  Functions and aggregates are looked up with the
 * caller's search_path and checked for EXECUTE permission.  Allocates in
 * the current memory context.
 */
extern MrExprs *mr_exprs_compile(const MrClause *clause, TupleDesc input,
								 MrFetchRow fetch, void *fetch_arg);

/*
 * The input columns the expressions read (attribute numbers from 1), or
 * NULL with *all set when one of them needs the whole row.
 */
extern Bitmapset *mr_exprs_columns_used(const MrExprs *e, bool *all);

/* True if every DEFINE looks only at its row and physical PREV/NEXT. */
extern bool mr_exprs_history_free(const MrExprs *e);

/* Largest NEXT offset in DEFINE (rows the driver must hold ahead). */
extern int	mr_exprs_define_lookahead(const MrExprs *e);

/*
 * Largest NEXT offset in MEASURES (rows after a match's last row its
 * measures may read; NEXT beyond MrMatchView.known_rows is NULL).
 */
extern int	mr_exprs_measure_lookahead(const MrExprs *e);

/* Largest PREV offset anywhere (rows before a match start still read). */
extern int	mr_exprs_lookbehind(const MrExprs *e);

/* Primary variable var's DEFINE at the view's current row (true if none). */
extern bool mr_exprs_define(MrExprs *e, int var, const MrMatchView *m);

/* Has primary variable var a DEFINE (else it is true at every row)? */
extern bool mr_exprs_has_define(const MrExprs *e, int var);

/* Measure i: its type, and its value in the current memory context. */
extern Oid	mr_exprs_measure_type(const MrExprs *e, int i, int32 *typmod);
extern Datum mr_exprs_measure(MrExprs *e, int i, const MrMatchView *m, bool *isnull);

/*
 * The driver's rows moved: after the rows a fetch filled a slot with may
 * have moved or changed (a spill to file, a new partition), call this
 * before the next evaluation; slots that still hold a row are reused only
 * until then.  Releasing rows that are never fetched again needs no call.
 */
extern void mr_exprs_rows_moved(MrExprs *e);

/*
 * Row `row` is also in `slot` (the driver's incoming row, already
 * deformed): evaluations at that row read it from there instead of
 * fetching it, until the next call.  slot NULL: no such row.
 */
extern void mr_exprs_set_current(MrExprs *e, int64 row, TupleTableSlot *slot);

/* Optional: navigation to a plain column reads it with fetch_value. */
extern void mr_exprs_set_fetch_value(MrExprs *e, MrFetchValue fetch_value);

extern void mr_exprs_free(MrExprs *e);

#endif							/* MR_EXPR_H */
