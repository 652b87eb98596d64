/*-------------------------------------------------------------------------
 *
 * window_tvf.h
 *	  What the window table functions (window_tvf.c) share with the GROUP BY
 *	  pushdown that stands in for them (window_pushdown*.c): binding the
 *	  caller's column definition list and the time and partition columns to
 *	  the input query's columns, and reading interval arguments, with the
 *	  same checks and messages.
 *
 *-------------------------------------------------------------------------
 */
#ifndef WINDOW_TVF_H
#define WINDOW_TVF_H

#include "postgres.h"

#include "access/tupdesc.h"

#include "window_assign.h"

/* Where an output column's value comes from. */
typedef enum WtSource
{
	WT_INPUT,					/* an input column */
	WT_START,
	WT_END,
	WT_TIME
} WtSource;

typedef struct WtOutCol
{
	WtSource	src;
	int			att;			/* WT_INPUT: 0-based input attribute */
	int			stored;			/* session: index in the stored tuple, or -1
								 * for the key / time column */
	bool		detoast;		/* varlena: fetch external values */
} WtOutCol;


typedef struct WtBinding
{
	int			time_att;		/* 0-based input attributes */
	Oid			time_type;		/* timestamptz or timestamp */
	int			npart;			/* partition_by columns (0: none) */
	int		   *part_atts;
	int			maxatt;			/* largest attribute used */
} WtBinding;

/*
 * Bind the input query's columns (typeinfo) for function fname: the time
 * column, the partition_by column (or NULL), and every column of outdesc
 * (the caller's column definition list) into out[].  Errors name the
 * function and list the columns available.
 */
extern void wt_bind_input(TupleDesc typeinfo, TupleDesc outdesc, const char *fname,
						  WinKind kind, const char *time_col, const char *part_col,
						  WtOutCol *out, WtBinding *b);

/* A text argument as a C string; NULL is an error naming it. */
extern char *wt_text_value(Datum value, bool isnull, const char *fname,
						   const char *argname);

/* An interval argument in microseconds; NULL is an error naming it. */
extern int64 wt_interval_value(Datum value, bool isnull, const char *fname,
							   const char *argname);

#endif							/* WINDOW_TVF_H */
