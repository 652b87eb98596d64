/*-------------------------------------------------------------------------
 *
 * mr_pattern.h
 *	  MATCH_RECOGNIZE patterns compiled to a small program, and mr_run():
 *	  one partition of given DEFINE results through the push matcher.
 *
 * The program follows Trino's matcher (reference §6): LABEL v consumes
 * one row that satisfies v; SPLIT x, y forks with x preferred; JUMP;
 * BEGIN / END check the partition start / end (^ / $); DONE accepts.
 * Bounded quantifiers are unrolled, PERMUTE becomes the alternation of
 * its orderings in lexicographic order, and a reluctant quantifier is a
 * SPLIT with the exit preferred.  An instruction's exclusion ({- -}) is
 * static, so LABEL carries it.
 *
 * The matchers are in mr_matcher.h: the push matcher (thread list, linear
 * time with history-free conditions) and the backtracking reference.
 * Both implement SQL:2016 preferment with the empty-loop rule of Trino (an
 * iteration that comes back to the same instruction without consuming a
 * row is dropped), so they must agree exactly; test/pgtap/mr_matcher_test.sql
 * checks it.  mr_run() feeds them DEFINE results given as one bitmap per
 * row ("which primary variables are true at row i") through the push
 * matcher, for the debug functions (the backtracker is called directly,
 * mr_backtrack_partition).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MR_PATTERN_H
#define MR_PATTERN_H

#include "mr_clause.h"

#define MR_MAX_PROGRAM		1000000 /* instructions (54000) */
#define MR_BT_MAX_STEPS		INT64CONST(100000000)	/* backtracker (54000) */

typedef enum MrOp
{
	MR_OP_LABEL,				/* consume a row where var is true */
	MR_OP_SPLIT,				/* fork: x preferred, then y */
	MR_OP_JUMP,					/* go to x */
	MR_OP_BEGIN,				/* ^: only at the partition's first row */
	MR_OP_END,					/* $: only after its last row */
	MR_OP_DONE					/* match */
} MrOp;

typedef struct MrInstr
{
	uint8		op;				/* MrOp */
	bool		excluded;		/* LABEL inside {- -} */
	int32		var;			/* LABEL: primary variable */
	int32		x;				/* SPLIT, JUMP */
	int32		y;				/* SPLIT */
} MrInstr;

typedef struct MrProgram
{
	int			ninstr;
	MrInstr    *instr;
} MrProgram;

extern MrProgram *mr_compile_pattern(const MrClause *clause);
extern char *mr_instr_text(const MrClause *clause, const MrProgram *prog, int pc);

/*
 * Input: DEFINE results, row-major bitmaps of `words` 64-bit words per row
 * (bit v of row i: primary variable v is true at row i).
 */
typedef struct MrRows
{
	int			nrows;
	int			words;
	const uint64 *bits;
} MrRows;

static inline bool
mr_row_has(const MrRows *rows, int row, int var)
{
	return (rows->bits[(size_t) row * rows->words + var / 64] >> (var % 64)) & 1;
}

/*
 * Output of mr_run(), one call per output row in order:
 *	match_number 0 for an unmatched row; row -1 for an empty match;
 *	var -1 where CLASSIFIER() is NULL.
 */
typedef void (*MrEmitFn) (void *arg, int64 match_number, int row, int var);

/*
 * Match one partition: search, apply AFTER MATCH SKIP and the rows-per-
 * match mode of the clause, and report rows through emit.  Without times,
 * WITHIN and FOLLOWED BY NO are ignored.
 */
extern void mr_run(const MrClause *clause, const MrProgram *prog, const MrRows *rows,
				   MrEmitFn emit, void *arg);

/*
 * A matcher result (mr_matcher.h) as mr_run's output rows, for the clause's
 * rows-per-match mode (an empty match gives no row with OMIT EMPTY MATCHES;
 * a timed-out match gives rows like a match).
 */
struct MrResult;
extern void mr_result_rows(const MrClause *clause, const struct MrResult *r,
						   MrEmitFn emit, void *arg);

#endif							/* MR_PATTERN_H */
