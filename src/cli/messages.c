/* messages.c — see messages.h. */
#include "cli/messages.h"

#include "base/clock.h"
#include "base/error.h"
#include "base/log.h"
#include "base/numparse.h"
#include "base/parallel.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

static struct {
    int quiet;
    int tty;         /* stderr is a terminal */
    int shown;       /* characters of the progress line on the terminal (0: none) */
    double interval; /* not a terminal: seconds between two progress lines */
    double last;     /* not a terminal: when the last one was printed */
} out;

/* The terminal's width, less one column: a longer line would wrap, and a
 * carriage return goes back to the start of its last row only. */
static int line_width(void)
{
    struct winsize ws;
    int cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
    return cols - 1;
}

/* A terminal's progress line is rewritten in place: a carriage return, the
 * new text (cut to the width), and blanks over what is left of a longer one. */
static void show_progress(const char *msg)
{
    if (out.tty) {
        int n = fprintf(stderr, "\r%.*s", line_width(), msg) - 1;
        if (n < out.shown) fprintf(stderr, "%*s", out.shown - n, "");
        out.shown = n > out.shown ? n : out.shown;
        fflush(stderr);
        return;
    }
    double now = clock_seconds();
    if (now - out.last < out.interval) return;
    out.last = now;
    fprintf(stderr, "%s\n", msg);
}

static void log_to_stderr(void *ctx, asr_log_level level, const char *msg)
{
    (void)ctx;
    if (par_rank() != 0 || (out.quiet && level != ASR_LOG_WARNING)) return;
    if (level == ASR_LOG_PROGRESS) {
        show_progress(msg);
        return;
    }
    if (out.shown) fprintf(stderr, "\r%*s\r", out.shown, ""); /* the line is the message's */
    out.shown = 0;
    fprintf(stderr, "%s\n", msg);
}

int cli_messages_init(void)
{
    out.tty = isatty(STDERR_FILENO);
    out.interval = 10;
    out.last = clock_seconds(); /* a job shorter than the interval logs no progress */
    asr_log_set(log_to_stderr, NULL);
    const char *v = getenv("ASR_PROGRESS_INTERVAL");
    if (v && parse_double("ASR_PROGRESS_INTERVAL (seconds)", v, 0, 86400, &out.interval) < 0) {
        fprintf(stderr, "asr: %s\n", asr_last_error());
        return -1;
    }
    return 0;
}

void cli_set_quiet(void)
{
    out.quiet = 1;
}

int cli_quiet(void)
{
    return out.quiet;
}
