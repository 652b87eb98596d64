/*-------------------------------------------------------------------------
 *
 * mr_parse_int.h
 *	  Shared by the MATCH_RECOGNIZE clause scanner (mr_lex.c) and parser
 *	  (mr_parse.c): tokens, the parser state, and the scanner's entry
 *	  points.  Not for other files: the parsed clause is mr_clause.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MR_PARSE_INT_H
#define MR_PARSE_INT_H

#include "nodes/pg_list.h"

#include "mr_clause.h"

typedef enum MrTokType
{
	TK_EOF,
	TK_IDENT,					/* unquoted word: ident is folded */
	TK_QIDENT,					/* "quoted": ident is dequoted */
	TK_NUMBER,					/* digits: number (saturated) */
	TK_STRING,					/* 'literal': ident is dequoted */
	TK_PUNCT,					/* one character (punct = its first byte) */
	TK_EXCL_OPEN,				/* {- */
	TK_EXCL_CLOSE				/* -} */
} MrTokType;

typedef struct MrToken
{
	MrTokType	type;
	int			start;
	int			end;
	char	   *ident;
	int64		number;
	char		punct;
} MrToken;

/* A qualified name A.x seen in an expression: A must be a variable. */
typedef struct MrRef
{
	char	   *name;
	int			pos;
	const char *where;			/* "MEASURES" or "DEFINE" */
} MrRef;

typedef struct MrParser
{
	const char *s;
	int			len;
	int			pos;			/* byte offset of the next token */
	bool		pattern_mode;	/* '$' is an anchor, not part of a word */
	int			depth;
	int			nnodes;
	int			exclusion_pos;	/* first {- in PATTERN, -1: none */
	MrClause   *c;
	List	   *vars;			/* MrVariable *, primaries then unions */
	List	   *refs;			/* MrRef * */
	char	   *skip_name;		/* SKIP TO target, resolved at the end */
	int			skip_pos;
} MrParser;

/* Scanner stop conditions for expressions (keywords at bracket depth 0) */
#define STOP_COMMA		0x01
#define STOP_AS			0x02
#define STOP_CLAUSE		0x04	/* a keyword that starts a later clause */
#define STOP_ORDER		0x08	/* ASC, DESC, NULLS FIRST/LAST */

/* mr_lex.c: errors */
extern void mr_syntax_error(MrParser *p, const MrToken *tok, const char *expected) pg_attribute_noreturn();

/* mr_lex.c: tokens (p->pos is the offset of the next one) */
extern MrToken mr_lex_at(MrParser *p, int pos);
extern MrToken mr_lex_peek(MrParser *p);
extern MrToken mr_lex_next(MrParser *p);
extern bool mr_tok_is_kw(const MrToken *tok, const char *kw);
extern bool mr_tok_is_punct(const MrToken *tok, char c);
extern bool mr_lex_peek_kw(MrParser *p, const char *kw);
extern void mr_lex_expect_kw(MrParser *p, const char *kw, const char *expected);
extern void mr_lex_expect_punct(MrParser *p, char c, const char *expected);
extern char *mr_lex_expect_ident(MrParser *p, const char *expected, int *pos, bool *quoted);

/* mr_lex.c: unquoted words, and delimiting one expression */
extern bool mr_lex_word_is(MrParser *p, int pos, int end, const char *kw);
extern bool mr_lex_word_at(MrParser *p, int pos, int *ws, int *we);
extern MrExpr mr_lex_expr(MrParser *p, int flags, const char *what, const char *expected,
						  bool *has_final);

#endif							/* MR_PARSE_INT_H */
