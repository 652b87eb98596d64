/*-------------------------------------------------------------------------
 *
 * source_http.c
 *	  The http source kind: an HTTP server (libmicrohttpd) inside the
 *	  source's background worker.  Clients POST reads (a JSON array or
 *	  object, NDJSON or CSV, chosen by Content-Type); the answer comes only
 *	  after the transaction holding the request's rows has committed.
 *
 * Threads and errors.  The daemon runs without threads of its own
 * ("external" polling with epoll): its single epoll fd sits in the worker's
 * WaitEventSet beside MyLatch and postmaster death, and MHD_run() is called
 * from the worker's loop.  The libmicrohttpd callbacks (access handler,
 * completion notifier, logger) never call into PostgreSQL: they only
 * malloc, copy request bodies and queue responses.  Everything that can
 * raise an ERROR (parsing, writing, reporting) happens in the loop, outside
 * libmicrohttpd's frames.
 *
 * A request's life:
 *	 1. headers: wrong method (405), path (404) or token (401), or a
 *		Content-Length over max_payload (413), are answered at once;
 *	 2. the body is accumulated in malloc'd memory, up to max_payload (a
 *		longer chunked body is read to its end, keeping its first 8 kB);
 *	 3. at the end of the body the connection is suspended and put on the
 *		"ready" list;
 *	 4. the loop parses it into the open batch (whole: a request's rows are
 *		never split across two batches), frees the body, and either answers
 *		at once (400 when nothing in it could be parsed, 413 when oversize)
 *		or moves it to the "waiting" list;
 *	 5. when the batch is due the loop flushes it, and resumes every waiting
 *		connection with 200 {"accepted":N,"rejected":M} (committed) or 503
 *		(the write failed; the batch is dropped and the client resends).
 *
 * Rejects (malformed rows, oversize bodies) are written to
 * asset_stream.rejected with the next flush: a 400 or 413 answer can reach
 * the client shortly before its reject row is committed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "lib/ilist.h"
#include "miscadmin.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "source.h"

#define HTTP_DEFAULT_LISTEN		"127.0.0.1"
#define HTTP_DEFAULT_PATH		"/"
#define HTTP_DEFAULT_MAX_CONN	64
#define HTTP_MAX_MAX_CONN		10000
#define HTTP_CONN_TIMEOUT_S		60	/* idle connections are closed */
#define HTTP_REJECT_KEEP		8192	/* bytes of an oversize body kept */
#define HTTP_RETRY_MIN_MS		1000
#define HTTP_RETRY_MAX_MS		30000
#define HTTP_SHUTDOWN_DRAIN_MS	2000	/* finish answers on shutdown */
#define HTTP_MAX_WAIT_MS		1000
#define HTTP_ERROR_LEN			512

typedef enum HttpReqState
{
	HRS_RECEIVING,				/* reading the body (to its end when oversize) */
	HRS_READY,					/* body complete; suspended, on srv->ready */
	HRS_WAITING,				/* parsed; suspended, on srv->waiting */
	HRS_ANSWER					/* resumed; answer the next handler call */
} HttpReqState;

/* One request being received or answered (malloc'd). */
typedef struct HttpRequest
{
	dlist_node	node;			/* in srv->ready or srv->waiting */
	bool		linked;
	struct MHD_Connection *conn;
	HttpReqState state;
	bool		oversize;
	char	   *body;
	size_t		len;			/* bytes in body */
	size_t		cap;
	size_t		total;			/* bytes received (> len when oversize) */
	char		content_type[128];
	/* the answer */
	unsigned int status;
	int64		accepted;
	int64		rejected;
	char		error[HTTP_ERROR_LEN];
} HttpRequest;

/* A reject found in a callback, recorded by the loop (malloc'd). */
typedef struct HttpEarlyReject
{
	struct HttpEarlyReject *next;
	char		error[HTTP_ERROR_LEN];
} HttpEarlyReject;

typedef struct HttpServer
{
	SourceContext *ctx;
	/* options */
	char	   *listen;
	int			port;
	char	   *path;			/* NULL: any path */
	char	   *token;			/* NULL: no authentication */
	int			max_connections;
	size_t		max_payload;
	/* the daemon */
	struct MHD_Daemon *daemon;
	int			listen_fd;		/* ours until the daemon is stopped */
	WaitEventSet *wes;
	dlist_head	ready;			/* bodies to parse, in arrival order */
	dlist_head	waiting;		/* parsed, waiting for the commit */
	int			nready;
	int			nwaiting;
	int			nrequests;		/* HttpRequests allocated */
	HttpEarlyReject *early_rejects;
	bool		shutting_down;
	bool		run_now;		/* connections resumed: MHD_run() at once */
	char		mhd_log[HTTP_ERROR_LEN];	/* last libmicrohttpd message */
} HttpServer;

/* Marks a request answered in its first handler call (no HttpRequest). */
static char http_answered_marker;

static bool http_start(HttpServer *srv);
static void http_stop(HttpServer *srv);
static void http_serve(HttpServer *srv);
static void http_drain(HttpServer *srv);
static void http_wait(HttpServer *srv, long timeout_ms);
static void http_process_ready(HttpServer *srv);
static void http_flush(HttpServer *srv);
static void http_finish(HttpServer *srv, HttpRequest *req, unsigned int status,
						const char *error);
static void http_record_early_rejects(HttpServer *srv);
static void http_log_mhd(HttpServer *srv);
static int	http_open_listen_socket(const char *addr, int port, bool *ipv6,
									char *errbuf, size_t errlen);
static bool http_parse_address(const char *text, struct sockaddr_storage *ss,
							   socklen_t *sslen);
static bool http_opt_present(Jsonb *options, const char *key);

static enum MHD_Result http_access(void *cls, struct MHD_Connection *conn,
								   const char *url, const char *method,
								   const char *version, const char *upload_data,
								   size_t *upload_data_size, void **con_cls);
static void http_completed(void *cls, struct MHD_Connection *conn,
						   void **con_cls, enum MHD_RequestTerminationCode toe);
static void http_mhd_logger(void *cls, const char *fmt, va_list ap);
static void http_mhd_panic(void *cls, const char *file, unsigned int line,
						   const char *reason);


/* ------------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------------
 */

/*
 * Check the http options when the source is added (raise 22023).
 */
void
source_http_check_options(Jsonb *options)
{
	char	   *listen;
	char	   *path;
	char	   *token;
	struct sockaddr_storage ss;
	socklen_t	sslen;
	const char *p;

	listen = source_opt_text(options, "listen", HTTP_DEFAULT_LISTEN);
	if (!http_parse_address(listen, &ss, &sslen))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source option \"listen\" must be an IPv4 or IPv6 address, not \"%s\"",
						listen),
				 errhint("For example \"127.0.0.1\" (the default), \"0.0.0.0\" or \"::1\".")));

	if (!http_opt_present(options, "port"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source option \"port\" is required for an http source"),
				 errhint("Add for example \"port\": 8080 to the options.")));
	(void) source_opt_int(options, "port", 0, 1, 65535);

	path = source_opt_text(options, "path", HTTP_DEFAULT_PATH);
	if (path[0] != '/')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("source option \"path\" must start with \"/\", not \"%s\"", path),
				 errhint("\"/\" (the default) accepts any path.")));
	for (p = path; *p; p++)
		if ((unsigned char) *p <= ' ' || *p == '?' || *p == '#' || *p == 0x7f)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("source option \"path\" must not contain spaces, control characters, \"?\" or \"#\"")));

	token = source_opt_text(options, "token", NULL);
	if (token != NULL)
	{
		if (token[0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("source option \"token\" must not be empty"),
					 errhint("Leave the option out to accept requests without a token.")));
		for (p = token; *p; p++)
			if ((unsigned char) *p <= ' ' || *p == 0x7f)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("source option \"token\" must not contain spaces or control characters")));
	}

	(void) source_opt_int(options, "max_connections", HTTP_DEFAULT_MAX_CONN,
						  1, HTTP_MAX_MAX_CONN);
}

/* Is key in the options object, with a value other than null? */
static bool
http_opt_present(Jsonb *options, const char *key)
{
	JsonbValue	k;
	JsonbValue *v;

	if (options == NULL || !JB_ROOT_IS_OBJECT(options))
		return false;
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	v = findJsonbValueFromContainer(&options->root, JB_FOBJECT, &k);
	return v != NULL && v->type != jbvNull;
}

/* Parse an IPv4 or IPv6 address (no port, no brackets). */
static bool
http_parse_address(const char *text, struct sockaddr_storage *ss,
				   socklen_t *sslen)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(text, ':') == NULL)
	{
		struct sockaddr_in *sin = (struct sockaddr_in *) ss;

		sin->sin_family = AF_INET;
		*sslen = sizeof(struct sockaddr_in);
		return inet_pton(AF_INET, text, &sin->sin_addr) == 1;
	}
	else
	{
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;

		sin6->sin6_family = AF_INET6;
		*sslen = sizeof(struct sockaddr_in6);
		return inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1;
	}
}


/* ------------------------------------------------------------------------
 * The worker's loop
 * ------------------------------------------------------------------------
 */

/*
 * Run the http source until source_shutdown_requested.
 */
void
source_http_run(SourceContext *ctx)
{
	HttpServer *srv;
	volatile long retry_ms = HTTP_RETRY_MIN_MS;

	srv = palloc0(sizeof(HttpServer));
	srv->ctx = ctx;
	srv->listen = source_opt_text(ctx->options, "listen", HTTP_DEFAULT_LISTEN);
	srv->port = source_opt_int(ctx->options, "port", 0, 1, 65535);
	srv->path = source_opt_text(ctx->options, "path", HTTP_DEFAULT_PATH);
	if (srv->path != NULL && strcmp(srv->path, "/") == 0)
		srv->path = NULL;
	srv->token = source_opt_text(ctx->options, "token", NULL);
	if (srv->token != NULL && srv->token[0] == '\0')
		srv->token = NULL;
	srv->max_connections = source_opt_int(ctx->options, "max_connections",
										  HTTP_DEFAULT_MAX_CONN, 1,
										  HTTP_MAX_MAX_CONN);
	srv->max_payload = ctx->format.max_payload > 0 ? ctx->format.max_payload
		: 1024 * 1024;
	srv->listen_fd = -1;
	dlist_init(&srv->ready);
	dlist_init(&srv->waiting);

	/* a library failure ends the worker (restarted), never the server */
	MHD_set_panic_func(http_mhd_panic, NULL);

	PG_TRY();
	{
		while (!source_shutdown_requested)
		{
			source_report_state(ctx, SRC_CONNECTING);
			if (http_start(srv))
			{
				retry_ms = HTTP_RETRY_MIN_MS;
				source_report_state(ctx, SRC_RUNNING);
				ereport(LOG,
						(errmsg("asset_stream http source \"%s\" listening on %s%s%s:%d",
								ctx->name,
								strchr(srv->listen, ':') ? "[" : "", srv->listen,
								strchr(srv->listen, ':') ? "]" : "", srv->port)));
				http_serve(srv);	/* returns on shutdown */
				http_drain(srv);
				http_stop(srv);
				break;
			}

			/* port taken (or the daemon failed): wait, then try again */
			(void) WaitLatch(MyLatch,
							 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
							 retry_ms, PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
			CHECK_FOR_INTERRUPTS();
			retry_ms = Min(retry_ms * 2, HTTP_RETRY_MAX_MS);
		}
	}
	PG_FINALLY();
	{
		/* on every path: answer nothing more, close the port, free the set */
		http_stop(srv);
	}
	PG_END_TRY();
}

/*
 * Bind the port and start the daemon.  On failure report the reason in the
 * source's slot (state retrying) and return false.
 */
static bool
http_start(HttpServer *srv)
{
	SourceContext *ctx = srv->ctx;
	char		errbuf[256];
	bool		ipv6 = false;
	const union MHD_DaemonInfo *info;
	unsigned int flags;

	srv->mhd_log[0] = '\0';
	srv->shutting_down = false;
	srv->listen_fd = http_open_listen_socket(srv->listen, srv->port, &ipv6,
											 errbuf, sizeof(errbuf));
	if (srv->listen_fd < 0)
	{
		source_report_error(ctx, SRC_RETRYING, "could not listen on %s%s%s:%d: %s",
							ipv6 ? "[" : "", srv->listen, ipv6 ? "]" : "",
							srv->port, errbuf);
		return false;
	}

	/*
	 * No MHD_USE_INTERNAL_POLLING_THREAD: no thread; MHD_run() from our
	 * loop.  MHD_USE_EPOLL: one fd to wait on, stable for the daemon's life.
	 */
	flags = MHD_USE_ERROR_LOG | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
	if (ipv6)
		flags |= MHD_USE_IPv6;
	srv->daemon = MHD_start_daemon(flags, (uint16_t) srv->port,
								   NULL, NULL,
								   http_access, srv,
								   MHD_OPTION_EXTERNAL_LOGGER, http_mhd_logger, srv,
								   MHD_OPTION_LISTEN_SOCKET, (MHD_socket) srv->listen_fd,
								   MHD_OPTION_CONNECTION_LIMIT, (unsigned int) srv->max_connections,
								   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) HTTP_CONN_TIMEOUT_S,
								   MHD_OPTION_NOTIFY_COMPLETED, http_completed, srv,
								   MHD_OPTION_END);
	if (srv->daemon == NULL)
	{
		source_report_error(ctx, SRC_RETRYING,
							"could not start the HTTP server on port %d: %s",
							srv->port,
							srv->mhd_log[0] ? srv->mhd_log : "libmicrohttpd failed");
		srv->mhd_log[0] = '\0';
		/* some failure paths of MHD_start_daemon() close it, some do not */
		if (fcntl(srv->listen_fd, F_GETFD) != -1)
			close(srv->listen_fd);
		srv->listen_fd = -1;
		return false;
	}
	/* the daemon owns the socket now (MHD_stop_daemon closes it) */
	srv->listen_fd = -1;

	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_EPOLL_FD);
	if (info == NULL || info->epoll_fd < 0)
	{
		source_report_error(ctx, SRC_RETRYING,
							"could not start the HTTP server on port %d: no epoll descriptor",
							srv->port);
		http_stop(srv);
		return false;
	}

	srv->wes = CreateWaitEventSet(CurrentMemoryContext, 3);
	AddWaitEventToSet(srv->wes, WL_LATCH_SET, PGINVALID_SOCKET, MyLatch, NULL);
	AddWaitEventToSet(srv->wes, WL_EXIT_ON_PM_DEATH, PGINVALID_SOCKET, NULL, NULL);
	AddWaitEventToSet(srv->wes, WL_SOCKET_READABLE, info->epoll_fd, NULL, NULL);
	return true;
}

/*
 * Stop the daemon, close the port and free the wait event set.  Safe to
 * call twice and in any state (error paths).
 */
static void
http_stop(HttpServer *srv)
{
	if (srv->daemon != NULL)
	{
		dlist_mutable_iter iter;
		bool		resumed = !dlist_is_empty(&srv->ready) ||
			!dlist_is_empty(&srv->waiting);

		/*
		 * MHD_stop_daemon() must not find suspended connections: resume them
		 * with a 503, and give the daemon a chance to send it.
		 */
		dlist_foreach_modify(iter, &srv->ready)
		{
			HttpRequest *req = dlist_container(HttpRequest, node, iter.cur);

			http_finish(srv, req, MHD_HTTP_SERVICE_UNAVAILABLE,
						"the source is shutting down; send again");
		}
		dlist_foreach_modify(iter, &srv->waiting)
		{
			HttpRequest *req = dlist_container(HttpRequest, node, iter.cur);

			http_finish(srv, req, MHD_HTTP_SERVICE_UNAVAILABLE,
						"the source is shutting down; send again");
		}
		if (resumed)
		{
			int			i;

			for (i = 0; i < 3; i++)
				(void) MHD_run(srv->daemon);
		}
		MHD_stop_daemon(srv->daemon);
		srv->daemon = NULL;
	}
	if (srv->listen_fd >= 0)
	{
		close(srv->listen_fd);
		srv->listen_fd = -1;
	}
	if (srv->wes != NULL)
	{
		FreeWaitEventSet(srv->wes);
		srv->wes = NULL;
	}
	while (srv->early_rejects != NULL)
	{
		HttpEarlyReject *r = srv->early_rejects;

		srv->early_rejects = r->next;
		free(r);
	}
}

/*
 * Serve requests until shutdown is requested.
 */
static void
http_serve(HttpServer *srv)
{
	SourceContext *ctx = srv->ctx;

	while (!source_shutdown_requested)
	{
		long		timeout_ms = HTTP_MAX_WAIT_MS;
		long		batch_ms;

		/*
		 * Parse what arrived (flushing between requests when the batch gets
		 * due), then flush a due batch.  Both before MHD_run(): while a batch
		 * is due, nothing more is read.
		 */
		http_record_early_rejects(srv);
		http_process_ready(srv);
		if (source_batch_due(ctx))
			http_flush(srv);

		batch_ms = source_batch_wait_ms(ctx);
		if (batch_ms >= 0)
			timeout_ms = Min(timeout_ms, batch_ms);
		http_wait(srv, timeout_ms);
	}
}

/*
 * Wait for the latch or the daemon, at most timeout_ms and no longer than
 * the daemon allows, then let the daemon work.
 */
static void
http_wait(HttpServer *srv, long timeout_ms)
{
	MHD_UNSIGNED_LONG_LONG mhd_timeout;
	WaitEvent	events[3];
	int			nevents;
	int			i;

	if (MHD_get_timeout(srv->daemon, &mhd_timeout) == MHD_YES &&
		mhd_timeout < (MHD_UNSIGNED_LONG_LONG) timeout_ms)
		timeout_ms = (long) mhd_timeout;
	/*
	 * A resume does not wake the epoll fd, and MHD_get_timeout() does not
	 * count resumed connections: run the daemon without waiting.
	 */
	if (srv->run_now || timeout_ms < 0)
		timeout_ms = 0;
	srv->run_now = false;

	nevents = WaitEventSetWait(srv->wes, timeout_ms, events, lengthof(events),
							   PG_WAIT_EXTENSION);
	for (i = 0; i < nevents; i++)
		if (events[i].events & WL_LATCH_SET)
			ResetLatch(MyLatch);
	CHECK_FOR_INTERRUPTS();

	(void) MHD_run(srv->daemon);
	http_log_mhd(srv);
}

/*
 * On shutdown: stop accepting, write what was received and answer it.
 * Requests still being received get a short time to complete.
 */
static void
http_drain(HttpServer *srv)
{
	TimestampTz deadline;
	MHD_socket	lfd;

	/* ours again; external polling: no thread uses it, close the port now */
	lfd = MHD_quiesce_daemon(srv->daemon);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	srv->shutting_down = true;

	deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
										   HTTP_SHUTDOWN_DRAIN_MS);
	for (;;)
	{
		long		left;

		http_record_early_rejects(srv);
		http_process_ready(srv);
		if (srv->nwaiting > 0 || source_batch_wait_ms(srv->ctx) >= 0)
			http_flush(srv);	/* write the open batch, answer its requests */
		if (srv->nrequests == 0)
			break;
		left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), deadline);
		if (left <= 0)
			break;
		http_wait(srv, Min(left, 50));
	}
	/* the rest gets 503 from http_stop() */
}

/*
 * Parse the bodies that arrived, in order.  A request is parsed whole into
 * the open batch; a due batch is flushed only between two requests.
 */
static void
http_process_ready(HttpServer *srv)
{
	SourceContext *ctx = srv->ctx;

	while (!dlist_is_empty(&srv->ready))
	{
		HttpRequest *req = dlist_container(HttpRequest, node,
										   dlist_head_node(&srv->ready));
		int			rows_before;
		int			rejects_before;
		IngestPayloadKind kind;

		if (source_batch_due(ctx))
			http_flush(srv);

		/*
		 * The request stays on the ready list until it is answered or moved:
		 * if parsing raised an ERROR, http_stop() still finds it suspended.
		 */
		if (req->oversize)
		{
			char		msg[HTTP_ERROR_LEN];

			snprintf(msg, sizeof(msg),
					 "payload of %zu bytes exceeds max_payload (%zu)",
					 req->total, srv->max_payload);
			source_add_reject(ctx, req->body ? req->body : "", req->len, msg);
			req->rejected = 1;
			http_finish(srv, req, MHD_HTTP_CONTENT_TOO_LARGE, msg);
			continue;
		}

		rows_before = ctx->batch->nrows;
		rejects_before = ctx->batch->nrejects;
		kind = ingest_kind_for_content_type(&ctx->format, req->content_type);
		source_add_payload(ctx, kind, req->body ? req->body : "", req->len, NULL);
		req->accepted = ctx->batch->nrows - rows_before;
		req->rejected = ctx->batch->nrejects - rejects_before;

		/* the body is in the batch now */
		free(req->body);
		req->body = NULL;
		req->len = req->cap = 0;

		if (req->accepted == 0 && req->rejected > 0)
		{
			/* nothing usable: say why at once (the reject is written later) */
			const char *why = ctx->batch->rejects[rejects_before].error;

			http_finish(srv, req, MHD_HTTP_BAD_REQUEST,
						why ? why : "the payload could not be parsed");
		}
		else if (req->accepted == 0)
			http_finish(srv, req, MHD_HTTP_OK, NULL);	/* e.g. "[]" */
		else
		{
			/* answer after the commit */
			dlist_delete(&req->node);
			srv->nready--;
			req->state = HRS_WAITING;
			dlist_push_tail(&srv->waiting, &req->node);
			req->linked = true;
			srv->nwaiting++;
		}
	}
}

/*
 * Write the open batch and answer the requests waiting for it: 200 when it
 * committed, 503 when it failed (the batch is dropped; clients resend).
 */
static void
http_flush(HttpServer *srv)
{
	SourceContext *ctx = srv->ctx;
	bool		ok;
	char		error[HTTP_ERROR_LEN];
	dlist_mutable_iter iter;

	ok = source_flush(ctx);
	if (!ok)
	{
		/* the reason is in the slot (and the server log) */
		error[0] = '\0';
		if (ctx->slot != NULL)
		{
			LWLockAcquire(as_shared->lock, LW_SHARED);
			strlcpy(error, ctx->slot->last_error, sizeof(error));
			LWLockRelease(as_shared->lock);
		}
		if (error[0] == '\0')
			strlcpy(error, "could not write the batch", sizeof(error));
		source_drop_batch(ctx);
	}

	dlist_foreach_modify(iter, &srv->waiting)
	{
		HttpRequest *req = dlist_container(HttpRequest, node, iter.cur);

		if (ok)
			http_finish(srv, req, MHD_HTTP_OK, NULL);
		else
		{
			char		msg[HTTP_ERROR_LEN];

			snprintf(msg, sizeof(msg), "not stored, send again: %s", error);
			http_finish(srv, req, MHD_HTTP_SERVICE_UNAVAILABLE, msg);
		}
	}
}

/*
 * Set a suspended request's answer and resume its connection; the access
 * handler queues the response when libmicrohttpd calls it again.
 */
static void
http_finish(HttpServer *srv, HttpRequest *req, unsigned int status,
			const char *error)
{
	if (req->linked)
	{
		dlist_delete(&req->node);
		req->linked = false;
		if (req->state == HRS_READY)
			srv->nready--;
		else if (req->state == HRS_WAITING)
			srv->nwaiting--;
	}
	req->status = status;
	if (error != NULL)
		strlcpy(req->error, error, sizeof(req->error));
	else
		req->error[0] = '\0';
	req->state = HRS_ANSWER;
	MHD_resume_connection(req->conn);
	srv->run_now = true;
}

/*
 * Count the rejects the callbacks found before reading a body.
 */
static void
http_record_early_rejects(HttpServer *srv)
{
	while (srv->early_rejects != NULL)
	{
		HttpEarlyReject *r = srv->early_rejects;

		srv->early_rejects = r->next;
		source_add_reject(srv->ctx, "", 0, r->error);
		free(r);
	}
}

/*
 * Send what libmicrohttpd logged to the server log.
 */
static void
http_log_mhd(HttpServer *srv)
{
	if (srv->mhd_log[0] != '\0')
	{
		size_t		n = strlen(srv->mhd_log);

		while (n > 0 && (srv->mhd_log[n - 1] == '\n' || srv->mhd_log[n - 1] == '\r'))
			srv->mhd_log[--n] = '\0';
		ereport(LOG,
				(errmsg("asset_stream http source \"%s\": %s",
						srv->ctx->name, srv->mhd_log)));
		srv->mhd_log[0] = '\0';
	}
}

/*
 * Make the listening socket ourselves, to report the precise reason
 * ("address already in use") when the port is taken.  Returns the fd, or
 * -1 with the reason in errbuf.
 */
static int
http_open_listen_socket(const char *addr, int port, bool *ipv6,
						char *errbuf, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t	sslen;
	int			fd;
	int			one = 1;
	int			save_errno;

	if (!http_parse_address(addr, &ss, &sslen))
	{
		strlcpy(errbuf, "invalid address", errlen);
		return -1;
	}
	*ipv6 = (ss.ss_family == AF_INET6);
	if (*ipv6)
		((struct sockaddr_in6 *) &ss)->sin6_port = htons((uint16_t) port);
	else
		((struct sockaddr_in *) &ss)->sin_port = htons((uint16_t) port);

	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	/* restart at once after a stop (TIME_WAIT); a listener still refuses */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		goto fail;
	if (bind(fd, (struct sockaddr *) &ss, sslen) < 0)
		goto fail;
	if (listen(fd, SOMAXCONN) < 0)
		goto fail;
	return fd;

fail:
	save_errno = errno;
	if (fd >= 0)
		close(fd);
	strlcpy(errbuf, strerror(save_errno), errlen);
	/* "Address already in use" -> "address already in use" */
	if (errbuf[0] >= 'A' && errbuf[0] <= 'Z' &&
		!(errbuf[1] >= 'A' && errbuf[1] <= 'Z'))
		errbuf[0] += 'a' - 'A';
	return -1;
}


/* ------------------------------------------------------------------------
 * libmicrohttpd callbacks: no PostgreSQL calls in here (no palloc, no
 * elog, nothing that can raise an ERROR through libmicrohttpd's frames).
 * ------------------------------------------------------------------------
 */

/* Append src to dst as JSON string content; always NUL-terminates. */
static void
http_json_escape(char *dst, size_t dstlen, const char *src)
{
	size_t		o = 0;

	for (; *src && o + 7 < dstlen; src++)
	{
		unsigned char c = (unsigned char) *src;

		if (c == '"' || c == '\\')
		{
			dst[o++] = '\\';
			dst[o++] = c;
		}
		else if (c == '\n')
		{
			dst[o++] = '\\';
			dst[o++] = 'n';
		}
		else if (c < 0x20)
			o += snprintf(dst + o, dstlen - o, "\\u%04x", c);
		else
			dst[o++] = c;
	}
	dst[o] = '\0';
}

/* Queue a JSON response; returns MHD_NO (close the connection) on failure. */
static enum MHD_Result
http_respond(struct MHD_Connection *conn, unsigned int status,
			 int64 accepted, int64 rejected, const char *error)
{
	char		body[HTTP_ERROR_LEN * 6 + 128];
	char		escaped[HTTP_ERROR_LEN * 6];
	struct MHD_Response *resp;
	enum MHD_Result ret;
	int			len;

	if (error == NULL || error[0] == '\0')
		len = snprintf(body, sizeof(body),
					   "{\"accepted\":" INT64_FORMAT ",\"rejected\":" INT64_FORMAT "}\n",
					   accepted, rejected);
	else if (accepted > 0 || rejected > 0)
	{
		http_json_escape(escaped, sizeof(escaped), error);
		len = snprintf(body, sizeof(body),
					   "{\"accepted\":" INT64_FORMAT ",\"rejected\":" INT64_FORMAT ",\"error\":\"%s\"}\n",
					   accepted, rejected, escaped);
	}
	else
	{
		http_json_escape(escaped, sizeof(escaped), error);
		len = snprintf(body, sizeof(body), "{\"error\":\"%s\"}\n", escaped);
	}
	if (len < 0 || len >= (int) sizeof(body))
		len = strlen(body);

	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "POST");
	else if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	else if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Does the request carry "Authorization: Bearer <token>"? */
static bool
http_token_ok(struct MHD_Connection *conn, const char *token)
{
	const char *auth;
	size_t		tlen;
	size_t		alen;
	size_t		i;
	unsigned char diff;

	auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
									   MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
		return false;
	auth += 7;
	while (*auth == ' ')
		auth++;
	alen = strlen(auth);
	while (alen > 0 && auth[alen - 1] == ' ')
		alen--;
	tlen = strlen(token);
	if (alen != tlen)
		return false;
	/* constant time in the token's content */
	diff = 0;
	for (i = 0; i < tlen; i++)
		diff |= (unsigned char) (auth[i] ^ token[i]);
	return diff == 0;
}

/* Add a reject found before the body was read, for the loop to record. */
static void
http_early_reject(HttpServer *srv, const char *error)
{
	HttpEarlyReject *r = malloc(sizeof(HttpEarlyReject));

	if (r == NULL)
		return;
	strlcpy(r->error, error, sizeof(r->error));
	r->next = srv->early_rejects;
	srv->early_rejects = r;
}

/* Append a body chunk; keeps at most max_payload (8 kB once oversize). */
static bool
http_append(HttpServer *srv, HttpRequest *req, const char *data, size_t size)
{
	size_t		keep;

	req->total += size;
	if (!req->oversize && req->total > srv->max_payload)
	{
		req->oversize = true;
		if (req->len > HTTP_REJECT_KEEP)
			req->len = HTTP_REJECT_KEEP;
	}
	keep = req->oversize ? HTTP_REJECT_KEEP : srv->max_payload;
	if (req->len >= keep)
		return true;
	if (size > keep - req->len)
		size = keep - req->len;
	if (req->len + size > req->cap)
	{
		size_t		newcap = Max(req->cap * 2, (size_t) 16384);
		char	   *nb;

		while (newcap < req->len + size)
			newcap *= 2;
		if (newcap > srv->max_payload)
			newcap = Max(srv->max_payload, req->len + size);
		nb = realloc(req->body, newcap);
		if (nb == NULL)
			return false;
		req->body = nb;
		req->cap = newcap;
	}
	memcpy(req->body + req->len, data, size);
	req->len += size;
	return true;
}

/*
 * The access handler: called for the headers, for each body chunk, at the
 * end of the body, and again after a resume.
 */
static enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url,
			const char *method, const char *version, const char *upload_data,
			size_t *upload_data_size, void **con_cls)
{
	HttpServer *srv = (HttpServer *) cls;
	HttpRequest *req = (HttpRequest *) *con_cls;

	if (*con_cls == &http_answered_marker)
	{
		/* answered at the headers; ignore any body */
		*upload_data_size = 0;
		return MHD_YES;
	}

	if (req == NULL)
	{
		/* the headers */
		const char *ct;
		const char *cl;

		if (strcmp(method, MHD_HTTP_METHOD_POST) != 0)
		{
			*con_cls = &http_answered_marker;
			return http_respond(conn, MHD_HTTP_METHOD_NOT_ALLOWED, 0, 0,
								"only POST is allowed");
		}
		if (srv->path != NULL && strcmp(url, srv->path) != 0)
		{
			*con_cls = &http_answered_marker;
			return http_respond(conn, MHD_HTTP_NOT_FOUND, 0, 0, "not found");
		}
		if (srv->token != NULL && !http_token_ok(conn, srv->token))
		{
			*con_cls = &http_answered_marker;
			return http_respond(conn, MHD_HTTP_UNAUTHORIZED, 0, 0,
								"missing or wrong bearer token");
		}
		if (srv->shutting_down)
		{
			*con_cls = &http_answered_marker;
			return http_respond(conn, MHD_HTTP_SERVICE_UNAVAILABLE, 0, 0,
								"the source is shutting down; send again");
		}
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
										 MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL)
		{
			char	   *end;
			unsigned long long n;

			errno = 0;
			n = strtoull(cl, &end, 10);
			if (errno == 0 && end != cl && n > srv->max_payload)
			{
				char		msg[HTTP_ERROR_LEN];

				snprintf(msg, sizeof(msg),
						 "payload of %llu bytes exceeds max_payload (%zu)",
						 n, srv->max_payload);
				http_early_reject(srv, msg);
				*con_cls = &http_answered_marker;
				return http_respond(conn, MHD_HTTP_CONTENT_TOO_LARGE, 0, 1, msg);
			}
		}

		req = calloc(1, sizeof(HttpRequest));
		if (req == NULL)
			return MHD_NO;
		req->conn = conn;
		req->state = HRS_RECEIVING;
		ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
										 MHD_HTTP_HEADER_CONTENT_TYPE);
		if (ct != NULL)
			strlcpy(req->content_type, ct, sizeof(req->content_type));
		srv->nrequests++;
		*con_cls = req;
		return MHD_YES;
	}

	if (*upload_data_size > 0)
	{
		/* a body chunk */
		if (req->state != HRS_RECEIVING)
		{
			*upload_data_size = 0;
			return MHD_YES;
		}
		if (!http_append(srv, req, upload_data, *upload_data_size))
			return MHD_NO;		/* out of memory: close the connection */
		*upload_data_size = 0;
		return MHD_YES;
	}

	switch (req->state)
	{
		case HRS_RECEIVING:
			/* the end of the body: hand it to the loop */
			req->state = HRS_READY;
			dlist_push_tail(&srv->ready, &req->node);
			req->linked = true;
			srv->nready++;
			MHD_suspend_connection(conn);
			return MHD_YES;
		case HRS_ANSWER:
			return http_respond(conn, req->status, req->accepted, req->rejected,
								req->error);
		default:
			/* suspended states are not called; be safe */
			break;
	}
	return MHD_YES;
}

/*
 * A request ended (answered, or the connection broke): free it.
 */
static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			   enum MHD_RequestTerminationCode toe)
{
	HttpServer *srv = (HttpServer *) cls;
	HttpRequest *req = (HttpRequest *) *con_cls;

	if (req == NULL || *con_cls == &http_answered_marker)
	{
		*con_cls = NULL;
		return;
	}
	if (req->linked)
	{
		dlist_delete(&req->node);
		if (req->state == HRS_READY)
			srv->nready--;
		else if (req->state == HRS_WAITING)
			srv->nwaiting--;
	}
	free(req->body);
	free(req);
	srv->nrequests--;
	*con_cls = NULL;
}

static void
http_mhd_logger(void *cls, const char *fmt, va_list ap)
{
	HttpServer *srv = (HttpServer *) cls;

	/* keep the last message; the loop logs it */
	vsnprintf(srv->mhd_log, sizeof(srv->mhd_log), fmt, ap);
}

static void
http_mhd_panic(void *cls, const char *file, unsigned int line,
			   const char *reason)
{
	/*
	 * libmicrohttpd would abort(), which the postmaster treats as a crash
	 * (and crash recovery empties unlogged streams).  FATAL instead exits
	 * with code 1: only this worker restarts.  FATAL does not unwind.
	 */
	ereport(FATAL,
			(errmsg("libmicrohttpd failed: %s (%s:%u)",
					reason ? reason : "unknown error", file ? file : "?", line)));
}
