/*-------------------------------------------------------------------------
 *
 * mr_backtrack.c
 *	  The reference MATCH_RECOGNIZE matcher (mr_backtrack_partition in
 *	  mr_matcher.h): depth-first backtracking over a whole partition, with
 *	  the push matcher's hooks and results, for the property tests.
 *
 * Search.  From the search row r, start rows s = r, r + 1, ... are tried
 * in turn; from s the program is explored recursively in preference order
 * (SPLIT: x first), so the first match found is the most preferred one
 * (SQL:2016).  The define hook sees the labels of the current path.  A
 * non-consuming instruction met again at the same row on the current path
 * is a cycle and fails: the empty-iteration rule, which equals the thread
 * list's pruning (a state reached before either is on the path or has
 * failed).  WITHIN: a LABEL may not take a row `within` or more after the
 * start row.  Exponential in the worst case: check_stack_depth() and a step
 * limit (54000) guard it.
 *
 * Event-time extensions (mr_backtrack_reference), stated without threads
 * so that the push matcher can be checked against them: a match that
 * reaches DONE with FOLLOWED BY NO is accepted if no qualifying row comes
 * before last + interval and time reaches it (a later row or the final
 * watermark), otherwise the search backtracks into less preferred paths.
 * With EMIT TIMEOUTS, the first path (in preference order) that waits at a
 * LABEL when its start row's deadline comes (the next row is too late, or
 * the input ended and the watermark reached the deadline) is the start
 * row's timed-out partial match; it is the result if the start row has no
 * accepted match.  A path that went past `$` waits for nothing and is not
 * one.  The search takes the leftmost start row with either.
 *
 * Driver.  After a match, AFTER MATCH SKIP gives the next search row; an
 * empty match resumes at its start row + 1.  Rows that fail as start rows
 * and lie in no earlier non-empty match are unmatched rows.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/int.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "mr_matcher.h"

typedef struct MrBt
{
	const MrProgram *prog;
	const MrMatcherHooks *hooks;
	int64		nrows;
	const int64 *times;			/* with WITHIN or FOLLOWED BY NO */
	int64		watermark;		/* event time is complete up to this */
	bool		has_within;
	int64		within;
	bool		emit_timeouts;
	bool		has_absence;
	int			absent_var;
	int64		absent_for;
	int64		deadline;		/* WITHIN: time of the start row + within */
	int64		start;
	int64		match_number;	/* the number the match would get */
	int32	   *vars;			/* per row: the path's labels */
	bool	   *excluded;
	int64	   *onpath;			/* per pc: row + 1 while on the path */
	int64		steps;
	bool		past_end;		/* the path went past `$` */
	bool		matched;		/* bt_find found an accepted match ... */
	int64		end;			/* ... ending before this row */
	/* EMIT TIMEOUTS: the start row's timed-out partial match, if found */
	bool		has_cand;
	int64		cand_end;
	int32	   *cand_vars;
	bool	   *cand_excluded;
} MrBt;

/*
 * A path waits at a LABEL at row pos when its start row's deadline comes:
 * with EMIT TIMEOUTS, the first such path is the timed-out partial match.
 */
static void
bt_timeout_candidate(MrBt *b, int64 pos)
{
	int64		len = pos - b->start;

	if (!b->emit_timeouts || b->has_cand || b->past_end)
		return;
	if (pos < b->nrows ? b->times[pos] < b->deadline : b->watermark < b->deadline)
		return;
	b->has_cand = true;
	b->cand_end = pos;
	memcpy(b->cand_vars + b->start, b->vars + b->start, sizeof(int32) * len);
	memcpy(b->cand_excluded + b->start, b->excluded + b->start, sizeof(bool) * len);
}

/* Can the path take row pos as var? */
static bool
bt_label(MrBt *b, int var, int64 pos)
{
	if (b->has_within)
		bt_timeout_candidate(b, pos);
	if (pos >= b->nrows)
		return false;
	if (b->has_within && b->times[pos] >= b->deadline)
		return false;
	return b->hooks->define(b->hooks->arg, var, pos, b->start, b->vars + b->start,
							b->match_number);
}

/*
 * FOLLOWED BY NO: is the match ending before row `end` accepted (no
 * qualifying row before its last row's time + interval, and time gets
 * there)?
 */
static bool
bt_absence_holds(MrBt *b, int64 end)
{
	int64		due = mr_time_add(b->times[end - 1], b->absent_for);
	int64		k;

	for (k = end; k < b->nrows; k++)
	{
		if (b->times[k] >= due)
			return true;
		if (b->absent_var < 0 ||
			b->hooks->define(b->hooks->arg, b->absent_var, k, k, b->vars + k,
							 b->match_number))
			return false;
	}
	return b->watermark >= due;
}

static bool
bt(MrBt *b, int pc, int64 pos)
{
	const MrInstr *ins = &b->prog->instr[pc];
	int64		old;
	bool		r = false;

	check_stack_depth();
	if (++b->steps > MR_BT_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("backtracking MATCH_RECOGNIZE matcher exceeded " INT64_FORMAT " steps",
						MR_BT_MAX_STEPS)));
	if ((b->steps & 0xffff) == 0)
		CHECK_FOR_INTERRUPTS();

	switch ((MrOp) ins->op)
	{
		case MR_OP_LABEL:
			if (!bt_label(b, ins->var, pos))
				return false;
			b->vars[pos] = ins->var;
			b->excluded[pos] = ins->excluded;
			return bt(b, pc + 1, pos + 1);
		case MR_OP_DONE:
			if (b->has_absence && pos > b->start && !bt_absence_holds(b, pos))
				return false;
			b->end = pos;
			return true;
		default:
			break;
	}
	/* non-consuming: a cycle back to pc at the same row fails */
	if (b->onpath[pc] == pos + 1)
		return false;
	old = b->onpath[pc];
	b->onpath[pc] = pos + 1;
	switch ((MrOp) ins->op)
	{
		case MR_OP_SPLIT:
			r = bt(b, ins->x, pos) || bt(b, ins->y, pos);
			break;
		case MR_OP_JUMP:
			r = bt(b, ins->x, pos);
			break;
		case MR_OP_BEGIN:
			r = pos == 0 && bt(b, pc + 1, pos);
			break;
		case MR_OP_END:
			if (pos == b->nrows)
			{
				bool		was = b->past_end;

				b->past_end = true;
				r = bt(b, pc + 1, pos);
				b->past_end = was;
			}
			break;
		default:
			break;
	}
	b->onpath[pc] = old;
	return r;
}

/*
 * The leftmost start row >= r with an accepted match (b->matched, b->end)
 * or else a timed-out partial match (b->has_cand), or -1.
 */
static int64
bt_find(MrBt *b, int64 r)
{
	int64		s;

	for (s = r; s < b->nrows; s++)
	{
		b->start = s;
		b->has_cand = false;
		if (b->has_within)
			b->deadline = mr_time_add(b->times[s], b->within);
		b->matched = bt(b, 0, s);
		if (b->matched || b->has_cand)
			return s;
	}
	return -1;
}

static void
bt_emit(MrBt *b, MrResultKind kind, int64 match_number, int64 start, int64 end,
		const int32 *vars, const bool *excluded)
{
	MrResult	res;

	res.kind = kind;
	res.match_number = match_number;
	res.start = start;
	res.end = end;
	res.vars = vars;
	res.excluded = excluded;
	res.deadline = kind == MR_RESULT_TIMEOUT ? b->deadline : 0;
	b->hooks->emit(b->hooks->arg, &res);
}

static void
bt_setup(MrBt *b, const MrClause *clause, const MrProgram *prog, int64 nrows,
		 const int64 *times, int64 watermark, const MrMatcherHooks *hooks)
{
	memset(b, 0, sizeof(*b));
	b->prog = prog;
	b->hooks = hooks;
	b->nrows = nrows;
	b->times = times;
	b->watermark = watermark;
	b->has_within = clause->has_within;
	b->emit_timeouts = clause->has_within && clause->emit_timeouts;
	b->has_absence = clause->has_absence;
	if ((b->has_within || b->has_absence) && times == NULL)
		elog(ERROR, "MATCH_RECOGNIZE backtracker: WITHIN and FOLLOWED BY NO need the rows' times");
	if (b->has_within)
		b->within = mr_interval_usecs(&clause->within);
	if (b->has_absence)
	{
		b->absent_var = clause->absent_var;
		b->absent_for = mr_interval_usecs(&clause->absent_for);
	}
	b->vars = palloc_extended(sizeof(int32) * Max(nrows, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	b->excluded = palloc_extended(sizeof(bool) * Max(nrows, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	b->cand_vars = palloc_extended(sizeof(int32) * Max(nrows, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	b->cand_excluded = palloc_extended(sizeof(bool) * Max(nrows, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	b->onpath = palloc_extended(sizeof(int64) * prog->ninstr, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
}

void
mr_backtrack_reference(const MrClause *clause, const MrProgram *prog,
					   int64 nrows, const int64 *times, int64 watermark,
					   const MrMatcherHooks *hooks)
{
	MrBt		b;
	int64		r = 0;
	int64		covered = 0;	/* rows before this lie in a non-empty match */
	int64		match_number = 0;
	bool		unmatched = clause->rows_per_match == MR_ALL_ROWS_WITH_UNMATCHED;
	int32		none = -1;
	bool		no_excl = false;
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "asset_stream backtracking matcher",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext oldcxt = MemoryContextSwitchTo(cxt);

	bt_setup(&b, clause, prog, nrows, times, watermark, hooks);
	MemoryContextSwitchTo(oldcxt);

	while (r < nrows)
	{
		int64		s,
					i,
					upto,
					end;
		const int32 *vars;

		b.match_number = match_number + 1;
		s = bt_find(&b, r);

		/* start rows that failed */
		upto = s >= 0 ? s : nrows;
		if (unmatched)
			for (i = Max(r, covered); i < upto; i++)
				bt_emit(&b, MR_RESULT_UNMATCHED, 0, i, i + 1, &none, &no_excl);
		if (s < 0)
			break;

		match_number++;
		if (b.matched)
		{
			end = b.end;
			vars = b.vars + s;
			bt_emit(&b, MR_RESULT_MATCH, match_number, s, end, vars, b.excluded + s);
		}
		else
		{
			end = b.cand_end;
			vars = b.cand_vars + s;
			bt_emit(&b, MR_RESULT_TIMEOUT, match_number, s, end, vars, b.cand_excluded + s);
		}
		if (end == s)
			r = s + 1;
		else
		{
			covered = Max(covered, end);
			r = mr_skip_target(clause, s, end, vars, match_number);
		}
	}

	MemoryContextDelete(cxt);
}

void
mr_backtrack_partition(const MrClause *clause, const MrProgram *prog,
					   int64 nrows, const int64 *times,
					   const MrMatcherHooks *hooks)
{
	if (clause->emit_timeouts || clause->has_absence)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("the backtracking MATCH_RECOGNIZE matcher does not support EMIT TIMEOUTS or FOLLOWED BY NO")));
	mr_backtrack_reference(clause, prog, nrows, times, PG_INT64_MAX, hooks);
}
