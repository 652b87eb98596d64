/*-------------------------------------------------------------------------
 *
 * mr_pattern.c
 *	  Compile a MATCH_RECOGNIZE pattern to a program (mr_pattern.h) and run
 *	  it over a partition of DEFINE-result bitmaps with either matcher.
 *
 * Search.  A search from row r finds the leftmost start row s >= r from
 * which the pattern matches, and for that s the most preferred match
 * (SQL:2016 preferment: the first one a depth-first, left-to-right
 * backtracking engine finds).
 *
 * The linear matcher runs all start rows in one pass, as RE2 does for an
 * unanchored leftmost-first search: a list of threads (pc, start row,
 * label history) ordered by preference, earlier start rows first; a new
 * start thread enters each row at the lowest priority until a match is
 * recorded.  Non-consuming instructions are followed depth-first with an
 * explicit stack, preferred branch first.  A thread reaching DONE records
 * its match and ends every less preferred thread; more preferred ones run
 * on and replace it if they complete.  Pruning by thread equivalence: at
 * each row, only the first (most preferred) thread to reach an instruction
 * survives.  With conditions on the current row only, two threads at the
 * same instruction have the same futures, so this is exact, bounds the
 * list by the program size (O(rows x program) per search) and cuts empty
 * loops such as ()* or (A*)*.  Label histories are shared linked lists in
 * an arena that is compacted (mark and slide) when it grows.
 *
 * The backtracking matcher tries start rows one by one and explores the
 * program recursively; a non-consuming instruction met again at the same
 * row on the current path is a cycle and fails.  This equals the linear
 * matcher's pruning (a state that was reached before either is on the
 * path or has failed) and is the simple reference for the property test.
 *
 * Driver.  After a match, AFTER MATCH SKIP gives the next search row; an
 * empty match resumes at its start row + 1.  Rows that fail as start rows
 * and lie in no earlier non-empty match are unmatched rows.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/memutils.h"

#include "mr_pattern.h"

/* -------------------------------------------------------------- compiler */

typedef struct MrCompiler
{
	MrInstr    *code;
	int			n;
	int			cap;
} MrCompiler;

static int64
sat_add(int64 a, int64 b)
{
	return Min(a + b, (int64) MR_MAX_PROGRAM + 1);
}

static int64
sat_mul(int64 a, int64 b)
{
	if (a == 0 || b == 0)
		return 0;
	if (a > ((int64) MR_MAX_PROGRAM + 1) / b)
		return (int64) MR_MAX_PROGRAM + 1;
	return Min(a * b, (int64) MR_MAX_PROGRAM + 1);
}

/* Instructions a node compiles to, saturated at MR_MAX_PROGRAM + 1. */
static int64
node_size(const MrNode *n)
{
	int64		sum = 0;
	int			i;

	check_stack_depth();
	switch (n->kind)
	{
		case MR_NODE_VAR:
		case MR_NODE_ANCHOR_START:
		case MR_NODE_ANCHOR_END:
			return 1;
		case MR_NODE_EMPTY:
			return 0;
		case MR_NODE_EXCLUDE:
			return node_size(n->children[0]);
		case MR_NODE_CONCAT:
			for (i = 0; i < n->nchildren; i++)
				sum = sat_add(sum, node_size(n->children[i]));
			return sum;
		case MR_NODE_ALT:
			for (i = 0; i < n->nchildren; i++)
				sum = sat_add(sum, node_size(n->children[i]));
			return sat_add(sum, 2 * (int64) (n->nchildren - 1));
		case MR_NODE_PERMUTE:
			{
				int64		fact = 1;

				for (i = 0; i < n->nchildren; i++)
				{
					sum = sat_add(sum, node_size(n->children[i]));
					fact = sat_mul(fact, i + 1);
				}
				return sat_add(sat_mul(fact, sum), sat_mul(fact - 1, 2));
			}
		case MR_NODE_QUANT:
			{
				int64		b = node_size(n->children[0]);

				if (n->max < 0)
					return n->min == 0 ? sat_add(b, 2) : sat_add(sat_mul(n->min, b), 1);
				return sat_add(sat_mul(n->max, b), n->max - n->min);
			}
	}
	return 0;
}

static int
emit(MrCompiler *cc, MrOp op)
{
	MrInstr    *ins;

	Assert(cc->n < cc->cap);
	ins = &cc->code[cc->n];
	memset(ins, 0, sizeof(*ins));
	ins->op = op;
	ins->var = -1;
	return cc->n++;
}

static void compile_node(MrCompiler *cc, const MrNode *n, bool excluded);

/* Alternation of k branches: each branch compiled by the callback. */
static void
compile_seq(MrCompiler *cc, MrNode **items, const int *order, int k, bool excluded)
{
	int			i;

	for (i = 0; i < k; i++)
		compile_node(cc, items[order ? order[i] : i], excluded);
}

/* Next permutation in lexicographic order; false after the last. */
static bool
next_permutation(int *a, int k)
{
	int			i = k - 2,
				j,
				t;

	while (i >= 0 && a[i] >= a[i + 1])
		i--;
	if (i < 0)
		return false;
	j = k - 1;
	while (a[j] <= a[i])
		j--;
	t = a[i], a[i] = a[j], a[j] = t;
	for (i++, j = k - 1; i < j; i++, j--)
		t = a[i], a[i] = a[j], a[j] = t;
	return true;
}

static void
compile_node(MrCompiler *cc, const MrNode *n, bool excluded)
{
	int			i;

	check_stack_depth();
	switch (n->kind)
	{
		case MR_NODE_VAR:
			i = emit(cc, MR_OP_LABEL);
			cc->code[i].var = n->var;
			cc->code[i].excluded = excluded;
			break;
		case MR_NODE_EMPTY:
			break;
		case MR_NODE_ANCHOR_START:
			emit(cc, MR_OP_BEGIN);
			break;
		case MR_NODE_ANCHOR_END:
			emit(cc, MR_OP_END);
			break;
		case MR_NODE_EXCLUDE:
			compile_node(cc, n->children[0], true);
			break;
		case MR_NODE_CONCAT:
			compile_seq(cc, n->children, NULL, n->nchildren, excluded);
			break;
		case MR_NODE_ALT:
		case MR_NODE_PERMUTE:
			{
				int		   *order = NULL;
				List	   *jumps = NIL;
				ListCell   *lc;
				bool		more = true;

				if (n->kind == MR_NODE_PERMUTE)
				{
					order = palloc(sizeof(int) * n->nchildren);
					for (i = 0; i < n->nchildren; i++)
						order[i] = i;
				}
				for (i = 0; more; i++)
				{
					int			split = -1;

					if (n->kind == MR_NODE_ALT)
						more = i < n->nchildren - 1;
					else
					{
						/* is there a next permutation? peek with a copy */
						int		   *tmp = palloc(sizeof(int) * n->nchildren);

						memcpy(tmp, order, sizeof(int) * n->nchildren);
						more = next_permutation(tmp, n->nchildren);
						pfree(tmp);
					}
					if (more)
					{
						split = emit(cc, MR_OP_SPLIT);
						cc->code[split].x = cc->n;
					}
					if (n->kind == MR_NODE_ALT)
						compile_node(cc, n->children[i], excluded);
					else
						compile_seq(cc, n->children, order, n->nchildren, excluded);
					if (more)
					{
						jumps = lappend_int(jumps, emit(cc, MR_OP_JUMP));
						cc->code[split].y = cc->n;
						if (n->kind == MR_NODE_PERMUTE)
							next_permutation(order, n->nchildren);
					}
				}
				foreach(lc, jumps)
					cc->code[lfirst_int(lc)].x = cc->n;
				list_free(jumps);
			}
			break;
		case MR_NODE_QUANT:
			{
				const MrNode *body = n->children[0];

				if (n->max < 0 && n->min == 0)
				{
					/* L: split body, exit; body; jump L */
					int			split = emit(cc, MR_OP_SPLIT);
					int			jump;

					compile_node(cc, body, excluded);
					jump = emit(cc, MR_OP_JUMP);
					cc->code[jump].x = split;
					cc->code[split].x = n->greedy ? split + 1 : cc->n;
					cc->code[split].y = n->greedy ? cc->n : split + 1;
				}
				else if (n->max < 0)
				{
					/* min copies, the last one looping back */
					int			last;
					int			split;

					for (i = 0; i < n->min - 1; i++)
						compile_node(cc, body, excluded);
					last = cc->n;
					compile_node(cc, body, excluded);
					split = emit(cc, MR_OP_SPLIT);
					cc->code[split].x = n->greedy ? last : cc->n;
					cc->code[split].y = n->greedy ? cc->n : last;
				}
				else
				{
					int			nopt = n->max - n->min;
					int		   *splits = palloc(sizeof(int) * Max(nopt, 1));

					for (i = 0; i < n->min; i++)
						compile_node(cc, body, excluded);
					for (i = 0; i < nopt; i++)
					{
						splits[i] = emit(cc, MR_OP_SPLIT);
						compile_node(cc, body, excluded);
					}
					/* exit of every optional copy: after the last one */
					for (i = 0; i < nopt; i++)
					{
						cc->code[splits[i]].x = n->greedy ? splits[i] + 1 : cc->n;
						cc->code[splits[i]].y = n->greedy ? cc->n : splits[i] + 1;
					}
					pfree(splits);
				}
			}
			break;
	}
}

MrProgram *
mr_compile_pattern(const MrClause *clause)
{
	MrCompiler	cc;
	MrProgram  *prog = palloc(sizeof(MrProgram));
	int64		size = node_size(clause->pattern);

	if (size + 1 > MR_MAX_PROGRAM)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("PATTERN of MATCH_RECOGNIZE clause is too large"),
				 errdetail("It compiles to more than %d instructions (quantifier bounds and PERMUTE multiply its size).",
						   MR_MAX_PROGRAM)));
	cc.cap = (int) size + 1;
	cc.n = 0;
	cc.code = palloc_extended(sizeof(MrInstr) * cc.cap, MCXT_ALLOC_HUGE);
	compile_node(&cc, clause->pattern, false);
	emit(&cc, MR_OP_DONE);
	Assert(cc.n == cc.cap);
	prog->ninstr = cc.n;
	prog->instr = cc.code;
	return prog;
}

char *
mr_instr_text(const MrClause *clause, const MrProgram *prog, int pc)
{
	const MrInstr *ins = &prog->instr[pc];

	switch ((MrOp) ins->op)
	{
		case MR_OP_LABEL:
			return psprintf("label %s%s", clause->vars[ins->var].label,
							ins->excluded ? " (excluded)" : "");
		case MR_OP_SPLIT:
			return psprintf("split %d, %d", ins->x, ins->y);
		case MR_OP_JUMP:
			return psprintf("jump %d", ins->x);
		case MR_OP_BEGIN:
			return pstrdup("begin ^");
		case MR_OP_END:
			return pstrdup("end $");
		case MR_OP_DONE:
			return pstrdup("done");
	}
	return pstrdup("?");
}

/* ------------------------------------------------------------- a match */

/* One found match: rows [start, end) with their labels (var, excluded). */
typedef struct MrFound
{
	bool		found;
	int			start;
	int			end;
	int32	   *vars;			/* end - start entries */
	bool	   *excluded;
} MrFound;

/* ------------------------------------------------------- linear matcher */

typedef struct MrHist
{
	int32		prev;			/* -1: none */
	int32		var;			/* var * 2 + excluded */
} MrHist;

typedef struct MrThread
{
	int32		pc;
	int32		start;
	int32		hist;
} MrThread;

typedef struct MrPike
{
	const MrProgram *prog;
	const MrRows *rows;
	uint64		stamp;
	uint64	   *mark;			/* per pc: stamp of the step that reached it */
	int		   *stack;
	MrThread   *clist;
	MrThread   *nlist;
	int			nc;
	int			nn;
	MrHist	   *hist;
	int64		nhist;
	int64		histcap;
	int64		compact_at;
	/* best match so far */
	bool		found;
	int32		best_start;
	int32		best_end;
	int32		best_hist;
} MrPike;

#define MR_HIST_MIN_COMPACT	(1 << 20)
#define MR_HIST_MAX			(INT64CONST(1) << 28)

static int32
hist_push(MrPike *vm, int32 prev, int var, bool excluded)
{
	if (vm->nhist >= vm->histcap)
	{
		vm->histcap *= 2;
		if (vm->histcap > MR_HIST_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("MATCH_RECOGNIZE matcher holds too many partial matches")));
		vm->hist = repalloc_huge(vm->hist, sizeof(MrHist) * vm->histcap);
	}
	vm->hist[vm->nhist].prev = prev;
	vm->hist[vm->nhist].var = var * 2 + (excluded ? 1 : 0);
	return (int32) vm->nhist++;
}

/*
 * Mark the histories reachable from the current threads (vm->clist) and
 * the best match, slide them down, and renumber.  prev < self always, so
 * one forward pass renumbers.
 */
static void
hist_compact(MrPike *vm)
{
	int32	   *newidx = palloc_extended(sizeof(int32) * vm->nhist, MCXT_ALLOC_HUGE);
	int64		i,
				n = 0;
	int			t;

	for (i = 0; i < vm->nhist; i++)
		newidx[i] = -2;			/* unmarked */
	for (t = -1; t < vm->nc; t++)
	{
		int32		h = (t < 0) ? (vm->found ? vm->best_hist : -1) : vm->clist[t].hist;

		while (h >= 0 && newidx[h] == -2)
		{
			newidx[h] = -1;		/* marked */
			h = vm->hist[h].prev;
		}
	}
	for (i = 0; i < vm->nhist; i++)
	{
		if (newidx[i] == -2)
			continue;
		newidx[i] = (int32) n;
		vm->hist[n].var = vm->hist[i].var;
		vm->hist[n].prev = vm->hist[i].prev < 0 ? -1 : newidx[vm->hist[i].prev];
		n++;
	}
	for (t = 0; t < vm->nc; t++)
		if (vm->clist[t].hist >= 0)
			vm->clist[t].hist = newidx[vm->clist[t].hist];
	if (vm->found && vm->best_hist >= 0)
		vm->best_hist = newidx[vm->best_hist];
	vm->nhist = n;
	vm->compact_at = Max(MR_HIST_MIN_COMPACT, 4 * n);
	pfree(newidx);
}

/*
 * Add a thread at pc for row position pos (non-consuming instructions
 * followed depth-first, preferred branch first) to vm->nlist.  Returns true
 * if it reached DONE: the match is recorded and every less preferred
 * alternative, here and in the caller, is dropped.
 */
static bool
pike_add(MrPike *vm, int pc0, int pos, int32 start, int32 hist)
{
	const MrInstr *code = vm->prog->instr;
	int			sp = 0;

	vm->stack[sp++] = pc0;
	while (sp > 0)
	{
		int			pc = vm->stack[--sp];
		const MrInstr *ins = &code[pc];

		if (vm->mark[pc] == vm->stamp)
			continue;			/* a more preferred thread got here first */
		vm->mark[pc] = vm->stamp;
		switch ((MrOp) ins->op)
		{
			case MR_OP_LABEL:
				vm->nlist[vm->nn].pc = pc;
				vm->nlist[vm->nn].start = start;
				vm->nlist[vm->nn].hist = hist;
				vm->nn++;
				break;
			case MR_OP_SPLIT:
				vm->stack[sp++] = ins->y;
				vm->stack[sp++] = ins->x;
				break;
			case MR_OP_JUMP:
				vm->stack[sp++] = ins->x;
				break;
			case MR_OP_BEGIN:
				if (pos == 0)
					vm->stack[sp++] = pc + 1;
				break;
			case MR_OP_END:
				if (pos == vm->rows->nrows)
					vm->stack[sp++] = pc + 1;
				break;
			case MR_OP_DONE:
				vm->found = true;
				vm->best_start = start;
				vm->best_end = pos;
				vm->best_hist = hist;
				return true;
		}
	}
	return false;
}

static void
pike_init(MrPike *vm, const MrProgram *prog, const MrRows *rows)
{
	int			n = prog->ninstr;

	memset(vm, 0, sizeof(*vm));
	vm->prog = prog;
	vm->rows = rows;
	vm->mark = palloc_extended(sizeof(uint64) * n, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	vm->stack = palloc_extended(sizeof(int) * (2 * (size_t) n + 2), MCXT_ALLOC_HUGE);
	vm->clist = palloc_extended(sizeof(MrThread) * n, MCXT_ALLOC_HUGE);
	vm->nlist = palloc_extended(sizeof(MrThread) * n, MCXT_ALLOC_HUGE);
	vm->histcap = 1024;
	vm->hist = palloc(sizeof(MrHist) * vm->histcap);
	vm->compact_at = MR_HIST_MIN_COMPACT;
}

static void
pike_swap(MrPike *vm)
{
	MrThread   *t = vm->clist;

	vm->clist = vm->nlist;
	vm->nlist = t;
	vm->nc = vm->nn;
	vm->nn = 0;
}

/* Leftmost-first search from row r (see the file header). */
static void
pike_find(MrPike *vm, int r, MrFound *out)
{
	const MrRows *rows = vm->rows;
	const MrInstr *code = vm->prog->instr;
	int			pos = r;

	vm->found = false;
	vm->nhist = 0;
	vm->nc = vm->nn = 0;
	vm->stamp++;
	if (pos < rows->nrows)
		pike_add(vm, 0, pos, pos, -1);
	pike_swap(vm);

	while (pos < rows->nrows && (vm->nc > 0 || !vm->found))
	{
		int			t;

		CHECK_FOR_INTERRUPTS();
		vm->stamp++;
		for (t = 0; t < vm->nc; t++)
		{
			const MrThread *th = &vm->clist[t];
			const MrInstr *ins = &code[th->pc];

			if (mr_row_has(rows, pos, ins->var))
			{
				int32		h = hist_push(vm, th->hist, ins->var, ins->excluded);

				if (pike_add(vm, th->pc + 1, pos + 1, th->start, h))
					break;		/* less preferred threads end here */
			}
		}
		pos++;
		/* a new start row, least preferred, while nothing matched */
		if (!vm->found && pos < rows->nrows)
			pike_add(vm, 0, pos, pos, -1);
		pike_swap(vm);
		if (vm->nhist >= vm->compact_at)
			hist_compact(vm);
	}

	out->found = vm->found;
	if (vm->found)
	{
		int			len = vm->best_end - vm->best_start;
		int32		h = vm->best_hist;
		int			i;

		out->start = vm->best_start;
		out->end = vm->best_end;
		out->vars = palloc(sizeof(int32) * Max(len, 1));
		out->excluded = palloc(sizeof(bool) * Max(len, 1));
		for (i = len - 1; i >= 0; i--)
		{
			Assert(h >= 0);
			out->vars[i] = vm->hist[h].var / 2;
			out->excluded[i] = vm->hist[h].var & 1;
			h = vm->hist[h].prev;
		}
	}
}

/* -------------------------------------------------- backtracking matcher */

typedef struct MrBt
{
	const MrProgram *prog;
	const MrRows *rows;
	int32	   *vars;			/* per row of the partition */
	bool	   *excluded;
	int		   *onpath;			/* per pc: row + 1 while on the current path */
	int64		steps;
	int			end;
} MrBt;

static bool
bt(MrBt *b, int pc, int pos)
{
	const MrInstr *ins = &b->prog->instr[pc];
	int			old;
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
			if (pos < b->rows->nrows && mr_row_has(b->rows, pos, ins->var))
			{
				b->vars[pos] = ins->var;
				b->excluded[pos] = ins->excluded;
				return bt(b, pc + 1, pos + 1);
			}
			return false;
		case MR_OP_DONE:
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
			r = pos == b->rows->nrows && bt(b, pc + 1, pos);
			break;
		default:
			break;
	}
	b->onpath[pc] = old;
	return r;
}

static void
bt_find(MrBt *b, int r, MrFound *out)
{
	int			s;

	out->found = false;
	for (s = r; s < b->rows->nrows; s++)
	{
		if (bt(b, 0, s))
		{
			int			len = b->end - s;

			out->found = true;
			out->start = s;
			out->end = b->end;
			out->vars = palloc(sizeof(int32) * Max(len, 1));
			out->excluded = palloc(sizeof(bool) * Max(len, 1));
			memcpy(out->vars, b->vars + s, sizeof(int32) * len);
			memcpy(out->excluded, b->excluded + s, sizeof(bool) * len);
			return;
		}
	}
}

/* ---------------------------------------------------------------- driver */

static bool
var_matches(const MrClause *c, int target, int var)
{
	int			i;

	if (target < c->nprimary)
		return var == target;
	for (i = 0; i < c->vars[target].nmembers; i++)
		if (c->vars[target].members[i] == var)
			return true;
	return false;
}

/* Row to resume at after the non-empty match m (AFTER MATCH SKIP). */
static int
skip_target(const MrClause *c, const MrFound *m, int64 match_number)
{
	int			len = m->end - m->start;
	int			i,
				row = -1;

	switch (c->skip)
	{
		case MR_SKIP_PAST_LAST_ROW:
			return m->end;
		case MR_SKIP_TO_NEXT_ROW:
			return m->start + 1;
		case MR_SKIP_TO_FIRST:
			for (i = 0; i < len && row < 0; i++)
				if (var_matches(c, c->skip_var, m->vars[i]))
					row = m->start + i;
			break;
		case MR_SKIP_TO_LAST:
			for (i = len - 1; i >= 0 && row < 0; i--)
				if (var_matches(c, c->skip_var, m->vars[i]))
					row = m->start + i;
			break;
	}
	if (row < 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("AFTER MATCH SKIP failed: pattern variable \"%s\" is not present in match " INT64_FORMAT,
						c->vars[c->skip_var].label, match_number)));
	if (row == m->start)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("AFTER MATCH SKIP failed: cannot skip to first row of match " INT64_FORMAT,
						match_number)));
	return row;
}

void
mr_run(const MrClause *clause, const MrProgram *prog, const MrRows *rows,
	   MrMatcherKind kind, MrEmitFn emit, void *arg)
{
	MrPike		vm;
	MrBt		b;
	int			r = 0;
	int			covered = 0;	/* rows before this lie in a non-empty match */
	int64		match_number = 0;
	bool		unmatched = clause->rows_per_match == MR_ALL_ROWS_WITH_UNMATCHED;
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "asset_stream pattern matcher",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext oldcxt = MemoryContextSwitchTo(cxt);

	if (kind == MR_MATCHER_LINEAR)
		pike_init(&vm, prog, rows);
	else
	{
		memset(&b, 0, sizeof(b));
		b.prog = prog;
		b.rows = rows;
		b.vars = palloc0(sizeof(int32) * Max(rows->nrows, 1));
		b.excluded = palloc0(sizeof(bool) * Max(rows->nrows, 1));
		b.onpath = palloc_extended(sizeof(int) * prog->ninstr, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	}

	while (r < rows->nrows)
	{
		MrFound		m;
		int			i,
					upto;

		if (kind == MR_MATCHER_LINEAR)
			pike_find(&vm, r, &m);
		else
			bt_find(&b, r, &m);

		/* start rows that failed */
		upto = m.found ? m.start : rows->nrows;
		if (unmatched)
			for (i = Max(r, covered); i < upto; i++)
				emit(arg, 0, i, -1);
		if (!m.found)
			break;

		match_number++;
		if (m.end == m.start)
		{
			if (clause->rows_per_match != MR_ALL_ROWS_OMIT_EMPTY)
				emit(arg, match_number, -1, -1);
			r = m.start + 1;
		}
		else
		{
			if (clause->rows_per_match == MR_ONE_ROW)
				emit(arg, match_number, m.end - 1, m.vars[m.end - m.start - 1]);
			else
				for (i = m.start; i < m.end; i++)
					if (!m.excluded[i - m.start])
						emit(arg, match_number, i, m.vars[i - m.start]);
			covered = Max(covered, m.end);
			r = skip_target(clause, &m, match_number);
		}
		pfree(m.vars);
		pfree(m.excluded);
	}

	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(cxt);
}
