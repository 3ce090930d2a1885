/* spawn.c — see spawn.h. */
#define _GNU_SOURCE /* pipe2 */
#include "base/spawn.h"

#include "base/alloc.h"
#include "base/error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int spawn_read(const char *const *argv, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return asr_error("%s: cannot make a pipe: %s", argv[0], strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int e = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (e != 0) {
        close(p[0]);
        return asr_error("cannot run %s: %s", argv[0], strerror(e));
    }
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    int too_much = 0;
    for (;;) {
        if (n + 1 >= cap) buf = xrealloc(buf, cap *= 2);
        ssize_t k = read(p[0], buf + n, cap - n - 1);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        n += (size_t)k;
        if (n > max) {
            too_much = 1;
            kill(pid, SIGKILL);
            break;
        }
    }
    close(p[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            free(buf);
            return asr_error("%s: lost track of the process: %s", argv[0], strerror(errno));
        }
    if (too_much) {
        free(buf);
        return asr_error("%s: more than %zu bytes of output; stopped", argv[0], max);
    }
    if (!WIFEXITED(status)) {
        free(buf);
        return asr_error("%s: killed by signal %d", argv[0],
                         WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    }
    if (WEXITSTATUS(status) == 127 && n == 0) {
        free(buf);
        return asr_error("cannot run %s: not found or not executable (exit status 127)", argv[0]);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return WEXITSTATUS(status);
}
