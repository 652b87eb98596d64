/*-------------------------------------------------------------------------
 *
 * window_pushdown.h
 *	  GROUP BY pushdown for the window table functions: a query that groups
 *	  the rows of tumble(), hop(), cumulate() or session() by the window and
 *	  input columns runs as one custom scan that aggregates each window as
 *	  its rows stream past, sorted by the database, instead of materialising
 *	  every (row, window) pair and hashing them again (Flink plans window
 *	  TVF + GROUP BY window_start, window_end as a window aggregate the same
 *	  way).
 *
 * window_pushdown.c decides at plan time and builds the plan;
 * window_pushdown_exec.c runs it with the core of window_sorted.c.
 *
 *-------------------------------------------------------------------------
 */
#ifndef WINDOW_PUSHDOWN_H
#define WINDOW_PUSHDOWN_H

#include "postgres.h"

#include "nodes/extensible.h"

#include "window_assign.h"

/*
 * CustomScan.custom_private: a List of
 *	 WP_PRIV_KIND		Integer: WinKind
 *	 WP_PRIV_NAMES		List of String: the column definition list's names
 *	 WP_PRIV_TYPES		OidList: its types
 *	 WP_PRIV_EQOPS		OidList: equality operator of each grouping column
 *						of custom_scan_tlist that is an input column, in order
 *	 WP_PRIV_NKEYS		Integer: the first nkeys entries of custom_scan_tlist
 *						are grouping columns (Vars), the rest Aggrefs
 *	 WP_PRIV_KEEP		Integer: 1 in a subquery that outer levels pass
 *						parameters to (a correlated subquery is rescanned
 *						for each outer row): keep the groups to replay them,
 *						as a FunctionScan keeps its rows; other rescans come
 *						with EXEC_FLAG_REWIND
 * custom_exprs: the function's arguments.
 */
#define WP_PRIV_KIND	0
#define WP_PRIV_NAMES	1
#define WP_PRIV_TYPES	2
#define WP_PRIV_EQOPS	3
#define WP_PRIV_NKEYS	4
#define WP_PRIV_KEEP	5

typedef enum WpMode
{
	WP_AUTO,					/* where it is expected to be faster */
	WP_ON,						/* wherever it applies */
	WP_OFF
} WpMode;

extern int	wp_mode;			/* asset_stream.window_pushdown */
extern CustomScanMethods wp_scan_methods;

extern void wp_install(void);

/*
 * "SELECT * FROM (<input>) AS asset_stream_input ORDER BY <order>": the
 * input (one statement; a trailing semicolon and comments are dropped) as
 * the database should sort it; order is a list of 1-based positions.
 */
extern char *wp_sorted_query(const char *input, const char *order);

#endif							/* WINDOW_PUSHDOWN_H */
