/*-------------------------------------------------------------------------
 *
 * mr_deparse.c
 *	  Prints a parsed MATCH_RECOGNIZE pattern back as clause text (used by
 *	  the debug functions and the parser's round-trip test).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"

#include "mr_clause.h"

static void
deparse_var(StringInfo buf, const MrVariable *v)
{
	if (v->quoted)
	{
		const char *q;

		appendStringInfoChar(buf, '"');
		for (q = v->name; *q; q++)
		{
			if (*q == '"')
				appendStringInfoChar(buf, '"');
			appendStringInfoChar(buf, *q);
		}
		appendStringInfoChar(buf, '"');
	}
	else
		appendStringInfoString(buf, v->name);
}

static void
deparse_node(StringInfo buf, const MrClause *c, const MrNode *n)
{
	int			i;

	check_stack_depth();
	switch (n->kind)
	{
		case MR_NODE_VAR:
			deparse_var(buf, &c->vars[n->var]);
			break;
		case MR_NODE_EMPTY:
			appendStringInfoString(buf, "()");
			break;
		case MR_NODE_ANCHOR_START:
			appendStringInfoChar(buf, '^');
			break;
		case MR_NODE_ANCHOR_END:
			appendStringInfoChar(buf, '$');
			break;
		case MR_NODE_CONCAT:
			for (i = 0; i < n->nchildren; i++)
			{
				bool		paren = n->children[i]->kind == MR_NODE_ALT;

				if (i > 0)
					appendStringInfoChar(buf, ' ');
				if (paren)
					appendStringInfoChar(buf, '(');
				deparse_node(buf, c, n->children[i]);
				if (paren)
					appendStringInfoChar(buf, ')');
			}
			break;
		case MR_NODE_ALT:
			for (i = 0; i < n->nchildren; i++)
			{
				if (i > 0)
					appendStringInfoString(buf, " | ");
				deparse_node(buf, c, n->children[i]);
			}
			break;
		case MR_NODE_PERMUTE:
			appendStringInfoString(buf, "PERMUTE(");
			for (i = 0; i < n->nchildren; i++)
			{
				if (i > 0)
					appendStringInfoString(buf, ", ");
				deparse_node(buf, c, n->children[i]);
			}
			appendStringInfoChar(buf, ')');
			break;
		case MR_NODE_EXCLUDE:
			appendStringInfoString(buf, "{- ");
			deparse_node(buf, c, n->children[0]);
			appendStringInfoString(buf, " -}");
			break;
		case MR_NODE_QUANT:
			{
				MrNodeKind ck = n->children[0]->kind;
				bool		paren = (ck == MR_NODE_CONCAT || ck == MR_NODE_ALT || ck == MR_NODE_QUANT);

				if (paren)
					appendStringInfoChar(buf, '(');
				deparse_node(buf, c, n->children[0]);
				if (paren)
					appendStringInfoChar(buf, ')');
				if (n->min == 0 && n->max == -1)
					appendStringInfoChar(buf, '*');
				else if (n->min == 1 && n->max == -1)
					appendStringInfoChar(buf, '+');
				else if (n->min == 0 && n->max == 1)
					appendStringInfoChar(buf, '?');
				else if (n->min == n->max)
					appendStringInfo(buf, "{%d}", n->min);
				else if (n->max == -1)
					appendStringInfo(buf, "{%d,}", n->min);
				else if (n->min == 0)
					appendStringInfo(buf, "{,%d}", n->max);
				else
					appendStringInfo(buf, "{%d,%d}", n->min, n->max);
				if (!n->greedy)
					appendStringInfoChar(buf, '?');
			}
			break;
	}
}

char *
mr_pattern_deparse(const MrClause *clause, const MrNode *node)
{
	StringInfoData buf;

	initStringInfo(&buf);
	deparse_node(&buf, clause, node);
	return buf.data;
}
