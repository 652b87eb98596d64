/*-------------------------------------------------------------------------
 *
 * mr_clause.h
 *	  The parsed MATCH_RECOGNIZE clause: plain C structs, palloc'd in the
 *	  caller's memory context by mr_parse_clause() (mr_parse.c).
 *
 * The clause is the text that would stand inside MATCH_RECOGNIZE ( ... )
 * in SQL:2016, plus asset_stream's event-time extensions (WITHIN, EMIT
 * TIMEOUTS, FOLLOWED BY NO ... FOR; docs/match_recognize.md).  Expressions
 * (PARTITION BY, ORDER BY, MEASURES, DEFINE) are not parsed here, only
 * delimited: each is kept as its verbatim text with its byte span in the
 * clause, for PostgreSQL's own parser to compile later.
 *
 * Pattern variables follow PostgreSQL's identifier rule for their identity
 * (an unquoted name folds to lower case, a quoted one is kept as written),
 * and SQL:2016's rule for what CLASSIFIER() reports (an unquoted name in
 * upper case, a quoted one as written): both are stored.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MR_CLAUSE_H
#define MR_CLAUSE_H

#include "postgres.h"

#include "datatype/timestamp.h"

/* Limits: beyond them the parser raises an error, never recurses on. */
#define MR_MAX_QUANTIFIER	100000	/* bound in {n,m} (54000) */
#define MR_MAX_DEPTH		100		/* pattern nesting depth (54001) */
#define MR_MAX_VARIABLES	1000	/* primary + union variables (54000) */
#define MR_MAX_PATTERN_NODES 100000	/* AST nodes in PATTERN (54000) */
#define MR_MAX_CLAUSE_LEN	(1024 * 1024)	/* bytes of clause text (54000) */

/* An expression kept as text: clause->text[start, end) verbatim. */
typedef struct MrExpr
{
	char	   *text;
	int			start;			/* byte offset of its first character */
	int			end;			/* byte offset just past its last one */
} MrExpr;

typedef enum MrNullsOrder
{
	MR_NULLS_DEFAULT,
	MR_NULLS_FIRST,
	MR_NULLS_LAST
} MrNullsOrder;

typedef struct MrOrderItem
{
	MrExpr		expr;
	bool		desc;
	MrNullsOrder nulls;
} MrOrderItem;

/* RUNNING / FINAL written in front of a measure expression. */
typedef enum MrSemantics
{
	MR_SEM_DEFAULT,				/* neither: RUNNING */
	MR_SEM_RUNNING,
	MR_SEM_FINAL
} MrSemantics;

typedef struct MrMeasure
{
	MrExpr		expr;			/* including a leading RUNNING / FINAL */
	char	   *alias;			/* folded like a column name */
	int			alias_pos;		/* byte offset of the alias */
	MrSemantics sem;			/* leading keyword, as written */
	bool		has_final;		/* FINAL appears anywhere (outside strings) */
} MrMeasure;

typedef enum MrRowsPerMatch
{
	MR_ONE_ROW,					/* default */
	MR_ALL_ROWS_SHOW_EMPTY,		/* ALL ROWS PER MATCH [SHOW EMPTY MATCHES] */
	MR_ALL_ROWS_OMIT_EMPTY,
	MR_ALL_ROWS_WITH_UNMATCHED
} MrRowsPerMatch;

typedef enum MrSkip
{
	MR_SKIP_PAST_LAST_ROW,		/* default */
	MR_SKIP_TO_NEXT_ROW,
	MR_SKIP_TO_FIRST,
	MR_SKIP_TO_LAST				/* also SKIP TO v */
} MrSkip;

/* Pattern AST */
typedef enum MrNodeKind
{
	MR_NODE_VAR,				/* one row mapped to a primary variable */
	MR_NODE_CONCAT,				/* children in sequence */
	MR_NODE_ALT,				/* children, leftmost preferred */
	MR_NODE_QUANT,				/* children[0] repeated min..max times */
	MR_NODE_PERMUTE,			/* every order of the children */
	MR_NODE_EXCLUDE,			/* {- children[0] -} */
	MR_NODE_ANCHOR_START,		/* ^ */
	MR_NODE_ANCHOR_END,			/* $ */
	MR_NODE_EMPTY				/* () */
} MrNodeKind;

typedef struct MrNode
{
	MrNodeKind	kind;
	int			pos;			/* byte offset in the clause */
	int			var;			/* VAR: index into MrClause.vars */
	int			min;			/* QUANT */
	int			max;			/* QUANT: -1 = unbounded */
	bool		greedy;			/* QUANT */
	int			nchildren;
	struct MrNode **children;
} MrNode;

/*
 * A variable: a primary pattern variable (index < nprimary) or a union
 * variable from SUBSET (index >= nprimary).
 */
typedef struct MrVariable
{
	char	   *name;			/* identity, PostgreSQL-folded */
	char	   *label;			/* what CLASSIFIER() reports */
	bool		quoted;			/* first written as "name" */
	int			pos;			/* byte offset of its first occurrence */
	bool		in_pattern;		/* primary: appears in PATTERN */
	int			define;			/* primary: index into defines, -1: none
								 * (always true) */
	int			nmembers;		/* union: its primary members */
	int		   *members;
} MrVariable;

typedef struct MrDefine
{
	int			var;			/* primary variable */
	int			var_pos;
	MrExpr		cond;
} MrDefine;

/* An interval of the event-time extensions. */
typedef struct MrInterval
{
	MrExpr		expr;			/* as written, e.g. INTERVAL '2' HOUR */
	Interval	value;			/* its value, > 0 */
} MrInterval;

typedef struct MrClause
{
	char	   *text;			/* the clause as given */

	int			npartition;
	MrExpr	   *partition;
	int			norder;
	MrOrderItem *order;
	int			nmeasures;
	MrMeasure  *measures;
	MrRowsPerMatch rows_per_match;
	MrSkip		skip;
	int			skip_var;		/* TO FIRST/LAST: variable index, else -1 */

	MrNode	   *pattern;
	int			pattern_pos;	/* byte offset of the pattern's "(" */

	/* variables: primaries first (in order of first appearance), unions */
	int			nvars;
	int			nprimary;
	MrVariable *vars;

	int			ndefines;
	MrDefine   *defines;

	/* extensions: WITHIN interval [EMIT TIMEOUTS] */
	bool		has_within;
	MrInterval	within;
	bool		emit_timeouts;

	/* extensions: FOLLOWED BY NO { ROW | var } FOR interval */
	bool		has_absence;
	int			absent_var;		/* primary variable, -1: any row */
	MrInterval	absent_for;
} MrClause;

extern MrClause *mr_parse_clause(const char *text);

/* Character (not byte) position, 1-based, of a byte offset in text. */
extern int	mr_char_position(const char *text, int byte_offset);

/* Canonical text of a pattern (sub)tree: "a b+? (c | d){2,3}". */
extern char *mr_pattern_deparse(const MrClause *clause, const MrNode *node);

#endif							/* MR_CLAUSE_H */
