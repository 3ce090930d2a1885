/* clock.c — see clock.h. CLOCK_MONOTONIC: wall-clock changes (NTP, the
 * user) never make a measured interval negative. */
#include "base/clock.h"

#include <time.h>

double clock_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}
