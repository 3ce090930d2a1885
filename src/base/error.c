/* error.c — thread-local last-error message; see error.h. */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[1024];

int asr_error(const char *fmt, ...)
{
    /* Format into a scratch buffer first: callers often wrap the previous
     * message, asr_error("%s: %s", path, asr_last_error()), and formatting
     * straight into last_error would overwrite the argument being read. */
    char msg[sizeof last_error];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memcpy(last_error, msg, sizeof msg);
    return -1;
}

const char *asr_last_error(void)
{
    return last_error;
}

void asr_clear_error(void)
{
    last_error[0] = '\0';
}
