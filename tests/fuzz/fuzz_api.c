/* fuzz_api.c — the embedding API (include/asr/asr.h) as a careless or
 * hostile program calls it: sequences of calls in any order with any
 * arguments, NULL handles and result pointers included.
 *
 * The input is a script of operations, each a byte (its value mod 12) and
 * its arguments from the bytes after it (missing bytes read as 0):
 *
 *   0 open R PATH SETTINGS ERR   asr_recognizer_open into slot R (0 or 1)
 *   1 close R                    (its streams closed first: R must outlive them)
 *   2 rate R                     asr_recognizer_rate
 *   3 recognize R RATE SAMPLES WORDS
 *   4 recognize_file R FILE WORDS
 *   5 live_open S R RATE PARTIAL_MS   into stream slot S (0 or 1)
 *   6 live_feed S SAMPLES        7 live_finish S
 *   8 live_final S OUT           9 live_partial S OUT
 *  10 live_close S              11 the error strings and asr_version
 *
 * An empty slot is a NULL handle. PATH picks one of four models the harness
 * writes once into its scratch directory $D (direct greedy, direct with a
 * character LM and beam 4, staged, multitask; tiny networks, seeded
 * weights), or NULL, or a file that does not exist. SETTINGS: NULL or up to
 * three strings from the input; "$D" in them is the scratch directory, which
 * holds lex (a lexicon), word.arpa, char.arpa, empty (an empty file) and
 * dir/, and any other path value (of lm, lexicon) is put under $D, so that
 * the fuzzer reads no file of the machine's. SAMPLES: a kind (zeros, sine,
 * tone bursts, noise, the input's bytes as 16-bit PCM, a non-finite or
 * too large sample, NULL with a length, or a length beyond the documented
 * limits with a buffer that is shorter: the library must refuse it before
 * reading, or ASan sees the read) and a length. RATE: 8000, 16000, one of
 * the limits or next to them, or any int.
 *
 * What the header promises is checked: results are 0/-1 (1/0/-1 for
 * final and partial), a failure leaves a message in its handle and *WORDS
 * NULL, a success gives words, results have ordered times, a finished
 * stream takes no samples, the rate of a model is 8000. Work is bounded: at
 * most MAX_OPS operations and MAX_AUDIO samples (at the models' 8 kHz) per
 * input. */
#include "fuzz_common.h"

#include <asr/asr.h>

#include "recognizer/model.h"
#include "recognizer/options.h"
#include "signal/audio.h"

#include <limits.h>
#include <math.h>
#include <sys/stat.h>

#define MAX_OPS     64
#define MAX_AUDIO   48000 /* samples at the models' rate per input: 6 s */
#define MODEL_RATE  8000
#define MAX_SETTING 64

/* ---- reading the input ---- */

typedef struct {
    const uint8_t *p;
    size_t n;
} reader;

static unsigned get8(reader *r)
{
    if (!r->n) return 0;
    r->n--;
    return *r->p++;
}

static unsigned get16(reader *r)
{
    unsigned lo = get8(r);
    return lo | get8(r) << 8;
}

static uint32_t get32(reader *r)
{
    uint32_t lo = get16(r);
    return lo | (uint32_t)get16(r) << 16;
}

/* ---- the scratch directory: models and resources, written once ---- */

static const char LEXICON[] = "ba B AA\ndi D IY\ngu G UW\n";
static const char WORD_LM[] = "\\data\\\nngram 1=5\nngram 2=3\n\n\\1-grams:\n-99\t<s>\t-0.3\n"
                              "-0.7\t</s>\n-0.5\tba\t-0.2\n-0.5\tdi\t-0.2\n-0.5\tgu\t-0.2\n\n"
                              "\\2-grams:\n-0.2\t<s> ba\n-0.3\tba di\n-0.3\tdi gu\n\n\\end\\\n";
static const char CHAR_LM[] = "\\data\\\nngram 1=7\nngram 2=5\n\n\\1-grams:\n-99\t<s>\t-0.5\n"
                              "-1\t</s>\n-0.8\ta\t-0.3\n-0.8\tb\t-0.3\n-0.9\t<space>\t-0.2\n"
                              "-1.2\t'\t-0.1\n-1.5\tz\n\n\\2-grams:\n-0.2\t<s> a\n-0.3\ta b\n"
                              "-0.3\tb <space>\n-0.4\t<space> a\n-0.5\tb </s>\n\n\\end\\\n";

static const char *const MODELS[] = {"direct.mdl", "direct-lm.mdl", "staged.mdl", "multitask.mdl"};
#define NMODELS 4

/* Write pipeline PIPELINE's model NAME as `asr train` would store it, with
 * random weights: 8 kHz filterbanks of 6 channels, one strided convolution. */
static void write_model(const char *pipeline, const char *lexicon, const char *lm, int beam,
                        const char *name)
{
    asr_model m;
    memset(&m, 0, sizeof m);
    m.ops = pipeline_find(pipeline);
    pipeline_options opt = {lexicon, lm, 1.0f, 0.0f, beam, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    m.search = opt;
    features_config_default(&m.feats);
    const char *feats[] = {"kind=fbank", "rate=8000", "num_mel=6", "dither=0"};
    int ok = m.ops != NULL;
    for (int i = 0; ok && i < 4; i++) ok = features_config_set(&m.feats, feats[i]) == 0;
    if (ok) m.p = m.ops->create(&opt);
    int outputs = m.p ? asr_model_heads(&m) : -1;
    if (outputs < 0 || network_build(&m.net, "conv 8 3 2 1\nrelu 20\nlayernorm\naffine out",
                                     features_dim(&m.feats), outputs) < 0) {
        fprintf(stderr, "fuzz_api: cannot make the %s model: %s\n", pipeline, asr_last_error());
        abort();
    }
    m.params = malloc(sizeof(float) * m.net.num_params);
    if (!m.params) abort();
    network_init(&m.net, m.params, 7);
    model_file f;
    char path[128];
    if (asr_model_base(&m, &f) < 0) abort();
    model_file_put(&f, "weights", m.params, sizeof(float) * m.net.num_params);
    if (model_file_write(&f, fuzz_io(), fuzz_path(path, name)) < 0) {
        fprintf(stderr, "fuzz_api: %s\n", asr_last_error());
        abort();
    }
    model_file_free(&f);
    asr_model_free(&m);
}

static void setup(void)
{
    static int done;
    if (done) return;
    done = 1;
    char lex[128], word[128], chr[128], p[128];
    fuzz_write(fuzz_path(lex, "lex"), LEXICON, strlen(LEXICON));
    fuzz_write(fuzz_path(word, "word.arpa"), WORD_LM, strlen(WORD_LM));
    fuzz_write(fuzz_path(chr, "char.arpa"), CHAR_LM, strlen(CHAR_LM));
    fuzz_write(fuzz_path(p, "empty"), "", 0);
    mkdir(fuzz_path(p, "dir"), 0700);
    write_model("direct", NULL, NULL, 1, MODELS[0]);
    write_model("direct", NULL, chr, 4, MODELS[1]);
    write_model("staged", lex, word, 4, MODELS[2]);
    write_model("multitask", lex, word, 4, MODELS[3]);
    asr_clear_error();
}

/* ---- arguments ---- */

/* "$D" in S replaced by the scratch directory; a path value (lm=, lexicon=)
 * that is not "", "-" or under $D put under $D, and ".." in it made "__":
 * the fuzzer reads only its own files. A new string. */
static char *setting(const char *s)
{
    const char *d = fuzz_dir();
    size_t cap = strlen(s) * (strlen(d) + 2) + strlen(d) + 8;
    char *out = malloc(cap), *o = out;
    if (!out) abort();
    const char *eq = strchr(s, '=');
    int path =
        eq && ((eq - s == 2 && !strncmp(s, "lm", 2)) || (eq - s == 7 && !strncmp(s, "lexicon", 7)));
    const char *v = eq ? eq + 1 : s + strlen(s);
    memcpy(o, s, (size_t)(v - s));
    o += v - s;
    if (path && *v && strcmp(v, "-") && strncmp(v, "$D", 2)) o += sprintf(o, "%s/", d);
    for (; *v; v++) {
        if (v[0] == '$' && v[1] == 'D') {
            o += sprintf(o, "%s", d);
            v++;
        } else if (path && v[0] == '.' && v[1] == '.') {
            *o++ = '_';
            *o++ = '_';
            v++;
        } else {
            *o++ = *v;
        }
    }
    *o = '\0';
    return out;
}

static int get_rate(reader *r)
{
    static const int edges[] = {1000, 999, 384000, 384001, 0, -1, INT_MAX, INT_MIN, 44100, 11025};
    switch (get8(r) % 4) {
    case 0:
        return 8000;
    case 1:
        return 16000;
    case 2:
        return edges[get8(r) % (sizeof edges / sizeof edges[0])];
    default:
        return (int)get32(r);
    }
}

/* Samples for one call: *X (NULL, or a buffer to free) and *N. LIMITS: the
 * call is asr_recognize, which must refuse a length beyond the limits
 * before it reads. *BUDGET: samples at the models' rate still allowed. */
typedef struct {
    float *x;
    size_t n;
} samples;

static samples get_samples(reader *r, int rate, int limits, size_t *budget)
{
    samples s = {NULL, 0};
    unsigned kind = get8(r) % 8;
    size_t n = get16(r);
    /* The work a length costs is its length at the models' rate. */
    double scale = rate >= AUDIO_MIN_RATE && rate <= AUDIO_MAX_RATE ? (double)MODEL_RATE / rate : 1;
    if ((double)n * scale > (double)*budget) n = (size_t)((double)*budget / scale);
    if (kind == 6) { /* NULL with a length (0 included) */
        s.n = n;
        return s;
    }
    if (kind == 7) { /* beyond the limits: a short buffer (asr_recognize), else NULL */
        unsigned which = get8(r) % 4;
        if (which == 0) s.n = (size_t)AUDIO_MAX_SAMPLES + 1;
        if (which == 1 && rate >= AUDIO_MIN_RATE && rate <= AUDIO_MAX_RATE)
            s.n = (size_t)(AUDIO_MAX_SECONDS * rate) + 1;
        if (which == 1 && !s.n) s.n = (size_t)AUDIO_MAX_SAMPLES * 2;
        if (which == 2) s.n = SIZE_MAX;
        if (which == 3) s.n = SIZE_MAX / sizeof(float) + 1;
        if (limits) s.x = calloc(16, sizeof(float));
        return s;
    }
    *budget -= (size_t)((double)n * scale);
    s.n = n;
    s.x = calloc(n ? n : 1, sizeof(float));
    if (!s.x) abort();
    uint64_t g = get16(r);
    float amp = (float)get8(r) / 255.0f;
    unsigned freq = 100 + get8(r) * 20;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / (rate > 0 ? rate : MODEL_RATE);
        switch (kind) {
        case 0:
            break;
        case 1:
        case 5:
            s.x[i] = amp * (float)sin(2 * M_PI * freq * t);
            break;
        case 2: /* 0.3 s of tone, 0.3 s of silence: utterances for the endpointer */
            s.x[i] = fmod(t, 0.6) < 0.3 ? 0.5f * (float)sin(2 * M_PI * freq * t) : 0;
            break;
        case 3:
            s.x[i] = 2 * amp * fuzz_uniform(&g);
            break;
        case 4:
            s.x[i] = (int16_t)get16(r) / 32768.0f;
            break;
        }
    }
    if (kind == 5 && n) {
        static const float bad[] = {NAN, INFINITY, -INFINITY, 1e38f, 65536.5f, 65536.0f};
        size_t at = get16(r) % n;
        s.x[at] = bad[get8(r) % 6];
    }
    return s;
}

/* ---- the calls and what they promise ---- */

static void broken(const char *what)
{
    fprintf(stderr, "fuzz_api: %s\n", what);
    abort();
}

static asr_recognizer *rec[2];
static asr_live *live[2];
static int live_of[2]; /* the recognizer slot each stream belongs to */
static int live_rate[2];
static int live_finished[2];

static void close_live(int s)
{
    asr_live_close(live[s]);
    live[s] = NULL;
}

static void close_rec(int k)
{
    for (int s = 0; s < 2; s++)
        if (live[s] && live_of[s] == k) close_live(s);
    asr_recognizer_close(rec[k]);
    rec[k] = NULL;
}

/* With FUZZ_VERBOSE: what a call gave (to check that the seeds reach it). */
static void trace(const char *call, int rc, const char *text)
{
    if (fuzz_verbose()) fprintf(stderr, "  %s: %d %s\n", call, rc, text ? text : "");
}

static void check_failure(int rc, const char *msg)
{
    if (rc != -1) broken("a call returned neither 0 nor -1");
    if (!msg || !*msg) broken("a failed call left no message");
}

static void op_open(reader *r)
{
    int k = get8(r) & 1;
    char path[128];
    unsigned which = get8(r) % 6;
    const char *p = which < NMODELS ? fuzz_path(path, MODELS[which])
                    : which == 4    ? NULL
                                    : fuzz_path(path, "missing.mdl");
    unsigned ns = get8(r) % 5;
    char *set[4] = {NULL};
    for (unsigned i = 0; ns < 4 && i < ns; i++) {
        char raw[MAX_SETTING + 1];
        size_t len = get8(r) % (MAX_SETTING + 1), j = 0;
        for (; j < len && r->n; j++) raw[j] = (char)get8(r);
        raw[j] = '\0'; /* a NUL from the input ends it earlier */
        set[i] = setting(raw);
    }
    char err[256];
    unsigned e = get8(r) % 3;
    size_t esize = e == 0 ? sizeof err : e == 1 ? 0 : 1 + get8(r) % 8;
    memset(err, 'x', sizeof err);
    if (rec[k]) close_rec(k);
    rec[k] = asr_recognizer_open(p, ns < 4 ? (const char *const *)set : NULL, e == 1 ? NULL : err,
                                 esize);
    if (!rec[k] && e != 1 && !memchr(err, '\0', esize)) broken("open's message is not a string");
    if (!rec[k] && e == 0 && !err[0]) broken("a failed open left no message");
    if (rec[k] && which >= NMODELS) broken("a NULL or missing model opened");
    trace("open", rec[k] ? 0 : -1, rec[k] ? p : e == 0 ? err : "");
    for (int i = 0; i < 4; i++) free(set[i]);
}

static void op_recognize(reader *r, size_t *budget)
{
    asr_recognizer *h = rec[get8(r) & 1];
    int rate = get_rate(r);
    samples s = get_samples(r, rate, 1, budget);
    int no_words = get8(r) & 1;
    char *words = (char *)"sentinel";
    int rc = asr_recognize(h, s.x, s.n, rate, no_words ? NULL : &words);
    trace("recognize", rc, rc == 0 ? words : asr_recognizer_error(h));
    if (rc == 0) {
        if (!h || no_words || !words) broken("asr_recognize succeeded without what it needs");
        (void)strlen(words);
        asr_free(words);
    } else {
        check_failure(rc, asr_recognizer_error(h));
        if (!no_words && words) broken("a failed asr_recognize left *WORDS set");
    }
    free(s.x);
}

static void op_recognize_file(reader *r, size_t *budget)
{
    asr_recognizer *h = rec[get8(r) & 1];
    char path[128];
    const char *p = NULL;
    switch (get8(r) % 6) {
    case 1:
        p = fuzz_path(path, "missing.wav");
        break;
    case 2:
        p = fuzz_path(path, "dir");
        break;
    case 3: { /* the input's bytes as a file of any format */
        size_t len = get16(r) % 4096;
        if (len > r->n) len = r->n;
        fuzz_write(fuzz_path(path, "input.audio"), r->p, len);
        r->p += len;
        r->n -= len;
        p = path;
        break;
    }
    case 4: { /* a WAV file of samples */
        int rate = get_rate(r);
        samples s = get_samples(r, rate, 0, budget);
        p = fuzz_path(path, "samples.wav");
        if (!s.x || audio_write_wav(fuzz_io(), p, s.x, s.n, rate) < 0)
            p = fuzz_path(path, "missing.wav");
        free(s.x);
        break;
    }
    case 5:
        p = fuzz_path(path, "empty");
        break;
    }
    int no_words = get8(r) & 1;
    char *words = (char *)"sentinel";
    int rc = asr_recognize_file(h, p, no_words ? NULL : &words);
    trace("recognize_file", rc, rc == 0 ? words : asr_recognizer_error(h));
    if (rc == 0) {
        if (!h || !p || no_words || !words) broken("asr_recognize_file succeeded without input");
        asr_free(words);
    } else {
        check_failure(rc, asr_recognizer_error(h));
        if (!no_words && words) broken("a failed asr_recognize_file left *WORDS set");
    }
}

static void op_live_open(reader *r)
{
    int s = get8(r) & 1, k = get8(r) & 1;
    int rate = get_rate(r);
    int partial = (int16_t)get16(r);
    if (live[s]) close_live(s);
    live[s] = asr_live_open(rec[k], rate, partial);
    live_of[s] = k;
    live_rate[s] = rate;
    live_finished[s] = 0;
    trace("live_open", live[s] ? 0 : -1, live[s] ? "" : asr_recognizer_error(rec[k]));
    if (!live[s] && !*asr_recognizer_error(rec[k]))
        broken("a failed asr_live_open left no message");
}

static void check_result(const asr_live_result *res)
{
    if (!res->words || !(res->start >= 0) || !(res->end >= res->start) || !isfinite(res->end))
        broken("a live result with no words or times out of order");
    (void)strlen(res->words);
}

static void op_live(unsigned op, reader *r, size_t *budget)
{
    int s = get8(r) & 1;
    asr_live *h = live[s];
    asr_live_result res, *out = &res;
    int rc;
    switch (op) {
    case 6: {
        samples x = get_samples(r, h ? live_rate[s] : MODEL_RATE, 0, budget);
        rc = asr_live_feed(h, x.x, x.n);
        free(x.x);
        trace("live_feed", rc, asr_live_error(h));
        if (rc == 0 && (!h || live_finished[s])) broken("asr_live_feed took samples it must not");
        if (rc != 0) check_failure(rc, asr_live_error(h));
        return;
    }
    case 7:
        rc = asr_live_finish(h);
        trace("live_finish", rc, asr_live_error(h));
        if (h) live_finished[s] = 1;
        if (rc != 0) check_failure(rc, asr_live_error(h));
        return;
    case 8:
    case 9:
        if (get8(r) & 1) out = NULL;
        rc = op == 8 ? asr_live_final(h, out) : asr_live_partial(h, out);
        trace(op == 8 ? "live_final" : "live_partial", rc,
              rc == 1 && out ? out->words
              : rc           ? asr_live_error(h)
                             : "");
        if (rc == 1 && out)
            check_result(out);
        else if (rc == 1 || (rc == 0 && (!h || !out)))
            broken("a result without a stream or OUT");
        else if (rc != 0)
            check_failure(rc, asr_live_error(h));
        return;
    default:
        close_live(s);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    setup();
    reader r = {data, size};
    size_t budget = MAX_AUDIO;
    for (int ops = 0; ops < MAX_OPS && r.n; ops++) {
        unsigned op = get8(&r) % 12;
        switch (op) {
        case 0:
            op_open(&r);
            break;
        case 1:
            close_rec(get8(&r) & 1);
            break;
        case 2: {
            asr_recognizer *h = rec[get8(&r) & 1];
            int rate = asr_recognizer_rate(h);
            if (rate != (h ? MODEL_RATE : -1)) broken("asr_recognizer_rate is wrong");
            break;
        }
        case 3:
            op_recognize(&r, &budget);
            break;
        case 4:
            op_recognize_file(&r, &budget);
            break;
        case 5:
            op_live_open(&r);
            break;
        case 11: {
            int k = get8(&r) & 1;
            (void)strlen(asr_recognizer_error(rec[k]));
            (void)strlen(asr_live_error(live[k]));
            (void)strlen(asr_version());
            break;
        }
        default:
            op_live(op, &r, &budget);
        }
    }
    for (int k = 0; k < 2; k++) close_rec(k);
    for (int s = 0; s < 2; s++) close_live(s);
    return 0;
}
