/*-------------------------------------------------------------------------
 *
 * mr_parse.c
 *	  A hand-written recursive-descent parser for the MATCH_RECOGNIZE
 *	  clause (mr_clause.h), with the semantic checks that need no catalog.
 *
 * The clause language is small; the expressions in it are not parsed here,
 * only delimited by the scanner (mr_lex.c), which also notes qualified
 * names in expressions (A.price, A.*) so that references to unknown
 * pattern variables are reported here, with their position.
 *
 * Errors: syntax errors say where (character position in the clause,
 * 1-based) and what was expected (42601); unknown variables are 42703,
 * a primary variable where only a union is valid or the reverse 42809,
 * duplicates 42712 (variables) and 42701 (measure names); limits 54000
 * and 54001.  Recursion is bounded by MR_MAX_DEPTH, and every loop by the
 * length of the clause, so no input can crash or hang the backend.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "mr_parse_int.h"

static MrNode *parse_alt(MrParser *p);

/* ------------------------------------------------------------- variables */

static int
find_var(MrParser *p, const char *name)
{
	ListCell   *lc;

	foreach(lc, p->vars)
	{
		MrVariable *v = lfirst(lc);

		if (strcmp(v->name, name) == 0)
			return foreach_current_index(lc);
	}
	return -1;
}

static char *
make_label(const char *name, bool quoted)
{
	char	   *label = pstrdup(name);
	char	   *q;

	if (!quoted)
		for (q = label; *q; q++)
			if (*q >= 'a' && *q <= 'z')
				*q += 'A' - 'a';
	return label;
}

static int
add_var(MrParser *p, const char *name, bool quoted, int pos)
{
	MrVariable *v;

	if (list_length(p->vars) >= MR_MAX_VARIABLES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many pattern variables in MATCH_RECOGNIZE clause"),
				 errdetail("The limit is %d, reached at position %d.",
						   MR_MAX_VARIABLES, mr_char_position(p->s, pos))));
	v = palloc0(sizeof(MrVariable));
	v->name = pstrdup(name);
	v->label = make_label(name, quoted);
	v->quoted = quoted;
	v->pos = pos;
	v->define = -1;
	p->vars = lappend(p->vars, v);
	return list_length(p->vars) - 1;
}

/* A pattern variable: the existing one of that name, or a new primary. */
static int
pattern_var(MrParser *p, const char *name, bool quoted, int pos)
{
	int			i = find_var(p, name);

	if (i < 0)
		i = add_var(p, name, quoted, pos);
	((MrVariable *) list_nth(p->vars, i))->in_pattern = true;
	return i;
}

/* --------------------------------------------------------------- pattern */

static MrNode *
new_node(MrParser *p, MrNodeKind kind, int pos)
{
	MrNode	   *n = palloc0(sizeof(MrNode));

	if (++p->nnodes > MR_MAX_PATTERN_NODES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("PATTERN of MATCH_RECOGNIZE clause is too long"),
				 errdetail("The limit is %d elements, reached at position %d.",
						   MR_MAX_PATTERN_NODES, mr_char_position(p->s, pos))));
	n->kind = kind;
	n->pos = pos;
	n->var = -1;
	return n;
}

/* Children from a list; nested nodes of the same kind are flattened. */
static void
set_children(MrNode *n, List *items, bool flatten)
{
	ListCell   *lc;
	int			count = 0;

	foreach(lc, items)
	{
		MrNode	   *ch = lfirst(lc);

		count += (flatten && ch->kind == n->kind) ? ch->nchildren : 1;
	}
	n->children = palloc(sizeof(MrNode *) * Max(count, 1));
	n->nchildren = 0;
	foreach(lc, items)
	{
		MrNode	   *ch = lfirst(lc);

		if (flatten && ch->kind == n->kind)
		{
			memcpy(n->children + n->nchildren, ch->children, sizeof(MrNode *) * ch->nchildren);
			n->nchildren += ch->nchildren;
		}
		else
			n->children[n->nchildren++] = ch;
	}
}

#define PRIMARY_EXPECTED "a pattern variable, \"(\", \"^\", \"$\", \"{-\" or PERMUTE"

static bool
starts_primary(const MrToken *tok)
{
	return tok->type == TK_IDENT || tok->type == TK_QIDENT || tok->type == TK_EXCL_OPEN ||
		mr_tok_is_punct(tok, '(') || mr_tok_is_punct(tok, '^') || mr_tok_is_punct(tok, '$');
}

static int
quantifier_bound(MrParser *p, const MrToken *tok)
{
	if (tok->number > MR_MAX_QUANTIFIER)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("quantifier bound in PATTERN of MATCH_RECOGNIZE clause is too large"),
				 errdetail("The limit is %d, exceeded at position %d.",
						   MR_MAX_QUANTIFIER, mr_char_position(p->s, tok->start))));
	return (int) tok->number;
}

static MrNode *
parse_primary(MrParser *p)
{
	MrToken		tok = mr_lex_next(p);
	MrNode	   *n;

	if (mr_tok_is_kw(&tok, "permute"))
	{
		MrToken		t2 = mr_lex_peek(p);

		if (mr_tok_is_punct(&t2, '('))
		{
			List	   *items = NIL;

			mr_lex_next(p);
			n = new_node(p, MR_NODE_PERMUTE, tok.start);
			for (;;)
			{
				items = lappend(items, parse_alt(p));
				t2 = mr_lex_next(p);
				if (mr_tok_is_punct(&t2, ')'))
					break;
				if (!mr_tok_is_punct(&t2, ','))
					mr_syntax_error(p, &t2, "\",\" or \")\"");
			}
			set_children(n, items, false);
			return n;
		}
	}
	if (tok.type == TK_IDENT || tok.type == TK_QIDENT)
	{
		n = new_node(p, MR_NODE_VAR, tok.start);
		n->var = pattern_var(p, tok.ident, tok.type == TK_QIDENT, tok.start);
		return n;
	}
	if (mr_tok_is_punct(&tok, '('))
	{
		MrToken		t2 = mr_lex_peek(p);

		if (mr_tok_is_punct(&t2, ')'))
		{
			mr_lex_next(p);
			return new_node(p, MR_NODE_EMPTY, tok.start);
		}
		n = parse_alt(p);
		mr_lex_expect_punct(p, ')', "\"|\" or \")\"");
		return n;
	}
	if (mr_tok_is_punct(&tok, '^'))
		return new_node(p, MR_NODE_ANCHOR_START, tok.start);
	if (mr_tok_is_punct(&tok, '$'))
		return new_node(p, MR_NODE_ANCHOR_END, tok.start);
	if (tok.type == TK_EXCL_OPEN)
	{
		MrNode	   *inner;

		if (p->exclusion_pos < 0)
			p->exclusion_pos = tok.start;
		inner = parse_alt(p);
		{
			MrToken		t2 = mr_lex_next(p);

			if (t2.type != TK_EXCL_CLOSE)
				mr_syntax_error(p, &t2, "\"|\" or \"-}\"");
		}
		if (inner->kind == MR_NODE_EXCLUDE)
			return inner;		/* nested exclusions collapse */
		n = new_node(p, MR_NODE_EXCLUDE, tok.start);
		n->children = palloc(sizeof(MrNode *));
		n->children[0] = inner;
		n->nchildren = 1;
		return n;
	}
	mr_syntax_error(p, &tok, PRIMARY_EXPECTED);
}

static MrNode *
parse_quantified(MrParser *p)
{
	MrNode	   *prim = parse_primary(p);
	MrToken		tok = mr_lex_peek(p);
	int			min,
				max;
	MrNode	   *q;

	if (mr_tok_is_punct(&tok, '*'))
		min = 0, max = -1;
	else if (mr_tok_is_punct(&tok, '+'))
		min = 1, max = -1;
	else if (mr_tok_is_punct(&tok, '?'))
		min = 0, max = 1;
	else if (mr_tok_is_punct(&tok, '{'))
	{
		MrToken		t;

		mr_lex_next(p);
		t = mr_lex_next(p);
		min = 0;
		max = -1;
		if (t.type == TK_NUMBER)
		{
			min = quantifier_bound(p, &t);
			t = mr_lex_next(p);
			if (mr_tok_is_punct(&t, '}'))
				max = min;
			else if (!mr_tok_is_punct(&t, ','))
				mr_syntax_error(p, &t, "\",\" or \"}\"");
		}
		else if (!mr_tok_is_punct(&t, ','))
			mr_syntax_error(p, &t, "a number or \",\"");
		if (!(max == min && max >= 0))
		{
			/* after the comma: [m] } */
			t = mr_lex_next(p);
			if (t.type == TK_NUMBER)
			{
				max = quantifier_bound(p, &t);
				if (max < min)
					ereport(ERROR,
							(errcode(ERRCODE_SYNTAX_ERROR),
							 errmsg("quantifier lower bound %d is greater than its upper bound %d in PATTERN of MATCH_RECOGNIZE clause",
									min, max),
							 errdetail("At position %d.", mr_char_position(p->s, tok.start))));
				t = mr_lex_next(p);
			}
			if (!mr_tok_is_punct(&t, '}'))
				mr_syntax_error(p, &t, max >= 0 ? "\"}\"" : "a number or \"}\"");
		}
		goto reluctant;
	}
	else
		return prim;
	mr_lex_next(p);
reluctant:
	q = new_node(p, MR_NODE_QUANT, tok.start);
	q->min = min;
	q->max = max;
	q->greedy = true;
	tok = mr_lex_peek(p);
	if (mr_tok_is_punct(&tok, '?'))
	{
		mr_lex_next(p);
		q->greedy = false;
	}
	q->children = palloc(sizeof(MrNode *));
	q->children[0] = prim;
	q->nchildren = 1;
	return q;
}

static MrNode *
parse_concat(MrParser *p)
{
	List	   *items = NIL;
	MrNode	   *n;
	int			pos = -1;

	for (;;)
	{
		MrToken		tok = mr_lex_peek(p);

		if (!starts_primary(&tok))
		{
			if (items == NIL)
				mr_syntax_error(p, &tok, PRIMARY_EXPECTED);
			break;
		}
		if (pos < 0)
			pos = tok.start;
		items = lappend(items, parse_quantified(p));
	}
	if (list_length(items) == 1)
		return linitial(items);
	n = new_node(p, MR_NODE_CONCAT, pos);
	set_children(n, items, true);
	return n;
}

static MrNode *
parse_alt(MrParser *p)
{
	List	   *items = NIL;
	MrNode	   *n;
	MrToken		tok = mr_lex_peek(p);
	int			pos = tok.start;

	check_stack_depth();
	if (++p->depth > MR_MAX_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_STATEMENT_TOO_COMPLEX),
				 errmsg("PATTERN of MATCH_RECOGNIZE clause is nested too deeply"),
				 errdetail("The limit is %d levels, exceeded at position %d.",
						   MR_MAX_DEPTH, mr_char_position(p->s, pos))));
	for (;;)
	{
		items = lappend(items, parse_concat(p));
		tok = mr_lex_peek(p);
		if (!mr_tok_is_punct(&tok, '|'))
			break;
		mr_lex_next(p);
	}
	p->depth--;
	if (list_length(items) == 1)
		return linitial(items);
	n = new_node(p, MR_NODE_ALT, pos);
	set_children(n, items, true);
	return n;
}

/* ------------------------------------------------------------- intervals */

typedef struct MrIntervalErrCtx
{
	MrParser   *p;
	int			pos;
} MrIntervalErrCtx;

static void
interval_errcontext(void *arg)
{
	MrIntervalErrCtx *ctx = arg;

	errcontext("interval at position %d of MATCH_RECOGNIZE clause",
			   mr_char_position(ctx->p->s, ctx->pos));
}

static int
interval_field_mask(const MrToken *tok)
{
	if (mr_tok_is_kw(tok, "year"))
		return INTERVAL_MASK(YEAR);
	if (mr_tok_is_kw(tok, "month"))
		return INTERVAL_MASK(MONTH);
	if (mr_tok_is_kw(tok, "day"))
		return INTERVAL_MASK(DAY);
	if (mr_tok_is_kw(tok, "hour"))
		return INTERVAL_MASK(HOUR);
	if (mr_tok_is_kw(tok, "minute"))
		return INTERVAL_MASK(MINUTE);
	if (mr_tok_is_kw(tok, "second"))
		return INTERVAL_MASK(SECOND);
	return 0;
}

/*
 * [INTERVAL] 'literal' [field [TO field]], PostgreSQL's interval literal
 * syntax; the value must be positive.
 */
static MrInterval
parse_interval(MrParser *p)
{
	MrInterval	iv;
	MrToken		tok = mr_lex_next(p);
	int			start = tok.start;
	int			range = 0;
	int32		typmod = -1;
	char	   *lit;
	ErrorContextCallback cb;
	MrIntervalErrCtx ctx;
	Interval   *val;
	Interval	zero;

	if (mr_tok_is_kw(&tok, "interval"))
		tok = mr_lex_next(p);
	if (tok.type != TK_STRING)
		mr_syntax_error(p, &tok, "an interval literal ('10 minutes' or INTERVAL '10' MINUTE)");
	lit = tok.ident;
	tok = mr_lex_peek(p);
	if ((range = interval_field_mask(&tok)) != 0)
	{
		int			first = range;

		mr_lex_next(p);
		if (mr_lex_peek_kw(p, "to"))
		{
			MrToken		t2;
			int			last;

			mr_lex_next(p);
			t2 = mr_lex_next(p);
			last = interval_field_mask(&t2);
			if (first == INTERVAL_MASK(YEAR) && last == INTERVAL_MASK(MONTH))
				range = first | last;
			else if (first == INTERVAL_MASK(DAY) && last == INTERVAL_MASK(HOUR))
				range = first | last;
			else if (first == INTERVAL_MASK(DAY) && last == INTERVAL_MASK(MINUTE))
				range = INTERVAL_MASK(DAY) | INTERVAL_MASK(HOUR) | INTERVAL_MASK(MINUTE);
			else if (first == INTERVAL_MASK(DAY) && last == INTERVAL_MASK(SECOND))
				range = INTERVAL_MASK(DAY) | INTERVAL_MASK(HOUR) | INTERVAL_MASK(MINUTE) | INTERVAL_MASK(SECOND);
			else if (first == INTERVAL_MASK(HOUR) && last == INTERVAL_MASK(MINUTE))
				range = first | last;
			else if (first == INTERVAL_MASK(HOUR) && last == INTERVAL_MASK(SECOND))
				range = INTERVAL_MASK(HOUR) | INTERVAL_MASK(MINUTE) | INTERVAL_MASK(SECOND);
			else if (first == INTERVAL_MASK(MINUTE) && last == INTERVAL_MASK(SECOND))
				range = first | last;
			else
				mr_syntax_error(p, &t2, "an interval field that follows the first (YEAR TO MONTH, DAY TO HOUR|MINUTE|SECOND, HOUR TO MINUTE|SECOND, MINUTE TO SECOND)");
		}
		typmod = INTERVAL_TYPMOD(INTERVAL_FULL_PRECISION, range);
	}

	ctx.p = p;
	ctx.pos = start;
	cb.callback = interval_errcontext;
	cb.arg = &ctx;
	cb.previous = error_context_stack;
	error_context_stack = &cb;
	val = DatumGetIntervalP(DirectFunctionCall3(interval_in, CStringGetDatum(lit),
												ObjectIdGetDatum(InvalidOid),
												Int32GetDatum(typmod)));
	error_context_stack = cb.previous;

	memset(&zero, 0, sizeof(zero));
	if (!DatumGetBool(DirectFunctionCall2(interval_gt, IntervalPGetDatum(val),
										  IntervalPGetDatum(&zero))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("interval in MATCH_RECOGNIZE clause must be positive"),
				 errdetail("At position %d.", mr_char_position(p->s, start))));
	iv.value = *val;
	iv.expr.start = start;
	iv.expr.end = p->pos;
	iv.expr.text = pnstrdup(p->s + start, p->pos - start);
	return iv;
}

/* ---------------------------------------------------------------- clause */

static void
undefined_var(MrParser *p, const char *name, int pos, const char *where)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_COLUMN),
			 errmsg("pattern variable \"%s\" in %s of MATCH_RECOGNIZE clause does not exist",
					name, where),
			 errdetail("At position %d; a variable must appear in PATTERN or be declared in SUBSET.",
					   mr_char_position(p->s, pos))));
}

static void
parse_partition(MrParser *p, MrClause *c)
{
	List	   *items = NIL;
	ListCell   *lc;

	for (;;)
	{
		MrExpr	   *e = palloc(sizeof(MrExpr));

		*e = mr_lex_expr(p, STOP_COMMA | STOP_CLAUSE, NULL, "an expression", NULL);
		items = lappend(items, e);
		{
			MrToken		tok = mr_lex_peek(p);

			if (!mr_tok_is_punct(&tok, ','))
				break;
			mr_lex_next(p);
		}
	}
	c->npartition = list_length(items);
	c->partition = palloc(sizeof(MrExpr) * c->npartition);
	foreach(lc, items)
		c->partition[foreach_current_index(lc)] = *(MrExpr *) lfirst(lc);
}

static void
parse_order(MrParser *p, MrClause *c)
{
	List	   *items = NIL;
	ListCell   *lc;

	for (;;)
	{
		MrOrderItem *o = palloc0(sizeof(MrOrderItem));
		MrToken		tok;

		o->expr = mr_lex_expr(p, STOP_COMMA | STOP_CLAUSE | STOP_ORDER, NULL,
							"an expression", NULL);
		if (mr_lex_peek_kw(p, "asc"))
			mr_lex_next(p);
		else if (mr_lex_peek_kw(p, "desc"))
		{
			mr_lex_next(p);
			o->desc = true;
		}
		if (mr_lex_peek_kw(p, "nulls"))
		{
			mr_lex_next(p);
			tok = mr_lex_next(p);
			if (mr_tok_is_kw(&tok, "first"))
				o->nulls = MR_NULLS_FIRST;
			else if (mr_tok_is_kw(&tok, "last"))
				o->nulls = MR_NULLS_LAST;
			else
				mr_syntax_error(p, &tok, "FIRST or LAST");
		}
		items = lappend(items, o);
		tok = mr_lex_peek(p);
		if (!mr_tok_is_punct(&tok, ','))
			break;
		mr_lex_next(p);
	}
	c->norder = list_length(items);
	c->order = palloc(sizeof(MrOrderItem) * c->norder);
	foreach(lc, items)
		c->order[foreach_current_index(lc)] = *(MrOrderItem *) lfirst(lc);
}

static void
parse_measures(MrParser *p, MrClause *c)
{
	List	   *items = NIL;
	ListCell   *lc;

	for (;;)
	{
		MrMeasure  *m = palloc0(sizeof(MrMeasure));
		MrToken		tok;
		ListCell   *lc2;
		int			ws,
					we;

		m->expr = mr_lex_expr(p, STOP_COMMA | STOP_CLAUSE | STOP_AS, "MEASURES",
							"an expression", &m->has_final);
		if (mr_lex_word_at(p, m->expr.start, &ws, &we) && we <= m->expr.end)
		{
			if (mr_lex_word_is(p, ws, we, "running"))
				m->sem = MR_SEM_RUNNING;
			else if (mr_lex_word_is(p, ws, we, "final"))
				m->sem = MR_SEM_FINAL;
		}
		mr_lex_expect_kw(p, "as", "AS and a measure name");
		m->alias = mr_lex_expect_ident(p, "a measure name", &m->alias_pos, NULL);
		foreach(lc2, items)
		{
			MrMeasure  *o = lfirst(lc2);

			if (strcmp(o->alias, m->alias) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_COLUMN),
						 errmsg("measure \"%s\" is defined more than once in MATCH_RECOGNIZE clause",
								m->alias),
						 errdetail("At position %d.", mr_char_position(p->s, m->alias_pos))));
		}
		items = lappend(items, m);
		tok = mr_lex_peek(p);
		if (!mr_tok_is_punct(&tok, ','))
			break;
		mr_lex_next(p);
	}
	c->nmeasures = list_length(items);
	c->measures = palloc(sizeof(MrMeasure) * c->nmeasures);
	foreach(lc, items)
		c->measures[foreach_current_index(lc)] = *(MrMeasure *) lfirst(lc);
}

static void
parse_rows_per_match(MrParser *p, MrClause *c)
{
	MrToken		tok = mr_lex_next(p);

	if (mr_tok_is_kw(&tok, "one"))
	{
		mr_lex_expect_kw(p, "row", "ROW");
		mr_lex_expect_kw(p, "per", "PER");
		mr_lex_expect_kw(p, "match", "MATCH");
		c->rows_per_match = MR_ONE_ROW;
		return;
	}
	/* ALL */
	mr_lex_expect_kw(p, "rows", "ROWS");
	mr_lex_expect_kw(p, "per", "PER");
	mr_lex_expect_kw(p, "match", "MATCH");
	c->rows_per_match = MR_ALL_ROWS_SHOW_EMPTY;
	if (mr_lex_peek_kw(p, "show"))
	{
		mr_lex_next(p);
		mr_lex_expect_kw(p, "empty", "EMPTY");
		mr_lex_expect_kw(p, "matches", "MATCHES");
	}
	else if (mr_lex_peek_kw(p, "omit"))
	{
		mr_lex_next(p);
		mr_lex_expect_kw(p, "empty", "EMPTY");
		mr_lex_expect_kw(p, "matches", "MATCHES");
		c->rows_per_match = MR_ALL_ROWS_OMIT_EMPTY;
	}
	else if (mr_lex_peek_kw(p, "with"))
	{
		mr_lex_next(p);
		mr_lex_expect_kw(p, "unmatched", "UNMATCHED");
		mr_lex_expect_kw(p, "rows", "ROWS");
		c->rows_per_match = MR_ALL_ROWS_WITH_UNMATCHED;
	}
}

static void
parse_skip(MrParser *p, MrClause *c)
{
	MrToken		tok;

	mr_lex_next(p);				/* AFTER */
	mr_lex_expect_kw(p, "match", "MATCH");
	mr_lex_expect_kw(p, "skip", "SKIP");
	tok = mr_lex_next(p);
	if (mr_tok_is_kw(&tok, "past"))
	{
		mr_lex_expect_kw(p, "last", "LAST");
		mr_lex_expect_kw(p, "row", "ROW");
		c->skip = MR_SKIP_PAST_LAST_ROW;
		return;
	}
	if (!mr_tok_is_kw(&tok, "to"))
		mr_syntax_error(p, &tok, "PAST LAST ROW or TO");
	tok = mr_lex_peek(p);
	if (mr_tok_is_kw(&tok, "next"))
	{
		MrToken		t2 = mr_lex_at(p, tok.end);

		if (mr_tok_is_kw(&t2, "row"))
		{
			p->pos = t2.end;
			c->skip = MR_SKIP_TO_NEXT_ROW;
			return;
		}
	}
	c->skip = MR_SKIP_TO_LAST;
	if (mr_tok_is_kw(&tok, "first") || mr_tok_is_kw(&tok, "last"))
	{
		/* FIRST / LAST, unless it is itself the variable: SKIP TO last PATTERN ( */
		MrToken		t2 = mr_lex_at(p, tok.end);
		bool		modifier = (t2.type == TK_IDENT || t2.type == TK_QIDENT);

		if (modifier && mr_tok_is_kw(&t2, "pattern"))
		{
			MrToken		t3 = mr_lex_at(p, t2.end);

			if (mr_tok_is_punct(&t3, '('))
				modifier = false;
		}
		if (modifier)
		{
			mr_lex_next(p);
			c->skip = mr_tok_is_kw(&tok, "first") ? MR_SKIP_TO_FIRST : MR_SKIP_TO_LAST;
		}
	}
	p->skip_name = mr_lex_expect_ident(p, "NEXT ROW, FIRST, LAST or a pattern variable",
								&p->skip_pos, NULL);
}

static void
parse_subset(MrParser *p, MrClause *c)
{
	for (;;)
	{
		int			pos;
		char	   *name = mr_lex_expect_ident(p, "a union variable name", &pos, NULL);
		bool		quoted = false;
		List	   *members = NIL;
		MrVariable *v;
		int			i;
		ListCell   *lc;

		{
			MrToken		t = mr_lex_at(p, pos);

			quoted = t.type == TK_QIDENT;
		}
		i = find_var(p, name);
		if (i >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_ALIAS),
					 errmsg("union variable \"%s\" in SUBSET of MATCH_RECOGNIZE clause is already %s",
							name, i < c->nprimary ? "a primary pattern variable" : "declared"),
					 errdetail("At position %d.", mr_char_position(p->s, pos))));
		mr_lex_expect_punct(p, '=', "\"=\"");
		mr_lex_expect_punct(p, '(', "\"(\"");
		for (;;)
		{
			int			mpos;
			char	   *m = mr_lex_expect_ident(p, "a pattern variable", &mpos, NULL);
			int			k = find_var(p, m);
			MrToken		t;

			if (k < 0 || (k < c->nprimary && !((MrVariable *) list_nth(p->vars, k))->in_pattern))
				undefined_var(p, m, mpos, "SUBSET");
			if (k >= c->nprimary)
				ereport(ERROR,
						(errcode(ERRCODE_WRONG_OBJECT_TYPE),
						 errmsg("union variable \"%s\" cannot be a member of SUBSET \"%s\" in MATCH_RECOGNIZE clause",
								m, name),
						 errdetail("At position %d; only primary pattern variables can be members.",
								   mr_char_position(p->s, mpos))));
			members = lappend_int(members, k);
			t = mr_lex_next(p);
			if (mr_tok_is_punct(&t, ')'))
				break;
			if (!mr_tok_is_punct(&t, ','))
				mr_syntax_error(p, &t, "\",\" or \")\"");
		}
		i = add_var(p, name, quoted, pos);
		v = list_nth(p->vars, i);
		v->nmembers = list_length(members);
		v->members = palloc(sizeof(int) * v->nmembers);
		foreach(lc, members)
			v->members[foreach_current_index(lc)] = lfirst_int(lc);
		{
			MrToken		t = mr_lex_peek(p);

			if (!mr_tok_is_punct(&t, ','))
				break;
			mr_lex_next(p);
		}
	}
}

static void
parse_define(MrParser *p, MrClause *c)
{
	List	   *items = NIL;
	ListCell   *lc;

	for (;;)
	{
		MrDefine   *d = palloc0(sizeof(MrDefine));
		char	   *name = mr_lex_expect_ident(p, "a pattern variable", &d->var_pos, NULL);
		MrVariable *v;
		MrToken		tok;

		mr_lex_expect_kw(p, "as", "AS");
		d->var = find_var(p, name);
		if (d->var >= c->nprimary)
			ereport(ERROR,
					(errcode(ERRCODE_WRONG_OBJECT_TYPE),
					 errmsg("union variable \"%s\" cannot be defined in DEFINE of MATCH_RECOGNIZE clause",
							name),
					 errdetail("At position %d; only primary pattern variables can be defined.",
							   mr_char_position(p->s, d->var_pos))));
		if (d->var < 0 || !(((MrVariable *) list_nth(p->vars, d->var))->in_pattern ||
							(c->has_absence && c->absent_var == d->var)))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("pattern variable \"%s\" in DEFINE of MATCH_RECOGNIZE clause does not appear in PATTERN",
							name),
					 errdetail("At position %d.", mr_char_position(p->s, d->var_pos))));
		v = list_nth(p->vars, d->var);
		if (v->define >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_ALIAS),
					 errmsg("pattern variable \"%s\" is defined more than once in DEFINE of MATCH_RECOGNIZE clause",
							name),
					 errdetail("At position %d.", mr_char_position(p->s, d->var_pos))));
		v->define = list_length(items);
		d->cond = mr_lex_expr(p, STOP_COMMA | STOP_CLAUSE, "DEFINE", "a condition", NULL);
		items = lappend(items, d);
		tok = mr_lex_peek(p);
		if (!mr_tok_is_punct(&tok, ','))
			break;
		mr_lex_next(p);
	}
	c->ndefines = list_length(items);
	c->defines = palloc(sizeof(MrDefine) * c->ndefines);
	foreach(lc, items)
		c->defines[foreach_current_index(lc)] = *(MrDefine *) lfirst(lc);
}

/* WITHIN ... [EMIT TIMEOUTS] and FOLLOWED BY NO {ROW | v} FOR ..., each once */
static void
parse_extensions(MrParser *p, MrClause *c)
{
	for (;;)
	{
		MrToken		tok = mr_lex_peek(p);

		if (mr_tok_is_kw(&tok, "within") && !c->has_within)
		{
			mr_lex_next(p);
			c->has_within = true;
			c->within = parse_interval(p);
			if (mr_lex_peek_kw(p, "emit"))
			{
				mr_lex_next(p);
				mr_lex_expect_kw(p, "timeouts", "TIMEOUTS");
				c->emit_timeouts = true;
			}
		}
		else if (mr_tok_is_kw(&tok, "followed") && !c->has_absence)
		{
			MrToken		v;

			mr_lex_next(p);
			mr_lex_expect_kw(p, "by", "BY");
			mr_lex_expect_kw(p, "no", "NO");
			v = mr_lex_next(p);
			c->has_absence = true;
			c->absent_var = -1;
			if (mr_tok_is_kw(&v, "row"))
				;
			else if (v.type == TK_IDENT || v.type == TK_QIDENT)
			{
				int			i = find_var(p, v.ident);

				if (i >= c->nprimary)
					ereport(ERROR,
							(errcode(ERRCODE_WRONG_OBJECT_TYPE),
							 errmsg("union variable \"%s\" cannot follow FOLLOWED BY NO in MATCH_RECOGNIZE clause",
									v.ident),
							 errdetail("At position %d; name a primary pattern variable or ROW.",
									   mr_char_position(p->s, v.start))));
				if (i < 0)
				{
					i = add_var(p, v.ident, v.type == TK_QIDENT, v.start);
					c->nprimary++;
				}
				c->absent_var = i;
			}
			else
				mr_syntax_error(p, &v, "ROW or a pattern variable");
			mr_lex_expect_kw(p, "for", "FOR");
			c->absent_for = parse_interval(p);
		}
		else
			return;
	}
}

static MrClause *
parse_clause(MrParser *p)
{
	MrClause   *c = p->c;
	MrToken		tok;

	tok = mr_lex_peek(p);
	if (mr_tok_is_kw(&tok, "partition"))
	{
		mr_lex_next(p);
		mr_lex_expect_kw(p, "by", "BY");
		parse_partition(p, c);
	}
	if (mr_lex_peek_kw(p, "order"))
	{
		mr_lex_next(p);
		mr_lex_expect_kw(p, "by", "BY");
		parse_order(p, c);
	}
	if (mr_lex_peek_kw(p, "measures"))
	{
		mr_lex_next(p);
		parse_measures(p, c);
	}
	if (mr_lex_peek_kw(p, "one") || mr_lex_peek_kw(p, "all"))
		parse_rows_per_match(p, c);
	if (mr_lex_peek_kw(p, "after"))
		parse_skip(p, c);

	tok = mr_lex_next(p);
	if (!mr_tok_is_kw(&tok, "pattern"))
	{
		const char *expected;

		if (c->skip_var >= 0 || p->skip_name || c->skip != MR_SKIP_PAST_LAST_ROW)
			expected = "PATTERN";
		else if (c->rows_per_match != MR_ONE_ROW || c->nmeasures > 0)
			expected = "ONE ROW PER MATCH, ALL ROWS PER MATCH, AFTER MATCH SKIP or PATTERN";
		else if (c->norder > 0)
			expected = "MEASURES, ONE ROW PER MATCH, ALL ROWS PER MATCH, AFTER MATCH SKIP or PATTERN";
		else if (c->npartition > 0)
			expected = "ORDER BY, MEASURES, ONE ROW PER MATCH, ALL ROWS PER MATCH, AFTER MATCH SKIP or PATTERN";
		else
			expected = "PARTITION BY, ORDER BY, MEASURES, ONE ROW PER MATCH, ALL ROWS PER MATCH, AFTER MATCH SKIP or PATTERN";
		mr_syntax_error(p, &tok, expected);
	}
	tok = mr_lex_next(p);
	if (!mr_tok_is_punct(&tok, '('))
		mr_syntax_error(p, &tok, "\"(\"");
	c->pattern_pos = tok.start;
	p->pattern_mode = true;
	tok = mr_lex_peek(p);
	if (mr_tok_is_punct(&tok, ')'))
		c->pattern = new_node(p, MR_NODE_EMPTY, tok.start);
	else
		c->pattern = parse_alt(p);
	p->pattern_mode = false;
	mr_lex_expect_punct(p, ')', "\"|\" or \")\" closing PATTERN");
	c->nprimary = list_length(p->vars);

	parse_extensions(p, c);
	if (mr_lex_peek_kw(p, "subset"))
	{
		mr_lex_next(p);
		parse_subset(p, c);
	}
	if (mr_lex_peek_kw(p, "define"))
	{
		mr_lex_next(p);
		parse_define(p, c);
	}
	tok = mr_lex_peek(p);
	if (tok.type != TK_EOF)
	{
		const char *expected;

		if (c->ndefines > 0)
			expected = "\",\" or the end of the clause";
		else if (list_length(p->vars) > c->nprimary)
			expected = "\",\", DEFINE or the end of the clause";
		else
			expected = (c->has_within && c->has_absence) ? "SUBSET, DEFINE or the end of the clause" :
				c->has_within ? "FOLLOWED BY NO, SUBSET, DEFINE or the end of the clause" :
				c->has_absence ? "WITHIN, SUBSET, DEFINE or the end of the clause" :
				"WITHIN, FOLLOWED BY NO, SUBSET, DEFINE or the end of the clause";
		mr_syntax_error(p, &tok, expected);
	}
	return c;
}

/* Checks that need the whole clause. */
static void
check_clause(MrParser *p, MrClause *c)
{
	ListCell   *lc;
	int			i,
				j;

	/* SKIP TO target */
	c->skip_var = -1;
	if (p->skip_name)
	{
		i = find_var(p, p->skip_name);
		if (i < 0 || (i < c->nprimary && !c->vars[i].in_pattern))
			undefined_var(p, p->skip_name, p->skip_pos, "AFTER MATCH SKIP");
		c->skip_var = i;
	}
	/* qualified names in MEASURES and DEFINE */
	foreach(lc, p->refs)
	{
		MrRef	   *r = lfirst(lc);

		if (find_var(p, r->name) < 0)
			undefined_var(p, r->name, r->pos, r->where);
	}
	/* a variable without DEFINE after FOLLOWED BY NO must be in PATTERN */
	if (c->has_absence && c->absent_var >= 0 &&
		!c->vars[c->absent_var].in_pattern && c->vars[c->absent_var].define < 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("pattern variable \"%s\" of FOLLOWED BY NO is neither in PATTERN nor in DEFINE",
						c->vars[c->absent_var].name),
				 errdetail("At position %d.", mr_char_position(p->s, c->vars[c->absent_var].pos))));
	/* two variables must not report the same CLASSIFIER() */
	for (i = 0; i < c->nvars; i++)
		for (j = i + 1; j < c->nvars; j++)
			if (strcmp(c->vars[i].label, c->vars[j].label) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_ALIAS),
						 errmsg("pattern variables \"%s\" and \"%s\" would both be reported as CLASSIFIER() '%s'",
								c->vars[i].name, c->vars[j].name, c->vars[i].label),
						 errdetail("At position %d; quote both names or neither.",
								   mr_char_position(p->s, c->vars[j].pos))));
	/* Trino and the standard: no exclusion with WITH UNMATCHED ROWS */
	if (p->exclusion_pos >= 0 && c->rows_per_match == MR_ALL_ROWS_WITH_UNMATCHED)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("pattern exclusion {- -} is not allowed with ALL ROWS PER MATCH WITH UNMATCHED ROWS"),
				 errdetail("At position %d.", mr_char_position(p->s, p->exclusion_pos))));
}

MrClause *
mr_parse_clause(const char *text)
{
	MrParser	p;
	MrClause   *c = palloc0(sizeof(MrClause));
	ListCell   *lc;
	int			len = strlen(text);

	if (len > MR_MAX_CLAUSE_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("MATCH_RECOGNIZE clause is too long"),
				 errdetail("The limit is %d bytes.", MR_MAX_CLAUSE_LEN)));
	memset(&p, 0, sizeof(p));
	p.s = text;
	p.len = len;
	p.c = c;
	p.exclusion_pos = -1;
	p.depth = -1;				/* the pattern itself is level 0 */
	c->text = pstrdup(text);
	c->skip_var = -1;
	c->absent_var = -1;

	parse_clause(&p);

	c->nvars = list_length(p.vars);
	c->vars = palloc(sizeof(MrVariable) * Max(c->nvars, 1));
	foreach(lc, p.vars)
		c->vars[foreach_current_index(lc)] = *(MrVariable *) lfirst(lc);
	for (int i = 0; i < c->ndefines; i++)
		c->vars[c->defines[i].var].define = i;
	check_clause(&p, c);
	return c;
}
