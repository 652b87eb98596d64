/*-------------------------------------------------------------------------
 *
 * mr_matcher.c
 *	  The push-based MATCH_RECOGNIZE matcher (mr_matcher.h): the thread list
 *	  of docs/match_recognize.md §2 fed one row at a time, with AFTER MATCH
 *	  SKIP replays, WITHIN, EMIT TIMEOUTS and FOLLOWED BY NO (§3).
 *
 * The list.  A search keeps a list of entries in preference order (earlier
 * start rows first, then SQL:2016 preferment), and the recorded match,
 * which is less preferred than every entry:
 *	- RUN: a thread at a LABEL instruction, waiting for the next row;
 *	- END: a thread at `$`, which dies when a row arrives and goes on at
 *	  mr_matcher_finish();
 *	- PENDING: a match waiting for its FOLLOWED BY NO period;
 *	- TIMEOUT: a partial match that timed out; it becomes the result when
 *	  it is first in the list (no completed match of its start row came).
 * Entries of one start row are contiguous, and all RUN and END threads
 * are at the same position: the next row to process (pos).
 *
 * A row: the start thread of that row joins at the lowest priority while
 * no match is recorded, then every entry takes the row (RUN threads ask the
 * define hook, follow non-consuming instructions depth-first with an
 * explicit stack and append what they reach to the next list).  Reaching
 * DONE records a match and ends every less preferred entry; with FOLLOWED
 * BY NO it makes a PENDING entry instead.  Time events happen before the
 * row whose time reaches them, or when the watermark does: a PENDING entry
 * whose period is over becomes the recorded match; RUN threads whose start
 * row is `within` old die, leaving a TIMEOUT entry behind with EMIT
 * TIMEOUTS.  The search is complete when a TIMEOUT entry is first, or the
 * list is empty with a recorded match; then the result is emitted, AFTER
 * MATCH SKIP gives the next search row and the rows from there, which are
 * retained, are processed again (a loop, not recursion).
 *
 * Equivalence.  Two threads at the same instruction and position with the
 * same key have the same futures, and the earlier one is preferred, so the
 * later one is dropped.  The key is empty with history-free conditions
 * (one thread per instruction: linear time), the start row with WITHIN
 * (deadlines differ), the start row and the label history otherwise.
 * Histories are linked lists in an arena, compacted when it grows;
 * history-dependent matchers hash-cons them (equal histories have equal
 * indexes), so comparing them is comparing two integers.  Non-consuming
 * instructions are marked per step without a key (as in the batch matcher)
 * and per thread with one; leaves are then deduplicated through a hash set.
 *
 * Unmatched rows are reported as soon as no entry and no recorded match
 * can start at them, so they come in row order before the match that
 * follows them.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "port/pg_bswap.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "mr_matcher.h"

typedef enum MrEntryKind
{
	MR_ENTRY_RUN,
	MR_ENTRY_END,
	MR_ENTRY_PENDING,
	MR_ENTRY_TIMEOUT
} MrEntryKind;

typedef struct MrEntry
{
	int64		start;
	int64		end;			/* PENDING, TIMEOUT: rows [start, end) */
	int64		due;			/* PENDING: end of its absence; TIMEOUT: deadline */
	int32		pc;				/* RUN, END: instruction; else -1 */
	int32		hist;			/* label history, -1: none */
	uint8		kind;			/* MrEntryKind */
} MrEntry;

typedef struct MrList
{
	MrEntry    *e;
	int			n;
	int			cap;
} MrList;

/* One label of a history: the row's variable * 2 + excluded. */
typedef struct MrHist
{
	int32		prev;			/* -1: none */
	int32		var;
} MrHist;

typedef struct MrRecord
{
	bool		valid;
	int64		start;
	int64		end;
	int32		hist;
} MrRecord;

/* A leaf reached in this step (keyed equivalence). */
typedef struct MrKey
{
	int64		start;
	int32		pc;
	int32		hist;
	uint32		gen;
} MrKey;

struct MrMatcher
{
	MemoryContext cxt;
	const MrClause *clause;
	const MrProgram *prog;
	MrMatcherHooks hooks;
	bool		history_free;
	bool		keyed;			/* equivalence needs the same start row */
	bool		hashcons;		/* ... and the same history */
	int			max_threads;
	bool		has_within;
	int64		within;
	bool		emit_timeouts;
	bool		has_absence;
	int64		absent_for;
	int			absent_var;
	int			words;			/* condition cache: words per row */

	/* the partition */
	int64		nrows;
	int64		match_count;
	int64		covered;		/* rows before this lie in a non-empty match */
	int64		unmatched_next; /* rows before this were reported or skipped */
	int64		now;			/* event time reached */
	int64		last_time;		/* time of the last row pushed */

	/* retained rows [base, nrows) */
	int64		base;
	int64		rcap;
	int64	   *times;
	uint64	   *known;			/* history_free: condition asked */
	uint64	   *value;			/* ... and its result */

	/* the search */
	int64		pos;			/* next row to process */
	MrRecord	rec;
	MrList		cur;
	MrList		next;
	MrList	   *out;			/* where the closure appends */
	bool		done_in_step;	/* a PENDING entry was made at this position */

	/* label histories */
	MrHist	   *hist;
	int64		nhist;
	int64		histcap;
	int64		compact_at;
	int32	   *hc;				/* hash-consing: node indexes, -1 empty */
	int64		hcsize;			/* power of 2 */

	/* closure */
	uint64		stamp;
	uint64	   *mark;			/* per pc */
	int		   *stack;
	MrKey	   *keys;
	int			keycap;			/* power of 2 */
	int			nkeys;
	uint32		keygen;

	/* labels handed to the define hook, for history labels_hist */
	int32	   *labels;
	int64		labels_cap;
	int32		labels_hist;	/* -2: none */

	/* result arrays */
	int32	   *res_vars;
	bool	   *res_excl;
	int64		res_cap;
};

#define MR_HIST_MIN_COMPACT	(1 << 20)
#define MR_HIST_MAX			(INT64CONST(1) << 28)
#define MR_LIST_MAX			(1 << 28)

/* ------------------------------------------------------------- helpers */

int64
mr_interval_usecs(const MrInterval *iv)
{
	int64		days,
				r;

	if (iv->value.month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("interval %s in MATCH_RECOGNIZE clause has months or years", iv->expr.text),
				 errdetail("A month has no fixed length in event time."),
				 errhint("Write the interval in days or smaller units.")));
	if (pg_mul_s64_overflow(iv->value.day, USECS_PER_DAY, &days) ||
		pg_add_s64_overflow(days, iv->value.time, &r))
		return PG_INT64_MAX;
	return Max(r, 1);
}

static bool
var_matches(const MrClause *c, int target, int var)
{
	int			i;

	if (target < c->nprimary)
		return var == target;
	for (i = 0; i < c->vars[target].nmembers; i++)
		if (c->vars[target].members[i] == var)
			return true;
	return false;
}

int64
mr_skip_target(const MrClause *c, int64 start, int64 end, const int32 *vars,
			   int64 match_number)
{
	int64		len = end - start;
	int64		i,
				row = -1;

	switch (c->skip)
	{
		case MR_SKIP_PAST_LAST_ROW:
			return end;
		case MR_SKIP_TO_NEXT_ROW:
			return start + 1;
		case MR_SKIP_TO_FIRST:
			for (i = 0; i < len && row < 0; i++)
				if (var_matches(c, c->skip_var, vars[i]))
					row = start + i;
			break;
		case MR_SKIP_TO_LAST:
			for (i = len - 1; i >= 0 && row < 0; i--)
				if (var_matches(c, c->skip_var, vars[i]))
					row = start + i;
			break;
	}
	if (row < 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("AFTER MATCH SKIP failed: pattern variable \"%s\" is not present in match " INT64_FORMAT,
						c->vars[c->skip_var].label, match_number)));
	if (row == start)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("AFTER MATCH SKIP failed: cannot skip to first row of match " INT64_FORMAT,
						match_number)));
	return row;
}

static void
too_many_threads(const MrMatcher *m)
{
	if (m->max_threads <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("MATCH_RECOGNIZE matcher holds too many partial matches")));
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("MATCH_RECOGNIZE has more partial matches alive than asset_stream.max_partial_matches (%d)",
					m->max_threads),
			 errhint("Raise asset_stream.max_partial_matches, or simplify the pattern or its DEFINE conditions: conditions that look only at their row (and PREV/NEXT) keep at most one partial match per pattern position.")));
}

/* Room for n elements of size sz in *p (capacity *cap), in m's context. */
static void
ensure_room(MrMatcher *m, void **p, int64 *cap, int64 n, Size sz)
{
	int64		newcap;

	if (n <= *cap)
		return;
	newcap = Max(*cap * 2, Max(n, 16));
	if (*p == NULL)
		*p = MemoryContextAllocExtended(m->cxt, newcap * sz, MCXT_ALLOC_HUGE);
	else
		*p = repalloc_huge(*p, newcap * sz);
	*cap = newcap;
}

/* ------------------------------------------------------------ entries */

static MrEntry *
list_add(MrMatcher *m, MrList *l)
{
	if (m->max_threads > 0 && l->n >= m->max_threads)
		too_many_threads(m);
	if (l->n >= l->cap)
	{
		int64		cap = l->cap;

		if (l->n >= MR_LIST_MAX)
			too_many_threads(m);
		ensure_room(m, (void **) &l->e, &cap, (int64) l->n + 1, sizeof(MrEntry));
		l->cap = (int) Min(cap, MR_LIST_MAX);
	}
	return &l->e[l->n++];
}

static void
add_entry(MrMatcher *m, MrList *l, MrEntryKind kind, int32 pc, int64 start,
		  int64 end, int64 due, int32 hist)
{
	MrEntry    *e = list_add(m, l);

	e->kind = kind;
	e->pc = pc;
	e->start = start;
	e->end = end;
	e->due = due;
	e->hist = hist;
}

static inline void
swap_lists(MrMatcher *m)
{
	MrList		t = m->cur;

	m->cur = m->next;
	m->next = t;
	m->next.n = 0;
}

/* ---------------------------------------------------------- histories */

static inline uint32
hist_hash(int32 prev, int32 var)
{
	return hash_combine(murmurhash32((uint32) prev), murmurhash32((uint32) var));
}

static void
hc_insert(MrMatcher *m, int32 idx)
{
	uint64		mask = m->hcsize - 1;
	uint64		h = hist_hash(m->hist[idx].prev, m->hist[idx].var) & mask;

	while (m->hc[h] >= 0)
		h = (h + 1) & mask;
	m->hc[h] = idx;
}

/* Rebuild the hash-consing table for nhist nodes. */
static void
hc_rebuild(MrMatcher *m)
{
	int64		size = 1024;
	int64		i;

	while (size < 2 * (m->nhist + 1))
		size *= 2;
	if (size != m->hcsize)
	{
		if (m->hc)
			pfree(m->hc);
		m->hc = MemoryContextAllocExtended(m->cxt, sizeof(int32) * size, MCXT_ALLOC_HUGE);
		m->hcsize = size;
	}
	memset(m->hc, 0xff, sizeof(int32) * size);
	for (i = 0; i < m->nhist; i++)
		hc_insert(m, (int32) i);
}

static int32
hist_push(MrMatcher *m, int32 prev, int var, bool excluded)
{
	int32		v = var * 2 + (excluded ? 1 : 0);

	if (m->hashcons)
	{
		uint64		mask = m->hcsize - 1;
		uint64		h = hist_hash(prev, v) & mask;

		for (; m->hc[h] >= 0; h = (h + 1) & mask)
		{
			const MrHist *n = &m->hist[m->hc[h]];

			if (n->prev == prev && n->var == v)
				return m->hc[h];
		}
	}
	if (m->nhist >= MR_HIST_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("MATCH_RECOGNIZE matcher holds too many partial matches")));
	ensure_room(m, (void **) &m->hist, &m->histcap, m->nhist + 1, sizeof(MrHist));
	m->hist[m->nhist].prev = prev;
	m->hist[m->nhist].var = v;
	m->nhist++;
	if (m->hashcons)
	{
		if (2 * m->nhist > m->hcsize)
			hc_rebuild(m);
		else
			hc_insert(m, (int32) (m->nhist - 1));
	}
	return (int32) (m->nhist - 1);
}

static void
hist_reset(MrMatcher *m)
{
	m->nhist = 0;
	m->labels_hist = -2;
	m->compact_at = MR_HIST_MIN_COMPACT;
	if (m->hashcons)
		hc_rebuild(m);
}

/*
 * Mark the nodes reachable from the entries of l and the record in newidx
 * (-1: reachable, -2: not), then number the reachable ones in order.
 * prev < self, so one forward pass renumbers.  Returns how many.
 */
static int64
hist_number_live(const MrMatcher *m, const MrList *l, int32 *newidx)
{
	int64		i,
				n = 0;

	for (i = 0; i < m->nhist; i++)
		newidx[i] = -2;
	for (i = -1; i < l->n; i++)
	{
		int32		h = (i < 0) ? (m->rec.valid ? m->rec.hist : -1) : l->e[i].hist;

		while (h >= 0 && newidx[h] == -2)
		{
			newidx[h] = -1;
			h = m->hist[h].prev;
		}
	}
	for (i = 0; i < m->nhist; i++)
		if (newidx[i] != -2)
			newidx[i] = (int32) n++;
	return n;
}

/* Drop the nodes no entry and no record reaches; renumber. */
static void
hist_compact(MrMatcher *m)
{
	int32	   *newidx = MemoryContextAllocExtended(m->cxt, sizeof(int32) * Max(m->nhist, 1),
													MCXT_ALLOC_HUGE);
	int64		i,
				n;

	n = hist_number_live(m, &m->cur, newidx);
	for (i = 0; i < m->nhist; i++)
	{
		if (newidx[i] < 0)
			continue;
		m->hist[newidx[i]].var = m->hist[i].var;
		m->hist[newidx[i]].prev = m->hist[i].prev < 0 ? -1 : newidx[m->hist[i].prev];
	}
	for (i = 0; i < m->cur.n; i++)
		if (m->cur.e[i].hist >= 0)
			m->cur.e[i].hist = newidx[m->cur.e[i].hist];
	if (m->rec.valid && m->rec.hist >= 0)
		m->rec.hist = newidx[m->rec.hist];
	pfree(newidx);
	m->nhist = n;
	m->labels_hist = -2;
	if (m->hashcons)
		hc_rebuild(m);
	m->compact_at = Max(MR_HIST_MIN_COMPACT, 4 * n);
}

/*
 * The labels of history h (len rows) for the define hook.  The previous
 * call's array is reused when h extends it.
 */
static const int32 *
history_labels(MrMatcher *m, int32 h, int64 len)
{
	int64		n = len;
	int32		target = h;

	ensure_room(m, (void **) &m->labels, &m->labels_cap, Max(len, 1), sizeof(int32));
	while (n > 0 && h != m->labels_hist)
	{
		Assert(h >= 0);
		m->labels[--n] = m->hist[h].var / 2;
		h = m->hist[h].prev;
	}
	m->labels_hist = target;
	return m->labels;
}

/* The labels of a match with history h (len rows), into the result arrays. */
static void
result_labels(MrMatcher *m, int32 h, int64 len)
{
	int64		i;

	if (len > m->res_cap || m->res_vars == NULL)
	{
		int64		cap = Max(len, Max(2 * m->res_cap, 16));

		if (m->res_vars)
		{
			pfree(m->res_vars);
			pfree(m->res_excl);
		}
		m->res_vars = MemoryContextAllocExtended(m->cxt, sizeof(int32) * cap, MCXT_ALLOC_HUGE);
		m->res_excl = MemoryContextAllocExtended(m->cxt, sizeof(bool) * cap, MCXT_ALLOC_HUGE);
		m->res_cap = cap;
	}
	for (i = len - 1; i >= 0; i--)
	{
		Assert(h >= 0);
		m->res_vars[i] = m->hist[h].var / 2;
		m->res_excl[i] = m->hist[h].var & 1;
		h = m->hist[h].prev;
	}
}

/* ------------------------------------------------------ retained rows */

static inline int64
row_time(const MrMatcher *m, int64 row)
{
	Assert(row >= m->base && row < m->nrows);
	return m->times[row - m->base];
}

static inline int64
deadline(const MrMatcher *m, int64 start)
{
	return mr_time_add(row_time(m, start), m->within);
}

/* Room for `rows` retained rows. */
static void
retain_reserve(MrMatcher *m, int64 rows)
{
	int64		cap;

	if (rows <= m->rcap)
		return;
	cap = Max(rows, Max(2 * m->rcap, 64));
	if (m->times == NULL)
	{
		m->times = MemoryContextAllocExtended(m->cxt, sizeof(int64) * cap, MCXT_ALLOC_HUGE);
		if (m->history_free)
		{
			m->known = MemoryContextAllocExtended(m->cxt, sizeof(uint64) * cap * m->words, MCXT_ALLOC_HUGE);
			m->value = MemoryContextAllocExtended(m->cxt, sizeof(uint64) * cap * m->words, MCXT_ALLOC_HUGE);
		}
	}
	else
	{
		m->times = repalloc_huge(m->times, sizeof(int64) * cap);
		if (m->history_free)
		{
			m->known = repalloc_huge(m->known, sizeof(uint64) * cap * m->words);
			m->value = repalloc_huge(m->value, sizeof(uint64) * cap * m->words);
		}
	}
	m->rcap = cap;
}

static void
retain_row(MrMatcher *m, int64 time)
{
	int64		n = m->nrows - m->base;

	retain_reserve(m, n + 1);
	m->times[n] = time;
	if (m->history_free)
	{
		memset(&m->known[n * m->words], 0, sizeof(uint64) * m->words);
		memset(&m->value[n * m->words], 0, sizeof(uint64) * m->words);
	}
}

/* Forget rows before `row` once they are at least half of those retained. */
static void
retain_trim(MrMatcher *m, int64 row)
{
	int64		drop = row - m->base;
	int64		keep = m->nrows - row;

	if (drop <= 0 || drop < keep)
		return;
	memmove(m->times, m->times + drop, sizeof(int64) * keep);
	if (m->history_free)
	{
		memmove(m->known, m->known + drop * m->words, sizeof(uint64) * keep * m->words);
		memmove(m->value, m->value + drop * m->words, sizeof(uint64) * keep * m->words);
	}
	m->base = row;
}

/* ------------------------------------------------------------ conditions */

/* DEFINE of var at row for a thread (start, history h). */
static bool
ask(MrMatcher *m, int var, int64 row, int64 start, int32 h)
{
	size_t		idx;
	uint64		bit;
	bool		r;

	if (!m->history_free)
		return m->hooks.define(m->hooks.arg, var, row, start,
							   history_labels(m, h, row - start), m->match_count + 1);
	idx = (size_t) (row - m->base) * m->words + var / 64;
	bit = UINT64CONST(1) << (var % 64);
	if (m->known[idx] & bit)
		return (m->value[idx] & bit) != 0;
	r = m->hooks.define(m->hooks.arg, var, row, start, NULL, m->match_count + 1);
	m->known[idx] |= bit;
	if (r)
		m->value[idx] |= bit;
	return r;
}

/*
 * Does row (at time t) end a pending match due at `due`?  *qual caches
 * whether the row qualifies (-1: not known yet).
 */
static bool
absence_broken(MrMatcher *m, int64 row, int64 t, int64 due, int *qual)
{
	if (t >= due)
		return false;
	if (*qual < 0)
		*qual = m->absent_var < 0 || ask(m, m->absent_var, row, row, -1);
	return *qual != 0;
}

/* ------------------------------------------------------------ closure */

static inline void
next_stamp(MrMatcher *m)
{
	if (++m->stamp == 0)
	{
		memset(m->mark, 0, sizeof(uint64) * m->prog->ninstr);
		m->stamp = 1;
	}
}

static void
keys_reset(MrMatcher *m)
{
	if (++m->keygen == 0)
	{
		int			i;

		for (i = 0; i < m->keycap; i++)
			m->keys[i].gen = 0;
		m->keygen = 1;
	}
	m->nkeys = 0;
}

static inline uint32
key_hash(int32 pc, int64 start, int32 hist)
{
	return hash_combine(hash_combine(murmurhash32((uint32) pc),
									 murmurhash32((uint32) (start ^ (start >> 32)))),
						murmurhash32((uint32) hist));
}

static bool
keys_insert_slot(MrKey *keys, int cap, uint32 gen, int32 pc, int64 start, int32 hist)
{
	uint32		mask = cap - 1;
	uint32		h = key_hash(pc, start, hist) & mask;

	for (; keys[h].gen == gen; h = (h + 1) & mask)
		if (keys[h].pc == pc && keys[h].start == start && keys[h].hist == hist)
			return false;
	keys[h].gen = gen;
	keys[h].pc = pc;
	keys[h].start = start;
	keys[h].hist = hist;
	return true;
}

/* Add key (pc, start, hist) for this step; false if it is there already. */
static bool
keys_insert(MrMatcher *m, int32 pc, int64 start, int32 hist)
{
	if (2 * (m->nkeys + 1) > m->keycap)
	{
		int			cap = m->keycap * 2;
		MrKey	   *keys = MemoryContextAllocExtended(m->cxt, sizeof(MrKey) * cap,
													  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
		int			i;

		for (i = 0; i < m->keycap; i++)
			if (m->keys[i].gen == m->keygen)
				keys_insert_slot(keys, cap, 1, m->keys[i].pc, m->keys[i].start, m->keys[i].hist);
		pfree(m->keys);
		m->keys = keys;
		m->keycap = cap;
		m->keygen = 1;
	}
	if (!keys_insert_slot(m->keys, m->keycap, m->keygen, pc, start, hist))
		return false;
	m->nkeys++;
	return true;
}

/* A thread waiting at pc (RUN or END), unless an equivalent one is there. */
static void
add_thread(MrMatcher *m, MrEntryKind kind, int pc, int64 start, int32 hist)
{
	if (m->keyed && !keys_insert(m, pc, start, m->hashcons ? hist : -1))
		return;
	add_entry(m, m->out, kind, pc, start, 0, 0, hist);
}

static void
record_match(MrMatcher *m, int64 start, int64 end, int32 hist)
{
	m->rec.valid = true;
	m->rec.start = start;
	m->rec.end = end;
	m->rec.hist = hist;
}

/*
 * Follow the non-consuming instructions from pc0 at position pos for a
 * thread (start, hist), depth-first, preferred branch first, appending the
 * entries it reaches to m->out.  at_end: the partition ended at pos (`$`
 * holds, no row follows).  Returns true if a match was recorded: every
 * less preferred alternative ends.
 */
static bool
closure(MrMatcher *m, int pc0, int64 pos, int64 start, int32 hist, bool at_end)
{
	const MrInstr *code = m->prog->instr;
	int			sp = 0;

	if (m->keyed)
		next_stamp(m);
	m->stack[sp++] = pc0;
	while (sp > 0)
	{
		int			pc = m->stack[--sp];
		const MrInstr *ins = &code[pc];

		if (m->mark[pc] == m->stamp)
			continue;			/* an equivalent thread got here first */
		m->mark[pc] = m->stamp;
		switch ((MrOp) ins->op)
		{
			case MR_OP_LABEL:
				if (!at_end)
					add_thread(m, MR_ENTRY_RUN, pc, start, hist);
				break;
			case MR_OP_END:
				if (at_end)
					m->stack[sp++] = pc + 1;
				else
					add_thread(m, MR_ENTRY_END, pc, start, hist);
				break;
			case MR_OP_SPLIT:
				m->stack[sp++] = ins->y;
				m->stack[sp++] = ins->x;
				break;
			case MR_OP_JUMP:
				m->stack[sp++] = ins->x;
				break;
			case MR_OP_BEGIN:
				if (pos == 0)
					m->stack[sp++] = pc + 1;
				break;
			case MR_OP_DONE:
				if (pos == start || !m->has_absence)
				{
					record_match(m, start, pos, hist);
					return true;
				}
				if (!m->done_in_step)
				{
					m->done_in_step = true;
					add_entry(m, m->out, MR_ENTRY_PENDING, -1, start, pos,
							  mr_time_add(row_time(m, pos - 1), m->absent_for), hist);
				}
				break;
		}
	}
	return false;
}

/* ---------------------------------------------------------------- steps */

/*
 * The start thread of row `row` (which exists), at the lowest priority.
 * Without a key, the instructions the list's threads wait at are taken.
 */
static void
add_start_thread(MrMatcher *m, int64 row)
{
	int			i;

	m->out = &m->cur;
	m->done_in_step = false;
	if (m->keyed)
		keys_reset(m);			/* its start row is new: no key to meet */
	else
	{
		next_stamp(m);
		for (i = 0; i < m->cur.n; i++)
			if (m->cur.e[i].kind == MR_ENTRY_RUN || m->cur.e[i].kind == MR_ENTRY_END)
				m->mark[m->cur.e[i].pc] = m->stamp;
	}
	closure(m, 0, row, row, -1, false);
}

/* Every entry takes row m->pos; the next list replaces the current one. */
static void
consume_row(MrMatcher *m)
{
	int64		row = m->pos;
	int64		t = row_time(m, row);
	int			qual = -1;
	int			i;

	m->next.n = 0;
	m->out = &m->next;
	m->done_in_step = false;
	if (m->keyed)
		keys_reset(m);
	else
		next_stamp(m);
	for (i = 0; i < m->cur.n; i++)
	{
		MrEntry    *e = &m->cur.e[i];

		if ((i & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
		switch ((MrEntryKind) e->kind)
		{
			case MR_ENTRY_RUN:
				{
					const MrInstr *ins = &m->prog->instr[e->pc];
					int32		h;

					if (m->has_within && t >= deadline(m, e->start))
						break;
					if (!ask(m, ins->var, row, e->start, e->hist))
						break;
					h = hist_push(m, e->hist, ins->var, ins->excluded);
					if (closure(m, e->pc + 1, row + 1, e->start, h, false))
						i = m->cur.n;	/* less preferred entries end */
				}
				break;
			case MR_ENTRY_END:
				break;			/* a row came: `$` fails */
			case MR_ENTRY_PENDING:
				if (!absence_broken(m, row, t, e->due, &qual))
					*list_add(m, m->out) = *e;
				break;
			case MR_ENTRY_TIMEOUT:
				*list_add(m, m->out) = *e;
				break;
		}
	}
	swap_lists(m);
}

/* Process row m->pos in the current search. */
static void
step(MrMatcher *m)
{
	if (!m->rec.valid)
		add_start_thread(m, m->pos);
	consume_row(m);
	m->pos++;
	if (m->nhist >= m->compact_at)
		hist_compact(m);
}

/* At the end of the partition: threads at `$` go on (`$` holds now). */
static void
resolve_ends(MrMatcher *m)
{
	int			i;

	m->next.n = 0;
	m->out = &m->next;
	m->done_in_step = false;
	if (!m->keyed)
		next_stamp(m);
	for (i = 0; i < m->cur.n; i++)
	{
		MrEntry    *e = &m->cur.e[i];

		if (e->kind != MR_ENTRY_END)
			*list_add(m, m->out) = *e;
		else if (closure(m, e->pc + 1, m->nrows, e->start, e->hist, true))
			break;
	}
	swap_lists(m);
}

static bool
has_end_threads(const MrMatcher *m)
{
	int			i;

	for (i = 0; i < m->cur.n; i++)
		if (m->cur.e[i].kind == MR_ENTRY_END)
			return true;
	return false;
}

/* ---------------------------------------------------------- time events */

/* The pending match i is complete: it becomes the recorded match. */
static void
complete_pending(MrMatcher *m, int i)
{
	const MrEntry *e = &m->cur.e[i];

	record_match(m, e->start, e->end, e->hist);
	m->cur.n = i;				/* it and every less preferred entry */
}

/*
 * RUN threads whose start row's deadline is at or before `bound` die; with
 * EMIT TIMEOUTS the most preferred of each start row leaves a TIMEOUT entry
 * after the start row's other entries, unless that row has a recorded
 * match.  In place: a group loses at least the thread its TIMEOUT copies.
 */
static void
expire(MrMatcher *m, int64 bound)
{
	MrList	   *l = &m->cur;
	int			r = 0,
				w = 0;

	while (r < l->n)
	{
		int64		start = l->e[r].start;
		int			first_run = -1;
		MrEntry		cand = {0};

		for (; r < l->n && l->e[r].start == start; r++)
		{
			if (l->e[r].kind == MR_ENTRY_RUN && deadline(m, start) <= bound)
			{
				if (first_run < 0)
				{
					first_run = r;
					cand = l->e[r];
				}
				continue;
			}
			l->e[w++] = l->e[r];
		}
		if (first_run >= 0 && m->emit_timeouts &&
			!(m->rec.valid && m->rec.start == start))
		{
			cand.kind = MR_ENTRY_TIMEOUT;
			cand.pc = -1;
			cand.end = m->pos;
			cand.due = deadline(m, start);
			l->e[w++] = cand;
		}
	}
	l->n = w;
}

/*
 * Fire the earliest time event due at or before t (an absence ending first
 * on a tie).  Returns false if there is none.
 */
static bool
fire_event(MrMatcher *m, int64 t)
{
	int			i,
				pending = -1;
	int64		pdue = 0,
				wdue = 0;
	bool		has_run = false;

	if (!m->has_within && !m->has_absence)
		return false;
	for (i = 0; i < m->cur.n; i++)
	{
		const MrEntry *e = &m->cur.e[i];

		if (e->kind == MR_ENTRY_PENDING && (pending < 0 || e->due < pdue))
		{
			pending = i;
			pdue = e->due;
		}
		else if (e->kind == MR_ENTRY_RUN && m->has_within && !has_run)
		{
			/* the earliest start row has the earliest deadline */
			has_run = true;
			wdue = deadline(m, e->start);
			if (!m->has_absence)
				break;			/* no pending match to look for */
		}
	}
	if (pending >= 0 && pdue <= t && (!has_run || pdue <= wdue))
	{
		complete_pending(m, pending);
		return true;
	}
	if (has_run && wdue <= t)
	{
		expire(m, pending >= 0 ? Min(t, pdue - 1) : t);
		return true;
	}
	return false;
}

/* At the end of the partition: waiting threads and pending matches die. */
static void
drop_unfinished(MrMatcher *m)
{
	int			i,
				w = 0;

	for (i = 0; i < m->cur.n; i++)
		if (m->cur.e[i].kind == MR_ENTRY_TIMEOUT)
			m->cur.e[w++] = m->cur.e[i];
	m->cur.n = w;
}

/* ------------------------------------------------------------- results */

/* The first row an entry or the record may still start at. */
static int64
lowest_live_row(const MrMatcher *m)
{
	if (m->cur.n > 0)
		return m->cur.e[0].start;
	if (m->rec.valid)
		return m->rec.start;
	return m->pos;
}

/* Report rows before `upto` that no match can start at any more. */
static void
flush_unmatched(MrMatcher *m, int64 upto)
{
	if (m->clause->rows_per_match == MR_ALL_ROWS_WITH_UNMATCHED)
	{
		int64		row;
		int32		none = -1;
		bool		excl = false;

		for (row = Max(m->unmatched_next, m->covered); row < upto; row++)
		{
			MrResult	r;

			if ((row & 4095) == 4095)
				CHECK_FOR_INTERRUPTS();
			r.kind = MR_RESULT_UNMATCHED;
			r.match_number = 0;
			r.start = row;
			r.end = row + 1;
			r.vars = &none;
			r.excluded = &excl;
			r.deadline = 0;
			m->hooks.emit(m->hooks.arg, &r);
		}
	}
	m->unmatched_next = Max(m->unmatched_next, upto);
}

/* A new search from row `row` (rows from there are processed again). */
static void
reset_search(MrMatcher *m, int64 row)
{
	m->cur.n = 0;
	m->next.n = 0;
	m->rec.valid = false;
	m->pos = row;
	m->unmatched_next = Max(m->unmatched_next, row);
	hist_reset(m);
}

/* The search ends with this result; the next one starts after the skip. */
static void
complete_search(MrMatcher *m, MrResultKind kind, int64 start, int64 end,
				int32 hist, int64 due)
{
	MrResult	r;
	int64		next;

	flush_unmatched(m, start);
	m->match_count++;
	result_labels(m, hist, end - start);
	r.kind = kind;
	r.match_number = m->match_count;
	r.start = start;
	r.end = end;
	r.vars = m->res_vars;
	r.excluded = m->res_excl;
	r.deadline = kind == MR_RESULT_TIMEOUT ? due : 0;
	m->hooks.emit(m->hooks.arg, &r);
	if (end > start)
	{
		m->covered = Max(m->covered, end);
		next = mr_skip_target(m->clause, start, end, m->res_vars, m->match_count);
	}
	else
		next = start + 1;
	reset_search(m, next);
}

/* After any change: a complete search ends; unmatched rows are reported. */
static void
settle(MrMatcher *m)
{
	if (m->cur.n > 0 && m->cur.e[0].kind == MR_ENTRY_TIMEOUT)
	{
		MrEntry		e = m->cur.e[0];

		complete_search(m, MR_RESULT_TIMEOUT, e.start, e.end, e.hist, e.due);
	}
	else if (m->cur.n == 0 && m->rec.valid)
		complete_search(m, MR_RESULT_MATCH, m->rec.start, m->rec.end, m->rec.hist, 0);
	else
		flush_unmatched(m, lowest_live_row(m));
}

/*
 * Process the rows not yet seen by the current search and the time events
 * up to m->now, through every search they complete.  at_end: the
 * partition is over (`$` holds, waiting threads die).
 */
static void
run(MrMatcher *m, bool at_end)
{
	for (;;)
	{
		CHECK_FOR_INTERRUPTS();
		if (m->pos < m->nrows)
		{
			if (!fire_event(m, row_time(m, m->pos)))
				step(m);
		}
		else if (at_end && has_end_threads(m))
			resolve_ends(m);
		else if (fire_event(m, m->now))
			;
		else if (at_end && (m->cur.n > 0 || m->rec.valid))
			drop_unfinished(m);
		else
			break;
		settle(m);
	}
}

/* ----------------------------------------------------------------- API */

MrMatcher *
mr_matcher_create(const MrClause *clause, const MrProgram *prog,
				  bool history_free, int max_threads,
				  const MrMatcherHooks *hooks)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "asset_stream MATCH_RECOGNIZE matcher",
											  ALLOCSET_DEFAULT_SIZES);
	MrMatcher  *m = MemoryContextAllocZero(cxt, sizeof(MrMatcher));
	int			n = prog->ninstr;

	m->cxt = cxt;
	m->clause = clause;
	m->prog = prog;
	m->hooks = *hooks;
	m->history_free = history_free;
	m->max_threads = max_threads;
	m->has_within = clause->has_within;
	if (m->has_within)
		m->within = mr_interval_usecs(&clause->within);
	m->emit_timeouts = clause->has_within && clause->emit_timeouts;
	m->has_absence = clause->has_absence;
	if (m->has_absence)
		m->absent_for = mr_interval_usecs(&clause->absent_for);
	m->absent_var = clause->has_absence ? clause->absent_var : -1;
	m->keyed = !history_free || m->has_within;
	m->hashcons = !history_free;
	m->words = Max(1, (clause->nprimary + 63) / 64);

	m->mark = MemoryContextAllocExtended(cxt, sizeof(uint64) * n, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	m->stack = MemoryContextAllocExtended(cxt, sizeof(int) * (2 * (Size) n + 2), MCXT_ALLOC_HUGE);
	m->keycap = 1024;
	m->keys = MemoryContextAllocZero(cxt, sizeof(MrKey) * m->keycap);
	m->keygen = 1;
	m->labels_hist = -2;

	m->now = PG_INT64_MIN;
	m->last_time = PG_INT64_MIN;
	hist_reset(m);
	return m;
}

/* Forget rows no longer needed and keep the history arena small. */
static void
tidy(MrMatcher *m)
{
	retain_trim(m, lowest_live_row(m));
	if (m->nhist >= m->compact_at)
		hist_compact(m);
}

void
mr_matcher_push(MrMatcher *m, int64 time)
{
	if ((m->has_within || m->has_absence) && time < m->last_time)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("rows of a MATCH_RECOGNIZE partition must come in event-time order"),
				 errdetail("Row " INT64_FORMAT " of the partition is earlier than the row before it.",
						   m->nrows + 1)));
	retain_row(m, time);
	m->nrows++;
	m->last_time = time;
	m->now = Max(m->now, time);
	run(m, false);
	tidy(m);
}

void
mr_matcher_advance(MrMatcher *m, int64 watermark)
{
	m->now = Max(m->now, watermark);
	run(m, false);
	tidy(m);
}

void
mr_matcher_finish(MrMatcher *m, int64 watermark)
{
	m->now = Max(m->now, watermark);
	run(m, true);
	flush_unmatched(m, m->nrows);

	/* the next partition */
	m->nrows = 0;
	m->match_count = 0;
	m->covered = 0;
	m->unmatched_next = 0;
	m->now = PG_INT64_MIN;
	m->last_time = PG_INT64_MIN;
	m->base = 0;
	reset_search(m, 0);
}

int64
mr_matcher_oldest_row(const MrMatcher *m)
{
	return lowest_live_row(m);
}

void
mr_matcher_free(MrMatcher *m)
{
	MemoryContextDelete(m->cxt);
}

/* ------------------------------------------------------- serialization */

#define MR_STATE_MAGIC		0x4d524d31	/* "MRM1" */

typedef struct MrReader
{
	const char *data;
	int			len;
	int			off;
} MrReader;

static void
corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid MATCH_RECOGNIZE matcher state"),
			 errdetail("%s", what)));
}

static int64
get64(MrReader *r)
{
	uint64		n;

	if (r->len - r->off < (int) sizeof(n))
		corrupt("The state is truncated.");
	memcpy(&n, r->data + r->off, sizeof(n));
	r->off += sizeof(n);
	return (int64) pg_ntoh64(n);
}

static int32
get32(MrReader *r)
{
	uint32		n;

	if (r->len - r->off < (int) sizeof(n))
		corrupt("The state is truncated.");
	memcpy(&n, r->data + r->off, sizeof(n));
	r->off += sizeof(n);
	return (int32) pg_ntoh32(n);
}

static void
check(bool ok, const char *what)
{
	if (!ok)
		corrupt(what);
}

void
mr_matcher_serialize(const MrMatcher *m, StringInfo buf)
{
	int32	   *newidx = palloc_extended(sizeof(int32) * Max(m->nhist, 1), MCXT_ALLOC_HUGE);
	int64		i,
				nlive;
	int			w;

	pq_sendint32(buf, MR_STATE_MAGIC);
	pq_sendint32(buf, m->prog->ninstr);
	pq_sendint32(buf, m->clause->nprimary);
	pq_sendint32(buf, m->history_free ? 1 : 0);
	pq_sendint64(buf, m->nrows);
	pq_sendint64(buf, m->match_count);
	pq_sendint64(buf, m->covered);
	pq_sendint64(buf, m->unmatched_next);
	pq_sendint64(buf, m->now);
	pq_sendint64(buf, m->last_time);
	pq_sendint64(buf, m->pos);

	/* retained rows */
	pq_sendint64(buf, m->base);
	for (i = 0; i < m->nrows - m->base; i++)
		pq_sendint64(buf, m->times[i]);
	if (m->history_free)
		for (i = 0; i < (m->nrows - m->base) * m->words; i++)
		{
			pq_sendint64(buf, (int64) m->known[i]);
			pq_sendint64(buf, (int64) m->value[i]);
		}

	/* live histories, renumbered */
	nlive = hist_number_live(m, &m->cur, newidx);
	pq_sendint64(buf, nlive);
	for (i = 0; i < m->nhist; i++)
		if (newidx[i] >= 0)
		{
			pq_sendint32(buf, m->hist[i].prev < 0 ? -1 : newidx[m->hist[i].prev]);
			pq_sendint32(buf, m->hist[i].var);
		}

	pq_sendint32(buf, m->rec.valid ? 1 : 0);
	pq_sendint64(buf, m->rec.start);
	pq_sendint64(buf, m->rec.end);
	pq_sendint32(buf, m->rec.valid && m->rec.hist >= 0 ? newidx[m->rec.hist] : -1);

	pq_sendint32(buf, m->cur.n);
	for (w = 0; w < m->cur.n; w++)
	{
		const MrEntry *e = &m->cur.e[w];

		pq_sendint32(buf, e->kind);
		pq_sendint32(buf, e->pc);
		pq_sendint32(buf, e->hist >= 0 ? newidx[e->hist] : -1);
		pq_sendint64(buf, e->start);
		pq_sendint64(buf, e->end);
		pq_sendint64(buf, e->due);
	}
	pfree(newidx);
}

/* Depth of history h (rows it labels), given the depths of nodes before. */
static int64
hist_depth(const int64 *depth, int32 h)
{
	return h < 0 ? 0 : depth[h];
}

MrMatcher *
mr_matcher_restore(const MrClause *clause, const MrProgram *prog,
				   bool history_free, int max_threads,
				   const MrMatcherHooks *hooks,
				   const char *data, int len)
{
	MrMatcher  *m = mr_matcher_create(clause, prog, history_free, max_threads, hooks);
	MrReader	r = {data, len, 0};
	int64		i,
				nret,
				nlive;
	int64	   *depth;
	int			n;

	check(get32(&r) == MR_STATE_MAGIC, "Wrong magic number.");
	check(get32(&r) == prog->ninstr && get32(&r) == clause->nprimary &&
		  get32(&r) == (history_free ? 1 : 0),
		  "The state belongs to another clause or mode.");
	m->nrows = get64(&r);
	m->match_count = get64(&r);
	m->covered = get64(&r);
	m->unmatched_next = get64(&r);
	m->now = get64(&r);
	m->last_time = get64(&r);
	m->pos = get64(&r);
	m->base = get64(&r);
	check(m->nrows >= 0 && m->match_count >= 0 && m->covered >= 0 &&
		  m->base >= 0 && m->base <= m->nrows && m->pos >= m->base &&
		  m->pos <= m->nrows && m->unmatched_next >= m->base &&
		  m->unmatched_next <= m->nrows && m->covered <= m->nrows,
		  "Row counters are out of range.");

	nret = m->nrows - m->base;
	check(nret <= (r.len - r.off) / (int) sizeof(int64), "The state is truncated.");
	retain_reserve(m, Max(nret, 1));
	for (i = 0; i < nret; i++)
		m->times[i] = get64(&r);
	if (history_free)
	{
		for (i = 0; i < nret * m->words; i++)
		{
			m->known[i] = (uint64) get64(&r);
			m->value[i] = (uint64) get64(&r);
		}
	}

	nlive = get64(&r);
	check(nlive >= 0 && nlive < MR_HIST_MAX && nlive <= (r.len - r.off) / 8,
		  "History count is out of range.");
	ensure_room(m, (void **) &m->hist, &m->histcap, Max(nlive, 1), sizeof(MrHist));
	depth = palloc_extended(sizeof(int64) * Max(nlive, 1), MCXT_ALLOC_HUGE);
	for (i = 0; i < nlive; i++)
	{
		m->hist[i].prev = get32(&r);
		m->hist[i].var = get32(&r);
		check(m->hist[i].prev >= -1 && m->hist[i].prev < i &&
			  m->hist[i].var >= 0 && m->hist[i].var / 2 < clause->nprimary,
			  "A history node is invalid.");
		depth[i] = hist_depth(depth, m->hist[i].prev) + 1;
	}
	m->nhist = nlive;
	if (m->hashcons)
		hc_rebuild(m);
	m->compact_at = Max(MR_HIST_MIN_COMPACT, 4 * nlive);

	m->rec.valid = get32(&r) != 0;
	m->rec.start = get64(&r);
	m->rec.end = get64(&r);
	m->rec.hist = get32(&r);
	if (m->rec.valid)
		check(m->rec.start >= m->base && m->rec.start <= m->rec.end &&
			  m->rec.end <= m->pos && m->rec.hist >= -1 && m->rec.hist < nlive &&
			  hist_depth(depth, m->rec.hist) == m->rec.end - m->rec.start,
			  "The recorded match is invalid.");

	n = get32(&r);
	check(n >= 0 && n <= MR_LIST_MAX && n <= (r.len - r.off) / 36, "Entry count is out of range.");
	for (i = 0; i < n; i++)
	{
		MrEntry    *e = list_add(m, &m->cur);
		int64		rows;

		e->kind = (uint8) get32(&r);
		e->pc = get32(&r);
		e->hist = get32(&r);
		e->start = get64(&r);
		e->end = get64(&r);
		e->due = get64(&r);
		check(e->kind <= MR_ENTRY_TIMEOUT && e->hist >= -1 && e->hist < nlive &&
			  e->start >= m->base && e->start < m->pos &&
			  (i == 0 || e->start >= m->cur.e[i - 1].start),
			  "An entry is invalid.");
		if (e->kind == MR_ENTRY_RUN || e->kind == MR_ENTRY_END)
		{
			check(e->pc >= 0 && e->pc < prog->ninstr &&
				  prog->instr[e->pc].op == (e->kind == MR_ENTRY_RUN ? MR_OP_LABEL : MR_OP_END),
				  "An entry's instruction is invalid.");
			rows = m->pos - e->start;
		}
		else
		{
			check(e->end > e->start && e->end <= m->pos, "An entry's rows are invalid.");
			rows = e->end - e->start;
		}
		check(hist_depth(depth, e->hist) == rows, "An entry's history is invalid.");
	}
	check(r.off == r.len, "The state has trailing data.");
	pfree(depth);
	return m;
}
