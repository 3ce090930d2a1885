/* log.c — see log.h. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>

static asr_log_fn handler;
static void *handler_ctx;

void asr_log_set(asr_log_fn fn, void *ctx)
{
    handler = fn;
    handler_ctx = ctx;
}

void asr_log(asr_log_level level, const char *fmt, ...)
{
    if (!handler) return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    handler(handler_ctx, level, msg);
}
