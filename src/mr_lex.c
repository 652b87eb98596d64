/*-------------------------------------------------------------------------
 *
 * mr_lex.c
 *	  The scanner of the MATCH_RECOGNIZE clause (mr_parse_int.h): tokens
 *	  for the parser in mr_parse.c, and the SQL-aware delimiting of the
 *	  expressions inside the clause, which are not parsed here (balanced
 *	  brackets, '' strings with doubled quotes, E'' strings with
 *	  backslashes, dollar quotes, "quoted identifiers", -- and nested block
 *	  comments; an expression ends at a top-level comma or at one of the
 *	  clause's keywords).  Qualified names in expressions (A.price, A.*)
 *	  are noted so that the parser can report unknown pattern variables.
 *
 * Errors are syntax errors (42601) with the character position in the
 * clause (1-based) and what was expected.  Every loop is bounded by the
 * length of the clause.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "parser/scansup.h"

#include "mr_parse_int.h"

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

void
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
MrToken
mr_lex_at(MrParser *p, int pos)
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

MrToken
mr_lex_peek(MrParser *p)
{
	return mr_lex_at(p, p->pos);
}

MrToken
mr_lex_next(MrParser *p)
{
	MrToken		tok = mr_lex_at(p, p->pos);

	p->pos = tok.end;
	return tok;
}

bool
mr_tok_is_kw(const MrToken *tok, const char *kw)
{
	return tok->type == TK_IDENT && strcmp(tok->ident, kw) == 0;
}

bool
mr_tok_is_punct(const MrToken *tok, char c)
{
	return tok->type == TK_PUNCT && tok->punct == c;
}

bool
mr_lex_peek_kw(MrParser *p, const char *kw)
{
	MrToken		tok = mr_lex_peek(p);

	return mr_tok_is_kw(&tok, kw);
}

void
mr_lex_expect_kw(MrParser *p, const char *kw, const char *expected)
{
	MrToken		tok = mr_lex_next(p);

	if (!mr_tok_is_kw(&tok, kw))
		mr_syntax_error(p, &tok, expected);
}

void
mr_lex_expect_punct(MrParser *p, char c, const char *expected)
{
	MrToken		tok = mr_lex_next(p);

	if (!mr_tok_is_punct(&tok, c))
		mr_syntax_error(p, &tok, expected);
}

/*
 * An identifier (quoted or not): its folded / dequoted name.  Keywords may
 * be names, but an unquoted PATTERN followed by "(" starts that clause.
 */
char *
mr_lex_expect_ident(MrParser *p, const char *expected, int *pos, bool *quoted)
{
	MrToken		tok = mr_lex_next(p);

	if (tok.type != TK_IDENT && tok.type != TK_QIDENT)
		mr_syntax_error(p, &tok, expected);
	if (mr_tok_is_kw(&tok, "pattern"))
	{
		MrToken		t2 = mr_lex_at(p, tok.end);

		if (mr_tok_is_punct(&t2, '('))
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
bool
mr_lex_word_is(MrParser *p, int pos, int end, const char *kw)
{
	int			n = strlen(kw);

	return end - pos == n && pg_strncasecmp(p->s + pos, kw, n) == 0;
}

/* The unquoted word at or after pos (after space): [*ws, *we); false if none. */
bool
mr_lex_word_at(MrParser *p, int pos, int *ws, int *we)
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
	bool		second = mr_lex_word_at(p, we, &n1, &n2);

	if (flags & STOP_AS)
	{
		if (mr_lex_word_is(p, ws, we, "as"))
			return true;
	}
	if (flags & STOP_ORDER)
	{
		if (mr_lex_word_is(p, ws, we, "asc") || mr_lex_word_is(p, ws, we, "desc"))
			return true;
		if (mr_lex_word_is(p, ws, we, "nulls"))
			return true;
	}
	if (flags & STOP_CLAUSE)
	{
		if (mr_lex_word_is(p, ws, we, "measures") || mr_lex_word_is(p, ws, we, "subset") ||
			mr_lex_word_is(p, ws, we, "define"))
			return true;
		if (second &&
			((mr_lex_word_is(p, ws, we, "partition") && mr_lex_word_is(p, n1, n2, "by")) ||
			 (mr_lex_word_is(p, ws, we, "order") && mr_lex_word_is(p, n1, n2, "by")) ||
			 (mr_lex_word_is(p, ws, we, "one") && mr_lex_word_is(p, n1, n2, "row")) ||
			 (mr_lex_word_is(p, ws, we, "all") && mr_lex_word_is(p, n1, n2, "rows")) ||
			 (mr_lex_word_is(p, ws, we, "after") && mr_lex_word_is(p, n1, n2, "match")) ||
			 (mr_lex_word_is(p, ws, we, "followed") && mr_lex_word_is(p, n1, n2, "by"))))
			return true;
		if (mr_lex_word_is(p, ws, we, "within") && !(second && mr_lex_word_is(p, n1, n2, "group")))
			return true;
		if (mr_lex_word_is(p, ws, we, "pattern"))
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
MrExpr
mr_lex_expr(MrParser *p, int flags, const char *what, const char *expected,
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
				MrToken		tok = mr_lex_at(p, pos);

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
				if (mr_lex_word_at(p, pos, &ws, &we) && is_stop_word(p, ws, we, flags) &&
					(ntok > 0 || (mr_lex_word_is(p, ws, we, "pattern") && (flags & STOP_CLAUSE))))
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
				MrToken		tok = mr_lex_at(p, pos);

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
		MrToken		tok = mr_lex_at(p, start);

		mr_syntax_error(p, &tok, expected);
	}
	e.start = start;
	e.end = last_end;
	e.text = pnstrdup(p->s + start, last_end - start);
	p->pos = last_end;
	return e;
}
