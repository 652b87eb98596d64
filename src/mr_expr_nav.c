/*-------------------------------------------------------------------------
 *
 * mr_expr_nav.c
 *	  Run time of compiled MATCH_RECOGNIZE expressions (mr_expr.h): the
 *	  DEFINE and MEASURES entry points, the Param callback, navigation,
 *	  CLASSIFIER and the MATCH_* functions.
 *
 * Rows.  A DEFINE or measure is evaluated with the view's current row in
 * level 0's slot (all NULL when there is none).  A navigation or an
 * aggregate evaluates its argument at other rows: one level deeper, with
 * that level's own slot and ExprContext, so a Param evaluated while
 * another is being evaluated never clobbers its rows.  CLASSIFIER()
 * reports the label of the row of the level it is evaluated at.
 *
 * Memory.  Level 0's per-tuple memory is reset at each entry point; a
 * deeper level's at each row it loads.  A Param's value is copied into the
 * memory current when it was asked for (the evaluating level's), and a
 * measure's result into the caller's memory context.
 *
 * Which rows.  Navigations and aggregates look at the rows of the match:
 * start .. start + nrows - 1 with FINAL (and always in DEFINE, where they
 * end at the current row), start .. current with RUNNING.  FIRST / LAST
 * count among the rows mapped to their variable (all rows for a bare
 * column); PREV / NEXT then move physically, anywhere in the partition
 * (NULL before its first row or past the rows the driver holds).  Each
 * evaluation scans the match afresh: O(match length) for a logical
 * navigation of a pattern variable, O(1) for the universal one.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/execExpr.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "utils/datum.h"
#include "utils/timestamp.h"

#include "mr_expr_int.h"

/* ----------------------------------------------------------- the match */

/* Rows [lo, hi) of the match that navigations and aggregates see. */
void
mr_visible_rows(MrExprs *e, bool final, int64 *lo, int64 *hi)
{
	const MrMatchView *m = e->view;

	*lo = m->start;
	*hi = m->start + m->nrows;
	if (!final && !e->in_define && m->current + 1 < *hi)
		*hi = Max(m->current + 1, *lo);
}

/* The primary variable row is mapped to, or -1 outside the match. */
static int
mr_label_at(MrExprs *e, int64 row)
{
	const MrMatchView *m = e->view;

	if (row < m->start || row >= m->start + m->nrows)
		return -1;
	return m->labels[row - m->start];
}

bool
mr_row_in_var(MrExprs *e, int var, int64 row)
{
	int			label = mr_label_at(e, row);

	if (label < 0)
		return false;
	if (var == MR_UNIVERSAL || var == label)
		return true;
	return var >= e->nprimary && e->vars[var].member[label];
}

/* The n-th row of var in [lo, hi), from the first or the last; -1 if none. */
static int64
mr_nth_row(MrExprs *e, int var, int64 lo, int64 hi, bool from_first, int64 n)
{
	if (var == MR_UNIVERSAL)
	{
		if (n >= hi - lo)
			return -1;
		return from_first ? lo + n : hi - 1 - n;
	}
	for (int64 i = 0; i < hi - lo; i++)
	{
		int64		row = from_first ? lo + i : hi - 1 - i;

		if ((i & 0xFFFF) == 0xFFFF)
			CHECK_FOR_INTERRUPTS();
		if (mr_row_in_var(e, var, row) && n-- == 0)
			return row;
	}
	return -1;
}

/* The row a navigation Param reads, or -1 if there is none. */
static int64
mr_nav_row(MrExprs *e, MrParam *p)
{
	int64		lo,
				hi,
				base;

	mr_visible_rows(e, p->final, &lo, &hi);
	base = mr_nth_row(e, p->var, lo, hi, p->logical == MR_NAV_FIRST, p->loffset);
	if (base < 0 || p->physical == MR_NAV_NONE)
		return base;
	if (p->physical == MR_NAV_PREV)
		return p->poffset > base ? -1 : base - p->poffset;
	if (p->poffset >= e->view->known_rows - base)
		return -1;
	return base + p->poffset;
}

/* -------------------------------------------------------------- levels */

MrLevel *
mr_level_enter(MrExprs *e)
{
	if (e->depth + 1 >= MR_MAX_LEVELS)
		elog(ERROR, "MATCH_RECOGNIZE expressions nested too deeply");
	e->depth++;
	return &e->levels[e->depth];
}

void
mr_level_leave(MrExprs *e)
{
	e->depth--;
}

/*
 * Make row the level's row; with need_slot, also read it into the
 * level's slot (false if the driver no longer holds it).
 */
bool
mr_level_load(MrExprs *e, MrLevel *level, int64 row, bool need_slot)
{
	bool		found;

	level->row = row;
	if (!level->econtext->ecxt_per_tuple_memory->isReset)
		ResetExprContext(level->econtext);
	level->econtext->ecxt_scantuple = level->slot;
	if (!need_slot)
		return true;
	if (row == e->cur_row && e->cur_slot != NULL)
	{
		level->econtext->ecxt_scantuple = e->cur_slot;
		return true;
	}
	/* the slot may still hold that row (several conditions at one row) */
	if (row >= 0 && level->loaded_row == row && level->loaded_epoch == e->rows_epoch)
		return true;
	found = row >= 0 && e->fetch(e->fetch_arg, row, level->slot);
	level->loaded_row = found ? row : -1;
	level->loaded_epoch = e->rows_epoch;
	return found;
}

/* The driver's rows moved (spilled, reset): reload slots. */
void
mr_exprs_rows_moved(MrExprs *e)
{
	e->rows_epoch++;
}

void
mr_exprs_set_fetch_value(MrExprs *e, MrFetchValue fetch_value)
{
	e->fetch_value = fetch_value;
}

void
mr_exprs_set_current(MrExprs *e, int64 row, TupleTableSlot *slot)
{
	e->cur_row = slot != NULL ? row : -1;
	e->cur_slot = slot;
}

/* ------------------------------------------------------------- Params */

/*
 * Column attno of row, read where the row is held as it is (the driver's
 * current slot or its row store), without a slot; false if it is not.
 */
static bool
mr_held_column(MrExprs *e, int64 row, AttrNumber attno, Datum *value, bool *isnull)
{
	if (row == e->cur_row && e->cur_slot != NULL)
	{
		*value = slot_getattr(e->cur_slot, attno, isnull);
		return true;
	}
	return e->fetch_value != NULL && e->fetch_value(e->fetch_arg, row, attno, value, isnull);
}

static Datum
mr_nav_value(MrExprs *e, MrParam *p, bool *isnull)
{
	int64		row = mr_nav_row(e, p);
	Datum		value = (Datum) 0;

	*isnull = true;
	if (row < 0)
		return (Datum) 0;
	if (p->arg_attno <= 0 || !mr_held_column(e, row, p->arg_attno, &value, isnull))
	{
		MrLevel    *level = mr_level_enter(e);

		if (mr_level_load(e, level, row, p->arg_scan))
			value = ExecEvalExprSwitchContext(p->arg, level->econtext, isnull);
		mr_level_leave(e);
	}
	if (*isnull)
		return (Datum) 0;
	return datumCopy(value, p->typbyval, p->typlen);
}

Datum
mr_param_value(MrExprs *e, MrParam *p, bool *isnull)
{
	const MrMatchView *m = e->view;
	int			label;

	*isnull = false;
	switch (p->kind)
	{
		case MRP_NAV:
			return mr_nav_value(e, p, isnull);
		case MRP_AGG:
			return mr_agg_value(e, p, isnull);
		case MRP_CLASSIFIER:
			label = mr_label_at(e, e->levels[e->depth].row);
			*isnull = label < 0;
			return label < 0 ? (Datum) 0 : e->vars[label].label;
		case MRP_MATCH_NUMBER:
			return Int64GetDatum(m->match_number);
		case MRP_MATCH_STATUS:
			return m->timeout ? e->status_timeout : e->status_match;
		case MRP_MATCH_DEADLINE:
			*isnull = !m->timeout;
			return m->timeout ? TimestampTzGetDatum(m->deadline) : (Datum) 0;
	}
	elog(ERROR, "unexpected MATCH_RECOGNIZE parameter kind %d", (int) p->kind);
	return (Datum) 0;			/* keep compiler quiet */
}

/* EEOP_PARAM_CALLBACK step of every Param (mr_expr.c compiles them). */
void
mr_param_step(ExprState *state, ExprEvalStep *op, ExprContext *econtext)
{
	MrParam    *p = (MrParam *) op->d.cparam.paramarg;

	*op->resvalue = mr_param_value(p->owner, p, op->resnull);
}

/* -------------------------------------------------------- entry points */

static void
mr_eval_errcb(void *arg)
{
	errcontext("%s", (const char *) arg);
}

/* Evaluate c at the view's current row (level 0). */
static Datum
mr_eval(MrExprs *e, MrCompiled *c, const MrMatchView *m, bool in_define, bool *isnull)
{
	MrLevel    *level = &e->levels[0];
	ErrorContextCallback errcb;
	Datum		value;

	errcb.callback = mr_eval_errcb;
	errcb.arg = c->what;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	e->view = m;
	e->in_define = in_define;
	e->depth = 0;
	if (!mr_level_load(e, level, m->current, c->uses_scan))
	{
		ExecStoreAllNullTuple(level->slot);
		level->loaded_row = -1;
	}
	value = ExecEvalExprSwitchContext(c->state, level->econtext, isnull);

	error_context_stack = errcb.previous;
	return value;
}

bool
mr_exprs_define(MrExprs *e, int var, const MrMatchView *m)
{
	MrCompiled *c;
	bool		isnull;
	Datum		value;

	Assert(var >= 0 && var < e->nprimary);
	c = e->defines[var];
	if (c == NULL)
		return true;
	value = mr_eval(e, c, m, true, &isnull);
	return !isnull && DatumGetBool(value);
}

bool
mr_exprs_has_define(const MrExprs *e, int var)
{
	Assert(var >= 0 && var < e->nprimary);
	return e->defines[var] != NULL;
}

Datum
mr_exprs_measure(MrExprs *e, int i, const MrMatchView *m, bool *isnull)
{
	MrCompiled *c;
	Datum		value;

	Assert(i >= 0 && i < e->nmeasures);
	c = &e->measures[i];
	value = mr_eval(e, c, m, false, isnull);
	if (*isnull)
		return (Datum) 0;
	return datumCopy(value, c->typbyval, c->typlen);
}
