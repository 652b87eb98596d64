/*-------------------------------------------------------------------------
 *
 * mr_parse.c
 *	  A hand-written recursive-descent parser for the MATCH_RECOGNIZE
 *	  clause (mr_clause.h), with the semantic checks that need no catalog.
 *
 * The clause language is small; the expressions in it are not parsed here,
 * only delimited by a SQL-aware scanner (balanced brackets, '' strings with
 * doubled quotes, E'' strings with backslashes, dollar quotes, "quoted
 * identifiers", -- and nested block comments) that splits at top-level
 * commas and at the clause's keywords.  Qualified names in expressions
 * (A.price, A.*) are noted so that references to unknown pattern
 * variables are reported here, with their position.
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

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "parser/scansup.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

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

static void mr_syntax_error(MrParser *p, const MrToken *tok, const char *expected) pg_attribute_noreturn();
static MrNode *parse_alt(MrParser *p);

int
mr_char_position(const char *text, int byte_offset)
{
	return pg_mbstrlen_with_len(text, byte_offset) + 1;
}

static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline bool
is_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static inline bool
is_ident_cont(unsigned char c, bool dollar)
{
	return is_ident_start(c) || (c >= '0' && c <= '9') || (dollar && c == '$');
}

/* Byte length of the character at s[pos], never past len. */
static int
char_len(MrParser *p, int pos)
{
	int			l = pg_mblen(p->s + pos);

	return Max(1, Min(l, p->len - pos));
}

/* ---------------------------------------------------------------- errors */

static void
mr_syntax_error(MrParser *p, const MrToken *tok, const char *expected)
{
	if (tok->type == TK_EOF)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("syntax error in MATCH_RECOGNIZE clause at end of input"),
				 errdetail("Expected %s at position %d.", expected,
						   mr_char_position(p->s, tok->start))));
	else
	{
		int			n = tok->end - tok->start;

		if (n > 40)
			n = pg_mbcliplen(p->s + tok->start, n, 40);
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("syntax error in MATCH_RECOGNIZE clause at or near \"%s\"",
						pnstrdup(p->s + tok->start, n)),
				 errdetail("Expected %s at position %d.", expected,
						   mr_char_position(p->s, tok->start))));
	}
}

/* A lexical error at byte offset pos: unterminated string and the like. */
static void
mr_lex_error(MrParser *p, int pos, const char *what) pg_attribute_noreturn();
static void
mr_lex_error(MrParser *p, int pos, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_SYNTAX_ERROR),
			 errmsg("syntax error in MATCH_RECOGNIZE clause: %s", what),
			 errdetail("At position %d.", mr_char_position(p->s, pos))));
}

/* --------------------------------------------------------------- scanner */

/*
 * Skip whitespace and comments from pos; return the next significant
 * offset.  Block comments nest, as in PostgreSQL.
 */
static int
skip_space(MrParser *p, int pos)
{
	for (;;)
	{
		if (pos >= p->len)
			return p->len;
		if (is_space(p->s[pos]))
			pos++;
		else if (p->s[pos] == '-' && pos + 1 < p->len && p->s[pos + 1] == '-')
		{
			while (pos < p->len && p->s[pos] != '\n' && p->s[pos] != '\r')
				pos++;
		}
		else if (p->s[pos] == '/' && pos + 1 < p->len && p->s[pos + 1] == '*')
		{
			int			start = pos;
			int			nest = 1;

			pos += 2;
			while (nest > 0)
			{
				if (pos + 1 >= p->len)
					mr_lex_error(p, start, "unterminated /* comment");
				if (p->s[pos] == '/' && p->s[pos + 1] == '*')
				{
					nest++;
					pos += 2;
				}
				else if (p->s[pos] == '*' && p->s[pos + 1] == '/')
				{
					nest--;
					pos += 2;
				}
				else
					pos++;
			}
		}
		else
			return pos;
	}
}

/*
 * Scan a quoted run starting at s[pos] == q ('\'' or '"'); a doubled quote
 * stands for itself, and with backslash set a backslash escapes the next
 * byte.  Returns the offset past the closing quote; *out, if given, gets
 * the dequoted text.
 */
static int
scan_quoted(MrParser *p, int pos, char q, bool backslash, char **out)
{
	int			start = pos;
	StringInfoData buf;

	if (out)
		initStringInfo(&buf);
	pos++;
	for (;;)
	{
		if (pos >= p->len)
			mr_lex_error(p, start, q == '"' ? "unterminated quoted identifier" :
						 "unterminated quoted string");
		if (backslash && p->s[pos] == '\\' && pos + 1 < p->len)
		{
			if (out)
				appendBinaryStringInfo(&buf, p->s + pos, 2);
			pos += 2;
			continue;
		}
		if (p->s[pos] == q)
		{
			if (pos + 1 < p->len && p->s[pos + 1] == q)
			{
				if (out)
					appendStringInfoChar(&buf, q);
				pos += 2;
				continue;
			}
			pos++;
			break;
		}
		if (out)
			appendStringInfoChar(&buf, p->s[pos]);
		pos++;
	}
	if (out)
		*out = buf.data;
	return pos;
}

/*
 * If s[pos] == '$' opens a dollar quote ($$ or $tag$), return the offset
 * past its closing delimiter; else -1.
 */
static int
scan_dollar(MrParser *p, int pos)
{
	int			start = pos;
	int			t = pos + 1;
	int			taglen;

	if (t < p->len && is_ident_start((unsigned char) p->s[t]))
	{
		t++;
		while (t < p->len && is_ident_cont((unsigned char) p->s[t], false))
			t++;
	}
	if (t >= p->len || p->s[t] != '$')
		return -1;
	taglen = t + 1 - start;		/* "$tag$" */
	for (pos = t + 1; pos + taglen <= p->len; pos++)
	{
		if (p->s[pos] == '$' && memcmp(p->s + pos, p->s + start, taglen) == 0)
			return pos + taglen;
	}
	mr_lex_error(p, start, "unterminated dollar-quoted string");
}

/* The clause-level token at or after pos (pos = its end for the next). */
static MrToken
lex_at(MrParser *p, int pos)
{
	MrToken		tok;
	unsigned char c;

	memset(&tok, 0, sizeof(tok));
	pos = skip_space(p, pos);
	tok.start = pos;
	if (pos >= p->len)
	{
		tok.type = TK_EOF;
		tok.end = pos;
		return tok;
	}
	c = (unsigned char) p->s[pos];
	if (c == '"')
	{
		tok.type = TK_QIDENT;
		tok.end = scan_quoted(p, pos, '"', false, &tok.ident);
		if (tok.ident[0] == '\0')
			mr_lex_error(p, pos, "zero-length delimited identifier");
		if (strlen(tok.ident) >= NAMEDATALEN)
			ereport(ERROR,
					(errcode(ERRCODE_NAME_TOO_LONG),
					 errmsg("identifier \"%s\" in MATCH_RECOGNIZE clause is too long", tok.ident),
					 errdetail("At position %d; the limit is %d bytes.",
							   mr_char_position(p->s, pos), NAMEDATALEN - 1)));
	}
	else if (c == '\'')
	{
		tok.type = TK_STRING;
		tok.end = scan_quoted(p, pos, '\'', false, &tok.ident);
	}
	else if (c >= '0' && c <= '9')
	{
		tok.type = TK_NUMBER;
		while (pos < p->len && p->s[pos] >= '0' && p->s[pos] <= '9')
		{
			if (tok.number < PG_INT32_MAX)
				tok.number = tok.number * 10 + (p->s[pos] - '0');
			pos++;
		}
		tok.end = pos;
	}
	else if (is_ident_start(c))
	{
		int			n;

		tok.type = TK_IDENT;
		while (pos < p->len && is_ident_cont((unsigned char) p->s[pos], !p->pattern_mode))
			pos++;
		tok.end = pos;
		n = tok.end - tok.start;
		tok.ident = downcase_identifier(p->s + tok.start, n, false, false);
		if (strlen(tok.ident) >= NAMEDATALEN)
			ereport(ERROR,
					(errcode(ERRCODE_NAME_TOO_LONG),
					 errmsg("identifier \"%s\" in MATCH_RECOGNIZE clause is too long", tok.ident),
					 errdetail("At position %d; the limit is %d bytes.",
							   mr_char_position(p->s, tok.start), NAMEDATALEN - 1)));
	}
	else if (c == '{' && pos + 1 < p->len && p->s[pos + 1] == '-')
	{
		tok.type = TK_EXCL_OPEN;
		tok.end = pos + 2;
	}
	else if (c == '-' && pos + 1 < p->len && p->s[pos + 1] == '}')
	{
		tok.type = TK_EXCL_CLOSE;
		tok.end = pos + 2;
	}
	else
	{
		tok.type = TK_PUNCT;
		tok.punct = (char) c;
		tok.end = pos + char_len(p, pos);
	}
	return tok;
}

static MrToken
peek(MrParser *p)
{
	return lex_at(p, p->pos);
}

static MrToken
next_tok(MrParser *p)
{
	MrToken		tok = lex_at(p, p->pos);

	p->pos = tok.end;
	return tok;
}

static bool
tok_is_kw(const MrToken *tok, const char *kw)
{
	return tok->type == TK_IDENT && strcmp(tok->ident, kw) == 0;
}

static bool
tok_is_punct(const MrToken *tok, char c)
{
	return tok->type == TK_PUNCT && tok->punct == c;
}

static bool
peek_kw(MrParser *p, const char *kw)
{
	MrToken		tok = peek(p);

	return tok_is_kw(&tok, kw);
}

static void
expect_kw(MrParser *p, const char *kw, const char *expected)
{
	MrToken		tok = next_tok(p);

	if (!tok_is_kw(&tok, kw))
		mr_syntax_error(p, &tok, expected);
}

static void
expect_punct(MrParser *p, char c, const char *expected)
{
	MrToken		tok = next_tok(p);

	if (!tok_is_punct(&tok, c))
		mr_syntax_error(p, &tok, expected);
}

/*
 * An identifier (quoted or not): its folded / dequoted name.  Keywords may
 * be names, but an unquoted PATTERN followed by "(" starts that clause.
 */
static char *
expect_ident(MrParser *p, const char *expected, int *pos, bool *quoted)
{
	MrToken		tok = next_tok(p);

	if (tok.type != TK_IDENT && tok.type != TK_QIDENT)
		mr_syntax_error(p, &tok, expected);
	if (tok_is_kw(&tok, "pattern"))
	{
		MrToken		t2 = lex_at(p, tok.end);

		if (tok_is_punct(&t2, '('))
			mr_syntax_error(p, &tok, expected);
	}
	if (pos)
		*pos = tok.start;
	if (quoted)
		*quoted = tok.type == TK_QIDENT;
	return tok.ident;
}

/* ---------------------------------------------------- expression scanner */

/* Does an unquoted word [pos, end) equal kw (case-insensitively)? */
static bool
word_is(MrParser *p, int pos, int end, const char *kw)
{
	int			n = strlen(kw);

	return end - pos == n && pg_strncasecmp(p->s + pos, kw, n) == 0;
}

/* The unquoted word at or after pos (after space): [*ws, *we); false if none. */
static bool
word_at(MrParser *p, int pos, int *ws, int *we)
{
	pos = skip_space(p, pos);
	if (pos >= p->len || !is_ident_start((unsigned char) p->s[pos]))
		return false;
	*ws = pos;
	while (pos < p->len && is_ident_cont((unsigned char) p->s[pos], true))
		pos++;
	*we = pos;
	return true;
}

/* Does the word [ws, we) start a clause or sub-clause that ends an expression? */
static bool
is_stop_word(MrParser *p, int ws, int we, int flags)
{
	int			n1,
				n2;
	bool		second = word_at(p, we, &n1, &n2);

	if (flags & STOP_AS)
	{
		if (word_is(p, ws, we, "as"))
			return true;
	}
	if (flags & STOP_ORDER)
	{
		if (word_is(p, ws, we, "asc") || word_is(p, ws, we, "desc"))
			return true;
		if (word_is(p, ws, we, "nulls"))
			return true;
	}
	if (flags & STOP_CLAUSE)
	{
		if (word_is(p, ws, we, "measures") || word_is(p, ws, we, "subset") ||
			word_is(p, ws, we, "define"))
			return true;
		if (second &&
			((word_is(p, ws, we, "partition") && word_is(p, n1, n2, "by")) ||
			 (word_is(p, ws, we, "order") && word_is(p, n1, n2, "by")) ||
			 (word_is(p, ws, we, "one") && word_is(p, n1, n2, "row")) ||
			 (word_is(p, ws, we, "all") && word_is(p, n1, n2, "rows")) ||
			 (word_is(p, ws, we, "after") && word_is(p, n1, n2, "match")) ||
			 (word_is(p, ws, we, "followed") && word_is(p, n1, n2, "by"))))
			return true;
		if (word_is(p, ws, we, "within") && !(second && word_is(p, n1, n2, "group")))
			return true;
		if (word_is(p, ws, we, "pattern"))
		{
			int			q = skip_space(p, we);

			if (q < p->len && p->s[q] == '(')
				return true;
		}
	}
	return false;
}

/*
 * Delimit one expression starting at p->pos.  It ends at the end of the
 * clause or, at bracket depth 0, at a comma (STOP_COMMA) or a stop word
 * (which cannot be its first word).  Leading and trailing comments are not
 * part of it.  Qualified names A.x / A.* outside subqueries are added to
 * p->refs (where = what).
 */
static MrExpr
scan_expr(MrParser *p, int flags, const char *what, const char *expected,
		  bool *has_final)
{
	MrExpr		e;
	int			pos = skip_space(p, p->pos);
	int			start = pos;
	int			last_end = pos;
	int			ntok = 0;
	int			depth = 0;
	int			stack_size = 16;
	char	   *stack = palloc(stack_size);	/* '(' or '[' */
	int		   *stack_pos = palloc(sizeof(int) * stack_size);
	bool	   *stack_sub = palloc(sizeof(bool) * stack_size);
	int			subquery_depth = 0;	/* >0: inside (SELECT ...) */
	/* the previous significant token, for qualified names */
	enum
	{
		PREV_NONE, PREV_IDENT, PREV_DOT, PREV_CAST, PREV_NOREF, PREV_OTHER
	}			prev = PREV_NONE;
	char	   *pending_name = NULL;	/* "A" of a possible A.x */
	int			pending_pos = 0;
	bool		pending_checked = false;	/* "A." seen, waiting for x */
	bool		prev_open_paren = false;

	if (has_final)
		*has_final = false;
	while (pos < p->len)
	{
		unsigned char c = (unsigned char) p->s[pos];
		int			tstart = pos;
		bool		ident_tok = false;
		bool		ident_quoted = false;
		char	   *ident_name = NULL;

		if (is_space(c) ||
			(c == '-' && pos + 1 < p->len && p->s[pos + 1] == '-') ||
			(c == '/' && pos + 1 < p->len && p->s[pos + 1] == '*'))
		{
			pos = skip_space(p, pos);
			continue;
		}
		if (depth == 0)
		{
			if (c == ',' && (flags & STOP_COMMA))
				break;
			if (c == ')' || c == ']')
			{
				MrToken		tok = lex_at(p, pos);

				mr_syntax_error(p, &tok, expected);
			}
			if (is_ident_start(c) && prev != PREV_DOT &&
				!((c == 'e' || c == 'E' || c == 'b' || c == 'B' || c == 'x' ||
				   c == 'X' || c == 'n' || c == 'N') &&
				  pos + 1 < p->len && p->s[pos + 1] == '\''))
			{
				int			ws,
							we;

				/* a stop word is not one as the first word, except PATTERN ( */
				if (word_at(p, pos, &ws, &we) && is_stop_word(p, ws, we, flags) &&
					(ntok > 0 || (word_is(p, ws, we, "pattern") && (flags & STOP_CLAUSE))))
					break;
			}
		}

		if (c == '(' || c == '[')
		{
			if (depth == stack_size)
			{
				stack_size *= 2;
				stack = repalloc(stack, stack_size);
				stack_pos = repalloc(stack_pos, sizeof(int) * stack_size);
				stack_sub = repalloc(stack_sub, sizeof(bool) * stack_size);
			}
			stack[depth] = (char) c;
			stack_pos[depth] = pos;
			stack_sub[depth] = false;
			depth++;
			pos++;
		}
		else if (c == ')' || c == ']')
		{
			if (depth == 0 || stack[depth - 1] != (c == ')' ? '(' : '['))
			{
				MrToken		tok = lex_at(p, pos);

				mr_syntax_error(p, &tok, depth == 0 ? expected :
								stack[depth - 1] == '(' ? "\")\"" : "\"]\"");
			}
			depth--;
			if (stack_sub[depth])
				subquery_depth--;
			pos++;
		}
		else if (c == '\'')
			pos = scan_quoted(p, pos, '\'', false, NULL);
		else if (c == '"')
		{
			pos = scan_quoted(p, pos, '"', false, &ident_name);
			if (ident_name[0] == '\0')
				mr_lex_error(p, tstart, "zero-length delimited identifier");
			ident_tok = true;
			ident_quoted = true;
		}
		else if (c == '$' && scan_dollar(p, pos) >= 0)
			pos = scan_dollar(p, pos);
		else if ((c == 'e' || c == 'E') && pos + 1 < p->len && p->s[pos + 1] == '\'')
			pos = scan_quoted(p, pos + 1, '\'', true, NULL);
		else if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') &&
				 pos + 1 < p->len && p->s[pos + 1] == '\'')
			pos = scan_quoted(p, pos + 1, '\'', false, NULL);
		else if ((c == 'u' || c == 'U') && pos + 2 < p->len && p->s[pos + 1] == '&' &&
				 (p->s[pos + 2] == '\'' || p->s[pos + 2] == '"'))
			pos = scan_quoted(p, pos + 2, p->s[pos + 2], false, NULL);
		else if (is_ident_start(c))
		{
			while (pos < p->len && is_ident_cont((unsigned char) p->s[pos], true))
				pos++;
			ident_tok = true;
			ident_name = downcase_identifier(p->s + tstart, pos - tstart, false, false);
			if (has_final && strcmp(ident_name, "final") == 0)
				*has_final = true;
			/* a subquery: names inside are its own */
			if (prev_open_paren && depth > 0 &&
				(strcmp(ident_name, "select") == 0 || strcmp(ident_name, "with") == 0 ||
				 strcmp(ident_name, "values") == 0 || strcmp(ident_name, "table") == 0))
			{
				stack_sub[depth - 1] = true;
				subquery_depth++;
			}
		}
		else if (c >= '0' && c <= '9')
		{
			while (pos < p->len && (is_ident_cont((unsigned char) p->s[pos], false) ||
									p->s[pos] == '.'))
				pos++;
		}
		else if (c == ':' && pos + 1 < p->len && p->s[pos + 1] == ':')
			pos += 2;
		else
			pos += char_len(p, pos);

		/* qualified names: IDENT '.' (IDENT | '*') not followed by '(' */
		if (pending_checked)
		{
			pending_checked = false;
			if ((ident_tok || c == '*') && subquery_depth == 0)
			{
				int			q = skip_space(p, pos);

				if (!(q < p->len && (p->s[q] == '(' || p->s[q] == '\'')))
				{
					MrRef	   *ref = palloc(sizeof(MrRef));

					ref->name = pending_name;
					ref->pos = pending_pos;
					ref->where = what;
					p->refs = lappend(p->refs, ref);
				}
			}
		}
		else if (c == '.' && prev == PREV_IDENT && pending_name)
			pending_checked = true;

		if (ident_tok)
		{
			if (prev == PREV_DOT || prev == PREV_CAST || prev == PREV_NOREF)
				pending_name = NULL;
			else
			{
				pending_name = ident_name;
				pending_pos = tstart;
			}
			prev = PREV_IDENT;
			/* a type or operator name follows these */
			if (!ident_quoted &&
				(strcmp(ident_name, "as") == 0 || strcmp(ident_name, "collate") == 0 ||
				 strcmp(ident_name, "operator") == 0))
			{
				prev = PREV_NOREF;
				pending_name = NULL;
			}
		}
		else if (c == '.')
			prev = (prev == PREV_IDENT) ? PREV_DOT : PREV_OTHER;
		else if (c == ':' && pos - tstart == 2)
			prev = PREV_CAST;
		else if (c == '(' && prev == PREV_NOREF)
			;					/* OPERATOR(schema.op) */
		else
			prev = PREV_OTHER;
		if (prev == PREV_DOT)
			;					/* keep pending_name */
		else if (prev != PREV_IDENT)
			pending_name = NULL;
		prev_open_paren = (c == '(');

		last_end = pos;
		ntok++;
	}
	if (depth > 0)
		mr_lex_error(p, stack_pos[depth - 1],
					 stack[depth - 1] == '(' ? "unbalanced parenthesis" : "unbalanced bracket");
	if (ntok == 0)
	{
		MrToken		tok = lex_at(p, start);

		mr_syntax_error(p, &tok, expected);
	}
	e.start = start;
	e.end = last_end;
	e.text = pnstrdup(p->s + start, last_end - start);
	p->pos = last_end;
	return e;
}

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
		tok_is_punct(tok, '(') || tok_is_punct(tok, '^') || tok_is_punct(tok, '$');
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
	MrToken		tok = next_tok(p);
	MrNode	   *n;

	if (tok_is_kw(&tok, "permute"))
	{
		MrToken		t2 = peek(p);

		if (tok_is_punct(&t2, '('))
		{
			List	   *items = NIL;

			next_tok(p);
			n = new_node(p, MR_NODE_PERMUTE, tok.start);
			for (;;)
			{
				items = lappend(items, parse_alt(p));
				t2 = next_tok(p);
				if (tok_is_punct(&t2, ')'))
					break;
				if (!tok_is_punct(&t2, ','))
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
	if (tok_is_punct(&tok, '('))
	{
		MrToken		t2 = peek(p);

		if (tok_is_punct(&t2, ')'))
		{
			next_tok(p);
			return new_node(p, MR_NODE_EMPTY, tok.start);
		}
		n = parse_alt(p);
		expect_punct(p, ')', "\"|\" or \")\"");
		return n;
	}
	if (tok_is_punct(&tok, '^'))
		return new_node(p, MR_NODE_ANCHOR_START, tok.start);
	if (tok_is_punct(&tok, '$'))
		return new_node(p, MR_NODE_ANCHOR_END, tok.start);
	if (tok.type == TK_EXCL_OPEN)
	{
		MrNode	   *inner;

		if (p->exclusion_pos < 0)
			p->exclusion_pos = tok.start;
		inner = parse_alt(p);
		{
			MrToken		t2 = next_tok(p);

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
	MrToken		tok = peek(p);
	int			min,
				max;
	MrNode	   *q;

	if (tok_is_punct(&tok, '*'))
		min = 0, max = -1;
	else if (tok_is_punct(&tok, '+'))
		min = 1, max = -1;
	else if (tok_is_punct(&tok, '?'))
		min = 0, max = 1;
	else if (tok_is_punct(&tok, '{'))
	{
		MrToken		t;

		next_tok(p);
		t = next_tok(p);
		min = 0;
		max = -1;
		if (t.type == TK_NUMBER)
		{
			min = quantifier_bound(p, &t);
			t = next_tok(p);
			if (tok_is_punct(&t, '}'))
				max = min;
			else if (!tok_is_punct(&t, ','))
				mr_syntax_error(p, &t, "\",\" or \"}\"");
		}
		else if (!tok_is_punct(&t, ','))
			mr_syntax_error(p, &t, "a number or \",\"");
		if (!(max == min && max >= 0))
		{
			/* after the comma: [m] } */
			t = next_tok(p);
			if (t.type == TK_NUMBER)
			{
				max = quantifier_bound(p, &t);
				if (max < min)
					ereport(ERROR,
							(errcode(ERRCODE_SYNTAX_ERROR),
							 errmsg("quantifier lower bound %d is greater than its upper bound %d in PATTERN of MATCH_RECOGNIZE clause",
									min, max),
							 errdetail("At position %d.", mr_char_position(p->s, tok.start))));
				t = next_tok(p);
			}
			if (!tok_is_punct(&t, '}'))
				mr_syntax_error(p, &t, max >= 0 ? "\"}\"" : "a number or \"}\"");
		}
		goto reluctant;
	}
	else
		return prim;
	next_tok(p);
reluctant:
	q = new_node(p, MR_NODE_QUANT, tok.start);
	q->min = min;
	q->max = max;
	q->greedy = true;
	tok = peek(p);
	if (tok_is_punct(&tok, '?'))
	{
		next_tok(p);
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
		MrToken		tok = peek(p);

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
	MrToken		tok = peek(p);
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
		tok = peek(p);
		if (!tok_is_punct(&tok, '|'))
			break;
		next_tok(p);
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
	if (tok_is_kw(tok, "year"))
		return INTERVAL_MASK(YEAR);
	if (tok_is_kw(tok, "month"))
		return INTERVAL_MASK(MONTH);
	if (tok_is_kw(tok, "day"))
		return INTERVAL_MASK(DAY);
	if (tok_is_kw(tok, "hour"))
		return INTERVAL_MASK(HOUR);
	if (tok_is_kw(tok, "minute"))
		return INTERVAL_MASK(MINUTE);
	if (tok_is_kw(tok, "second"))
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
	MrToken		tok = next_tok(p);
	int			start = tok.start;
	int			range = 0;
	int32		typmod = -1;
	char	   *lit;
	ErrorContextCallback cb;
	MrIntervalErrCtx ctx;
	Interval   *val;
	Interval	zero;

	if (tok_is_kw(&tok, "interval"))
		tok = next_tok(p);
	if (tok.type != TK_STRING)
		mr_syntax_error(p, &tok, "an interval literal ('10 minutes' or INTERVAL '10' MINUTE)");
	lit = tok.ident;
	tok = peek(p);
	if ((range = interval_field_mask(&tok)) != 0)
	{
		int			first = range;

		next_tok(p);
		if (peek_kw(p, "to"))
		{
			MrToken		t2;
			int			last;

			next_tok(p);
			t2 = next_tok(p);
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

		*e = scan_expr(p, STOP_COMMA | STOP_CLAUSE, NULL, "an expression", NULL);
		items = lappend(items, e);
		{
			MrToken		tok = peek(p);

			if (!tok_is_punct(&tok, ','))
				break;
			next_tok(p);
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

		o->expr = scan_expr(p, STOP_COMMA | STOP_CLAUSE | STOP_ORDER, NULL,
							"an expression", NULL);
		if (peek_kw(p, "asc"))
			next_tok(p);
		else if (peek_kw(p, "desc"))
		{
			next_tok(p);
			o->desc = true;
		}
		if (peek_kw(p, "nulls"))
		{
			next_tok(p);
			tok = next_tok(p);
			if (tok_is_kw(&tok, "first"))
				o->nulls = MR_NULLS_FIRST;
			else if (tok_is_kw(&tok, "last"))
				o->nulls = MR_NULLS_LAST;
			else
				mr_syntax_error(p, &tok, "FIRST or LAST");
		}
		items = lappend(items, o);
		tok = peek(p);
		if (!tok_is_punct(&tok, ','))
			break;
		next_tok(p);
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

		m->expr = scan_expr(p, STOP_COMMA | STOP_CLAUSE | STOP_AS, "MEASURES",
							"an expression", &m->has_final);
		if (word_at(p, m->expr.start, &ws, &we) && we <= m->expr.end)
		{
			if (word_is(p, ws, we, "running"))
				m->sem = MR_SEM_RUNNING;
			else if (word_is(p, ws, we, "final"))
				m->sem = MR_SEM_FINAL;
		}
		expect_kw(p, "as", "AS and a measure name");
		m->alias = expect_ident(p, "a measure name", &m->alias_pos, NULL);
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
		tok = peek(p);
		if (!tok_is_punct(&tok, ','))
			break;
		next_tok(p);
	}
	c->nmeasures = list_length(items);
	c->measures = palloc(sizeof(MrMeasure) * c->nmeasures);
	foreach(lc, items)
		c->measures[foreach_current_index(lc)] = *(MrMeasure *) lfirst(lc);
}

static void
parse_rows_per_match(MrParser *p, MrClause *c)
{
	MrToken		tok = next_tok(p);

	if (tok_is_kw(&tok, "one"))
	{
		expect_kw(p, "row", "ROW");
		expect_kw(p, "per", "PER");
		expect_kw(p, "match", "MATCH");
		c->rows_per_match = MR_ONE_ROW;
		return;
	}
	/* ALL */
	expect_kw(p, "rows", "ROWS");
	expect_kw(p, "per", "PER");
	expect_kw(p, "match", "MATCH");
	c->rows_per_match = MR_ALL_ROWS_SHOW_EMPTY;
	if (peek_kw(p, "show"))
	{
		next_tok(p);
		expect_kw(p, "empty", "EMPTY");
		expect_kw(p, "matches", "MATCHES");
	}
	else if (peek_kw(p, "omit"))
	{
		next_tok(p);
		expect_kw(p, "empty", "EMPTY");
		expect_kw(p, "matches", "MATCHES");
		c->rows_per_match = MR_ALL_ROWS_OMIT_EMPTY;
	}
	else if (peek_kw(p, "with"))
	{
		next_tok(p);
		expect_kw(p, "unmatched", "UNMATCHED");
		expect_kw(p, "rows", "ROWS");
		c->rows_per_match = MR_ALL_ROWS_WITH_UNMATCHED;
	}
}

static void
parse_skip(MrParser *p, MrClause *c)
{
	MrToken		tok;

	next_tok(p);				/* AFTER */
	expect_kw(p, "match", "MATCH");
	expect_kw(p, "skip", "SKIP");
	tok = next_tok(p);
	if (tok_is_kw(&tok, "past"))
	{
		expect_kw(p, "last", "LAST");
		expect_kw(p, "row", "ROW");
		c->skip = MR_SKIP_PAST_LAST_ROW;
		return;
	}
	if (!tok_is_kw(&tok, "to"))
		mr_syntax_error(p, &tok, "PAST LAST ROW or TO");
	tok = peek(p);
	if (tok_is_kw(&tok, "next"))
	{
		MrToken		t2 = lex_at(p, tok.end);

		if (tok_is_kw(&t2, "row"))
		{
			p->pos = t2.end;
			c->skip = MR_SKIP_TO_NEXT_ROW;
			return;
		}
	}
	c->skip = MR_SKIP_TO_LAST;
	if (tok_is_kw(&tok, "first") || tok_is_kw(&tok, "last"))
	{
		/* FIRST / LAST, unless it is itself the variable: SKIP TO last PATTERN ( */
		MrToken		t2 = lex_at(p, tok.end);
		bool		modifier = (t2.type == TK_IDENT || t2.type == TK_QIDENT);

		if (modifier && tok_is_kw(&t2, "pattern"))
		{
			MrToken		t3 = lex_at(p, t2.end);

			if (tok_is_punct(&t3, '('))
				modifier = false;
		}
		if (modifier)
		{
			next_tok(p);
			c->skip = tok_is_kw(&tok, "first") ? MR_SKIP_TO_FIRST : MR_SKIP_TO_LAST;
		}
	}
	p->skip_name = expect_ident(p, "NEXT ROW, FIRST, LAST or a pattern variable",
								&p->skip_pos, NULL);
}

static void
parse_subset(MrParser *p, MrClause *c)
{
	for (;;)
	{
		int			pos;
		char	   *name = expect_ident(p, "a union variable name", &pos, NULL);
		bool		quoted = false;
		List	   *members = NIL;
		MrVariable *v;
		int			i;
		ListCell   *lc;

		{
			MrToken		t = lex_at(p, pos);

			quoted = t.type == TK_QIDENT;
		}
		i = find_var(p, name);
		if (i >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_DUPLICATE_ALIAS),
					 errmsg("union variable \"%s\" in SUBSET of MATCH_RECOGNIZE clause is already %s",
							name, i < c->nprimary ? "a primary pattern variable" : "declared"),
					 errdetail("At position %d.", mr_char_position(p->s, pos))));
		expect_punct(p, '=', "\"=\"");
		expect_punct(p, '(', "\"(\"");
		for (;;)
		{
			int			mpos;
			char	   *m = expect_ident(p, "a pattern variable", &mpos, NULL);
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
			t = next_tok(p);
			if (tok_is_punct(&t, ')'))
				break;
			if (!tok_is_punct(&t, ','))
				mr_syntax_error(p, &t, "\",\" or \")\"");
		}
		i = add_var(p, name, quoted, pos);
		v = list_nth(p->vars, i);
		v->nmembers = list_length(members);
		v->members = palloc(sizeof(int) * v->nmembers);
		foreach(lc, members)
			v->members[foreach_current_index(lc)] = lfirst_int(lc);
		{
			MrToken		t = peek(p);

			if (!tok_is_punct(&t, ','))
				break;
			next_tok(p);
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
		char	   *name = expect_ident(p, "a pattern variable", &d->var_pos, NULL);
		MrVariable *v;
		MrToken		tok;

		expect_kw(p, "as", "AS");
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
		d->cond = scan_expr(p, STOP_COMMA | STOP_CLAUSE, "DEFINE", "a condition", NULL);
		items = lappend(items, d);
		tok = peek(p);
		if (!tok_is_punct(&tok, ','))
			break;
		next_tok(p);
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
		MrToken		tok = peek(p);

		if (tok_is_kw(&tok, "within") && !c->has_within)
		{
			next_tok(p);
			c->has_within = true;
			c->within = parse_interval(p);
			if (peek_kw(p, "emit"))
			{
				next_tok(p);
				expect_kw(p, "timeouts", "TIMEOUTS");
				c->emit_timeouts = true;
			}
		}
		else if (tok_is_kw(&tok, "followed") && !c->has_absence)
		{
			MrToken		v;

			next_tok(p);
			expect_kw(p, "by", "BY");
			expect_kw(p, "no", "NO");
			v = next_tok(p);
			c->has_absence = true;
			c->absent_var = -1;
			if (tok_is_kw(&v, "row"))
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
			expect_kw(p, "for", "FOR");
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

	tok = peek(p);
	if (tok_is_kw(&tok, "partition"))
	{
		next_tok(p);
		expect_kw(p, "by", "BY");
		parse_partition(p, c);
	}
	if (peek_kw(p, "order"))
	{
		next_tok(p);
		expect_kw(p, "by", "BY");
		parse_order(p, c);
	}
	if (peek_kw(p, "measures"))
	{
		next_tok(p);
		parse_measures(p, c);
	}
	if (peek_kw(p, "one") || peek_kw(p, "all"))
		parse_rows_per_match(p, c);
	if (peek_kw(p, "after"))
		parse_skip(p, c);

	tok = next_tok(p);
	if (!tok_is_kw(&tok, "pattern"))
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
	tok = next_tok(p);
	if (!tok_is_punct(&tok, '('))
		mr_syntax_error(p, &tok, "\"(\"");
	c->pattern_pos = tok.start;
	p->pattern_mode = true;
	tok = peek(p);
	if (tok_is_punct(&tok, ')'))
		c->pattern = new_node(p, MR_NODE_EMPTY, tok.start);
	else
		c->pattern = parse_alt(p);
	p->pattern_mode = false;
	expect_punct(p, ')', "\"|\" or \")\" closing PATTERN");
	c->nprimary = list_length(p->vars);

	parse_extensions(p, c);
	if (peek_kw(p, "subset"))
	{
		next_tok(p);
		parse_subset(p, c);
	}
	if (peek_kw(p, "define"))
	{
		next_tok(p);
		parse_define(p, c);
	}
	tok = peek(p);
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
