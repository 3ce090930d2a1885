/* system.c — one model or several combined; see system.h. */
#include "recognizer/system.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/numparse.h"
#include "recognizer/combine.h"
#include "recognizer/model_path.h"
#include "recognizer/options.h"
#include "recognizer/reject.h"
#include "signal/audio.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The "system" section is a few short lines; more is not one. */
#define SYSTEM_TEXT_MAX 4096
/* The member names it keeps for people are cut to this many bytes. */
#define SYSTEM_NAME_MAX 200

/* Largest calibration weight a system stores: a fit on real data is a few
 * units; a larger one saturates every confidence at 0 or 1. */
#define SYSTEM_MAX_CALIB 100.0

/* The calibration keys of the "system" section, in asr_system.calib order. */
#define NCALIB 4
static const char *const calib_keys[NCALIB] = {"confidence_scale", "confidence_gap_scale",
                                               "confidence_bias", "confidence_agree_scale"};

/* The "system" section of F (NAME in messages): *N models, *PAD seconds
 * and the calibration CAL (NAN where not stored). 0 when F has none (one
 * model), 1 when it has, -1 with a message when it is malformed. */
static int parse_system(const model_file *f, const char *name, int *n, double *pad,
                        double cal[NCALIB])
{
    for (int c = 0; c < NCALIB; c++) cal[c] = NAN;
    const model_section *sec = model_file_get(f, "system");
    if (!sec) return 0;
    const char *text = model_file_text(f, "system");
    if (!text || sec->size > SYSTEM_TEXT_MAX)
        return asr_error("%s: its \"system\" section is not text of at most %d bytes", name,
                         SYSTEM_TEXT_MAX);
    *n = 0;
    *pad = 0;
    int have_n = 0, line = 0;
    for (const char *p = text; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char buf[SYSTEM_TEXT_MAX];
        memcpy(buf, p, len);
        buf[len] = 0;
        p += len + (end != NULL);
        line++;
        if (!len) continue;
        char *eq = strstr(buf, " = ");
        if (!eq) return asr_error("%s: system line %d: expected 'key = value'", name, line);
        *eq = 0;
        const char *key = buf, *val = eq + 3;
        char what[64];
        snprintf(what, sizeof what, "system line %d: models", line);
        if (!strcmp(key, "models")) {
            if (parse_int(what, val, 1, SYSTEM_MAX_MODELS, n) < 0)
                return asr_error("%s: %s", name, asr_last_error());
            have_n = 1;
        } else if (!strcmp(key, "pad_view")) {
            snprintf(what, sizeof what, "system line %d: pad_view", line);
            if (parse_double(what, val, 0, SYSTEM_MAX_PAD, pad) < 0)
                return asr_error("%s: %s", name, asr_last_error());
        } else if (strncmp(key, "model.", 6) != 0) {
            int c = 0;
            while (c < NCALIB && strcmp(key, calib_keys[c])) c++;
            if (c == NCALIB)
                return asr_error("%s: system line %d: unknown key '%.64s' (expected models, "
                                 "pad_view, model.I, confidence_scale, confidence_gap_scale, "
                                 "confidence_bias, confidence_agree_scale)",
                                 name, line, key);
            snprintf(what, sizeof what, "system line %d: %s", line, calib_keys[c]);
            if (parse_double(what, val, -SYSTEM_MAX_CALIB, SYSTEM_MAX_CALIB, &cal[c]) < 0)
                return asr_error("%s: %s", name, asr_last_error());
        }
    }
    if (!have_n) return asr_error("%s: its \"system\" section has no 'models = N'", name);
    if (*n < 2 && !(*pad > 0))
        return asr_error("%s: a system of one model and no padded view combines nothing", name);
    return 1;
}

int asr_system_count(const model_file *f, const char *name)
{
    int n;
    double pad, cal[NCALIB];
    int rc = parse_system(f, name, &n, &pad, cal);
    return rc <= 0 ? rc : n;
}

/* Member I of the stored system F: its sections, "model.I/" taken off. */
static void member_file(const model_file *f, int i, model_file *sub)
{
    char prefix[32];
    int len = snprintf(prefix, sizeof prefix, "model.%d/", i);
    model_file_init(sub);
    for (int j = 0; j < f->n; j++) {
        const model_section *sec = &f->sections[j];
        if (!strncmp(sec->name, prefix, (size_t)len) && sec->name[len])
            model_file_put(sub, sec->name + len, sec->data, sec->size);
    }
}

/* The models of the stored system F (NAME in messages), N of them, into
 * S->m[0..N): the first system is member 0 alone. */
static int load_members(const model_file *f, const char *name, int n, double pad,
                        const pipeline_options *opt, asr_system *s)
{
    for (int i = 0; i < n; i++) {
        model_file sub;
        member_file(f, i, &sub);
        char label[MODEL_PATH_MAX + 64];
        snprintf(label, sizeof label, "%s (its model %d of %d)", name, i + 1, n);
        int rc = sub.n ? asr_model_from_file(&sub, label, opt, &s->m[i])
                       : asr_error("%s: no sections", label);
        model_file_free(&sub);
        if (rc < 0) return -1;
        s->n++;
    }
    s->k = 1;
    s->pad_view = pad;
    return 0;
}

int asr_system_from_file(const model_file *f, const char *name, const pipeline_options *opt,
                         asr_system *s)
{
    memset(s, 0, sizeof *s);
    int stored = 0;
    double pad = 0, cal[NCALIB];
    int rc = parse_system(f, name, &stored, &pad, cal);
    if (rc < 0) return -1;
    s->calib = pipeline_options_defaults;
    s->calib.conf_scale = (float)cal[0];
    s->calib.conf_gap_scale = (float)cal[1];
    s->calib.conf_bias = (float)cal[2];
    s->calib.conf_agree_scale = (float)cal[3];
    s->m = xcalloc((size_t)(rc ? stored : 1), sizeof *s->m);
    if (rc) {
        rc = load_members(f, name, stored, pad, opt, s);
    } else if ((rc = asr_model_from_file(f, name, opt, &s->m[0])) == 0) {
        s->n = s->k = 1;
    }
    s->trim = 1;
    if (rc < 0) asr_system_free(s);
    return rc < 0 ? -1 : 0;
}

/* S (one model, from asr_system_from_file) with ensemble partners and
 * combined models added as SP gives them. */
static int add_models(const asr_system_spec *sp, const pipeline_options *opt, asr_system *s)
{
    s->m = xrealloc(s->m, (size_t)(s->n + sp->n_ensemble + sp->n_combine) * sizeof *s->m);
    memset(s->m + s->n, 0, (size_t)(sp->n_ensemble + sp->n_combine) * sizeof *s->m);
    int rc = 0;
    for (int i = 0; i < sp->n_ensemble && rc == 0; i++)
        if ((rc = asr_model_load(sp->ensemble[i], opt, &s->m[s->n])) == 0) s->n++;
    if (rc == 0 && sp->n_ensemble) {
        s->k = s->n;
        const char **names = xcalloc((size_t)s->k, sizeof *names);
        names[0] = sp->model;
        for (int i = 1; i < s->k; i++) names[i] = sp->ensemble[i - 1];
        rc = asr_model_ensemble_check(s->m, s->k, names);
        free(names);
    }
    for (int i = 0; i < sp->n_combine && rc == 0; i++) {
        if ((rc = asr_model_load(sp->combine[i], opt, &s->m[s->n])) < 0)
            asr_error("--combine: %s", asr_last_error());
        else
            s->n++;
    }
    return rc;
}

/* Whether the calibration C maps anything (reject.h: a scale unset or 0 is
 * none). */
static int calib_active(const pipeline_options *c)
{
    return isfinite(c->conf_scale) && c->conf_scale != 0;
}

/* Whether SP gives a calibration. */
static int calib_given(const asr_system_spec *sp)
{
    const pipeline_options c = {.conf_scale = sp->conf_scale};
    return calib_active(&c);
}

/* SP's calibration keys are finite and within SYSTEM_MAX_CALIB. */
static int calib_check(const asr_system_spec *sp)
{
    const float v[NCALIB] = {sp->conf_scale, sp->conf_gap_scale, sp->conf_bias,
                             sp->conf_agree_scale};
    for (int c = 0; c < NCALIB && calib_given(sp); c++)
        if (!(fabsf(v[c]) <= SYSTEM_MAX_CALIB))
            return asr_error("%s = %g: expected -%g to %g", calib_keys[c], (double)v[c],
                             SYSTEM_MAX_CALIB, SYSTEM_MAX_CALIB);
    return 0;
}

int asr_system_open(const asr_system_spec *sp, const pipeline_options *opt, asr_system *s)
{
    memset(s, 0, sizeof *s);
    if (!(sp->pad_view >= 0 && sp->pad_view <= SYSTEM_MAX_PAD))
        return asr_error("padded view of %g s: expected 0 to %g", sp->pad_view, SYSTEM_MAX_PAD);
    if (calib_check(sp) < 0) return -1;
    char *path;
    if (model_path_resolve(sp->model, &path) < 0) return -1;
    model_file f;
    int rc = model_file_read(path, &f);
    if (rc == 0) {
        rc = asr_system_from_file(&f, path, opt, s);
        model_file_free(&f);
    }
    if (rc == 0 && sp->n_ensemble && asr_system_combines(s))
        rc = asr_error("--ensemble: %s is a system of %d models; an ensemble averages single "
                       "models of one pipeline",
                       path, s->n);
    free(path);
    if (rc == 0) rc = add_models(sp, opt, s);
    if (rc == 0 && sp->pad_view > 0) s->pad_view = sp->pad_view;
    if (rc == 0 && calib_given(sp)) {
        s->calib.conf_scale = sp->conf_scale;
        s->calib.conf_gap_scale = sp->conf_gap_scale;
        s->calib.conf_bias = sp->conf_bias;
        s->calib.conf_agree_scale = sp->conf_agree_scale;
    }
    if (rc == 0) s->trim = !sp->no_trim;
    if (rc < 0) asr_system_free(s);
    return rc < 0 ? -1 : 0;
}

int asr_system_load(const char *model, const pipeline_options *opt, asr_system *s)
{
    asr_system_spec sp = {.model = model};
    return asr_system_open(&sp, opt, s);
}

void asr_system_free(asr_system *s)
{
    if (s->m)
        for (int i = 0; i < s->n; i++) asr_model_free(&s->m[i]);
    free(s->m);
    memset(s, 0, sizeof *s);
}

int asr_system_combines(const asr_system *s)
{
    return s->n > s->k || s->pad_view > 0;
}

int asr_system_rejects(const asr_system *s)
{
    for (int i = 0; i < s->n; i++)
        if (reject_active(&s->m[i].search)) return 1;
    return 0;
}

/* Model I reads model 0's features: an ensemble partner, or a combined
 * model of the same front end. */
static int shares_features(const asr_system *s, int i)
{
    return i == 0 || i < s->k || features_config_same(&s->m[i].feats, &s->m[0].feats);
}

features_extractor **asr_system_extractors(const asr_system *s)
{
    features_extractor **fx = xcalloc((size_t)s->n, sizeof *fx);
    for (int i = 0; i < s->n; i++)
        if (i == 0 || !shares_features(s, i)) fx[i] = features_create(&s->m[i].feats);
    return fx;
}

void asr_system_extractors_free(const asr_system *s, features_extractor **fx)
{
    if (!fx) return;
    for (int i = 0; i < s->n; i++) features_destroy(fx[i]);
    free(fx);
}

/* X (N samples at RATE) at model M's rate, into A; -1 when it is shorter
 * than one of M's feature frames or cannot be resampled. */
static int resampled(const asr_model *m, const float *x, size_t n, int rate, audio *a)
{
    *a = (audio){NULL, 0, m->feats.rate, rate};
    if (audio_resample(x, n, rate, m->feats.rate, &a->x, &a->n) < 0) return -1;
    if (features_require_frame(&m->feats, a->n) == 0) return 0;
    audio_free(a);
    return -1;
}

/* Features of A (at model M's rate) by FX, with PAD seconds of quiet
 * around it when PAD > 0 (A itself unchanged). */
static int audio_features(features_extractor *fx, const audio *a, uint64_t index, double pad,
                          float **feats, int *T)
{
    if (!(pad > 0)) return features_compute(fx, a->x, a->n, index, feats, T);
    audio p = {xmalloc((a->n ? a->n : 1) * sizeof(float)), a->n, a->rate, a->source_rate};
    memcpy(p.x, a->x, a->n * sizeof(float));
    audio_pad_quiet(&p, pad, index);
    int rc = features_compute(fx, p.x, p.n, index, feats, T);
    audio_free(&p);
    return rc;
}

/* MS[0..K) decode one utterance's features FEATS ([T][dim]) into RES. */
static void decode_features(const asr_model *ms, int k, float *feats, int T, pipeline_result *res)
{
    char *id = "utterance";
    train_set set;
    memset(&set, 0, sizeof set);
    set.n = 1;
    set.dim = features_dim(&ms[0].feats);
    set.x = &feats;
    set.T = &T;
    set.ids = &id;
    if (k == 1)
        asr_model_decode_speakers(&ms[0], &set, NULL, T > 0 ? T : 1, res, NULL);
    else
        asr_model_decode_ensemble(ms, k, &set, T > 0 ? T : 1, res, NULL);
}

/* asr_system_recognize of X as it is (nothing cut). */
static int recognize_samples(const asr_system *s, features_extractor *const *fx, const float *x,
                             size_t n, int rate, uint64_t index, pipeline_result *res,
                             float **feats_out, int *T_out)
{
    memset(res, 0, sizeof *res);
    const asr_model *first = &s->m[0];
    /* Resampled once: the padded view and the combined models of the same
     * rate read these samples. */
    audio a;
    if (resampled(first, x, n, rate, &a) < 0) return -1;
    float *feats = NULL;
    int T = 0;
    if (audio_features(fx[0], &a, index, 0, &feats, &T) < 0) {
        audio_free(&a);
        return -1;
    }
    decode_features(s->m, s->k, feats, T, res);
    /* Every further system's result, combined with RES at the end (the
     * members' agreement needs them all: recognizer/combine.h). */
    pipeline_result others[SYSTEM_MAX_MODELS + 1];
    pipeline_result *other[SYSTEM_MAX_MODELS + 1];
    int no = 0, rc = 0;
    if (s->pad_view > 0) {
        float *pf = NULL;
        int pT = 0;
        rc = audio_features(fx[0], &a, index, s->pad_view, &pf, &pT);
        if (rc == 0) {
            other[no] = &others[no];
            decode_features(first, 1, pf, pT, other[no]);
            results_shift_times(other[no++], 1, s->pad_view);
        }
        free(pf);
    }
    for (int i = s->k; i < s->n && rc == 0; i++) {
        const asr_model *m = &s->m[i];
        float *own = NULL;
        int oT = 0;
        if (!shares_features(s, i)) {
            audio b = {NULL, 0, 0, 0};
            if (m->feats.rate != first->feats.rate)
                rc = resampled(m, x, n, rate, &b);
            else
                rc = features_require_frame(&m->feats, a.n);
            if (rc == 0) rc = audio_features(fx[i], b.x ? &b : &a, index, 0, &own, &oT);
            audio_free(&b);
        }
        if (rc == 0) {
            other[no] = &others[no];
            decode_features(m, 1, own ? own : feats, own ? oT : T, other[no++]);
        }
        free(own);
    }
    if (rc == 0) results_combine(res, other, no, 1);
    for (int k = 0; k < no; k++) pipeline_result_free(other[k]);
    audio_free(&a);
    if (rc < 0) pipeline_result_free(res);
    if (rc == 0 && feats_out) {
        *feats_out = feats;
        *T_out = T;
    } else {
        free(feats);
    }
    return rc;
}

int asr_system_recognize(const asr_system *s, features_extractor *const *fx, const float *x,
                         size_t n, int rate, uint64_t index, pipeline_result *res,
                         float **feats_out, int *T_out)
{
    endpoint_cuts c = {0};
    if (s->trim) endpoint_quiet_cuts(NULL, rate, x, n, &c);
    /* Most recordings (a stream's utterances, words with quiet before them)
     * have nothing to cut or add: they are recognised from X itself, not a
     * copy. */
    int rc;
    if (c.n == 0 && c.lead == 0) {
        rc = recognize_samples(s, fx, x, n, rate, index, res, feats_out, T_out);
    } else {
        audio cut = {xmalloc(n * sizeof(float)), n, rate, rate};
        memcpy(cut.x, x, n * sizeof(float));
        audio_cuts k;
        audio_cut(&cut, &c, &k);
        rc = recognize_samples(s, fx, cut.x, cut.n, rate, index, res, feats_out, T_out);
        audio_free(&cut);
        if (rc == 0) results_uncut_times(res, 1, &k);
    }
    if (rc == 0) asr_system_calibrate(s, res, 1);
    return rc;
}

void asr_system_calibrate(const asr_system *s, pipeline_result *res, int n)
{
    if (!calib_active(&s->calib)) return;
    for (int i = 0; i < n; i++)
        if (res[i].nw > 0)
            reject_calibrate(&s->calib, &res[i]); /* none: a rejection keeps its own */
}

/* The calibration lines V (a, g, b, d) appended to the section text BUF: a
 * gap or agreement scale or a bias not given (NAN) is 0, no term. */
static void put_calib(char *buf, size_t size, const float v[NCALIB])
{
    for (int c = 0; c < NCALIB; c++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s = %.9g\n", calib_keys[c],
                 isfinite(v[c]) ? (double)v[c] : 0.0);
    }
}

int asr_system_spec_set(asr_system_spec *sp, const char *assign)
{
    float *const dst[NCALIB] = {&sp->conf_scale, &sp->conf_gap_scale, &sp->conf_bias,
                                &sp->conf_agree_scale};
    const char *eq = strchr(assign, '=');
    int c = 0;
    while (eq && c < NCALIB &&
           (strlen(calib_keys[c]) != (size_t)(eq - assign) ||
            strncmp(assign, calib_keys[c], (size_t)(eq - assign))))
        c++;
    if (!eq || c == NCALIB)
        return asr_error("'%.64s': a system's own setting is its calibration only "
                         "(confidence_scale, confidence_gap_scale, confidence_bias, "
                         "confidence_agree_scale); set other settings on each model, then "
                         "combine the models",
                         assign);
    double v;
    if (parse_double(calib_keys[c], eq + 1, -SYSTEM_MAX_CALIB, SYSTEM_MAX_CALIB, &v) < 0) return -1;
    *dst[c] = (float)v;
    return 0;
}

int asr_system_file_calibrate(model_file *f, const char *name, const pipeline_options *calib)
{
    const char *old = model_file_text(f, "system");
    if (!old) return asr_error("%s is not a stored system", name);
    char text[SYSTEM_TEXT_MAX];
    text[0] = 0;
    for (const char *p = old; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) + 1 : strlen(p);
        int c = 0;
        while (c < NCALIB && !(strncmp(p, calib_keys[c], strlen(calib_keys[c])) == 0 &&
                               p[strlen(calib_keys[c])] == ' '))
            c++;
        if (c == NCALIB && strlen(text) + len < sizeof text) strncat(text, p, len);
        p += len;
    }
    if (calib_active(calib))
        put_calib(text, sizeof text,
                  (const float[NCALIB]){calib->conf_scale, calib->conf_gap_scale, calib->conf_bias,
                                        calib->conf_agree_scale});
    model_file_put_text(f, "system", text);
    /* Read back as every command will: a file that would not load is not written. */
    asr_system check;
    if (asr_system_from_file(f, name, &pipeline_options_defaults, &check) < 0) return -1;
    asr_system_free(&check);
    return 0;
}

/* NAME as stored for people: one line, at most SYSTEM_NAME_MAX bytes. */
static void put_member_name(char *buf, size_t size, int i, const char *name)
{
    char clean[SYSTEM_NAME_MAX + 1];
    size_t j = 0;
    for (; name[j] && j < SYSTEM_NAME_MAX; j++)
        clean[j] = (unsigned char)name[j] < 0x20 || name[j] == 0x7f ? '?' : name[j];
    clean[j] = 0;
    size_t used = strlen(buf);
    snprintf(buf + used, size - used, "model.%d = %s\n", i, clean);
}

int asr_system_store(const asr_system_spec *sp, io_set *io, const char *out)
{
    int n = 1 + sp->n_combine;
    if (sp->n_ensemble)
        return asr_error("a stored system's first model is one model, not an ensemble");
    if (n > SYSTEM_MAX_MODELS)
        return asr_error("%d models: a stored system holds at most %d", n, SYSTEM_MAX_MODELS);
    if (!(sp->pad_view >= 0 && sp->pad_view <= SYSTEM_MAX_PAD))
        return asr_error("padded view of %g s: expected 0 to %g", sp->pad_view, SYSTEM_MAX_PAD);
    if (n < 2 && !(sp->pad_view > 0))
        return asr_error("one model and no padded view combine nothing: give --combine MODEL "
                         "or --pad-view MS");
    if (calib_check(sp) < 0) return -1;
    model_file f;
    model_file_init(&f);
    char text[SYSTEM_TEXT_MAX];
    /* Six significant digits: the commands give padded views in whole ms. */
    snprintf(text, sizeof text, "models = %d\npad_view = %.6g\n", n, sp->pad_view);
    if (calib_given(sp))
        put_calib(text, sizeof text,
                  (const float[NCALIB]){sp->conf_scale, sp->conf_gap_scale, sp->conf_bias,
                                        sp->conf_agree_scale});
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        const char *spec = i == 0 ? sp->model : sp->combine[i - 1];
        char *path;
        model_file mf;
        if ((rc = model_path_resolve(spec, &path)) < 0) break;
        rc = io_set_input(io, path);
        if (rc == 0 && (rc = model_file_read(path, &mf)) == 0) {
            if (model_file_get(&mf, "system"))
                rc = asr_error("%s is itself a system of several models: store its models "
                               "one by one",
                               path);
            for (int j = 0; j < mf.n && rc == 0; j++) {
                char name[64 + 32];
                if (strlen(mf.sections[j].name) > 64) {
                    rc = asr_error("%s: section name '%.64s...' too long", path,
                                   mf.sections[j].name);
                    break;
                }
                snprintf(name, sizeof name, "model.%d/%s", i, mf.sections[j].name);
                model_file_put(&f, name, mf.sections[j].data, mf.sections[j].size);
            }
            model_file_free(&mf);
        }
        put_member_name(text, sizeof text, i, spec);
        free(path);
    }
    model_file_put_text(&f, "system", text);
    /* Read back as every command will read it: a file that would not load
     * is never written. */
    asr_system check;
    if (rc == 0 && (rc = asr_system_from_file(&f, out, &pipeline_options_defaults, &check)) == 0)
        asr_system_free(&check);
    if (rc == 0) rc = model_file_write(&f, io, out);
    model_file_free(&f);
    return rc < 0 ? -1 : 0;
}
