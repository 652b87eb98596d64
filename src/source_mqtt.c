/*-------------------------------------------------------------------------
 *
 * source_mqtt.c
 *	  The mqtt source kind: a libmosquitto client driven from the source
 *	  worker's own loop.  It subscribes to the source's topics and adds
 *	  every message it receives to the open batch, which the loop writes
 *	  when it is due.
 *
 * libmosquitto runs without its thread (no mosquitto_loop_start): its
 * socket sits in a WaitEventSet with MyLatch and postmaster death, and the
 * loop calls mosquitto_loop_read / _write / _misc itself.  The callbacks
 * therefore run inside those calls, in this process; they may call
 * PostgreSQL functions, but must never raise an ERROR (it would longjmp
 * through libmosquitto's frames and leave its locks and state behind):
 * parsing never raises for bad input (only when out of memory), state
 * reports only log, interrupts are held while a message is parsed, and the
 * batch is written only from the loop, never from a callback.
 *
 * Backpressure: the loop reads at most one batch ahead.  Once the open
 * batch is due (full, or batch_ms old) it is written before the socket is
 * read again.  When the write fails, the batch is kept, the socket is left
 * alone and the write is retried after 1 s, 2 s, ... up to 30 s; after 5
 * failed tries the batch is dropped (its error is in the server log and in
 * sources.last_error).  While the socket is not read, the broker holds the
 * messages (TCP window, then its queue for the session).
 *
 * Delivery: libmosquitto 2.0.11 sends the PUBACK of a QoS 1 message just
 * before calling on_message, i.e. before the batch holding it commits.  A
 * crash (or a failed batch being dropped) loses the reads of the open
 * batch: at-most-once for those, at-least-once is not possible without
 * delaying the acknowledgement.  Messages not yet read from the socket are
 * not acknowledged and are sent again by the broker.  With the default
 * persistent session (clean_session false, stable client id) the broker
 * keeps QoS 1 messages queued while the worker or the server is down.
 *
 * Connection: the connect is non-blocking (mosquitto_connect_async; name
 * resolution still blocks).  A refused or lost connection is reported as
 * state "retrying" with the reason, and retried after reconnect_min_ms,
 * doubling up to reconnect_max_ms; a successful CONNACK resets the delay.
 * The socket changes with every connect, so the wait set is rebuilt.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <mosquitto.h>

#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/interrupt.h"
#include "storage/latch.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "source.h"

/* Defaults of the mqtt options (documented in docs/ingest_mqtt.md). */
#define MQ_DEFAULT_HOST			"127.0.0.1"
#define MQ_DEFAULT_PORT			1883
#define MQ_DEFAULT_TLS_PORT		8883
#define MQ_DEFAULT_QOS			1
#define MQ_DEFAULT_KEEPALIVE	30
#define MQ_DEFAULT_RECONNECT_MIN_MS 500
#define MQ_DEFAULT_RECONNECT_MAX_MS 30000
#define MQ_DEFAULT_CA_PATH		"/etc/ssl/certs"

/* The loop wakes at least this often, for keepalive (mosquitto_loop_misc). */
#define MQ_MISC_INTERVAL_MS		1000
/* A connection that has no CONNACK after this long is given up. */
#define MQ_CONNECT_TIMEOUT_MS	10000
/* Packets read per wake-up at most, so that interrupts are served. */
#define MQ_MAX_READS_PER_WAKE	10000
/* Writing a batch: retry after 1 s, doubling to 30 s, drop after 5 tries. */
#define MQ_FLUSH_RETRY_MIN_MS	1000
#define MQ_FLUSH_RETRY_MAX_MS	30000
#define MQ_FLUSH_MAX_TRIES		5

typedef enum MqConnState
{
	MQ_IDLE,					/* no connection; connect at reconnect_at */
	MQ_CONNECTING,				/* socket open, no CONNACK yet */
	MQ_UP						/* CONNACK received, subscribed */
} MqConnState;

/* The parsed options of one mqtt source. */
typedef struct MqOptions
{
	char	   *host;
	int			port;
	char	  **topics;
	int			ntopics;
	int			qos;
	char	   *client_id;		/* NULL: the default, made in the worker */
	bool		clean_session;
	int			keepalive;
	char	   *username;
	char	   *password;
	bool		tls;
	char	   *ca_file;
	char	   *ca_path;
	char	   *cert_file;
	char	   *key_file;
	bool		tls_insecure;
	int			topic_source_id;	/* 1-based topic segment, 0: none */
	int			reconnect_min_ms;
	int			reconnect_max_ms;
} MqOptions;

/* Everything the loop and the callbacks share. */
typedef struct MqState
{
	SourceContext *ctx;
	MqOptions	opt;
	struct mosquitto *mosq;
	MqConnState conn;
	TimestampTz connect_started;
	TimestampTz reconnect_at;
	int			reconnect_delay_ms;
	bool		reported_failure;	/* the current outage was reported */
	/* set by the callbacks, read by the loop */
	bool		connack_refused;
	char		reason[256];	/* why the connection ended, if known */
	int64		messages;		/* messages received (all time) */
	/* the wait set: latch, postmaster death, the current socket */
	WaitEventSet *set;
	pgsocket	set_sock;
	int			sockpos;
} MqState;

static void mq_parse_options(Jsonb *options, MqOptions *opt);
static Jsonb *mq_opt_object(Jsonb *options, const char *key, bool *is_true);
static void mq_check_keys(Jsonb *obj, const char *what, const char *const *allowed);
static void mq_connect(MqState *st);
static void mq_connection_lost(MqState *st, const char *fallback);
static void mq_flush(MqState *st, bool final);
static void mq_free_wait_set(MqState *st);
static char *mq_topic_segment(const char *topic, int index);
static void mq_on_connect(struct mosquitto *mosq, void *obj, int rc);
static void mq_on_disconnect(struct mosquitto *mosq, void *obj, int rc);
static void mq_on_message(struct mosquitto *mosq, void *obj,
						  const struct mosquitto_message *msg);
static void mq_on_log(struct mosquitto *mosq, void *obj, int level, const char *str);

/* flush retry state (one source per process) */
static int	mq_flush_tries = 0;
static TimestampTz mq_flush_retry_at = 0;

/* ----------------------------------------------------------------------
 * Options
 * ----------------------------------------------------------------------
 */

static void
mq_error_context(void *arg)
{
	errcontext("source option \"%s\"", (const char *) arg);
}

/*
 * An object-valued option: its Jsonb, or NULL when absent (or false).
 * *is_true reports the value true (allowed for "tls").
 */
static Jsonb *
mq_opt_object(Jsonb *options, const char *key, bool *is_true)
{
	JsonbValue *v;

	if (is_true)
		*is_true = false;
	if (options == NULL || !JB_ROOT_IS_OBJECT(options))
		return NULL;
	v = getKeyJsonValueFromContainer(&options->root, key, strlen(key), NULL);
	if (v == NULL || v->type == jbvNull)
		return NULL;
	if (is_true && v->type == jbvBool)
	{
		*is_true = v->val.boolean;
		return NULL;
	}
	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source option \"%s\" must be a JSON object%s", key,
						is_true ? " or a boolean" : "")));
	return JsonbValueToJsonb(v);
}

/*
 * Raise an error for a key of an object option that is not in allowed.
 */
static void
mq_check_keys(Jsonb *obj, const char *what, const char *const *allowed)
{
	JsonbIterator *it = JsonbIteratorInit(&obj->root);
	JsonbValue	v;
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		const char *const *a;
		bool		found = false;

		if (tok != WJB_KEY)
			continue;
		for (a = allowed; *a; a++)
			if (strlen(*a) == v.val.string.len &&
				memcmp(*a, v.val.string.val, v.val.string.len) == 0)
				found = true;
		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown key \"%s\" in source option \"%s\"",
							pnstrdup(v.val.string.val, v.val.string.len), what),
					 errhint("%s",
							 strcmp(what, "tls") == 0
							 ? "Use ca_file, ca_path, cert_file, key_file and insecure."
							 : "Use {\"source_id\": N}: the topic segment (1-based) that fills source_id.")));
	}
}

/*
 * Read (and check) the mqtt options.  Raises 22023 for anything the worker
 * could not use.
 */
static void
mq_parse_options(Jsonb *options, MqOptions *opt)
{
	static const char *const tls_keys[] =
	{"ca_file", "ca_path", "cert_file", "key_file", "insecure", NULL};
	static const char *const tf_keys[] = {"source_id", NULL};
	Jsonb	   *tls;
	Jsonb	   *tf;
	bool		tls_true;
	int			i;

	memset(opt, 0, sizeof(MqOptions));

	/* tls first: it changes the default port */
	tls = mq_opt_object(options, "tls", &tls_true);
	opt->tls = tls != NULL || tls_true;
	if (tls)
	{
		ErrorContextCallback errcb;

		errcb.callback = mq_error_context;
		errcb.arg = (void *) "tls";
		errcb.previous = error_context_stack;
		error_context_stack = &errcb;

		mq_check_keys(tls, "tls", tls_keys);
		opt->ca_file = source_opt_text(tls, "ca_file", NULL);
		opt->ca_path = source_opt_text(tls, "ca_path", NULL);
		opt->cert_file = source_opt_text(tls, "cert_file", NULL);
		opt->key_file = source_opt_text(tls, "key_file", NULL);
		opt->tls_insecure = source_opt_bool(tls, "insecure", false);
		if ((opt->cert_file == NULL) != (opt->key_file == NULL))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("source option \"tls\" needs both cert_file and key_file, or neither")));

		error_context_stack = errcb.previous;
	}
	if (opt->tls && opt->ca_file == NULL && opt->ca_path == NULL)
		opt->ca_path = pstrdup(MQ_DEFAULT_CA_PATH);

	opt->host = source_opt_text(options, "host", MQ_DEFAULT_HOST);
	if (opt->host[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source option \"host\" must not be empty")));
	opt->port = source_opt_int(options, "port",
							   opt->tls ? MQ_DEFAULT_TLS_PORT : MQ_DEFAULT_PORT,
							   1, 65535);

	opt->ntopics = source_opt_text_array(options, "topics", &opt->topics);
	if (opt->ntopics == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an mqtt source needs the option \"topics\""),
				 errhint("Give a topic filter or an array of them, e.g. {\"topics\": [\"site/+/reads\"]}.")));
	for (i = 0; i < opt->ntopics; i++)
	{
		if (mosquitto_sub_topic_check(opt->topics[i]) != MOSQ_ERR_SUCCESS ||
			mosquitto_validate_utf8(opt->topics[i], (int) strlen(opt->topics[i])) != MOSQ_ERR_SUCCESS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid MQTT topic filter \"%s\" in source option \"topics\"",
							opt->topics[i]),
					 errhint("A filter is not empty, and uses + and # only as whole levels, # only last.")));
	}

	opt->qos = source_opt_int(options, "qos", MQ_DEFAULT_QOS, 0, 1);

	opt->client_id = source_opt_text(options, "client_id", NULL);
	if (opt->client_id != NULL &&
		(opt->client_id[0] == '\0' || strlen(opt->client_id) > 65535 ||
		 mosquitto_validate_utf8(opt->client_id, (int) strlen(opt->client_id)) != MOSQ_ERR_SUCCESS))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source option \"client_id\" must be a non-empty UTF-8 string of at most 65535 bytes")));

	opt->clean_session = source_opt_bool(options, "clean_session", false);
	opt->keepalive = source_opt_int(options, "keepalive", MQ_DEFAULT_KEEPALIVE, 0, 65535);
	if (opt->keepalive > 0 && opt->keepalive < 5)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source option \"keepalive\" must be 0 (off) or between 5 and 65535 seconds")));

	opt->username = source_opt_text(options, "username", NULL);
	opt->password = source_opt_text(options, "password", NULL);
	if (opt->password != NULL && opt->username == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source option \"password\" needs \"username\"")));

	tf = mq_opt_object(options, "topic_fields", NULL);
	if (tf)
	{
		ErrorContextCallback errcb;

		errcb.callback = mq_error_context;
		errcb.arg = (void *) "topic_fields";
		errcb.previous = error_context_stack;
		error_context_stack = &errcb;
		mq_check_keys(tf, "topic_fields", tf_keys);
		opt->topic_source_id = source_opt_int(tf, "source_id", 0, 1, 1024);
		error_context_stack = errcb.previous;
	}

	opt->reconnect_min_ms = source_opt_int(options, "reconnect_min_ms",
										   MQ_DEFAULT_RECONNECT_MIN_MS, 10, 3600000);
	opt->reconnect_max_ms = source_opt_int(options, "reconnect_max_ms",
										   Max(MQ_DEFAULT_RECONNECT_MAX_MS, opt->reconnect_min_ms),
										   10, 3600000);
	if (opt->reconnect_max_ms < opt->reconnect_min_ms)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source option \"reconnect_max_ms\" (%d) must not be less than \"reconnect_min_ms\" (%d)",
						opt->reconnect_max_ms, opt->reconnect_min_ms)));
}

void
source_mqtt_check_options(Jsonb *options)
{
	MqOptions	opt;

	mq_parse_options(options, &opt);
}

/* ----------------------------------------------------------------------
 * Callbacks: run inside mosquitto_loop_*; they must not raise.
 * ----------------------------------------------------------------------
 */

static void
mq_on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	MqState    *st = (MqState *) obj;
	int			i;

	/* (runs inside mosquitto_loop_read: it only logs and sets state) */
	if (rc != 0)
	{
		/* the broker refused us; libmosquitto closes the socket next */
		st->connack_refused = true;
		snprintf(st->reason, sizeof(st->reason),
				 "broker %s:%d refused the connection: %s",
				 st->opt.host, st->opt.port, mosquitto_connack_string(rc));
		return;
	}
	for (i = 0; i < st->opt.ntopics; i++)
	{
		int			src = mosquitto_subscribe(mosq, NULL, st->opt.topics[i], st->opt.qos);

		if (src != MOSQ_ERR_SUCCESS)
			ereport(LOG,
					(errmsg("asset_stream source \"%s\": could not subscribe to \"%s\": %s",
							st->ctx->name, st->opt.topics[i], mosquitto_strerror(src))));
	}
	st->conn = MQ_UP;
	st->reconnect_delay_ms = st->opt.reconnect_min_ms;
	st->reason[0] = '\0';
	if (st->reported_failure)
		ereport(LOG,
				(errmsg("asset_stream source \"%s\": connected to %s:%d again",
						st->ctx->name, st->opt.host, st->opt.port)));
	st->reported_failure = false;
	source_report_state(st->ctx, SRC_RUNNING);
}

static void
mq_on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
	MqState    *st = (MqState *) obj;

	if (rc == MOSQ_ERR_SUCCESS)
		return;					/* we asked for it */
	/* keep a CONNACK refusal: it says more than "connection refused" */
	if (st->connack_refused && st->reason[0] != '\0')
		return;
	snprintf(st->reason, sizeof(st->reason), "lost the connection to %s:%d: %s",
			 st->opt.host, st->opt.port,
			 rc == MOSQ_ERR_KEEPALIVE ? "keepalive timeout" : mosquitto_strerror(rc));
}

static void
mq_on_message(struct mosquitto *mosq, void *obj,
			  const struct mosquitto_message *msg)
{
	MqState    *st = (MqState *) obj;
	SourceContext *ctx = st->ctx;
	size_t		len = msg->payloadlen > 0 ? (size_t) msg->payloadlen : 0;
	const char *data = msg->payload ? (const char *) msg->payload : "";

	st->messages++;

	/*
	 * No interrupt may be served in here (a cancel would raise an ERROR
	 * through libmosquitto's frames): the loop serves them afterwards.
	 */
	HOLD_INTERRUPTS();
	if (ctx->format.max_payload > 0 && len > (size_t) ctx->format.max_payload)
		source_add_reject(ctx, data, len,
						  psprintf("payload of %zu bytes on topic \"%s\" exceeds max_payload (%d bytes)",
								   len, msg->topic, ctx->format.max_payload));
	else
		source_add_payload(ctx, ctx->format.default_kind, data, len,
						   st->opt.topic_source_id > 0
						   ? mq_topic_segment(msg->topic, st->opt.topic_source_id)
						   : NULL);
	RESUME_INTERRUPTS();
}

static void
mq_on_log(struct mosquitto *mosq, void *obj, int level, const char *str)
{
	ereport(DEBUG2, (errmsg_internal("libmosquitto: %s", str)));
}

/*
 * The index-th (1-based) level of a topic, in the current (per-loop)
 * memory context; NULL when the topic has fewer levels or it is empty.
 */
static char *
mq_topic_segment(const char *topic, int index)
{
	const char *p = topic;
	const char *end;
	int			i;

	if (topic == NULL)
		return NULL;
	for (i = 1; i < index; i++)
	{
		p = strchr(p, '/');
		if (p == NULL)
			return NULL;
		p++;
	}
	end = strchr(p, '/');
	if (end == NULL)
		end = p + strlen(p);
	if (end == p)
		return NULL;
	return pnstrdup(p, end - p);
}

/* ----------------------------------------------------------------------
 * Connection
 * ----------------------------------------------------------------------
 */

/*
 * Start a non-blocking connect.  On failure, schedule the next try.
 */
static void
mq_connect(MqState *st)
{
	int			rc;

	st->connack_refused = false;
	st->reason[0] = '\0';
	errno = 0;
	rc = mosquitto_connect_async(st->mosq, st->opt.host, st->opt.port, st->opt.keepalive);
	if (rc == MOSQ_ERR_SUCCESS && mosquitto_socket(st->mosq) >= 0)
	{
		st->conn = MQ_CONNECTING;
		st->connect_started = GetCurrentTimestamp();
		return;
	}
	mq_connection_lost(st, psprintf("could not connect to %s:%d: %s",
									st->opt.host, st->opt.port,
									rc == MOSQ_ERR_ERRNO ? strerror(errno)
									: mosquitto_strerror(rc)));
}

/*
 * The connection is gone (or never came): report it and schedule a
 * reconnect after the current delay, which doubles up to the maximum.
 */
static void
mq_connection_lost(MqState *st, const char *fallback)
{
	const char *why = st->reason[0] != '\0' ? st->reason : fallback;

	st->conn = MQ_IDLE;
	/* the next socket may get the same number: never reuse the set */
	mq_free_wait_set(st);
	if (!source_shutdown_requested)
	{
		/* log the first failure of an outage; later ones only in the view */
		if (!st->reported_failure)
			source_report_error(st->ctx, SRC_RETRYING, "%s; retrying", why);
		else
		{
			char		buf[AS_ERROR_LEN];

			snprintf(buf, sizeof(buf), "%s; retrying", why);
			as_source_set_state(st->ctx->slot, SRC_RETRYING, buf);
			ereport(DEBUG1,
					(errmsg_internal("asset_stream source \"%s\": %s", st->ctx->name, buf)));
		}
		st->reported_failure = true;
	}
	st->reconnect_at = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
												   st->reconnect_delay_ms);
	st->reconnect_delay_ms = Min(st->reconnect_delay_ms * 2, st->opt.reconnect_max_ms);
	st->reason[0] = '\0';
	st->connack_refused = false;
}

/* ----------------------------------------------------------------------
 * Writing batches
 * ----------------------------------------------------------------------
 */

/*
 * Write the open batch.  On failure keep it and set the retry time; after
 * MQ_FLUSH_MAX_TRIES failures (or on the final flush at shutdown) drop it.
 */
static void
mq_flush(MqState *st, bool final)
{
	SourceContext *ctx = st->ctx;
	int			nrows = ctx->batch->nrows + ctx->batch->nrejects;

	if (source_flush(ctx))
	{
		if (mq_flush_tries > 0)
			ereport(LOG,
					(errmsg("asset_stream source \"%s\": wrote the batch after %d failed tries",
							ctx->name, mq_flush_tries)));
		mq_flush_tries = 0;
		mq_flush_retry_at = 0;
		return;
	}
	mq_flush_tries++;
	if (final || mq_flush_tries >= MQ_FLUSH_MAX_TRIES)
	{
		ereport(WARNING,
				(errmsg("asset_stream source \"%s\": dropped a batch of %d reads and rejects after %d failed writes",
						ctx->name, nrows, mq_flush_tries),
				 errdetail("The reason is in the log above and in asset_stream.sources.last_error.")));
		source_drop_batch(ctx);
		mq_flush_tries = 0;
		mq_flush_retry_at = 0;
		return;
	}
	mq_flush_retry_at =
		TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
									Min(MQ_FLUSH_RETRY_MIN_MS << (mq_flush_tries - 1),
										MQ_FLUSH_RETRY_MAX_MS));
}

/* ----------------------------------------------------------------------
 * The loop
 * ----------------------------------------------------------------------
 */

static void
mq_build_wait_set(MqState *st)
{
	Assert(st->set == NULL);
	st->set_sock = mosquitto_socket(st->mosq);
	st->set = CreateWaitEventSet(TopMemoryContext, 3);
	AddWaitEventToSet(st->set, WL_LATCH_SET, PGINVALID_SOCKET, MyLatch, NULL);
	AddWaitEventToSet(st->set, WL_EXIT_ON_PM_DEATH, PGINVALID_SOCKET, NULL, NULL);
	st->sockpos = AddWaitEventToSet(st->set, WL_SOCKET_READABLE, st->set_sock, NULL, NULL);
}

static void
mq_free_wait_set(MqState *st)
{
	if (st->set != NULL)
		FreeWaitEventSet(st->set);
	st->set = NULL;
	st->set_sock = PGINVALID_SOCKET;
	st->sockpos = -1;
}

/*
 * Did the connect fail at the TCP level?  (A refused connect shows as an
 * error on the socket; with TLS, libmosquitto would keep retrying the
 * handshake on it until the keepalive runs out.)
 */
static int
mq_socket_error(pgsocket sock)
{
	int			err = 0;
	socklen_t	len = sizeof(err);

	if (getsockopt(sock, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		return errno;
	return err;
}

void
source_mqtt_run(SourceContext *ctx)
{
	static bool lib_ready = false;
	MqState    *st;
	MemoryContext loopcxt;
	MemoryContext oldcxt;
	int			rc;

	st = palloc0(sizeof(MqState));
	st->ctx = ctx;
	mq_parse_options(ctx->options, &st->opt);
	if (st->opt.client_id == NULL)
		st->opt.client_id = psprintf("asset_stream-%u-%d", MyDatabaseId, ctx->source_id);
	st->reconnect_delay_ms = st->opt.reconnect_min_ms;
	st->set_sock = PGINVALID_SOCKET;
	st->sockpos = -1;
	mq_flush_tries = 0;
	mq_flush_retry_at = 0;

	if (!lib_ready)
	{
		rc = mosquitto_lib_init();
		if (rc != MOSQ_ERR_SUCCESS)
			ereport(ERROR,
					(errmsg("could not initialise libmosquitto: %s", mosquitto_strerror(rc))));
		lib_ready = true;
	}

	errno = 0;
	st->mosq = mosquitto_new(st->opt.client_id, st->opt.clean_session, st);
	if (st->mosq == NULL)
	{
		bool		oom = (errno == ENOMEM);

		ereport(ERROR,
				(errcode(oom ? ERRCODE_OUT_OF_MEMORY : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("could not create an MQTT client for source \"%s\": %s",
						ctx->name, oom ? "out of memory" : "invalid client id")));
	}

	PG_TRY();
	{
		mosquitto_connect_callback_set(st->mosq, mq_on_connect);
		mosquitto_disconnect_callback_set(st->mosq, mq_on_disconnect);
		mosquitto_message_callback_set(st->mosq, mq_on_message);
		mosquitto_log_callback_set(st->mosq, mq_on_log);
		/* our PUBACKs and PINGREQs leave at once (no Nagle on our side) */
		(void) mosquitto_int_option(st->mosq, MOSQ_OPT_TCP_NODELAY, 1);
		if (st->opt.username)
		{
			rc = mosquitto_username_pw_set(st->mosq, st->opt.username, st->opt.password);
			if (rc != MOSQ_ERR_SUCCESS)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("source \"%s\": invalid username or password: %s",
								ctx->name, mosquitto_strerror(rc))));
		}
		if (st->opt.tls)
		{
			rc = mosquitto_tls_set(st->mosq, st->opt.ca_file, st->opt.ca_path,
								   st->opt.cert_file, st->opt.key_file, NULL);
			if (rc != MOSQ_ERR_SUCCESS)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("source \"%s\": could not set up TLS: %s",
								ctx->name, mosquitto_strerror(rc)),
						 errhint("Check that the files in the option \"tls\" exist and are readable by the server.")));
			rc = mosquitto_tls_insecure_set(st->mosq, st->opt.tls_insecure);
			if (rc != MOSQ_ERR_SUCCESS)
				ereport(ERROR,
						(errmsg("source \"%s\": could not set tls.insecure: %s",
								ctx->name, mosquitto_strerror(rc))));
		}

		loopcxt = AllocSetContextCreate(CurrentMemoryContext,
										"asset_stream mqtt loop",
										ALLOCSET_DEFAULT_SIZES);
		oldcxt = MemoryContextSwitchTo(loopcxt);

		source_report_state(ctx, SRC_CONNECTING);
		mq_connect(st);

		while (!source_shutdown_requested)
		{
			WaitEvent	events[3];
			int			nevents;
			int			i;
			long		timeout;
			bool		blocked;
			bool		sock_ready = false;
			TimestampTz now;

			MemoryContextReset(loopcxt);
			/* a source worker runs no statement: a cancel request means nothing */
			QueryCancelPending = false;
			CHECK_FOR_INTERRUPTS();
			if (ConfigReloadPending)
			{
				ConfigReloadPending = false;
				ProcessConfigFile(PGC_SIGHUP);
			}
			if (source_shutdown_requested)
				break;

			/* write the batch when it is due (or retry a failed write) */
			now = GetCurrentTimestamp();
			if (mq_flush_tries > 0 ? now >= mq_flush_retry_at : source_batch_due(ctx))
				mq_flush(st, false);
			blocked = mq_flush_tries > 0;

			/* connect when the time has come */
			if (st->conn == MQ_IDLE && !blocked && now >= st->reconnect_at)
				mq_connect(st);

			/* a connect that hangs */
			if (st->conn == MQ_CONNECTING &&
				TimestampDifferenceExceeds(st->connect_started, now, MQ_CONNECT_TIMEOUT_MS))
				mq_connection_lost(st, psprintf("no answer from %s:%d within %d s",
												st->opt.host, st->opt.port,
												MQ_CONNECT_TIMEOUT_MS / 1000));

			/* the wait set follows the socket (a new one after each connect) */
			if (st->set != NULL &&
				(st->conn == MQ_IDLE || mosquitto_socket(st->mosq) != st->set_sock))
				mq_free_wait_set(st);
			if (st->set == NULL && st->conn != MQ_IDLE)
				mq_build_wait_set(st);

			/* how long to sleep */
			timeout = MQ_MISC_INTERVAL_MS;
			if (blocked)
				timeout = Max(0, Min(timeout, TimestampDifferenceMilliseconds(now, mq_flush_retry_at)));
			else
			{
				long		batch_wait = source_batch_wait_ms(ctx);

				if (batch_wait >= 0)
					timeout = Min(timeout, batch_wait);
				if (st->conn == MQ_IDLE)
					timeout = Min(timeout, TimestampDifferenceMilliseconds(now, st->reconnect_at));
			}

			if (st->set == NULL || blocked)
			{
				/*
				 * Nothing to read from, or we must not read: sleep on the
				 * latch alone (a socket event that we do not take would
				 * wake us at once, over and over).
				 */
				(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
								 timeout, PG_WAIT_EXTENSION);
				ResetLatch(MyLatch);
				continue;
			}

			ModifyWaitEvent(st->set, st->sockpos,
							WL_SOCKET_READABLE |
							(mosquitto_want_write(st->mosq) ? WL_SOCKET_WRITEABLE : 0),
							NULL);
			nevents = WaitEventSetWait(st->set, timeout, events, lengthof(events),
									   PG_WAIT_EXTENSION);
			for (i = 0; i < nevents; i++)
			{
				if (events[i].events & WL_LATCH_SET)
					ResetLatch(MyLatch);
				if (events[i].events & (WL_SOCKET_READABLE | WL_SOCKET_WRITEABLE))
					sock_ready = true;
			}
			QueryCancelPending = false;
			CHECK_FOR_INTERRUPTS();
			if (source_shutdown_requested)
				break;

			if (sock_ready)
			{
				int			reads = 0;

				/* a refused connect: say so, rather than waiting for keepalive */
				if (st->conn == MQ_CONNECTING)
				{
					int			err = mq_socket_error(st->set_sock);

					if (err != 0)
					{
						mq_connection_lost(st, psprintf("could not connect to %s:%d: %s",
														st->opt.host, st->opt.port,
														strerror(err)));
						continue;
					}
				}

				/* send what is queued (CONNECT, SUBSCRIBE, PUBACK, PINGREQ) */
				if (mosquitto_want_write(st->mosq))
				{
					rc = mosquitto_loop_write(st->mosq, 1);
					if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(st->mosq) != st->set_sock)
					{
						mq_connection_lost(st, psprintf("lost the connection to %s:%d: %s",
														st->opt.host, st->opt.port,
														mosquitto_strerror(rc)));
						continue;
					}
				}

				/*
				 * Read one packet at a time until the socket is drained or
				 * the batch is due: never more than one batch ahead.  (In
				 * 2.0.11 mosquitto_loop_read reads about one packet per
				 * call whatever max_packets says; with TLS, also what the
				 * TLS layer has already decrypted.)
				 */
				while (reads < MQ_MAX_READS_PER_WAKE && !source_batch_due(ctx))
				{
					errno = 0;
					rc = mosquitto_loop_read(st->mosq, 1);
					reads++;
					if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(st->mosq) != st->set_sock)
						break;
					if (errno == EAGAIN || errno == EWOULDBLOCK)
						break;	/* drained */
					if (st->conn == MQ_CONNECTING)
						break;	/* handshake step; wait for the socket again */
				}
				if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(st->mosq) != st->set_sock)
				{
					mq_connection_lost(st, psprintf("lost the connection to %s:%d: %s",
													st->opt.host, st->opt.port,
													rc == MOSQ_ERR_ERRNO ? "socket error"
													: mosquitto_strerror(rc)));
					continue;
				}

				/*
				 * Acknowledge what we read at once: a broker with Nagle on
				 * (mosquitto's default) holds its next small packet until
				 * our ACK, which Linux would otherwise delay by up to 40 ms.
				 * The flag does not stick, so it is set after every read.
				 */
				if (reads > 0)
				{
					int			one = 1;

					(void) setsockopt(st->set_sock, IPPROTO_TCP, TCP_QUICKACK,
									  &one, sizeof(one));
				}
			}

			/* keepalive (PINGREQ), and anything the reads queued */
			rc = mosquitto_loop_misc(st->mosq);
			if (rc == MOSQ_ERR_SUCCESS && mosquitto_want_write(st->mosq))
				rc = mosquitto_loop_write(st->mosq, 1);
			if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(st->mosq) != st->set_sock)
				mq_connection_lost(st, psprintf("lost the connection to %s:%d: %s",
												st->opt.host, st->opt.port,
												rc == MOSQ_ERR_KEEPALIVE ? "keepalive timeout"
												: mosquitto_strerror(rc)));
		}

		/* shutdown: write the open batch, then leave the broker cleanly */
		MemoryContextSwitchTo(oldcxt);
		mq_flush(st, true);
		if (st->conn != MQ_IDLE && mosquitto_socket(st->mosq) >= 0)
		{
			(void) mosquitto_disconnect(st->mosq);
			if (mosquitto_socket(st->mosq) >= 0 && mosquitto_want_write(st->mosq))
				(void) mosquitto_loop_write(st->mosq, 1);
		}
		ereport(LOG,
				(errmsg("asset_stream source \"%s\": disconnected after " INT64_FORMAT " messages",
						ctx->name, st->messages)));
	}
	PG_FINALLY();
	{
		mq_free_wait_set(st);
		mosquitto_destroy(st->mosq);
		st->mosq = NULL;
	}
	PG_END_TRY();
}
