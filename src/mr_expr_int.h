/*-------------------------------------------------------------------------
 *
 * mr_expr_int.h
 *	  Internals shared by the MATCH_RECOGNIZE expression compiler
 *	  (mr_expr.c, mr_expr_scan.c, mr_expr_rewrite.c) and its run time (mr_expr_nav.c,
 *	  mr_expr_agg.c).  See mr_expr.h for the contract.
 *
 * A compiled DEFINE or measure is an ordinary ExprState over the input
 * row (Vars of varno 1, read from the "current" row's slot).  Everything
 * MATCH_RECOGNIZE adds — navigations, pattern-variable references,
 * CLASSIFIER, MATCH_NUMBER, MATCH_STATUS, MATCH_DEADLINE, aggregates over
 * pattern variables — is replaced by a PARAM_EXTERN Param compiled to an
 * EEOP_PARAM_CALLBACK step: evaluating it calls back into mr_param_value()
 * with its MrParam, which reads the match view and, for navigations and
 * aggregates, evaluates the MrParam's own argument ExprStates at other
 * rows of the partition.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MR_EXPR_INT_H
#define MR_EXPR_INT_H

#include "nodes/execnodes.h"
#include "nodes/primnodes.h"
#include "parser/parse_node.h"

#include "mr_expr.h"
#include "window_core.h"

/* Variable of a reference: a MrClause.vars index, or one of these. */
#define MR_UNIVERSAL	(-1)	/* all rows (a bare column) */
#define MR_NOREF		(-2)	/* no row reference seen yet */

/* Evaluation levels: the current row, one navigated row, spare. */
#define MR_MAX_LEVELS	3

typedef enum MrParamKind
{
	MRP_NAV,					/* the argument at a navigated row */
	MRP_CLASSIFIER,				/* label of the level's row */
	MRP_MATCH_NUMBER,
	MRP_MATCH_STATUS,
	MRP_MATCH_DEADLINE,
	MRP_AGG						/* an aggregate over rows of a variable */
} MrParamKind;

typedef enum MrNavKind
{
	MR_NAV_NONE,
	MR_NAV_PREV,
	MR_NAV_NEXT,
	MR_NAV_FIRST,
	MR_NAV_LAST
} MrNavKind;

typedef struct MrExprs MrExprs;

typedef struct MrParam
{
	MrParamKind kind;
	MrExprs    *owner;
	int16		typlen;
	bool		typbyval;

	/* NAV and AGG: the rows they look at */
	int			var;			/* MR_UNIVERSAL or a variable index */
	bool		final;			/* FINAL: all rows of the match */

	/*
	 * NAV: the base row is the loffset-th row of var counted from the
	 * first (FIRST) or last (LAST) one; then poffset rows before (PREV) or
	 * after (NEXT) it.  A bare A.col is LAST(A.col, 0); PREV(x, n) is
	 * PREV(LAST(x, 0), n).
	 */
	MrNavKind	logical;		/* MR_NAV_FIRST or MR_NAV_LAST */
	int64		loffset;
	MrNavKind	physical;		/* MR_NAV_NONE, MR_NAV_PREV or MR_NAV_NEXT */
	int64		poffset;
	Expr	   *argexpr;		/* over the navigated row (varno 1) */
	ExprState  *arg;
	bool		arg_scan;		/* argexpr reads the row's columns */
	AttrNumber	arg_attno;		/* argexpr is just this column, else 0 */

	/* AGG */
	WcAggDef   *agg;
	struct WcAggRunner *runner; /* calls agg (window_aggs.c) */
	int			nargs;
	Expr	  **argexprs;
	ExprState **args;
	bool		args_scan;
} MrParam;

/* One compiled DEFINE condition or measure. */
typedef struct MrCompiled
{
	Expr	   *expr;			/* after substitution of the Params */
	ExprState  *state;
	bool		uses_scan;		/* reads the current row's columns */
	char	   *what;			/* error context: DEFINE of variable A */
	Oid			type;
	int32		typmod;
	int16		typlen;
	bool		typbyval;
	bool		history_free;	/* DEFINE: only its row and PREV/NEXT */
} MrCompiled;

/* A row being evaluated: the current row (level 0) or a navigated one. */
typedef struct MrLevel
{
	ExprContext *econtext;		/* scan tuple = slot, or the driver's current row */
	TupleTableSlot *slot;
	int64		row;			/* -1: none */
	int64		loaded_row;		/* the row in slot, if loaded_epoch is current */
	uint64		loaded_epoch;
} MrLevel;

/* A variable as the run time needs it. */
typedef struct MrVarInfo
{
	Datum		label;			/* CLASSIFIER() text */
	bool	   *member;			/* union: nprimary flags */
} MrVarInfo;

struct MrExprs
{
	MemoryContext cxt;
	TupleDesc	desc;
	MrFetchRow	fetch;
	MrFetchValue fetch_value;	/* NULL: plain columns go through a slot too */
	void	   *fetch_arg;

	int			nprimary;
	MrVarInfo  *vars;

	MrCompiled **defines;		/* per primary variable, NULL: always true */
	int			nmeasures;
	MrCompiled *measures;

	int			nparams;
	MrParam   **params;

	bool		history_free;
	int64		define_lookahead;
	int64		measure_lookahead;
	int64		lookbehind;

	/* run time */
	uint64		rows_epoch;		/* bumped when the driver's rows move */
	int64		cur_row;		/* the row in cur_slot (mr_exprs_set_current) */
	TupleTableSlot *cur_slot;	/* NULL: none */
	const MrMatchView *view;
	bool		in_define;
	int			depth;			/* level of the row being evaluated */
	MrLevel		levels[MR_MAX_LEVELS];
	MemoryContext aggcxt;		/* transition values of one aggregate */
	MemoryContext aggcallcxt;	/* results of its support functions */
	Datum		status_match;
	Datum		status_timeout;
};

/* mr_expr_scan.c: the text and raw-tree passes before analysis */
typedef struct MrCallInfo
{
	int			location;		/* of the call's name in the SQL text */
	MrParamKind kind;			/* MRP_NAV or the no-row functions */
	MrNavKind	nav;			/* MRP_NAV */
	int64		offset;
	int			classifier_var; /* CLASSIFIER(X): X, else MR_UNIVERSAL */
} MrCallInfo;

typedef struct MrSemInfo
{
	int			location;		/* of the name RUNNING / FINAL precedes */
	bool		final;
	bool		used;
} MrSemInfo;

typedef struct MrScan
{
	const MrClause *clause;
	ParseState *pstate;
	char	   *schema;			/* extension schema for the placeholders */
	bool		is_define;
	List	   *calls;			/* MrCallInfo */
	List	   *sems;			/* MrSemInfo */
} MrScan;

extern void mr_scan_semantics(MrScan *sc, char *sql);
extern void mr_scan_raw(MrScan *sc, Node *raw);
extern int	mr_find_var(const MrClause *clause, const char *name);

/* State of the whole compilation (mr_expr.c, mr_expr_rewrite.c). */
typedef struct MrCompile
{
	MrExprs    *e;
	const MrClause *clause;
	Oid			nsp;			/* the placeholders' schema */
	ParamListInfo params;		/* only its compile hook is used */
	List	   *paramlist;		/* MrParam, in paramid order */
} MrCompile;

/* mr_expr_rewrite.c */
extern Node *mr_rewrite(MrCompile *cx, MrScan *sc, Node *expr, int define_var,
						bool *history_free);
extern ExprState *mr_compile_expr(MrCompile *cx, Expr *expr, bool *uses_scan);
extern void mr_param_compile(ParamListInfo params, Param *param, ExprState *state,
							 Datum *resv, bool *resnull);

/* mr_expr_nav.c */
struct ExprEvalStep;
extern void mr_param_step(ExprState *state, struct ExprEvalStep *op,
						  ExprContext *econtext);
extern Datum mr_param_value(MrExprs *e, MrParam *p, bool *isnull);
extern void mr_visible_rows(MrExprs *e, bool final, int64 *lo, int64 *hi);
extern bool mr_row_in_var(MrExprs *e, int var, int64 row);
extern MrLevel *mr_level_enter(MrExprs *e);
extern bool mr_level_load(MrExprs *e, MrLevel *level, int64 row, bool need_slot);
extern void mr_level_leave(MrExprs *e);

/* mr_expr_agg.c */
extern Datum mr_agg_value(MrExprs *e, MrParam *p, bool *isnull);

#endif							/* MR_EXPR_INT_H */
