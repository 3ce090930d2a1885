/* decode.c — recognising a data directory; see decode.h. */
#include "recognizer/decode.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/log.h"
#include "base/progress.h"
#include "base/parallel.h"
#include "recognizer/combine.h"
#include "recognizer/model.h"
#include "recognizer/ranks.h"
#include "recognizer/system.h"
#include "recognizer/word_output.h"
#include "signal/features.h"

#include <stdlib.h>
#include <string.h>

/* The models, the LM and the lexicon join the job's inputs: no output may
 * replace one of them. */
static int add_inputs(const asr_decode_job *j)
{
    int rc = io_set_input(j->io, j->system.model);
    for (int i = 0; i < j->system.n_ensemble && rc == 0; i++)
        rc = io_set_input(j->io, j->system.ensemble[i]);
    for (int i = 0; i < j->system.n_combine && rc == 0; i++)
        rc = io_set_input(j->io, j->system.combine[i]);
    if (rc == 0 && j->adapt && j->adapt->agree) rc = io_set_input(j->io, j->adapt->agree);
    return rc == 0 ? options_add_inputs(j->conf, j->io) : -1;
}

/* The hypotheses as FORMAT (units: text), "ID words" per line in text. */
static int write_text(const io_set *io, const char *path, const corpus *c,
                      const pipeline_result *res, int units, int format)
{
    atomic_file af;
    if (atomic_file_open(&af, io, path, "w") < 0) return -1;
    for (int i = 0; i < c->n; i++) {
        const char *t = units ? res[i].units : res[i].words;
        if (format != WORDS_TEXT && !units)
            words_write(af.fp, format, c->utts[i].id, &res[i]);
        else
            fprintf(af.fp, "%s%s%s\n", c->utts[i].id, *t ? " " : "", t);
    }
    return atomic_file_commit(&af);
}

/* The error rate against the references the directory has. */
static void score(const asr_decode_job *j, const corpus *c, const pipeline_result *res,
                  asr_decode_stats *st)
{
    for (int i = 0; i < c->n; i++) {
        const char *ref = j->phones ? c->utts[i].phones : c->utts[i].text;
        if (!ref) continue;
        st->have_ref = 1;
        if (metrics_score(&st->errors, c->utts[i].id, ref, j->phones ? res[i].units : res[i].words,
                          METRICS_WORDS, NULL) < 0)
            asr_log(ASR_LOG_WARNING, "decode: warning: %s; left out of the error rate",
                    asr_last_error());
    }
}

/* The recogniser JOB names, recognizer/system.h: its model (a stored system too),
 * ensemble partners, combined models and padded view; every model is read
 * before any audio, so a bad one fails the command at once. */
static int load_system(const asr_decode_job *j, asr_system *sys)
{
    if (asr_system_open(&j->system, &j->conf->search, sys) < 0) return -1;
    int rc = 0;
    /* A direct model's units are characters: scored against the phones
     * file they gave a PER of 150% and exit 0 (issue 26). */
    if (j->phones && !sys->m[0].ops->phone_units)
        rc = asr_error("--stage phones: %s is a %s model: it emits characters, not phones (a "
                       "staged or multitask model has a phone stage)",
                       j->system.model, sys->m[0].ops->name);
    /* Each utterance's words come from one of several decodings: phones,
     * units and a two-pass adaptation have no single model to come from. */
    if (rc == 0 && asr_system_combines(sys) && (j->phones || j->units_out || j->adapt))
        rc = asr_error("%s combines several decodings (--combine, --pad-view, or a stored "
                       "system): it gives words, and has no phones, units or adaptation of one "
                       "model; give --model one model for these (asr models lists them)",
                       j->system.model);
    if (rc < 0) asr_system_free(sys);
    return rc;
}

/* Every rank decodes with the same models, search and options the same
 * utterances (recognizer/ranks.h). */
static int check_ranks(const asr_decode_job *j, const corpus *c)
{
    if (par_size() == 1) return 0;
    ranks_check k;
    ranks_check_init(&k);
    char *opts = options_format_run(j->conf), *text = xmalloc(strlen(opts) + 64);
    sprintf(text, "%sphones = %d\nno_trim = %d\n", opts, j->phones, j->system.no_trim);
    ranks_check_text(&k, "decoding options", text);
    free(opts);
    free(text);
    int rc = ranks_check_file(&k, "model", j->system.model);
    for (int i = 0; i < j->system.n_ensemble && rc == 0; i++)
        rc = ranks_check_file(&k, "ensemble model", j->system.ensemble[i]);
    for (int i = 0; i < j->system.n_combine && rc == 0; i++)
        rc = ranks_check_file(&k, "combined model", j->system.combine[i]);
    if (rc == 0) rc = ranks_check_search(&k, &j->conf->search);
    if (rc == 0) rc = ranks_check_corpus(&k, "data directory", j->data_dir, c);
    return ranks_check_done(&k, rc);
}

/* Features of the utterances [LO, HI) of C or of the inputs IN (C NULL)
 * for a further model M of the combination, into S. */
static int system_features(const asr_decode_job *j, const asr_model *m, const corpus *c,
                           const asr_decode_input *in, int lo, int hi, train_set *s,
                           audio_cuts *cuts, asr_decode_stats *st);

/* What is cut from each of N recordings (signal/audio.h), for a system
 * that cuts their quiet (NULL for one that does not). */
static audio_cuts *cuts_new(const asr_system *sys, int n)
{
    return sys->trim ? xcalloc((size_t)(n ? n : 1), sizeof(audio_cuts)) : NULL;
}

/* One more system of a combination: M decodes the utterances [LO, HI) from
 * the features S (with the speakers of corpus C; NULL for audio files,
 * which have none) into R (HI - LO results), its word times moved back by
 * SHIFT seconds (the quiet a padded view added before each) and back to
 * the recording's where quiet was cut from utterance i (CUTS[i]; NULL:
 * none was). */
static void decode_system(const asr_decode_job *j, const asr_model *m, const train_set *s,
                          const corpus *c, int lo, int hi, double shift, const audio_cuts *cuts,
                          pipeline_result *r)
{
    int n = hi - lo;
    const char **spk = xcalloc((size_t)(n ? n : 1), sizeof *spk);
    for (int i = 0; c && i < n; i++) spk[i] = c->utts[lo + i].speaker;
    asr_model_decode_speakers(m, s, c ? spk : NULL, j->conf->train.batch_frames, r, NULL);
    results_shift_times(r, n, shift);
    results_uncut_times(r, n, cuts ? cuts + lo : NULL);
    free(spk);
}

/* The systems combined with SYS's first (its padded view and combined
 * models): its first model on PADDED, the utterances with quiet around them
 * (NULL without a padded view), then each combined model, with its own
 * features and search. A model whose front end is the first's reads
 * FIRST_SET, the features computed already (a staged and a direct model
 * trained by the same recipe share theirs: the audio is read and resampled
 * once), their quiet cut as CUTS says (NULL: whole recordings). The seconds go to
 * ST's feature and search times. */
static int decode_combined(const asr_decode_job *j, const asr_system *sys,
                           const train_set *first_set, const train_set *padded,
                           const audio_cuts *cuts, const corpus *c, const asr_decode_input *in,
                           int lo, int hi, pipeline_result *res, asr_decode_stats *st)
{
    asr_decode_stats counted = *st; /* the audio was counted once already */
    const asr_model *first = &sys->m[0];
    int n = hi - lo, no = 0;
    /* Every further system's results, combined with RES's at the end (the
     * agreement of the members needs them all: recognizer/combine.h). */
    pipeline_result *others[SYSTEM_MAX_MODELS + 1];
    if (padded) {
        double t0 = clock_seconds();
        others[no] = xcalloc((size_t)(n ? n : 1), sizeof(pipeline_result));
        decode_system(j, first, padded, c, lo, hi, sys->pad_view, cuts, others[no++]);
        st->search_seconds += clock_seconds() - t0;
    }
    int rc = 0;
    for (int m = sys->k; m < sys->n && rc == 0; m++) {
        const asr_model *other = &sys->m[m];
        double t0 = clock_seconds();
        train_set own;
        memset(&own, 0, sizeof own);
        const train_set *s = first_set;
        const audio_cuts *cut = cuts;
        audio_cuts *own_cut = NULL;
        if (!features_config_same(&other->feats, &first->feats)) {
            /* Cut at its own rate: the span may differ by a few samples. */
            own_cut = cuts_new(sys, hi);
            rc = system_features(j, other, c, in, lo, hi, &own, own_cut, &counted);
            s = &own;
            cut = own_cut;
        }
        double t1 = clock_seconds();
        if (rc == 0) {
            others[no] = xcalloc((size_t)(n ? n : 1), sizeof(pipeline_result));
            decode_system(j, other, s, c, lo, hi, 0, cut, others[no++]);
        }
        train_set_free(&own);
        free(own_cut);
        st->feature_seconds += t1 - t0;
        st->search_seconds += clock_seconds() - t1;
    }
    if (rc == 0) {
        results_combine(res + lo, others, no, n);
        asr_system_calibrate(sys, res + lo, n);
    }
    for (int k = 0; k < no; k++) {
        for (int i = 0; i < n; i++) pipeline_result_free(&others[k][i]);
        free(others[k]);
    }
    return rc;
}

int asr_decode_dir(const asr_decode_job *j, asr_decode_stats *st)
{
    memset(st, 0, sizeof *st);
    corpus c;
    memset(&c, 0, sizeof c);
    train_set s, padded;
    memset(&s, 0, sizeof s);
    memset(&padded, 0, sizeof padded);
    pipeline_result *res = NULL;
    audio_cuts *cuts = NULL;
    double t0 = clock_seconds();
    asr_system sys;
    if (load_system(j, &sys) < 0) return -1;
    const asr_model *ms = sys.m;
    double pad = sys.pad_view;
    double t1 = clock_seconds();
    int rc = -1, lo = 0, hi = 0;
    if (corpus_read_untranscribed(j->data_dir, &c) < 0 || add_inputs(j) < 0 ||
        corpus_add_inputs(j->io, j->data_dir, &c) < 0 || check_ranks(j, &c) < 0)
        goto done;
    /* Under MPI this rank's share of the utterances (base/parallel.h). */
    lo = par_first_shard(par_rank(), c.n);
    hi = par_first_shard(par_rank() + 1, c.n);
    progress pr;
    progress_start(&pr, "decode: features", "utt", hi - lo);
    cuts = cuts_new(&sys, c.n);
    if (asr_model_features_range(&ms[0].feats, &c, j->conf->threads, NULL, lo, hi, &s, pad,
                                 pad > 0 ? &padded : NULL, cuts, &st->audio_seconds, &pr) < 0)
        goto done;
    double t2 = clock_seconds();
    res = xcalloc((size_t)(c.n ? c.n : 1), sizeof *res);
    progress_start(&pr, "decode: search", "utt", hi - lo);
    int bf = j->conf->train.batch_frames;
    if (j->adapt) {
        adapt_stats ast;
        int arc = adapt_decode_two_pass(&ms[0], &c, &s, j->adapt, bf, res, &ast);
        for (int i = 0; i < ast.n; i++) {
            st->adapted += ast.sp[i].adapted;
            st->adapt_used += ast.sp[i].adapted ? ast.sp[i].used : 0;
        }
        st->adapt_seconds = ast.seconds;
        adapt_stats_free(&ast);
        if (arc < 0) goto done;
    } else if (sys.k == 1) {
        const char **spk = xmalloc(sizeof(char *) * (size_t)(hi - lo + 1));
        for (int i = lo; i < hi; i++) spk[i - lo] = c.utts[i].speaker;
        asr_model_decode_speakers(&ms[0], &s, spk, bf, res + lo, &pr);
        free(spk);
    } else {
        asr_model_decode_ensemble(ms, sys.k, &s, bf, res + lo, &pr);
    }
    results_uncut_times(res + lo, hi - lo, cuts ? cuts + lo : NULL);
    double t3 = clock_seconds();
    asr_decode_stats more = {0};
    if (decode_combined(j, &sys, &s, pad > 0 ? &padded : NULL, cuts, &c, NULL, lo, hi, res, &more) <
        0)
        goto done;
    if (asr_results_gather(res, NULL, 0, c.n, lo, hi) < 0 ||
        par_sum_to_root(&st->audio_seconds, 1) < 0)
        goto done;
    if (par_rank() != 0) {
        rc = 0;
        goto done;
    }
    if (write_text(j->io, j->out, &c, res, j->phones, j->format) < 0 ||
        (j->units_out && write_text(j->io, j->units_out, &c, res, 1, WORDS_TEXT) < 0))
        goto done;
    st->utterances = c.n;
    st->load_seconds = t1 - t0;
    st->feature_seconds = t2 - t1 + more.feature_seconds;
    st->search_seconds = t3 - t2 + more.search_seconds;
    score(j, &c, res, st);
    rc = 0;
done:
    if (res)
        for (int i = 0; i < c.n; i++) pipeline_result_free(&res[i]);
    free(res);
    free(cuts);
    train_set_free(&s);
    train_set_free(&padded);
    corpus_free(&c);
    asr_system_free(&sys);
    return rc;
}

/* An empty set of N utterances named after IN. */
static void input_set(train_set *s, const asr_model *m, const asr_decode_input *in, int n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->dim = features_dim(&m->feats);
    s->x = xcalloc((size_t)(n ? n : 1), sizeof(float *));
    s->T = xcalloc((size_t)(n ? n : 1), sizeof(int));
    s->ids = xcalloc((size_t)(n ? n : 1), sizeof(char *));
    for (int i = 0; i < n; i++) s->ids[i] = xstrdup(in[i].name);
}

/* Features of every input at the model's rate, into S (ids = names);
 * PADDED, when not NULL, those with PAD seconds of quiet around each
 * (audio_pad_quiet), from the same audio; CUTS, when not NULL, each with
 * its long quiet cut out first (audio_cut_quiet), CUTS[i] saying what. */
static int input_features(const asr_model *m, const asr_decode_input *in, int n, double pad,
                          train_set *s, train_set *padded, audio_cuts *cuts, asr_decode_stats *st)
{
    input_set(s, m, in, n);
    if (padded) input_set(padded, m, in, n);
    features_extractor *fx = features_create(&m->feats);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        const asr_decode_input *u = &in[i];
        audio a;
        int rate = m->feats.rate;
        rc = !u->data ? audio_read(u->name, rate, &a)
             : u->raw ? audio_read_raw(u->name, u->data, u->len, u->encoding, u->raw_rate, rate, &a)
                      : audio_read_buffer(u->name, u->data, u->len, rate, &a);
        if (rc < 0) break;
        st->audio_seconds += (double)a.n / a.rate;
        if (a.source_rate != a.rate && st->resampled++ == 0) {
            st->resampled_from = a.source_rate;
            st->resampled_to = a.rate;
        }
        if (cuts) audio_cut_quiet(&a, &cuts[i]);
        rc = features_require_frame(&m->feats, a.n);
        if (rc < 0) {
            asr_error("%s: %s", u->name, asr_last_error());
        } else {
            rc = features_compute(fx, a.x, a.n, (uint64_t)i, &s->x[i], &s->T[i]);
            if (rc == 0 && padded) {
                audio_pad_quiet(&a, pad, (uint64_t)i);
                rc = features_compute(fx, a.x, a.n, (uint64_t)i, &padded->x[i], &padded->T[i]);
            }
        }
        audio_free(&a);
    }
    features_destroy(fx);
    return rc;
}

static int system_features(const asr_decode_job *j, const asr_model *m, const corpus *c,
                           const asr_decode_input *in, int lo, int hi, train_set *s,
                           audio_cuts *cuts, asr_decode_stats *st)
{
    if (!c) return input_features(m, in + lo, hi - lo, 0, s, NULL, cuts ? cuts + lo : NULL, st);
    return asr_model_features_range(&m->feats, c, j->conf->threads, NULL, lo, hi, s, 0, NULL, cuts,
                                    &st->audio_seconds, NULL);
}

int asr_decode_audio(const asr_decode_job *j, const asr_decode_input *in, int n,
                     asr_decode_stats *st)
{
    memset(st, 0, sizeof *st);
    train_set s, padded;
    memset(&s, 0, sizeof s);
    memset(&padded, 0, sizeof padded);
    pipeline_result *res = NULL;
    audio_cuts *cuts = NULL;
    double t0 = clock_seconds();
    asr_system sys;
    if (load_system(j, &sys) < 0) return -1;
    const asr_model *ms = sys.m;
    double pad = sys.pad_view;
    double t1 = clock_seconds();
    int rc = -1, bad = add_inputs(j);
    for (int i = 0; i < n && bad == 0; i++)
        if (!in[i].data) bad = io_set_input(j->io, in[i].name);
    cuts = cuts_new(&sys, n);
    if (bad < 0 || input_features(&ms[0], in, n, pad, &s, pad > 0 ? &padded : NULL, cuts, st) < 0)
        goto done;
    double t2 = clock_seconds();
    res = xcalloc((size_t)(n ? n : 1), sizeof *res);
    if (sys.k == 1) /* the transform for every speaker, if the model was adapted to a line */
        asr_model_decode_speakers(&ms[0], &s, NULL, j->conf->train.batch_frames, res, NULL);
    else
        asr_model_decode_ensemble(ms, sys.k, &s, j->conf->train.batch_frames, res, NULL);
    results_uncut_times(res, n, cuts);
    double t3 = clock_seconds();
    asr_decode_stats more = {0};
    if (decode_combined(j, &sys, &s, pad > 0 ? &padded : NULL, cuts, NULL, in, 0, n, res, &more) <
        0)
        goto done;
    atomic_file af;
    if (atomic_file_open(&af, j->io, j->out, "w") < 0) goto done;
    for (int i = 0; i < n; i++) {
        if (j->format != WORDS_TEXT)
            words_write(af.fp, j->format, in[i].name, &res[i]);
        else
            fprintf(af.fp, "%s\t%s\n", in[i].name, res[i].words);
    }
    if (atomic_file_commit(&af) < 0) goto done;
    st->utterances = n;
    st->load_seconds = t1 - t0;
    st->feature_seconds = t2 - t1 + more.feature_seconds;
    st->search_seconds = t3 - t2 + more.search_seconds;
    rc = 0;
done:
    if (res)
        for (int i = 0; i < n; i++) pipeline_result_free(&res[i]);
    free(res);
    free(cuts);
    train_set_free(&s);
    train_set_free(&padded);
    asr_system_free(&sys);
    return rc;
}
