/* noise_dir.c — `asr noise` over a data directory; see noise_dir.h. */
#include "signal/noise_dir.h"

#include "base/alloc.h"
#include "signal/audio.h"
#include "text/corpus.h"
#include "base/error.h"
#include "base/fileio.h"
#include "signal/noise.h"
#include "base/out_dir.h"
#include "base/progress.h"
#include "base/rng.h"
#include "base/suggest.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static const char *const type_names[] = {"file", "white", "pink", "brown", "babble", "reverb"};

int noise_type_parse(const char *what, const char *name, noise_type *type)
{
    int i;
    if (parse_name(what, name, type_names, 6, (int)sizeof type_names[0], &i) < 0) return -1;
    *type = (noise_type)i;
    return 0;
}

/* Audio loaded once and shared by the workers: noise files (NOISE_FILE), the
 * RIR (NOISE_REVERB) or every utterance (NOISE_BABBLE), each at its own rate;
 * a worker needing another rate resamples its own copy. */
typedef struct {
    audio *a;
    int n;
} audio_set;

static int load_all(char *const *paths, int n, int nthreads, audio_set *s)
{
    (void)nthreads; /* without OpenMP */
    s->n = n;
    s->a = xcalloc((size_t)(n ? n : 1), sizeof(audio));
    int bad = -1;
    char *msg = NULL;
#pragma omp parallel for num_threads(nthreads) schedule(dynamic, 4)
    for (int i = 0; i < n; i++) {
        if (audio_read(paths[i], 0, &s->a[i]) < 0) {
#pragma omp critical(noise_dir_load)
            if (bad < 0 || i < bad) {
                bad = i;
                free(msg);
                msg = xstrdup(asr_last_error());
            }
        }
    }
    if (bad >= 0) {
        asr_error("%s", msg);
        free(msg);
        return -1;
    }
    return 0;
}

static void free_set(audio_set *s)
{
    for (int i = 0; i < s->n; i++) audio_free(&s->a[i]);
    free(s->a);
}

/* A copy of A at RATE in OUT, N samples (a new buffer). */
static int at_rate(const audio *a, int rate, float **out, size_t *n)
{
    return audio_resample(a->x, a->n, a->rate, rate, out, n);
}

/* The noise files at each other rate an utterance asked for, resampled once
 * per rate and shared by the workers: resampling a minutes-long music file
 * for every one-second utterance of another rate cost more than all the rest
 * (16 kHz Speech Commands with 8 kHz hold music: about one utterance a
 * second). The copies are the ones a per-utterance resampling made, so the
 * output does not change. */
typedef struct {
    int rate;
    audio *a; /* one per noise file */
} rate_copy;

typedef struct {
    rate_copy *c;
    int n;
} rate_cache;

typedef struct {
    const noise_options *o;
    const corpus *c;
    audio_set noise;   /* files, rir, or talkers */
    rate_cache *rates; /* NOISE_FILE: the files at other rates */
    const io_set *io;
} job;

/* Noise file F at RATE: the file itself, or its copy at RATE (made by the
 * first worker that needs it, while the others wait); NULL on error. */
static const audio *noise_at_rate(const job *j, int f, int rate)
{
    const audio *na = &j->noise.a[f];
    if (na->rate == rate) return na;
    const audio *found = NULL;
#pragma omp critical(noise_dir_rates)
    {
        rate_cache *rc = j->rates;
        int k = 0;
        while (k < rc->n && rc->c[k].rate != rate) k++;
        if (k == rc->n) {
            audio *a = xcalloc((size_t)j->noise.n, sizeof *a);
            int ok = 1;
            for (int i = 0; i < j->noise.n && ok; i++) {
                ok = at_rate(&j->noise.a[i], rate, &a[i].x, &a[i].n) == 0;
                a[i].rate = rate;
                a[i].source_rate = j->noise.a[i].source_rate;
            }
            if (ok) {
                rc->c = xrealloc(rc->c, sizeof *rc->c * (size_t)(rc->n + 1));
                rc->c[rc->n++] = (rate_copy){rate, a};
            } else {
                for (int i = 0; i < j->noise.n; i++) audio_free(&a[i]);
                free(a);
            }
        }
        if (k < rc->n) found = &rc->c[k].a[f];
    }
    return found;
}

/* Reverberation of A (N samples) in *OUT (N + len(h) - 1 samples), scaled
 * below full scale when the tail rose above it; SRC names the response. */
static int reverberate(const job *j, rng_state *r, const audio *a, float **out, size_t *n,
                       double *gain, char *src, size_t srcn)
{
    const noise_options *o = j->o;
    float *h;
    size_t hn;
    if (o->rir) {
        if (at_rate(&j->noise.a[0], a->rate, &h, &hn) < 0) return -1;
        snprintf(src, srcn, "rir:%s", o->rir);
    } else {
        hn = (size_t)(o->rt60 * a->rate) + 1;
        h = xmalloc(hn * sizeof(float));
        noise_rir_synth(r, o->rt60, a->rate, h, hn);
        snprintf(src, srcn, "rt60:%g", o->rt60);
    }
    *out = xmalloc((a->n + hn) * sizeof(float));
    int rc = noise_reverb(a->x, a->n, h, hn, *out);
    free(h);
    if (rc < 0) return -1;
    *n = a->n + hn - 1;
    float peak = 0;
    for (size_t k = 0; k < *n; k++)
        if (fabsf((*out)[k]) > peak) peak = fabsf((*out)[k]);
    if (peak > NOISE_PEAK_CEILING) {
        *gain = NOISE_PEAK_CEILING / peak;
        for (size_t k = 0; k < *n; k++) (*out)[k] = (float)((*out)[k] * *gain);
    }
    return 0;
}

/* Babble of the talkers drawn for utterance I into NZ[n]; SRC lists them. */
static int babble(const job *j, rng_state *r, int i, int rate, float *nz, size_t n, char *src,
                  size_t srcn)
{
    const noise_options *o = j->o;
    const float **srcs = xmalloc(sizeof(float *) * (size_t)j->noise.n);
    size_t *lens = xmalloc(sizeof(size_t) * (size_t)j->noise.n);
    for (int k = 0; k < j->noise.n; k++) {
        srcs[k] = j->noise.a[k].x;
        lens[k] = j->noise.a[k].n;
    }
    int *chosen = xmalloc(sizeof(int) * (size_t)o->talkers);
    int rc = noise_babble(r, srcs, lens, j->noise.n, i, o->talkers, nz, n, chosen);
    free(srcs);
    free(lens);
    /* Talkers at another rate than this utterance would need resampling; a
     * data directory has one rate, so refuse mixing. */
    int w = snprintf(src, srcn, "babble:");
    for (int k = 0; rc == 0 && k < o->talkers; k++) {
        const audio *t = &j->noise.a[chosen[k]];
        if (t->rate != rate)
            rc = asr_error("talker %s is at %d Hz, utterance %s at %d Hz", j->c->utts[chosen[k]].id,
                           t->rate, j->c->utts[i].id, rate);
        else
            w += snprintf(src + w, srcn - (size_t)(w < (int)srcn ? w : (int)srcn - 1), "%s%s",
                          k ? "," : "", j->c->utts[chosen[k]].id);
    }
    free(chosen);
    return rc;
}

/* The noise for utterance I (N samples at RATE) into NZ: a looped noise
 * file from a random offset, a colour, or babble; SRC and *OFFSET say which. */
static int make_noise(const job *j, rng_state *r, int i, int rate, float *nz, size_t n,
                      size_t *offset, char *src, size_t srcn)
{
    const noise_options *o = j->o;
    switch (o->type) {
    case NOISE_FILE: {
        int f = (int)rng_below(r, (uint64_t)j->noise.n);
        const audio *na = noise_at_rate(j, f, rate);
        if (!na) return -1;
        *offset = (size_t)rng_below(r, na->n);
        noise_loop(na->x, na->n, *offset, nz, n);
        snprintf(src, srcn, "%s", o->files[f]);
        return 0;
    }
    case NOISE_WHITE:
    case NOISE_PINK:
    case NOISE_BROWN:
        (o->type == NOISE_WHITE  ? noise_white
         : o->type == NOISE_PINK ? noise_pink
                                 : noise_brown)(r, nz, n);
        snprintf(src, srcn, "%s", type_names[o->type]);
        return 0;
    case NOISE_BABBLE:
        return babble(j, r, i, rate, nz, n, src, srcn);
    default:
        return asr_error("noise type %d cannot be mixed", (int)o->type);
    }
}

/* Corrupt utterance I; writes its WAV and its noise_info line to *INFO. */
static int corrupt_one(const job *j, int i, const char *wav_path, char **info, double *seconds)
{
    const noise_options *o = j->o;
    const corpus_utt *u = &j->c->utts[i];
    rng_state r;
    rng_seed(&r, o->seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i + 1);
    audio a;
    if (audio_read_utt(u, 0, &a) < 0) return asr_error("utterance %s: %s", u->id, asr_last_error());
    double snr = o->snr_lo + (o->snr_hi - o->snr_lo) * rng_uniform(&r);
    size_t n = a.n, offset = 0;
    float *nz = NULL, *out = NULL;
    char src[1024];
    double scale = 0, gain = 1;
    int rc = -1;
    if (o->type == NOISE_REVERB) {
        if (reverberate(j, &r, &a, &out, &n, &gain, src, sizeof src) < 0) goto done;
    } else {
        nz = xmalloc((n ? n : 1) * sizeof(float));
        if (make_noise(j, &r, i, a.rate, nz, n, &offset, src, sizeof src) < 0) goto done;
        out = xmalloc((n ? n : 1) * sizeof(float));
        if (noise_mix_snr(a.x, nz, n, a.rate, snr, out, &scale, &gain) < 0) goto done;
    }
    if (audio_write_wav(j->io, wav_path, out, n, a.rate) < 0) goto done;
    *seconds = (double)n / a.rate;
    char line[1400];
    if (o->type == NOISE_REVERB)
        snprintf(line, sizeof line, "%s - %.6g", src, gain);
    else
        snprintf(line, sizeof line, "%s %zu %.4f %.6g", src, offset, snr, gain);
    *info = xstrdup(line);
    rc = 0;
done:
    if (rc < 0 && !strstr(asr_last_error(), u->id))
        asr_error("utterance %s: %s", u->id, asr_last_error());
    free(nz);
    free(out);
    audio_free(&a);
    return rc;
}

/* ---- noise files ---- */

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

static void push(noise_options *o, const char *path)
{
    o->files = xrealloc(o->files, sizeof(char *) * (size_t)(o->nfiles + 1));
    o->files[o->nfiles++] = xstrdup(path);
}

int noise_options_add_files(noise_options *o, const char *arg)
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
                push(o, p);
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
                asr_error("%s:%ld: noise file %s does not exist", arg, lr.lineno, asr_quote(p));
                line_reader_close(&lr);
                return -1;
            }
            push(o, p);
        }
        int bad = line_reader_error(&lr);
        line_reader_close(&lr);
        return bad;
    }
    push(o, arg);
    return 0;
}

void noise_options_free(noise_options *o)
{
    for (int i = 0; i < o->nfiles; i++) free(o->files[i]);
    free(o->files);
    o->files = NULL;
    o->nfiles = 0;
}

static char *join(const char *a, const char *b)
{
    char *p = xmalloc(strlen(a) + strlen(b) + 2);
    sprintf(p, "%s/%s", a, b);
    return p;
}

/* Checks of the options that need no data. */
static int check_options(const noise_options *o)
{
    if (!isfinite(o->snr_lo) || !isfinite(o->snr_hi))
        return asr_error("SNR range %g:%g: both ends must be finite numbers of dB", o->snr_lo,
                         o->snr_hi);
    if (o->snr_lo < NOISE_MIN_SNR_DB || o->snr_hi > NOISE_MAX_SNR_DB)
        return asr_error("SNR range %g:%g dB is outside [%g, %g] dB", o->snr_lo, o->snr_hi,
                         NOISE_MIN_SNR_DB, NOISE_MAX_SNR_DB);
    if (!(o->snr_lo <= o->snr_hi))
        return asr_error("SNR range %g:%g is inverted", o->snr_lo, o->snr_hi);
    if (o->type == NOISE_FILE && o->nfiles < 1)
        return asr_error("--type file needs noise files (--noise-files)");
    if (o->type == NOISE_BABBLE && (o->talkers < 1 || o->talkers > NOISE_MAX_TALKERS))
        return asr_error("--babble-talkers %d: expected 1 to %d", o->talkers, NOISE_MAX_TALKERS);
    if (o->type == NOISE_REVERB && !o->rir && !(o->rt60 > 0 && o->rt60 <= NOISE_MAX_RIR_SECONDS))
        return asr_error("--type reverb needs --rir FILE or --rt60 SECONDS in (0, %g]",
                         NOISE_MAX_RIR_SECONDS);
    if (o->suffix && (strchr(o->suffix, '/') || strpbrk(o->suffix, " \t\n\r")))
        return asr_error("--suffix '%s': no '/' or white space in utterance ids", o->suffix);
    return 0;
}

/* An impulse response must be one: at most NOISE_MAX_RIR_SECONDS long (a
 * room's reverberation decays in a second or two) and not silent (convolving
 * with zeros would silence every utterance). */
static int check_rir(const char *path, const audio *h)
{
    double seconds = (double)h->n / h->rate;
    if (seconds > NOISE_MAX_RIR_SECONDS)
        return asr_error("%s: a %.1f s impulse response; at most %g s is accepted (is it an "
                         "impulse response?)",
                         path, seconds, NOISE_MAX_RIR_SECONDS);
    for (size_t i = 0; i < h->n; i++)
        if (h->x[i] != 0) return 0;
    return asr_error("%s: the impulse response is silent (all samples zero)", path);
}

/* What the command reads joins IO's inputs; OUT, replaced whole (with
 * --force), may hold none of them, and the files written in it are declared,
 * so that no other output of the command is one of them. */
static int check_output(io_set *io, const char *in, const char *out, const corpus *c,
                        const noise_options *o)
{
    int rc = corpus_add_inputs(io, in, c);
    for (int i = 0; i < o->nfiles && rc == 0; i++) rc = io_set_input(io, o->files[i]);
    if (rc == 0 && o->rir) rc = io_set_input(io, o->rir);
    if (rc == 0) rc = io_set_output_dir(io, out, "the noisy data directory", 1);
    if (rc == 0) rc = corpus_declare_output(io, out);
    char *info = join(out, "noise_info");
    if (rc == 0) rc = io_set_output(io, info, "the noise_info of the noisy data directory");
    free(info);
    return rc;
}

/* The audio the noise comes from, loaded once: the noise files, the impulse
 * response (checked), or every utterance (babble talkers). */
static int load_sources(job *j, int nthreads)
{
    const noise_options *o = j->o;
    if (o->type == NOISE_FILE) return load_all(o->files, o->nfiles, nthreads, &j->noise);
    if (o->type == NOISE_REVERB && o->rir) {
        char *p[1] = {(char *)o->rir};
        if (load_all(p, 1, 1, &j->noise) < 0) return -1;
        return check_rir(o->rir, &j->noise.a[0]);
    }
    if (o->type != NOISE_BABBLE) return 0;
    char **paths = xmalloc(sizeof(char *) * (size_t)j->c->n);
    for (int i = 0; i < j->c->n; i++) paths[i] = j->c->utts[i].wav;
    int r = load_all(paths, j->c->n, nthreads, &j->noise);
    free(paths);
    return r;
}

/* Every utterance into WAVDIR (in parallel; the first failure in corpus
 * order is the one reported); INFOS[i] gets utterance i's noise_info line. */
static int corrupt_all(const job *j, const char *wavdir, int nthreads, char **infos,
                       double *seconds)
{
    progress pr;
    progress_start(&pr, "noise", "utt", j->c->n);
    const corpus *c = j->c;
    const char *suffix = j->o->suffix ? j->o->suffix : "";
    int bad = -1;
    char *msg = NULL;
    double total = 0;
#pragma omp parallel for num_threads(nthreads) schedule(dynamic, 2) reduction(+ : total)
    for (int i = 0; i < c->n; i++) {
        char *name = xmalloc(strlen(wavdir) + strlen(c->utts[i].id) + strlen(suffix) + 8);
        sprintf(name, "%s/%s%s.wav", wavdir, c->utts[i].id, suffix);
        double s = 0;
        if (corrupt_one(j, i, name, &infos[i], &s) < 0) {
#pragma omp critical(noise_dir_error)
            if (bad < 0 || i < bad) {
                bad = i;
                free(msg);
                msg = xstrdup(asr_last_error());
            }
        }
        free(name);
        total += s;
        progress_step(&pr, 1, s);
    }
    *seconds = total;
    if (bad < 0) return 0;
    asr_error("%s", msg);
    free(msg);
    return -1;
}

/* The data directory (audio paths where OUT will be: ABSOUT) and noise_info,
 * into DIR. */
static int write_outputs(const job *j, const char *dir, const char *absout, char *const *infos)
{
    const corpus *c = j->c;
    const char *suffix = j->o->suffix ? j->o->suffix : "";
    corpus oc = {0};
    for (int i = 0; i < c->n; i++) {
        const corpus_utt *u = &c->utts[i];
        char *id = xmalloc(strlen(u->id) + strlen(suffix) + 1);
        sprintf(id, "%s%s", u->id, suffix);
        char *wav = xmalloc(strlen(absout) + strlen(id) + 16);
        sprintf(wav, "%s/wav/%s.wav", absout, id);
        corpus_add(&oc, id, wav, u->text, u->speaker, u->phones);
        free(id);
        free(wav);
    }
    oc.has_phones = c->has_phones;
    int w = corpus_sort(&oc) < 0 ? -1 : corpus_write(j->io, dir, &oc);
    corpus_free(&oc);
    char *ip = join(dir, "noise_info");
    atomic_file af;
    if (w == 0) w = atomic_file_open(&af, j->io, ip, "w");
    free(ip);
    if (w < 0) return -1;
    for (int i = 0; i < c->n; i++) fprintf(af.fp, "%s%s %s\n", c->utts[i].id, suffix, infos[i]);
    return atomic_file_commit(&af);
}

/* OUT as an absolute path (wav.scp lists where the files will be). */
static char *absolute(const char *out)
{
    char cwd[PATH_MAX];
    if (out[0] == '/') return xstrdup(out);
    if (getcwd(cwd, sizeof cwd)) return join(cwd, out);
    asr_error("cannot resolve the current directory: %s", strerror(errno));
    return NULL;
}

/* The input as a corpus this run can use. */
static int read_input(io_set *io, const char *in, const char *out, const noise_options *o,
                      corpus *c)
{
    if (corpus_read(in, c) < 0) return -1;
    int rc = 0;
    if (c->n == 0)
        rc = asr_error("%s: no utterances", in);
    else if (o->type == NOISE_BABBLE && o->talkers > c->n - 1)
        rc = asr_error("babble of %d talkers needs at least %d utterances in %s", o->talkers,
                       o->talkers + 1, in);
    else
        rc = check_output(io, in, out, c, o);
    if (rc < 0) corpus_free(c);
    return rc;
}

int noise_corrupt_dir(io_set *io, const char *in, const char *out, const noise_options *o,
                      noise_stats *st)
{
    memset(st, 0, sizeof *st);
    if (check_options(o) < 0) return -1;
    if (path_exists(out) && !o->force)
        return asr_error("%s exists; use --force to replace it", out);
    corpus c;
    if (read_input(io, in, out, o, &c) < 0) return -1;
    int nthreads = 1;
#ifdef _OPENMP
    nthreads = o->threads > 0 ? o->threads : omp_get_max_threads();
#endif
    rate_cache rates = {NULL, 0};
    job j = {o, &c, {NULL, 0}, &rates, io};
    int rc = -1;
    char *wavdir = NULL, *absout = NULL;
    char **infos = xcalloc((size_t)c.n, sizeof(char *));
    staged_dir sd;
    memset(&sd, 0, sizeof sd);
    sd.lock.fd = -1;
    /* Everything is written into OUT.tmp (next to OUT, so the final rename
     * stays on one file system; locked, so a second run to the same OUT
     * fails at once). */
    if (load_sources(&j, nthreads) < 0 || staged_dir_begin(&sd, io, out, o->force) < 0) goto out;
    wavdir = join(sd.tmp, "wav");
    if (make_dirs(wavdir) != 0 || !(absout = absolute(sd.out)) ||
        corrupt_all(&j, wavdir, nthreads, infos, &st->seconds) < 0 ||
        write_outputs(&j, sd.tmp, absout, infos) < 0 || staged_dir_commit(&sd) < 0)
        goto out;
    st->utterances = c.n;
    rc = 0;
out:
    staged_dir_abort(&sd);
    for (int i = 0; i < c.n; i++) free(infos[i]);
    free(infos);
    free(wavdir);
    free(absout);
    for (int k = 0; k < rates.n; k++) {
        audio_set copies = {rates.c[k].a, j.noise.n};
        free_set(&copies);
    }
    free(rates.c);
    if (j.noise.a) free_set(&j.noise);
    corpus_free(&c);
    return rc;
}
