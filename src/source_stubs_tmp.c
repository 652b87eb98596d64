/* TEMPORARY stubs so the tree builds while the source infrastructure is written (main). */
#include "postgres.h"
#include "fmgr.h"
#include "source.h"

volatile sig_atomic_t source_shutdown_requested = false;
PG_FUNCTION_INFO_V1(as_check_source_options);
PG_FUNCTION_INFO_V1(as_wake_sources);
PG_FUNCTION_INFO_V1(as_source_stats);
Datum as_check_source_options(PG_FUNCTION_ARGS) { PG_RETURN_VOID(); }
Datum as_wake_sources(PG_FUNCTION_ARGS) { PG_RETURN_VOID(); }
Datum as_source_stats(PG_FUNCTION_ARGS) { elog(ERROR, "not yet"); }
void source_add_payload(SourceContext *ctx, IngestPayloadKind kind, const char *data, size_t len, const char *t) { ingest_parse_payload(ctx->batch, &ctx->format, kind, data, len, t); }
void source_add_reject(SourceContext *ctx, const char *payload, size_t len, const char *error) { ingest_batch_add_reject(ctx->batch, payload, len, error); }
bool source_batch_due(SourceContext *ctx) { return false; }
long source_batch_wait_ms(SourceContext *ctx) { return -1; }
bool source_flush(SourceContext *ctx) { return true; }
void source_drop_batch(SourceContext *ctx) { ingest_batch_reset(ctx->batch); }
void source_report_error(SourceContext *ctx, AsSourceState state, const char *fmt,...) {}
void source_report_state(SourceContext *ctx, AsSourceState state) {}
char *source_opt_text(Jsonb *options, const char *key, const char *dflt) { return (char *) dflt; }
int source_opt_int(Jsonb *options, const char *key, int dflt, int min, int max) { return dflt; }
bool source_opt_bool(Jsonb *options, const char *key, bool dflt) { return dflt; }
int source_opt_text_array(Jsonb *options, const char *key, char ***out) { *out = NULL; return 0; }
