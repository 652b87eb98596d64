/*-------------------------------------------------------------------------
 *
 * read_check.c
 *	  asset_stream.read_is_valid(asset_id, event_time): the CHECK constraint
 *	  of every stream.
 *
 * It runs per row inside INSERT and COPY (a CHECK constraint keeps COPY's
 * multi-insert path, which a BEFORE trigger would lose) and raises an
 * error with its own SQLSTATE for a read the stream must not take, so the
 * whole statement is rolled back.  NULLs pass here: the NOT NULL
 * constraints on asset_id and event_time report them.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "asset_stream.h"

PG_FUNCTION_INFO_V1(read_is_valid);

Datum
read_is_valid(PG_FUNCTION_ARGS)
{
	if (!PG_ARGISNULL(0))
	{
		text	   *asset_id = PG_GETARG_TEXT_PP(0);
		int			len = VARSIZE_ANY_EXHDR(asset_id);

		if (len == 0)
			ereport(ERROR,
					(errcode(ERRCODE_STRING_DATA_LENGTH_MISMATCH),
					 errmsg("asset_id must not be empty")));
		if (len > as_max_asset_id_len)
			ereport(ERROR,
					(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
					 errmsg("asset_id is %d bytes long, more than asset_stream.max_asset_id_length (%d)",
							len, as_max_asset_id_len)));
	}

	if (!PG_ARGISNULL(1))
	{
		TimestampTz event_time = PG_GETARG_TIMESTAMPTZ(1);

		if (TIMESTAMP_NOT_FINITE(event_time))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("event_time must be finite")));

		if (as_max_future_s >= 0)
		{
			TimestampTz now = GetCurrentTimestamp();
			TimestampTz limit = now + (TimestampTz) as_max_future_s * USECS_PER_SEC;

			if (event_time > limit)
				ereport(ERROR,
						(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("event_time %s is too far in the future",
								timestamptz_to_str(event_time)),
						 errdetail("It is %.3f s ahead of the server clock; asset_stream.max_future allows %d s.",
								   (double) (event_time - now) / USECS_PER_SEC,
								   as_max_future_s),
						 errhint("Fix the clock of the source, or raise asset_stream.max_future.")));
		}
	}

	PG_RETURN_BOOL(true);
}
