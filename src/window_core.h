/*-------------------------------------------------------------------------
 *
 * window_core.h
 *	  The push-based event-time window operator: per-key incremental
 *	  aggregation with ordinary PostgreSQL aggregates, watermark-driven
 *	  firing, allowed lateness, emit modes, and serialisable state.
 *
 * The core knows nothing about where rows come from: a driver (the replay
 * SRF today, a pipeline worker later) calls wc_push() for every read and
 * wc_advance() for every watermark, and receives emissions through a
 * callback.  wc_serialize()/wc_deserialize() turn the whole state into
 * bytes and back, so a restored operator continues exactly.
 *
 * Aggregate descriptions (WcAggDef) are built by the driver from the
 * catalog (window_aggdef.c); the core only calls their functions through
 * fmgr.
 *
 *-------------------------------------------------------------------------
 */
#ifndef WINDOW_CORE_H
#define WINDOW_CORE_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

#include "window_assign.h"

/* Largest number of arguments one aggregate call may take. */
#define WC_MAX_AGG_ARGS		8

/*
 * One aggregate call, resolved against the catalog.  Function infos carry
 * their expression trees so polymorphic support functions can resolve
 * their types.
 */
typedef struct WcAggDef
{
	char	   *name;			/* output column name */
	Oid			aggfnoid;
	Oid			resulttype;
	int			numargs;		/* aggregated arguments */
	Oid			argtypes[WC_MAX_AGG_ARGS];
	Oid			transtype;
	int16		transtypeLen;
	bool		transtypeByVal;
	bool		initValueIsNull;
	Datum		initValue;		/* in the core's long-lived context */
	bool		transfnStrict;
	bool		combinefnStrict;
	bool		hasFinal;
	int			numFinalArgs;
	bool		hasCombine;
	bool		hasSerial;		/* serialfn/deserialfn (internal state) */
	bool		hasSendRecv;	/* typsend/typreceive (non-internal state) */
	Oid			collation;
	FmgrInfo	transfn;
	FmgrInfo	finalfn;
	FmgrInfo	combinefn;
	FmgrInfo	serialfn;
	FmgrInfo	deserialfn;
	FmgrInfo	sendfn;
	FmgrInfo	recvfn;
	Oid			recvioparam;
	char		finalmodify;	/* pg_aggregate.aggfinalmodify */
} WcAggDef;

/* What the operator computes; everything in microseconds. */
typedef struct WcSpec
{
	WinSpec		win;			/* session: win.size is the gap */
	int64		lateness;		/* allowed lateness, >= 0 */
	bool		emit_update;	/* emit every change, not only at close */
	Oid			keytype;		/* InvalidOid: one global key */
	int16		keylen;
	bool		keybyval;
	int			naggs;
	WcAggDef   *aggs;
	int64		max_open_windows;	/* error past this many (key, window) */
} WcSpec;

typedef enum WcEmitKind
{
	WC_EMIT_FINAL,				/* window closed (or re-fired inside lateness) */
	WC_EMIT_UPDATE,				/* emit = 'update': the window changed */
	WC_EMIT_LATE,				/* a row added to no window */
	WC_EMIT_MISSED,				/* a row counted elsewhere missed this window */
	WC_EMIT_RETRACT				/* emit = 'update': a session merged away */
} WcEmitKind;

typedef struct WcEmission
{
	WcEmitKind	kind;
	int64		watermark;
	int64		ordinal;		/* input row or watermark; 0 = end of input */
	Datum		key;
	bool		keynull;
	int64		start;
	int64		end;
	int64		time;			/* window_time */
	bool		has_event_time;	/* late / missed: the row's time */
	int64		event_time;
	int32		firing;			/* final: 1 on time, 2.. re-fires; else 0 */
	Datum	   *values;			/* naggs results, or NULL: all NULL */
	bool	   *isnull;
} WcEmission;

typedef void (*WcEmitFn) (void *arg, const WcEmission *e);

/* One read's evaluated aggregate arguments. */
typedef struct WcRowArgs
{
	Datum	   *argv;			/* aggs[i]'s arguments at argoff[i] */
	bool	   *argnull;
	bool	   *skip;			/* FILTER false: aggs[i] ignores the row */
} WcRowArgs;

typedef struct WcState WcState;

#define WC_TIME_MIN		PG_INT64_MIN	/* no watermark yet */
#define WC_TIME_MAX		PG_INT64_MAX	/* end of input */

extern WcState *wc_create(const WcSpec *spec, MemoryContext parent,
						  WcEmitFn emit, void *emit_arg);
extern void wc_destroy(WcState *s);
extern int	wc_argoff(const WcSpec *spec, int agg);
extern void wc_push(WcState *s, int64 ordinal, Datum key, bool keynull,
					int64 ts, const WcRowArgs *args);
extern void wc_advance(WcState *s, int64 ordinal, int64 watermark);
extern int64 wc_watermark(const WcState *s);
extern int64 wc_open_windows(const WcState *s);
extern void wc_serialize(WcState *s, StringInfo buf);
extern void wc_deserialize(WcState *s, StringInfo buf);

/* window_aggdef.c: resolve 'count(*), avg(x) AS a' against a row type */
typedef struct WcAggCall
{
	WcAggDef   *def;
	List	   *argexprs;		/* Expr per argument (Var = plain column) */
	Node	   *filter;			/* FILTER (WHERE ...) or NULL */
} WcAggCall;

struct TupleDescData;
extern List *wc_parse_aggregates(const char *text, struct TupleDescData *tupdesc,
								 MemoryContext cxt);

/* One resolved aggregate call (window_aggdef.c; also MATCH_RECOGNIZE) */
struct Aggref;
extern WcAggDef *wc_build_aggdef(struct Aggref *aggref, const char *name);

#endif							/* WINDOW_CORE_H */
