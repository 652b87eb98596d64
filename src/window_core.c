/*-------------------------------------------------------------------------
 *
 * window_core.c
 *	  The push-based event-time window operator (see window_core.h).
 *
 * State.  A (key, window) pair with at least one row is a "member"
 * (WcWin): it holds one transition value per aggregate.  Members that
 * share the same window bounds form a "group" (WcGroup): every key's
 * [08:00, 08:01) window is in one group.  A group owns a memory context
 * that holds its members and their transition values, so closing a
 * window frees all its state at once, whatever the aggregates allocated
 * (internal states such as numeric avg's are palloc'd by the transition
 * function into the "aggregate context", which is that group context).
 * A session window is a group of its own, since its bounds are unique.
 *
 * Timers.  Groups sit in one binary heap ordered by their next event:
 * first their window_time (window_end - 1 ms, Flink SQL's firing rule),
 * then their cleanup time (window_time + allowed lateness).  A watermark
 * pops the heap: firing emits every member's result in member creation
 * order; cleanup frees the group.  Session groups replaced by a merge are
 * marked dead and skipped when popped.
 *
 * Aggregates.  Any normal PostgreSQL aggregate whose final function does
 * not modify its state (every built-in one).  Support functions run with
 * a WindowAggState as fcinfo->context, so AggCheckCallContext() succeeds
 * and reports AGG_CONTEXT_WINDOW with the group's context as aggregate
 * context: exactly the contract window aggregates already honour, final
 * functions that can be called repeatedly on a state that keeps growing.
 * Session merges use the aggregate's combine function; an aggregate
 * without one cannot be used with session windows (rejected by the
 * driver).
 *
 * Lateness (Flink DataStream WindowOperator): a window is late once
 * window_time + L <= watermark; rows are then no longer added to it.  A
 * row added to a window that already fired re-fires it at once.  A row
 * added to no window is emitted as 'late'; a row added to some windows
 * (hop, cumulate) but too late for others yields a 'missed' emission per
 * window it missed, so nothing disappears silently.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "common/int.h"
#include "fmgr.h"
#include "lib/ilist.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "window_aggs.h"
#include "window_core.h"

#define WC_SNAPSHOT_MAGIC	0x57435332	/* "WCS2": groups carry window_time */
#define WC_SNAPSHOT_MAGIC_1	0x57435331	/* "WCS1": window_time recomputed */

typedef struct WcKey
{
	Datum		key;			/* by reference: points at data[] */
	bool		isnull;
	int			nwins;
	dlist_head	wins;			/* WcWin.key_node; sessions sorted by start */
	char		data[FLEXIBLE_ARRAY_MEMBER];	/* the key's copy, one cache line
												 * with the header when short */
} WcKey;

typedef struct WcGroup WcGroup;

typedef struct WcWin
{
	WcKey	   *key;
	WcGroup    *group;
	int64		start;
	int64		end;
	int64		time;			/* its group's window_time */
	int32		fires;
	bool		emitted;		/* some emission showed this window */
	dlist_node	key_node;
	dlist_node	group_node;
	Datum	   *trans;
	bool	   *transnull;
} WcWin;

struct WcGroup
{
	int64		start;
	int64		end;
	int64		time;			/* window_time (WinBounds.time) */
	uint64		id;				/* creation order; ties in the heap */
	int64		next_time;		/* window_time, then cleanup time */
	bool		fired;
	bool		dead;			/* merged away (sessions) */
	int			nmembers;
	MemoryContext cxt;			/* members and their transition values */
	dlist_head	members;		/* WcWin.group_node, creation order */
};

/* key hash table (simplehash) */
typedef struct WcKeyEntry
{
	Datum		key;
	uint32		hash;
	char		status;
	WcKey	   *k;
} WcKeyEntry;

/*
 * Group lookup (fixed windows only) by the group's identity: its bounds and
 * window_time (WinBounds).  Two wall-clock windows can map to the same
 * instants around a daylight saving change and still differ in window_time;
 * they stay apart, as in Flink.
 */
typedef struct WcGroupEntry
{
	WinBounds	b;
	char		status;
	WcGroup    *g;
} WcGroupEntry;

static uint32 wc_key_hash(void *state, Datum key);
static bool wc_key_eq(void *state, Datum a, Datum b);

#define SH_PREFIX		wckeys
#define SH_ELEMENT_TYPE	WcKeyEntry
#define SH_KEY_TYPE		Datum
#define SH_KEY			key
#define SH_HASH_KEY(tb, key)	wc_key_hash((tb)->private_data, key)
#define SH_EQUAL(tb, a, b)		wc_key_eq((tb)->private_data, a, b)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a)		a->hash
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

static inline uint32
wc_bounds_hash(WinBounds b)
{
	return hash_combine(murmurhash32((uint32) b.start ^ (uint32) (b.start >> 32)),
						murmurhash32((uint32) b.end ^ (uint32) (b.end >> 32)));
}

#define SH_PREFIX		wcgroups
#define SH_ELEMENT_TYPE	WcGroupEntry
#define SH_KEY_TYPE		WinBounds
#define SH_KEY			b
#define SH_HASH_KEY(tb, key)	wc_bounds_hash(key)
#define SH_EQUAL(tb, a, b)		((a).start == (b).start && (a).end == (b).end && \
								 (a).time == (b).time)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

struct WcState
{
	WcSpec		spec;
	MemoryContext cxt;			/* everything below */
	MemoryContext tmpcxt;		/* reset per call */
	WcEmitFn	emit;
	void	   *emit_arg;
	WcAggRunner aggs;			/* the aggregates; aggs.aggstate is the fake
								 * call context */
	int			maxwins;
	WinBounds  *bounds;			/* scratch for the assigner */
	bool	   *bounds_late;
	bool		ranges;			/* win_windows_are_ranges() */
	bool		tumble_cached;	/* tumble_last holds a window */
	WinBounds	tumble_last;

	int64		watermark;
	int64		nopen;			/* members alive */
	uint64		next_group_id;

	wckeys_hash *keys;
	WcKey	   *nullkey;		/* NULL key, or the only key without key column */
	wcgroups_hash *groups;		/* fixed windows only */

	WcGroup   **heap;
	int			heap_len;
	int			heap_cap;

	/* key type I/O for snapshots */
	bool		key_io_ready;
	FmgrInfo	keysend;
	FmgrInfo	keyrecv;
	Oid			keyioparam;

};

/*
 * Key hashing and equality compare binary images (datum_image_hash/eq).
 * Every read goes through them, so by-value keys and varlena keys stored
 * plainly (short or 4-byte header, not compressed, not external) take a
 * direct path.  Equality is datum_image_eq's; a varlena hashes its value
 * whatever its header, so a plain and a compressed copy of one value meet
 * (hashes live only in memory, never in a snapshot).
 */
static inline bool
wc_plain_varlena(const void *p)
{
	return !VARATT_IS_EXTERNAL(p) && !VARATT_IS_COMPRESSED(p);
}

/* stored inline with a 1-byte header (not a TOAST pointer) */
static inline bool
wc_short_varlena(const void *p)
{
	return VARATT_IS_SHORT(p) && !VARATT_IS_EXTERNAL(p);
}

/*
 * A multiply-xorshift hash over 8-byte words: keys are short (asset ids),
 * where hash_bytes costs several times more.  The tail is read as two
 * overlapping 4-byte words (or three bytes), so no call to memcpy; the
 * length is in the seed.
 */
static inline uint32
wc_hash_mem(const char *p, Size len)
{
	uint64		h = UINT64CONST(0x9E3779B97F4A7C15) ^ len;
	uint64		v;

	for (; len >= 8; p += 8, len -= 8)
	{
		memcpy(&v, p, 8);
		h = (h ^ v) * UINT64CONST(0xFF51AFD7ED558CCD);
		h ^= h >> 32;
	}
	if (len > 0)
	{
		if (len >= 4)
		{
			uint32		a,
						b;

			memcpy(&a, p, 4);
			memcpy(&b, p + len - 4, 4);
			v = a | ((uint64) b << 32);
		}
		else
			v = (uint64) (uint8) p[0] | ((uint64) (uint8) p[len >> 1] << 8) |
				((uint64) (uint8) p[len - 1] << 16);
		h = (h ^ v) * UINT64CONST(0xC4CEB9FE1A85EC53);
	}
	h ^= h >> 29;
	h *= UINT64CONST(0xFF51AFD7ED558CCD);
	return (uint32) (h ^ (h >> 32));
}

/* Equal bytes; short runs without a call to memcmp. */
static inline bool
wc_mem_eq(const char *a, const char *b, Size len)
{
	uint64		x,
				y,
				u,
				w;

	if (len < 8 || len > 16)
		return memcmp(a, b, len) == 0;
	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	memcpy(&u, a + len - 8, 8);
	memcpy(&w, b + len - 8, 8);
	return x == y && u == w;
}

static uint32
wc_key_hash(void *state, Datum key)
{
	WcState    *s = (WcState *) state;
	struct varlena *v;
	uint32		h;

	if (s->spec.keybyval)
		return wc_hash_mem((const char *) &key, sizeof(Datum));
	if (s->spec.keylen > 0)
		return wc_hash_mem(DatumGetPointer(key), s->spec.keylen);
	if (s->spec.keylen == -2)
		return wc_hash_mem(DatumGetCString(key), strlen(DatumGetCString(key)) + 1);
	if (wc_short_varlena(DatumGetPointer(key)))
		return wc_hash_mem(VARDATA_SHORT(DatumGetPointer(key)),
						   VARSIZE_SHORT(DatumGetPointer(key)) - VARHDRSZ_SHORT);
	if (wc_plain_varlena(DatumGetPointer(key)))
		return wc_hash_mem(VARDATA_ANY(DatumGetPointer(key)),
						   VARSIZE_ANY_EXHDR(DatumGetPointer(key)));
	/* compressed or external: hash the value it stands for */
	v = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(key));
	h = wc_hash_mem(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
	if ((Pointer) v != DatumGetPointer(key))
		pfree(v);
	return h;
}

static bool
wc_key_eq(void *state, Datum a, Datum b)
{
	WcState    *s = (WcState *) state;

	if (s->spec.keybyval)
		return a == b;
	if (s->spec.keylen == -1)
	{
		const struct varlena *va = (const struct varlena *) DatumGetPointer(a);
		const struct varlena *vb = (const struct varlena *) DatumGetPointer(b);

		/* both short headers (the usual case): the header byte is the length */
		if (wc_short_varlena(va) && wc_short_varlena(vb))
			return *(const uint8 *) va == *(const uint8 *) vb &&
				wc_mem_eq(VARDATA_SHORT(va), VARDATA_SHORT(vb),
						  VARSIZE_SHORT(va) - VARHDRSZ_SHORT);
		if (wc_plain_varlena(va) && wc_plain_varlena(vb))
			return VARSIZE_ANY_EXHDR(va) == VARSIZE_ANY_EXHDR(vb) &&
				wc_mem_eq(VARDATA_ANY(va), VARDATA_ANY(vb), VARSIZE_ANY_EXHDR(va));
	}
	return datum_image_eq(a, b, false, s->spec.keylen);
}

static inline int64
wc_sat_add(int64 a, int64 b)
{
	int64		r;

	if (pg_add_s64_overflow(a, b, &r))
		return (b > 0) ? PG_INT64_MAX : PG_INT64_MIN;
	return r;
}


/* ---------------------------------------------------------------- heap */

static inline bool
wc_heap_less(const WcGroup *a, const WcGroup *b)
{
	if (a->next_time != b->next_time)
		return a->next_time < b->next_time;
	if (a->start != b->start)
		return a->start < b->start;
	return a->id < b->id;
}

static void
wc_heap_push(WcState *s, WcGroup *g)
{
	int			i;

	if (s->heap_len == s->heap_cap)
	{
		s->heap_cap *= 2;
		s->heap = repalloc_huge(s->heap, sizeof(WcGroup *) * s->heap_cap);
	}
	i = s->heap_len++;
	while (i > 0)
	{
		int			parent = (i - 1) / 2;

		if (!wc_heap_less(g, s->heap[parent]))
			break;
		s->heap[i] = s->heap[parent];
		i = parent;
	}
	s->heap[i] = g;
}

static WcGroup *
wc_heap_pop(WcState *s)
{
	WcGroup    *top = s->heap[0];
	WcGroup    *last = s->heap[--s->heap_len];
	int			i = 0;

	for (;;)
	{
		int			c = 2 * i + 1;

		if (c >= s->heap_len)
			break;
		if (c + 1 < s->heap_len && wc_heap_less(s->heap[c + 1], s->heap[c]))
			c++;
		if (!wc_heap_less(s->heap[c], last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->heap_len > 0)
		s->heap[i] = last;
	return top;
}

/* ------------------------------------------------------------- create */

/*
 * Create an operator for spec.  The spec's aggregate array must stay valid
 * for the operator's lifetime.
 */
WcState *
wc_create(const WcSpec *spec, MemoryContext parent, WcEmitFn emit, void *emit_arg)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "window core",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	WcState    *s = palloc0(sizeof(WcState));

	s->spec = *spec;
	s->cxt = cxt;
	s->tmpcxt = AllocSetContextCreate(cxt, "window core per row",
									  ALLOCSET_DEFAULT_SIZES);
	s->emit = emit;
	s->emit_arg = emit_arg;
	wc_aggs_setup(&s->aggs, spec->naggs, spec->aggs, s->tmpcxt);
	s->ranges = win_windows_are_ranges(&spec->win);
	s->maxwins = (spec->win.kind == WIN_SESSION) ? 1 : win_max_windows(&spec->win);
	s->bounds = palloc(sizeof(WinBounds) * Max(s->maxwins, 1));
	s->bounds_late = palloc(sizeof(bool) * Max(s->maxwins, 1));
	s->watermark = WC_TIME_MIN;
	s->keys = wckeys_create(cxt, 1024, s);
	if (spec->win.kind != WIN_SESSION)
		s->groups = wcgroups_create(cxt, 256, NULL);
	s->heap_cap = 256;
	s->heap = palloc(sizeof(WcGroup *) * s->heap_cap);
	MemoryContextSwitchTo(old);
	return s;
}

void
wc_destroy(WcState *s)
{
	MemoryContextDelete(s->cxt);
}

int
wc_argoff(const WcSpec *spec, int agg)
{
	int			off = 0;

	for (int i = 0; i < agg; i++)
		off += spec->aggs[i].numargs;
	return off;
}

int64
wc_watermark(const WcState *s)
{
	return s->watermark;
}

int64
wc_open_windows(const WcState *s)
{
	return s->nopen;
}

/* --------------------------------------------------------------- keys */

/* A new key's entry e: copy the key (flattened) next to its WcKey. */
static pg_noinline WcKey *
wc_key_add(WcState *s, WcKeyEntry *e, Datum key)
{
	MemoryContext old = MemoryContextSwitchTo(s->cxt);
	WcKey	   *k;

	if (s->spec.keybyval)
	{
		k = palloc0(offsetof(WcKey, data));
		k->key = key;
	}
	else
	{
		/* datumCopy flattens an expanded object; then copy the bytes */
		Datum		flat = key;
		Size		len;

		if (s->spec.keylen == -1 &&
			VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(key)))
			flat = datumCopy(key, false, -1);
		len = datumGetSize(flat, false, s->spec.keylen);
		k = palloc0(offsetof(WcKey, data) + len);
		memcpy(k->data, DatumGetPointer(flat), len);
		k->key = PointerGetDatum(k->data);
		if (flat != key)
			pfree(DatumGetPointer(flat));
	}
	dlist_init(&k->wins);
	e->key = k->key;			/* the hash must not point at the caller's copy */
	e->k = k;
	MemoryContextSwitchTo(old);
	return k;
}

/*
 * The state of a key (NULL keys and the one key of a keyless stream share
 * s->nullkey); with create, made if missing.  Most reads find their key:
 * a plain lookup, and an insert only for a new one.
 */
static inline WcKey *
wc_key_lookup(WcState *s, Datum key, bool keynull, bool create)
{
	WcKeyEntry *e;
	bool		found;
	WcKey	   *k;

	if (keynull || s->spec.keytype == InvalidOid)
	{
		if (s->nullkey == NULL && create)
		{
			k = MemoryContextAllocZero(s->cxt, sizeof(WcKey));
			k->isnull = true;
			dlist_init(&k->wins);
			s->nullkey = k;
		}
		return s->nullkey;
	}
	e = wckeys_lookup(s->keys, key);
	if (e != NULL || !create)
		return e ? e->k : NULL;
	e = wckeys_insert(s->keys, key, &found);
	Assert(!found);
	return wc_key_add(s, e, key);
}

static void
wc_key_release(WcState *s, WcKey *k)
{
	if (k->nwins > 0)
		return;
	if (k == s->nullkey)
	{
		s->nullkey = NULL;
		pfree(k);
		return;
	}
	wckeys_delete(s->keys, k->key);
	pfree(k);
}

/* ------------------------------------------------------------- groups */

/*
 * Could a window have these bounds (start, end)?  Both within the
 * timestamp range, as the assigners and sessions keep them.
 */
static bool
wc_bounds_in_range(int64 start, int64 end)
{
	return start >= MIN_TIMESTAMP && start < END_TIMESTAMP &&
		end >= MIN_TIMESTAMP && end <= END_TIMESTAMP;
}

/*
 * And this window_time?  Sessions and windows without a wall clock end
 * after they start and have window_time = end - 1 ms.  A wall-clock window
 * that starts in an hour a spring-forward change skips may end before it
 * starts (docs/windows.md), and its window_time is the local end - 1 ms:
 * zones have moved their clocks by up to a day at once, so within two days
 * of end - 1 ms (a sanity bound, not a rule of any zone).
 */
static bool
wc_bounds_plausible(const WcState *s, const WinBounds *b)
{
	const int64 margin = 2 * USECS_PER_DAY;

	if (!wc_bounds_in_range(b->start, b->end))
		return false;
	if (s->spec.win.kind == WIN_SESSION || s->spec.win.tz == NULL)
		return b->end > b->start && b->time == b->end - 1000;
	return b->end - b->start > -margin &&
		b->time >= b->end - 1000 - margin && b->time <= b->end - 1000 + margin;
}

static WcGroup *
wc_group_new(WcState *s, WinBounds wb)
{
	WcGroup    *g = MemoryContextAllocZero(s->cxt, sizeof(WcGroup));
	int64		start = wb.start,
				end = wb.end,
				wt = wb.time;

	g->start = start;
	g->end = end;
	g->time = wt;
	g->id = s->next_group_id++;
	if (s->spec.win.kind == WIN_SESSION)
		g->cxt = AllocSetContextCreate(s->cxt, "window session", ALLOCSET_SMALL_SIZES);
	else
		g->cxt = AllocSetContextCreate(s->cxt, "window group", ALLOCSET_DEFAULT_SIZES);
	dlist_init(&g->members);
	g->fired = (wt <= s->watermark);
	g->next_time = g->fired ? wc_sat_add(wt, s->spec.lateness) : wt;
	wc_heap_push(s, g);
	if (s->groups)
	{
		bool		found;
		WcGroupEntry *e = wcgroups_insert(s->groups, wb, &found);

		Assert(!found);
		e->g = g;
	}
	return g;
}

/* Free a group's members and state; the struct itself is freed when popped. */
static void
wc_group_clear(WcState *s, WcGroup *g)
{
	dlist_mutable_iter it;

	dlist_foreach_modify(it, &g->members)
	{
		WcWin	   *w = dlist_container(WcWin, group_node, it.cur);

		dlist_delete(&w->key_node);
		w->key->nwins--;
		wc_key_release(s, w->key);
		s->nopen--;
	}
	if (s->groups && !g->dead)
	{
		WinBounds	b = {g->start, g->end, g->time};

		wcgroups_delete(s->groups, b);
	}
	MemoryContextDelete(g->cxt);
	g->cxt = NULL;
	g->dead = true;
	g->nmembers = 0;
	dlist_init(&g->members);
}

/* Order of a key's fixed windows: o against (start, end, time). */
static inline int
wc_win_cmp(const WcWin *o, int64 start, int64 end, int64 time)
{
	if (o->start != start)
		return o->start < start ? -1 : 1;
	if (o->end != end)
		return o->end < end ? -1 : 1;
	if (o->time != time)
		return o->time < time ? -1 : 1;
	return 0;
}

/*
 * The key's fixed window with these bounds, or NULL.  The key's windows are
 * sorted, and a read's window is nearly always among the newest: walk back
 * from the last one and stop at the first that sorts before.
 */
static inline WcWin *
wc_key_window(WcKey *k, int64 start, int64 end, int64 time)
{
	dlist_iter	it;

	dlist_reverse_foreach(it, &k->wins)
	{
		WcWin	   *o = dlist_container(WcWin, key_node, it.cur);
		int			c = wc_win_cmp(o, start, end, time);

		if (c == 0)
			return o;
		if (c < 0)
			return NULL;
	}
	return NULL;
}

/* A new member of group g for key k, with initial transition values. */
static WcWin *
wc_member_new(WcState *s, WcGroup *g, WcKey *k)
{
	MemoryContext old;
	WcWin	   *w;

	if (s->nopen >= s->spec.max_open_windows)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("more than %lld windows are open",
						(long long) s->spec.max_open_windows),
				 errdetail("An open window is a (key, window) pair that the watermark has not yet closed and cleaned up."),
				 errhint("Raise max_open_windows, or lower out_of_orderness or allowed_lateness, or make the watermark advance.")));

	old = MemoryContextSwitchTo(g->cxt);
	/* one chunk: the member, then its transition values and null flags */
	w = palloc0(MAXALIGN(sizeof(WcWin)) +
				(sizeof(Datum) + sizeof(bool)) * Max(s->spec.naggs, 1));
	w->key = k;
	w->group = g;
	w->start = g->start;
	w->end = g->end;
	w->time = g->time;
	w->trans = (Datum *) ((char *) w + MAXALIGN(sizeof(WcWin)));
	w->transnull = (bool *) (w->trans + Max(s->spec.naggs, 1));
	wc_aggs_init(&s->aggs, w->trans, w->transnull, g->cxt);
	MemoryContextSwitchTo(old);

	dlist_push_tail(&g->members, &w->group_node);
	g->nmembers++;
	s->nopen++;

	/* sessions: keep the key's windows sorted by start */
	if (s->spec.win.kind == WIN_SESSION)
	{
		dlist_iter	it;
		bool		placed = false;

		dlist_foreach(it, &k->wins)
		{
			WcWin	   *o = dlist_container(WcWin, key_node, it.cur);

			if (o->start > w->start)
			{
				dlist_insert_before(&o->key_node, &w->key_node);
				placed = true;
				break;
			}
		}
		if (!placed)
			dlist_push_tail(&k->wins, &w->key_node);
	}
	else
	{
		/* fixed windows: sorted by (start, end, time); new ones come last */
		dlist_iter	it;
		bool		placed = false;

		dlist_reverse_foreach(it, &k->wins)
		{
			WcWin	   *o = dlist_container(WcWin, key_node, it.cur);

			if (wc_win_cmp(o, w->start, w->end, w->time) < 0)
			{
				dlist_insert_after(&o->key_node, &w->key_node);
				placed = true;
				break;
			}
		}
		if (!placed)
			dlist_push_head(&k->wins, &w->key_node);
	}
	k->nwins++;
	return w;
}

/* ---------------------------------------------------------- aggregates */

static inline void
wc_trans_row(WcState *s, WcWin *w, const WcRowArgs *a)
{
	wc_aggs_advance(&s->aggs, w->trans, w->transnull, w->group->cxt, a);
}

/* Merge src's transition values into dst (session merges). */
static void
wc_combine(WcState *s, WcWin *dst, WcWin *src)
{
	LOCAL_FCINFO(fcinfo, 2);

	wc_aggs_context(&s->aggs, dst->group->cxt);

	for (int i = 0; i < s->spec.naggs; i++)
	{
		WcAggDef   *ag = &s->spec.aggs[i];
		Datum		newval;
		MemoryContext old;

		if (!ag->hasCombine)
			elog(ERROR, "aggregate %s has no combine function", ag->name);
		if (ag->combinefnStrict)
		{
			if (src->transnull[i])
				continue;
			if (dst->transnull[i])
			{
				old = MemoryContextSwitchTo(dst->group->cxt);
				dst->trans[i] = datumCopy(src->trans[i], ag->transtypeByVal, ag->transtypeLen);
				dst->transnull[i] = false;
				MemoryContextSwitchTo(old);
				continue;
			}
		}
		InitFunctionCallInfoData(*fcinfo, &ag->combinefn, 2, ag->collation,
								 (Node *) s->aggs.aggstate, NULL);
		fcinfo->args[0].value = dst->trans[i];
		fcinfo->args[0].isnull = dst->transnull[i];
		fcinfo->args[1].value = src->trans[i];
		fcinfo->args[1].isnull = src->transnull[i];
		old = MemoryContextSwitchTo(s->tmpcxt);
		newval = FunctionCallInvoke(fcinfo);
		MemoryContextSwitchTo(old);
		wc_aggs_store(ag, &dst->trans[i], &dst->transnull[i], dst->group->cxt, newval, fcinfo->isnull);
	}
}

/* ----------------------------------------------------------- emission */

static void
wc_emit_window(WcState *s, WcEmitKind kind, int64 ordinal, WcWin *w)
{
	WcEmission	e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.watermark = s->watermark;
	e.ordinal = ordinal;
	e.key = w->key->key;
	e.keynull = w->key->isnull;
	e.start = w->start;
	e.end = w->end;
	e.time = w->group->time;
	if (kind == WC_EMIT_FINAL)
		e.firing = ++w->fires;
	if (kind != WC_EMIT_RETRACT)
	{
		wc_aggs_final(&s->aggs, w->trans, w->transnull, w->group->cxt);
		e.values = s->aggs.outvals;
		e.isnull = s->aggs.outnulls;
	}
	w->emitted = true;
	s->emit(s->emit_arg, &e);
}

static void
wc_emit_late(WcState *s, WcEmitKind kind, int64 ordinal, Datum key, bool keynull,
			 int64 ts, WinBounds wb)
{
	WcEmission	e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.watermark = s->watermark;
	e.ordinal = ordinal;
	e.key = key;
	e.keynull = keynull || s->spec.keytype == InvalidOid;
	e.start = wb.start;
	e.end = wb.end;
	e.time = wb.time;
	e.has_event_time = true;
	e.event_time = ts;
	s->emit(s->emit_arg, &e);
}

/* After a row changed w: re-fire a fired window, or report the update. */
static inline void
wc_after_change(WcState *s, int64 ordinal, WcWin *w)
{
	if (w->group->fired)
		wc_emit_window(s, WC_EMIT_FINAL, ordinal, w);
	else if (s->spec.emit_update)
		wc_emit_window(s, WC_EMIT_UPDATE, ordinal, w);
}

/* --------------------------------------------------------------- push */

static void
wc_push_fixed(WcState *s, int64 ordinal, Datum key, bool keynull, int64 ts,
			  const WcRowArgs *args)
{
	int			n;
	int			nadded = 0;
	WcKey	   *k = NULL;

	/*
	 * A tumbling window covers a whole range of times: reuse the last
	 * assignment while rows stay inside it (wall-clock alignment makes the
	 * assigner comparatively expensive).
	 */
	if (s->tumble_cached &&
		ts >= s->tumble_last.start && ts < s->tumble_last.end)
	{
		s->bounds[0] = s->tumble_last;
		n = 1;
	}
	else
	{
		n = win_assign(&s->spec.win, ts, s->bounds);
		if (s->spec.win.kind == WIN_TUMBLE && n == 1 && s->ranges)
		{
			s->tumble_last = s->bounds[0];
			s->tumble_cached = true;
		}
	}

	for (int i = 0; i < n; i++)
	{
		s->bounds_late[i] =
			wc_sat_add(s->bounds[i].time, s->spec.lateness) <= s->watermark;
		if (!s->bounds_late[i])
			nadded++;
	}

	for (int i = 0; i < n; i++)
	{
		WinBounds	b = s->bounds[i];
		WcGroupEntry *ge;
		WcGroup    *g;
		WcWin	   *w = NULL;

		if (s->bounds_late[i])
		{
			wc_emit_late(s, nadded ? WC_EMIT_MISSED : WC_EMIT_LATE, ordinal,
						 key, keynull, ts, b);
			continue;
		}
		if (k == NULL)
			k = wc_key_lookup(s, key, keynull, true);

		/* a read usually lands in a window its key already has */
		w = wc_key_window(k, b.start, b.end, b.time);
		if (w == NULL)
		{
			ge = wcgroups_lookup(s->groups, b);
			g = ge ? ge->g : wc_group_new(s, b);
			w = wc_member_new(s, g, k);
		}
		wc_trans_row(s, w, args);
		wc_after_change(s, ordinal, w);
	}
}

static void
wc_push_session(WcState *s, int64 ordinal, Datum key, bool keynull, int64 ts,
				const WcRowArgs *args)
{
	int64		pstart = ts;
	int64		pend;
	int64		mstart,
				mend;
	WcKey	   *k;
	dlist_iter	it;
	WcWin	   *first = NULL;
	int			nover = 0;
	WcGroup    *g;
	WcWin	   *nw;
	dlist_mutable_iter mit;

	if (pg_add_s64_overflow(ts, s->spec.win.size, &pend) || pend > END_TIMESTAMP)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("session window of a row at the end of the timestamp range is out of range")));
	mstart = pstart;
	mend = pend;

	k = wc_key_lookup(s, key, keynull, false);
	if (k)
	{
		dlist_foreach(it, &k->wins)
		{
			WcWin	   *o = dlist_container(WcWin, key_node, it.cur);

			/* intersect or touch (Flink TimeWindow.intersects) */
			if (o->start <= pend && o->end >= pstart)
			{
				if (first == NULL)
					first = o;
				nover++;
				mstart = Min(mstart, o->start);
				mend = Max(mend, o->end);
			}
		}
	}

	if (nover == 0)
	{
		if (wc_sat_add(win_bounds(pstart, pend).time, s->spec.lateness) <= s->watermark)
		{
			wc_emit_late(s, WC_EMIT_LATE, ordinal, key, keynull, ts,
						 win_bounds(pstart, pend));
			return;
		}
		k = wc_key_lookup(s, key, keynull, true);
		g = wc_group_new(s, win_bounds(pstart, pend));
		nw = wc_member_new(s, g, k);
		wc_trans_row(s, nw, args);
		wc_after_change(s, ordinal, nw);
		return;
	}

	if (nover == 1 && first->start == mstart && first->end == mend)
	{
		/* the row falls inside an existing session */
		wc_trans_row(s, first, args);
		wc_after_change(s, ordinal, first);
		return;
	}

	/* merge: a new session covering the row and every touched session */
	g = wc_group_new(s, win_bounds(mstart, mend));
	nw = wc_member_new(s, g, k);
	dlist_foreach_modify(mit, &k->wins)
	{
		WcWin	   *o = dlist_container(WcWin, key_node, mit.cur);

		if (o == nw || !(o->start <= pend && o->end >= pstart))
			continue;
		wc_combine(s, nw, o);
		if (s->spec.emit_update && o->emitted)
			wc_emit_window(s, WC_EMIT_RETRACT, ordinal, o);
		wc_group_clear(s, o->group);	/* unlinks o from k */
	}
	wc_trans_row(s, nw, args);
	wc_after_change(s, ordinal, nw);
}

/*
 * Process one read with event time ts (microseconds) under the current
 * watermark.  The caller advances the watermark afterwards if it derives
 * watermarks from event times.
 */
void
wc_push(WcState *s, int64 ordinal, Datum key, bool keynull, int64 ts,
		const WcRowArgs *args)
{
	if (!s->tmpcxt->isReset || s->tmpcxt->firstchild != NULL)
		MemoryContextReset(s->tmpcxt);
	if (s->spec.win.kind == WIN_SESSION)
		wc_push_session(s, ordinal, key, keynull, ts, args);
	else
		wc_push_fixed(s, ordinal, key, keynull, ts, args);
}

/*
 * Advance the watermark; fire and clean up every window it reaches.  A
 * watermark that does not move forward is ignored (watermarks are
 * monotonic).
 */
void
wc_advance(WcState *s, int64 ordinal, int64 watermark)
{
	if (watermark <= s->watermark)
		return;
	s->watermark = watermark;

	while (s->heap_len > 0 && s->heap[0]->next_time <= watermark)
	{
		WcGroup    *g = wc_heap_pop(s);

		CHECK_FOR_INTERRUPTS();
		if (g->dead)
		{
			pfree(g);
			continue;
		}
		if (!g->fired)
		{
			dlist_iter	it;

			g->fired = true;
			dlist_foreach(it, &g->members)
			{
				MemoryContextReset(s->tmpcxt);
				wc_emit_window(s, WC_EMIT_FINAL, ordinal,
							   dlist_container(WcWin, group_node, it.cur));
			}
			g->next_time = wc_sat_add(g->time, s->spec.lateness);
			if (g->next_time > watermark)
			{
				wc_heap_push(s, g);
				continue;
			}
		}
		wc_group_clear(s, g);
		pfree(g);
	}
	MemoryContextReset(s->tmpcxt);
}

/* ---------------------------------------------------------- snapshots */

static void
wc_key_io(WcState *s)
{
	Oid			fn;
	bool		isvarlena;

	if (s->key_io_ready || s->spec.keytype == InvalidOid)
		return;
	getTypeBinaryOutputInfo(s->spec.keytype, &fn, &isvarlena);
	fmgr_info_cxt(fn, &s->keysend, s->cxt);
	getTypeBinaryInputInfo(s->spec.keytype, &fn, &s->keyioparam);
	fmgr_info_cxt(fn, &s->keyrecv, s->cxt);
	s->key_io_ready = true;
}

static void
wc_send_bytes(StringInfo buf, const char *data, int len)
{
	pq_sendint32(buf, len);
	pq_sendbytes(buf, data, len);
}

static int
wc_group_cmp(const void *a, const void *b)
{
	const WcGroup *ga = *(WcGroup *const *) a;
	const WcGroup *gb = *(WcGroup *const *) b;

	return (ga->id < gb->id) ? -1 : (ga->id > gb->id) ? 1 : 0;
}

/*
 * Append the operator state to buf: the watermark, then every live group
 * in creation order with its members in creation order, each with its key
 * (the key type's binary send format) and its transition values (the
 * aggregate's serialfn for internal states, else the type's send format).
 */
void
wc_serialize(WcState *s, StringInfo buf)
{
	WcGroup   **groups;
	int			ngroups = 0;
	LOCAL_FCINFO(fcinfo, 1);

	wc_key_io(s);
	for (int i = 0; i < s->spec.naggs; i++)
	{
		WcAggDef   *ag = &s->spec.aggs[i];

		if (ag->transtype == INTERNALOID ? !ag->hasSerial : !ag->hasSendRecv)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot snapshot the state of aggregate %s", ag->name),
					 errdetail("Its transition type %s has no serialization or binary send function.",
							   format_type_be(ag->transtype))));
	}

	groups = palloc(sizeof(WcGroup *) * Max(s->heap_len, 1));
	for (int i = 0; i < s->heap_len; i++)
		if (!s->heap[i]->dead)
			groups[ngroups++] = s->heap[i];
	qsort(groups, ngroups, sizeof(WcGroup *), wc_group_cmp);

	pq_sendint32(buf, WC_SNAPSHOT_MAGIC);
	pq_sendint64(buf, s->watermark);
	pq_sendint32(buf, ngroups);
	for (int gi = 0; gi < ngroups; gi++)
	{
		WcGroup    *g = groups[gi];
		dlist_iter	it;

		CHECK_FOR_INTERRUPTS();
		pq_sendint64(buf, g->start);
		pq_sendint64(buf, g->end);
		pq_sendint64(buf, g->time);
		pq_sendbyte(buf, g->fired);
		pq_sendint32(buf, g->nmembers);
		wc_aggs_context(&s->aggs, g->cxt);
		dlist_foreach(it, &g->members)
		{
			WcWin	   *w = dlist_container(WcWin, group_node, it.cur);

			MemoryContextReset(s->tmpcxt);
			pq_sendbyte(buf, w->key->isnull);
			if (!w->key->isnull)
			{
				bytea	   *kb = SendFunctionCall(&s->keysend, w->key->key);

				wc_send_bytes(buf, VARDATA(kb), VARSIZE(kb) - VARHDRSZ);
			}
			pq_sendint32(buf, w->fires);
			pq_sendbyte(buf, w->emitted);
			for (int i = 0; i < s->spec.naggs; i++)
			{
				WcAggDef   *ag = &s->spec.aggs[i];
				bytea	   *vb;
				MemoryContext old;

				pq_sendbyte(buf, w->transnull[i]);
				if (w->transnull[i])
					continue;
				old = MemoryContextSwitchTo(s->tmpcxt);
				if (ag->transtype == INTERNALOID)
				{
					InitFunctionCallInfoData(*fcinfo, &ag->serialfn, 1, InvalidOid,
											 (Node *) s->aggs.aggstate, NULL);
					fcinfo->args[0].value = w->trans[i];
					fcinfo->args[0].isnull = false;
					vb = DatumGetByteaPP(FunctionCallInvoke(fcinfo));
					if (fcinfo->isnull)
						elog(ERROR, "serialization function of %s returned NULL", ag->name);
				}
				else
					vb = SendFunctionCall(&ag->sendfn, w->trans[i]);
				MemoryContextSwitchTo(old);
				wc_send_bytes(buf, VARDATA_ANY(vb), VARSIZE_ANY_EXHDR(vb));
			}
		}
	}
	MemoryContextReset(s->tmpcxt);
	pfree(groups);
}

static void
wc_bad_snapshot(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid window snapshot: %s", what)));
}

static int
wc_get_len(StringInfo buf)
{
	int			len;

	if (buf->cursor + 4 > buf->len)
		wc_bad_snapshot("truncated");
	len = (int) pq_getmsgint(buf, 4);
	if (len < 0 || len > buf->len - buf->cursor)
		wc_bad_snapshot("bad length");
	return len;
}

static void
wc_need(StringInfo buf, int n)
{
	if (buf->cursor + n > buf->len)
		wc_bad_snapshot("truncated");
}

/*
 * Restore the state written by wc_serialize into a fresh operator created
 * with the same spec.
 */
void
wc_deserialize(WcState *s, StringInfo buf)
{
	int			ngroups;
	uint32		magic;
	StringInfoData vbuf;
	LOCAL_FCINFO(fcinfo, 2);

	if (s->nopen > 0 || s->heap_len > 0)
		elog(ERROR, "window state restored into a used operator");
	wc_key_io(s);
	initStringInfo(&vbuf);

	wc_need(buf, 4 + 8 + 4);
	magic = pq_getmsgint(buf, 4);
	if (magic != WC_SNAPSHOT_MAGIC && magic != WC_SNAPSHOT_MAGIC_1)
		wc_bad_snapshot("bad magic number");
	s->watermark = pq_getmsgint64(buf);
	ngroups = (int) pq_getmsgint(buf, 4);
	if (ngroups < 0)
		wc_bad_snapshot("bad group count");

	for (int gi = 0; gi < ngroups; gi++)
	{
		WinBounds	b;
		bool		fired;
		int			nmembers;
		WcGroup    *g;

		CHECK_FOR_INTERRUPTS();
		wc_need(buf, 8 + 8 + 1 + 4);
		b.start = pq_getmsgint64(buf);
		b.end = pq_getmsgint64(buf);
		if (magic == WC_SNAPSHOT_MAGIC)
		{
			wc_need(buf, 8 + 1 + 4);
			b.time = pq_getmsgint64(buf);
		}
		else if (wc_bounds_in_range(b.start, b.end))
			b.time = win_time_of(&s->spec.win, b.start, b.end);
		else
			wc_bad_snapshot("bad window");
		fired = pq_getmsgbyte(buf);
		nmembers = (int) pq_getmsgint(buf, 4);
		if (!wc_bounds_plausible(s, &b) || nmembers <= 0 ||
			(s->groups && wcgroups_lookup(s->groups, b)))
			wc_bad_snapshot("bad window");
		g = wc_group_new(s, b);
		if (g->fired != fired)
		{
			/* fired follows from the watermark; check, do not trust */
			wc_bad_snapshot("window state disagrees with the watermark");
		}
		wc_aggs_context(&s->aggs, g->cxt);

		for (int mi = 0; mi < nmembers; mi++)
		{
			bool		keynull;
			Datum		key = (Datum) 0;
			WcKey	   *k;
			WcWin	   *w;
			dlist_iter	it;

			MemoryContextReset(s->tmpcxt);
			wc_need(buf, 1);
			keynull = pq_getmsgbyte(buf);
			if (!keynull)
			{
				int			len = wc_get_len(buf);
				MemoryContext old;

				if (s->spec.keytype == InvalidOid)
					wc_bad_snapshot("key in a snapshot without keys");
				resetStringInfo(&vbuf);
				appendBinaryStringInfo(&vbuf, pq_getmsgbytes(buf, len), len);
				old = MemoryContextSwitchTo(s->tmpcxt);
				key = ReceiveFunctionCall(&s->keyrecv, &vbuf, s->keyioparam, -1);
				MemoryContextSwitchTo(old);
			}
			k = wc_key_lookup(s, key, keynull, true);
			if (s->spec.win.kind != WIN_SESSION)
			{
				if (wc_key_window(k, g->start, g->end, g->time) != NULL)
					wc_bad_snapshot("duplicate window");
			}
			else
			{
				dlist_foreach(it, &k->wins)
				{
					if (dlist_container(WcWin, key_node, it.cur)->group == g)
						wc_bad_snapshot("duplicate window");
				}
			}
			w = wc_member_new(s, g, k);
			wc_need(buf, 5);
			w->fires = (int32) pq_getmsgint(buf, 4);
			w->emitted = pq_getmsgbyte(buf);
			for (int i = 0; i < s->spec.naggs; i++)
			{
				WcAggDef   *ag = &s->spec.aggs[i];
				int			len;
				MemoryContext old;
				Datum		v;

				wc_need(buf, 1);
				if (pq_getmsgbyte(buf))
				{
					wc_aggs_store(ag, &w->trans[i], &w->transnull[i], g->cxt, (Datum) 0, true);
					continue;
				}
				len = wc_get_len(buf);
				resetStringInfo(&vbuf);
				appendBinaryStringInfo(&vbuf, pq_getmsgbytes(buf, len), len);
				if (ag->transtype == INTERNALOID)
				{
					bytea	   *b;

					old = MemoryContextSwitchTo(s->tmpcxt);
					b = palloc(len + VARHDRSZ);
					SET_VARSIZE(b, len + VARHDRSZ);
					memcpy(VARDATA(b), vbuf.data, len);
					MemoryContextSwitchTo(g->cxt);
					InitFunctionCallInfoData(*fcinfo, &ag->deserialfn, 2, InvalidOid,
											 (Node *) s->aggs.aggstate, NULL);
					fcinfo->args[0].value = PointerGetDatum(b);
					fcinfo->args[0].isnull = false;
					fcinfo->args[1].value = (Datum) 0;
					fcinfo->args[1].isnull = true;
					v = FunctionCallInvoke(fcinfo);
					MemoryContextSwitchTo(old);
					w->trans[i] = v;
					w->transnull[i] = fcinfo->isnull;
				}
				else
				{
					old = MemoryContextSwitchTo(s->tmpcxt);
					v = ReceiveFunctionCall(&ag->recvfn, &vbuf, ag->recvioparam, -1);
					MemoryContextSwitchTo(old);
					/* initial value of the new member is replaced */
					wc_aggs_store(ag, &w->trans[i], &w->transnull[i], g->cxt, v, false);
				}
			}
		}
	}
	if (buf->cursor != buf->len)
		wc_bad_snapshot("trailing bytes");
	MemoryContextReset(s->tmpcxt);
	pfree(vbuf.data);
}
