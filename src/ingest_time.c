/*-------------------------------------------------------------------------
 *
 * ingest_time.c
 *	  ISO 8601 event times of ingest payloads: a fast path for the usual
 *	  shape of device clocks, and PostgreSQL's own datetime parser (called
 *	  as timestamptz_in() calls it, but checking return codes) for the rest.
 *	  Never raises an error for bad text.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "ingest.h"

/*
 * The common shape of device clocks, decoded without PostgreSQL's general
 * parser: YYYY-MM-DD, "T" or a space, HH:MM:SS, up to 6 fraction digits,
 * then nothing (UTC), "Z", or +HH, +HHMM or +HH:MM.  Returns false for
 * anything else (including values out of range), which the general path
 * then decides.
 */
static inline int
fast_digits(const char *s, int n)
{
	int			v = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool
parse_iso_time_fast(const char *s, size_t len, TimestampTz *out)
{
	int			y, mo, d, h, mi, sec;
	int64		frac = 0;
	int			fdigits = 0;
	int			offset_s = 0;
	size_t		i = 19;
	int64		days;

	if (len < 19 || s[4] != '-' || s[7] != '-' ||
		(s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
		return false;
	y = fast_digits(s, 4);
	mo = fast_digits(s + 5, 2);
	d = fast_digits(s + 8, 2);
	h = fast_digits(s + 11, 2);
	mi = fast_digits(s + 14, 2);
	sec = fast_digits(s + 17, 2);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
		sec < 0 || sec > 59 || d > day_tab[isleap(y) ? 1 : 0][mo - 1])
		return false;
	if (i < len && s[i] == '.')
	{
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		{
			if (++fdigits > 6)
				return false;
			frac = frac * 10 + (s[i] - '0');
		}
		if (fdigits == 0)
			return false;
		for (int k = fdigits; k < 6; k++)
			frac *= 10;
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z') && i + 1 == len)
		i++;
	else if (i < len && (s[i] == '+' || s[i] == '-'))
	{
		int			sign = s[i] == '-' ? -1 : 1;
		int			oh, om = 0;

		if (len - i == 3)
			oh = fast_digits(s + i + 1, 2);
		else if (len - i == 5)
		{
			oh = fast_digits(s + i + 1, 2);
			om = fast_digits(s + i + 3, 2);
		}
		else if (len - i == 6 && s[i + 3] == ':')
		{
			oh = fast_digits(s + i + 1, 2);
			om = fast_digits(s + i + 4, 2);
		}
		else
			return false;
		if (oh < 0 || oh > 15 || om < 0 || om > 59)
			return false;
		offset_s = sign * (oh * 3600 + om * 60);
		i = len;
	}
	if (i != len)
		return false;

	days = (int64) date2j(y, mo, d) - POSTGRES_EPOCH_JDATE;
	*out = days * USECS_PER_DAY +
		((int64) h * 3600 + mi * 60 + sec - offset_s) * USECS_PER_SEC + frac;
	return IS_VALID_TIMESTAMP(*out);
}

/*
 * ISO 8601 date and time, with an optional "Z" or numeric UTC offset; a
 * time without one is UTC.  Only digits, the separators, a T between
 * date and time and a final Z are let through to PostgreSQL's parser:
 * that keeps out words ("now", "infinity") and time zone names, whose
 * failed lookup raises an error in PostgreSQL 15 instead of returning one.
 */
bool
ingest_parse_iso_time(const char *s, TimestampTz *out)
{
	size_t		len = strlen(s);
	size_t		i;
	int			pass;

	if (len < 10 || len > MAXDATELEN)
		return false;
	if (parse_iso_time_fast(s, len, out))
		return true;
	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (s[4] != '-')
		return false;
	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if ((c >= '0' && c <= '9') || c == '-' || c == ':' || c == '.' ||
			c == '+' || c == ' ')
			continue;
		/* T between the date and the time, Z at the end */
		if ((c == 'T' || c == 't') && isdigit((unsigned char) s[i - 1]) &&
			isdigit((unsigned char) s[i + 1]))
			continue;
		if ((c == 'Z' || c == 'z') && i == len - 1 &&
			isdigit((unsigned char) s[i - 1]))
			continue;
		return false;
	}

	/*
	 * First without a zone (DecodeDateTime() fails on a zone when it has no
	 * place to put it): success means the text has none, and is UTC.  Then
	 * with one.
	 */
	for (pass = 0; pass < 2; pass++)
	{
		char		workbuf[MAXDATELEN + MAXDATEFIELDS];
		char	   *field[MAXDATEFIELDS];
		int			ftype[MAXDATEFIELDS];
		int			nf;
		int			dtype;
		struct pg_tm tt;
		fsec_t		fsec;
		int			tz = 0;

		memset(&tt, 0, sizeof(tt));
		if (ParseDateTime(s, workbuf, sizeof(workbuf), field, ftype,
						  MAXDATEFIELDS, &nf) != 0)
			return false;
		if (DecodeDateTime(field, ftype, nf, &dtype, &tt, &fsec,
						   pass == 0 ? NULL : &tz) != 0)
			continue;
		if (dtype != DTK_DATE)
			return false;
		if (tm2timestamp(&tt, fsec, pass == 0 ? NULL : &tz, out) != 0)
			return false;
		return IS_VALID_TIMESTAMP(*out);
	}
	return false;
}
