/*-------------------------------------------------------------------------
 *
 * mr_pattern.c
 *	  Compile a MATCH_RECOGNIZE pattern to a program (mr_pattern.h), and
 *	  mr_run(): one partition of DEFINE-result bitmaps through the push
 *	  matcher of mr_matcher.h, with the rows-per-match output of the debug
 *	  functions.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/memutils.h"

#include "mr_matcher.h"
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

/* ---------------------------------------------------------------- mr_run */

typedef struct MrRunState
{
	const MrClause *clause;
	const MrRows *rows;
	MrEmitFn	emit;
	void	   *arg;
} MrRunState;

static bool
run_define(void *arg, int var, int64 row, int64 start, const int32 *labels,
		   int64 match_number)
{
	MrRunState *st = arg;

	return mr_row_has(st->rows, (int) row, var);
}

void
mr_result_rows(const MrClause *clause, const MrResult *r, MrEmitFn emit, void *arg)
{
	MrRowsPerMatch rpm = clause->rows_per_match;
	int64		i;

	if (r->kind == MR_RESULT_UNMATCHED)
		emit(arg, 0, (int) r->start, -1);
	else if (r->end == r->start)
	{
		if (rpm != MR_ALL_ROWS_OMIT_EMPTY)
			emit(arg, r->match_number, -1, -1);
	}
	else if (rpm == MR_ONE_ROW)
		emit(arg, r->match_number, (int) r->end - 1, r->vars[r->end - r->start - 1]);
	else
		for (i = r->start; i < r->end; i++)
			if (!r->excluded[i - r->start])
				emit(arg, r->match_number, (int) i, r->vars[i - r->start]);
}

static void
run_emit(void *arg, const MrResult *r)
{
	MrRunState *st = arg;

	mr_result_rows(st->clause, r, st->emit, st->arg);
}

void
mr_run(const MrClause *clause, const MrProgram *prog, const MrRows *rows,
	   MrEmitFn emit, void *arg)
{
	MrClause	plain = *clause;
	MrRunState	st;
	MrMatcherHooks hooks;
	MrMatcher  *m;
	int			i;

	/* no times here: the event-time extensions do not apply */
	plain.has_within = false;
	plain.emit_timeouts = false;
	plain.has_absence = false;
	st.clause = &plain;
	st.rows = rows;
	st.emit = emit;
	st.arg = arg;
	hooks.define = run_define;
	hooks.emit = run_emit;
	hooks.arg = &st;

	m = mr_matcher_create(&plain, prog, true, 0, &hooks);
	for (i = 0; i < rows->nrows; i++)
		mr_matcher_push(m, 0);
	mr_matcher_finish(m, PG_INT64_MAX);
	mr_matcher_free(m);
}
