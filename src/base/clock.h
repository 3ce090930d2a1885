/* clock.h — seconds on a monotonic clock, for timing (RTF, latency, progress),
 * and the CPU time the process has used. */
#ifndef ASR_BASE_CLOCK_H
#define ASR_BASE_CLOCK_H

/* Seconds since an arbitrary fixed point; only differences mean anything. */
double clock_seconds(void);
/* CPU seconds of every thread of the process so far (user and system):
 * the work done, which other processes on a loaded machine do not stretch
 * as they stretch the wall-clock time; only differences mean anything. */
double clock_cpu_seconds(void);

#endif
