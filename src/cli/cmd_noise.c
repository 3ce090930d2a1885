/* cmd_noise.c — `asr noise`: a noisy copy of a data directory. */
#include "base/alloc.h"
#include "cli/commands.h"
#include "base/error.h"
#include "base/fileio.h"
#include "signal/noise_dir.h"
#include "base/numparse.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

static const char noise_usage[] =
    "usage: asr noise --type TYPE [options] IN_DIR OUT_DIR\n"
    "\n"
    "Writes OUT_DIR: every utterance of IN_DIR mixed with noise at an SNR drawn\n"
    "uniformly from --snr (measured over speech-active frames; the mixture is\n"
    "scaled, never clipped), same transcripts, and OUT_DIR/noise_info\n"
    "(ID SOURCE OFFSET SNR_DB GAIN per utterance). See src/noise_dir.h.\n"
    "\n"
    "  --type file|white|pink|brown|babble|reverb\n"
    "  --noise-files P      (file) noise recordings: audio files, directories\n"
    "                       (every .wav/.flac/.ogg in them) or a list file\n"
    "                       ending in .txt/.list/.scp; repeatable\n"
    "  --snr LO:HI          SNR range in dB (default 0:20)\n"
    "  --babble-talkers K   (babble) other utterances summed (default 4)\n"
    "  --rir FILE | --rt60 SECONDS   (reverb) impulse response, or a synthetic\n"
    "                       room with that reverberation time\n"
    "  --seed N             reproducible draws (default 1)\n"
    "  --suffix S           appended to every utterance id (default none)\n"
    "  --threads N          (default 0: all cores)\n"
    "  --force              replace an existing OUT_DIR (only once the new one is complete)\n";

static int has_audio_ext(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot &&
           (!strcasecmp(dot, ".wav") || !strcasecmp(dot, ".flac") || !strcasecmp(dot, ".ogg"));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push(noise_options *o, int *cap, const char *path)
{
    if (o->nfiles == *cap)
        o->files = xrealloc(o->files, sizeof(char *) * (size_t)(*cap = *cap ? 2 * *cap : 16));
    o->files[o->nfiles++] = xstrdup(path);
}

/* Expand one --noise-files argument. */
static int add_noise_files(noise_options *o, int *cap, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) != 0) return asr_error("noise files: %s does not exist", arg);
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(arg);
        if (!d) return asr_error("noise files: cannot read directory %s", arg);
        int before = o->nfiles;
        struct dirent *e;
        while ((e = readdir(d)))
            if (has_audio_ext(e->d_name)) {
                char *p = xmalloc(strlen(arg) + strlen(e->d_name) + 2);
                sprintf(p, "%s/%s", arg, e->d_name);
                push(o, cap, p);
                free(p);
            }
        closedir(d);
        if (o->nfiles == before)
            return asr_error("noise files: no .wav/.flac/.ogg files in %s", arg);
        qsort(o->files + before, (size_t)(o->nfiles - before), sizeof(char *), cmp_str);
        return 0;
    }
    const char *dot = strrchr(arg, '.');
    if (dot && (!strcmp(dot, ".txt") || !strcmp(dot, ".list") || !strcmp(dot, ".scp"))) {
        line_reader lr;
        if (line_reader_open(&lr, arg) < 0) return asr_error("noise files: %s", asr_last_error());
        char *line;
        while ((line = line_reader_next(&lr))) {
            /* A .scp line is "id path": take the last field. */
            char *f[2];
            int nf = split_fields(line, f, 2);
            if (nf == 0) continue;
            const char *p = f[nf - 1];
            if (stat(p, &st) != 0) {
                asr_error("%s:%ld: noise file %s does not exist", arg, lr.lineno, p);
                line_reader_close(&lr);
                return -1;
            }
            push(o, cap, p);
        }
        int bad = line_reader_error(&lr);
        line_reader_close(&lr);
        return bad;
    }
    push(o, cap, arg);
    return 0;
}

/* "LO:HI" in dB, each a finite number within the bounds noise_dir.h gives. */
static int parse_snr(const char *v, double *lo, double *hi)
{
    const char *colon = strchr(v, ':');
    if (!colon) return asr_error("--snr %s: expected LO:HI in dB", v);
    char a[64];
    size_t n = (size_t)(colon - v);
    if (n >= sizeof a) return asr_error("--snr %s: expected LO:HI in dB", v);
    memcpy(a, v, n);
    a[n] = '\0';
    if (parse_double("--snr: low end", a, NOISE_MIN_SNR_DB, NOISE_MAX_SNR_DB, lo) < 0 ||
        parse_double("--snr: high end", colon + 1, NOISE_MIN_SNR_DB, NOISE_MAX_SNR_DB, hi) < 0)
        return -1;
    if (*lo > *hi) return asr_error("--snr %s: the range is inverted", v);
    return 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int cmd_noise(int argc, char **argv)
{
    noise_options o = {.type = -1, .snr_lo = 0, .snr_hi = 20, .talkers = 4, .seed = 1};
    int cap = 0, status = EXIT_USAGE;
    const char *pos[2];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(noise_usage, stdout);
            status = 0;
            goto done;
        }
        if (!strcmp(a, "--force")) {
            o.force = 1;
            continue;
        }
        if (a[0] != '-') {
            if (npos == 2) {
                fprintf(stderr, "asr noise: too many arguments\n%s", noise_usage);
                goto done;
            }
            pos[npos++] = a;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "asr noise: %s needs a value\n", a);
            goto done;
        }
        const char *v = argv[++i];
        if (!strcmp(a, "--type")) {
            o.type = noise_type_parse(v);
            if ((int)o.type < 0) {
                fprintf(
                    stderr,
                    "asr noise: --type %s: expected file, white, pink, brown, babble or reverb\n",
                    v);
                goto done;
            }
        } else if (!strcmp(a, "--noise-files")) {
            if (add_noise_files(&o, &cap, v) < 0) {
                fprintf(stderr, "asr noise: %s\n", asr_last_error());
                status = 1;
                goto done;
            }
        } else if (!strcmp(a, "--snr")) {
            if (parse_snr(v, &o.snr_lo, &o.snr_hi) < 0) {
                fprintf(stderr, "asr noise: %s\n", asr_last_error());
                goto done;
            }
        } else if (!strcmp(a, "--babble-talkers")) {
            if (parse_int("--babble-talkers", v, 1, NOISE_MAX_TALKERS, &o.talkers) < 0) {
                fprintf(stderr, "asr noise: %s\n", asr_last_error());
                goto done;
            }
        } else if (!strcmp(a, "--rir")) {
            o.rir = v;
        } else if (!strcmp(a, "--rt60")) {
            if (parse_double("--rt60", v, 1e-3, NOISE_MAX_RIR_SECONDS, &o.rt60) < 0) {
                fprintf(stderr, "asr noise: %s (seconds)\n", asr_last_error());
                goto done;
            }
        } else if (!strcmp(a, "--seed")) {
            if (parse_u64("--seed", v, &o.seed) < 0) {
                fprintf(stderr, "asr noise: %s\n", asr_last_error());
                goto done;
            }
        } else if (!strcmp(a, "--threads")) {
            if (parse_int("--threads", v, 0, 256, &o.threads) < 0) {
                fprintf(stderr, "asr noise: %s (0 = all cores)\n", asr_last_error());
                goto done;
            }
        } else if (!strcmp(a, "--suffix")) {
            o.suffix = v;
        } else {
            fprintf(stderr, "asr noise: unknown option '%s'\n%s", a, noise_usage);
            goto done;
        }
    }
    if (npos != 2 || (int)o.type < 0) {
        fprintf(stderr, "asr noise: --type, IN_DIR and OUT_DIR are required\n%s", noise_usage);
        goto done;
    }
    if (o.type == NOISE_FILE && o.nfiles == 0) {
        fprintf(stderr, "asr noise: --type file needs --noise-files\n");
        goto done;
    }
    if (o.type == NOISE_REVERB && !o.rir && o.rt60 == 0) {
        fprintf(stderr, "asr noise: --type reverb needs --rir FILE or --rt60 SECONDS\n");
        goto done;
    }
    double t0 = now_seconds();
    noise_stats st;
    if (noise_corrupt_dir(pos[0], pos[1], &o, &st) < 0) {
        fprintf(stderr, "asr noise: %s\n", asr_last_error());
        status = 1;
        goto done;
    }
    double el = now_seconds() - t0;
    fprintf(stderr, "asr noise: %d utterances, %.1f s of audio in %.2f s (%.0fx real time) -> %s\n",
            st.utterances, st.seconds, el, el > 0 ? st.seconds / el : 0, pos[1]);
    status = 0;
done:
    for (int i = 0; i < o.nfiles; i++) free(o.files[i]);
    free(o.files);
    return status;
}
