/* clock.h — seconds on a monotonic clock, for timing (RTF, latency, progress). */
#ifndef ASR_BASE_CLOCK_H
#define ASR_BASE_CLOCK_H

/* Seconds since an arbitrary fixed point; only differences mean anything. */
double clock_seconds(void);

#endif
