/*-------------------------------------------------------------------------
 *
 * mr_rowstore_debug.c
 *	  _mr_rowstore_check(nrows, mem_kb, seed) -> text: an exercise of the
 *	  MATCH_RECOGNIZE partition row store (mr_rowstore.h) without the
 *	  driver, for tests.
 *
 * Two partitions of nrows generated rows (int8, text of 0 to 6 kB or NULL,
 * float8 or NULL), each row a function of (partition seed, index) so that
 * any fetched row can be checked.  After each append a few rows are
 * fetched into a handful of slots (mostly the newest rows, some anywhere
 * in the retained range, some released or out of range), every slot still
 * holding a row is checked again (also right after an append that kept
 * the store's generation), and now and then rows are released from
 * the front (sometimes past the count).  Any difference raises an error;
 * the result is a summary: 'ok: N rows x 2 partitions, S spilled, F
 * fetches'.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/tupdesc.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "mr_rowstore.h"

PG_FUNCTION_INFO_V1(mr_rowstore_check_sql);

#define CHECK_SLOTS 5
#define CHECK_NATTS 3
#define CHECK_MAX_TEXT (2048 + 4000)

typedef struct CheckState
{
	MrRowStore *rs;
	TupleDesc	desc;
	TupleTableSlot *input;		/* virtual slot of the generated row */
	TupleTableSlot *slots[CHECK_SLOTS]; /* virtual slots fetched into */
	int64		held[CHECK_SLOTS];	/* the row each slot holds, or -1 */
	MemoryContext rowcxt;		/* per-row scratch */
	int64		mem_limit;
	uint64		rng;			/* the fetch and release choices */
	uint64		pseed;			/* the partition's row values */
	int64		base;			/* first row not released, as we expect */
	int64		fetches;
	char		text[CHECK_MAX_TEXT];
} CheckState;

/* splitmix64: a well-mixed 64-bit function, the same on every platform */
static uint64
mix64(uint64 x)
{
	x += UINT64CONST(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64CONST(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64CONST(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

static uint64
next_random(CheckState *cs)
{
	cs->rng = mix64(cs->rng);
	return cs->rng;
}

/* ---------------------------------------------------------- row values */

typedef struct CheckRow
{
	int64		id;
	bool		text_null;
	int			text_len;		/* the text is check_text(h, i) */
	bool		float_null;
	double		f;
	uint64		h;
} CheckRow;

static CheckRow
check_row(CheckState *cs, int64 row)
{
	uint64		h = mix64(cs->pseed * UINT64CONST(1000003) + (uint64) row);
	CheckRow	r;

	r.h = h;
	r.id = (int64) h;
	r.text_null = (h % 17 == 0);
	if ((h >> 8) % 50 == 0)
		r.text_len = 2048 + (int) ((h >> 16) % 4000);	/* a large row */
	else
		r.text_len = (int) ((h >> 16) % 120);
	r.float_null = ((h >> 40) % 23 == 0);
	r.f = (double) row * 0.5 - (double) (h & 0xFFFF);
	return r;
}

/* The text of a row, in cs->text. */
static void
fill_text(CheckState *cs, const CheckRow *r)
{
	for (int j = 0; j < r->text_len; j++)
		cs->text[j] = 'a' + (char) (((r->h >> 24) + (uint64) j * 31) % 26);
}

static void
make_input(CheckState *cs, int64 row)
{
	CheckRow	r = check_row(cs, row);
	TupleTableSlot *slot = cs->input;

	ExecClearTuple(slot);
	slot->tts_values[0] = Int64GetDatum(r.id);
	slot->tts_isnull[0] = false;
	slot->tts_isnull[1] = r.text_null;
	if (!r.text_null)
	{
		fill_text(cs, &r);
		slot->tts_values[1] =
			PointerGetDatum(cstring_to_text_with_len(cs->text, r.text_len));
	}
	slot->tts_isnull[2] = r.float_null;
	slot->tts_values[2] = r.float_null ? (Datum) 0 : Float8GetDatum(r.f);
	ExecStoreVirtualTuple(slot);
}

static void
mismatch(int64 row, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INTERNAL_ERROR),
			 errmsg("MATCH_RECOGNIZE row store check failed at row " INT64_FORMAT ": %s",
					row, what)));
}

static void
verify_slot(CheckState *cs, TupleTableSlot *slot, int64 row)
{
	CheckRow	r = check_row(cs, row);

	if (TTS_EMPTY(slot))
		mismatch(row, "empty slot");
	slot_getallattrs(slot);
	if (slot->tts_isnull[0] || DatumGetInt64(slot->tts_values[0]) != r.id)
		mismatch(row, "int8 column");
	if (slot->tts_isnull[1] != r.text_null)
		mismatch(row, "text column null");
	if (!r.text_null)
	{
		struct varlena *v = (struct varlena *) DatumGetPointer(slot->tts_values[1]);

		if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v))
			mismatch(row, "text column compressed or external");
		fill_text(cs, &r);
		if (VARSIZE_ANY_EXHDR(v) != r.text_len ||
			memcmp(VARDATA_ANY(v), cs->text, r.text_len) != 0)
			mismatch(row, "text column");
	}
	if (slot->tts_isnull[2] != r.float_null ||
		(!r.float_null && DatumGetFloat8(slot->tts_values[2]) != r.f))
		mismatch(row, "float8 column");
}

/* ------------------------------------------------------- the exercise */

/* A row to fetch: mostly near the newest, some anywhere, some invalid. */
static int64
pick_row(CheckState *cs)
{
	int64		count = mr_rowstore_count(cs->rs);
	uint64		kind = next_random(cs) % 100;

	if (kind < 80)
		return count - 1 - (int64) (next_random(cs) % 16);
	if (kind < 95 && count > cs->base)
		return cs->base + (int64) (next_random(cs) % (uint64) (count - cs->base));
	switch (next_random(cs) % 3)
	{
		case 0:
			return -1 - (int64) (next_random(cs) % 3);
		case 1:
			return cs->base - 1 - (int64) (next_random(cs) % 5);
		default:
			return count + (int64) (next_random(cs) % 3);
	}
}

static void
fetch_one(CheckState *cs, int s)
{
	int64		row = pick_row(cs);
	bool		expect = row >= cs->base && row < mr_rowstore_count(cs->rs);
	bool		got = mr_rowstore_fetch(cs->rs, row, cs->slots[s]);

	cs->fetches++;
	if (got != expect)
		mismatch(row, got ? "fetched a released or absent row" : "row not found");
	if (got)
		verify_slot(cs, cs->slots[s], row);
	else if (!TTS_EMPTY(cs->slots[s]))
		mismatch(row, "slot not cleared");
	cs->held[s] = got ? row : -1;
}

/* Every slot still holding a row must still show it. */
static void
verify_held(CheckState *cs)
{
	for (int s = 0; s < CHECK_SLOTS; s++)
		if (cs->held[s] >= 0)
			verify_slot(cs, cs->slots[s], cs->held[s]);
}

static void
clear_slots(CheckState *cs, int64 before)
{
	for (int s = 0; s < CHECK_SLOTS; s++)
		if (cs->held[s] < before)
		{
			ExecClearTuple(cs->slots[s]);
			cs->held[s] = -1;
		}
}

/*
 * Now and then release rows from the front: keep a backlog of up to 20000
 * rows, or release everything, sometimes asking past the count.
 */
static void
maybe_release(CheckState *cs)
{
	int64		count = mr_rowstore_count(cs->rs);
	int64		upto;

	if (next_random(cs) % 64 != 0)
		return;
	switch (next_random(cs) % 8)
	{
		case 0:
			upto = count + (int64) (next_random(cs) % 3);
			break;
		default:
			upto = count - (int64) (next_random(cs) % 20000);
			break;
	}
	mr_rowstore_release_before(cs->rs, upto);
	cs->base = Max(cs->base, Min(upto, count));
	clear_slots(cs, cs->base);
	verify_held(cs);
}

static void
check_partition(CheckState *cs, int64 nrows)
{
	MemoryContext old;

	cs->base = 0;
	if (mr_rowstore_count(cs->rs) != 0 || mr_rowstore_mem_bytes(cs->rs) != 0)
		mismatch(0, "store not empty at the start of a partition");
	for (int64 i = 0; i < nrows; i++)
	{
		int			nfetch;
		uint64		generation;

		CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(cs->rowcxt);
		make_input(cs, i);
		generation = mr_rowstore_generation(cs->rs);
		if (mr_rowstore_append(cs->rs, cs->input) != i)
			mismatch(i, "append returned another index");
		MemoryContextSwitchTo(old);
		MemoryContextReset(cs->rowcxt);
		/* slots point into the store: valid while the generation stays */
		if (mr_rowstore_generation(cs->rs) != generation)
			clear_slots(cs, PG_INT64_MAX);
		else
			verify_held(cs);
		if (mr_rowstore_count(cs->rs) != i + 1)
			mismatch(i, "count");
		if (mr_rowstore_mem_bytes(cs->rs) > cs->mem_limit + 8192)
			mismatch(i, "rows in memory over the budget");

		nfetch = (int) (next_random(cs) % 6);
		for (int k = 0; k < nfetch; k++)
			fetch_one(cs, (int) (next_random(cs) % CHECK_SLOTS));
		verify_held(cs);
		maybe_release(cs);
	}
	clear_slots(cs, PG_INT64_MAX);
}

Datum
mr_rowstore_check_sql(PG_FUNCTION_ARGS)
{
	int32		nrows = PG_GETARG_INT32(0);
	int32		mem_kb = PG_GETARG_INT32(1);
	int32		seed = PG_GETARG_INT32(2);
	CheckState *cs;
	char	   *result;

	if (nrows < 0 || mem_kb < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("nrows and mem_kb must not be negative")));

	cs = palloc0(sizeof(CheckState));
	cs->desc = CreateTemplateTupleDesc(CHECK_NATTS);
	TupleDescInitEntry(cs->desc, 1, "id", INT8OID, -1, 0);
	TupleDescInitEntry(cs->desc, 2, "t", TEXTOID, -1, 0);
	TupleDescInitEntry(cs->desc, 3, "f", FLOAT8OID, -1, 0);
	cs->input = MakeSingleTupleTableSlot(cs->desc, &TTSOpsVirtual);
	for (int s = 0; s < CHECK_SLOTS; s++)
	{
		cs->slots[s] = MakeSingleTupleTableSlot(cs->desc, &TTSOpsVirtual);
		cs->held[s] = -1;
	}
	cs->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "mr_rowstore check",
									   ALLOCSET_DEFAULT_SIZES);
	cs->mem_limit = (int64) mem_kb * 1024;
	cs->rng = mix64((uint64) (uint32) seed);
	cs->rs = mr_rowstore_create(cs->desc, mem_kb);

	cs->pseed = (uint64) (uint32) seed;
	check_partition(cs, nrows);
	mr_rowstore_reset(cs->rs);
	if (mr_rowstore_fetch(cs->rs, 0, cs->slots[0]))
		mismatch(0, "fetched a row after reset");
	cs->pseed++;
	check_partition(cs, nrows);

	result = psprintf("ok: %d rows x 2 partitions, " INT64_FORMAT " spilled, "
					  INT64_FORMAT " fetches",
					  nrows, mr_rowstore_spilled_rows(cs->rs), cs->fetches);

	mr_rowstore_free(cs->rs);
	for (int s = 0; s < CHECK_SLOTS; s++)
		ExecDropSingleTupleTableSlot(cs->slots[s]);
	ExecDropSingleTupleTableSlot(cs->input);
	MemoryContextDelete(cs->rowcxt);
	PG_RETURN_TEXT_P(cstring_to_text(result));
}
