/* adapt_args.c — see adapt_args.h. */
#include "cli/adapt_args.h"

#include "base/json.h"
#include "base/numparse.h"

#include <stdio.h>

static int real(const char *what, const char *v, double lo, double hi, float *out)
{
    double d;
    if (parse_double(what, v, lo, hi, &d) < 0) return -1;
    *out = (float)d;
    return 0;
}

int adapt_args_handle(adapt_config *c, int id, const char *v)
{
    switch (id) {
    case A_TRANSFORM:
        return xform_kind_parse(v, &c->kind);
    case A_MIN_CONF:
        c->min_conf_given = 1;
        return real("--min-confidence", v, 0, 1, &c->min_conf);
    case A_EPOCHS:
        return parse_int("--adapt-epochs", v, 1, 1000, &c->epochs);
    case A_LR:
        return real("--adapt-lr", v, 1e-7, 1, &c->lr);
    case A_MIN_SECONDS:
        return real("--min-seconds", v, 0, 1e6, &c->min_seconds);
    case A_ROUNDS:
        return parse_int("--adapt-rounds", v, 1, 3, &c->rounds);
    case A_L2:
        return real("--adapt-l2", v, 0, 1e6, &c->l2);
    case A_AGREE:
        c->agree = v;
        return 0;
    case A_COTRAIN:
        c->cotrain = 1;
        return 0;
    }
    return 1;
}

const char *adapt_args_conflict(const adapt_config *c)
{
    if (c->cotrain && !c->agree) return "--cotrain adapts --agree's model first: it needs --agree";
    if (c->supervised && c->agree)
        return "--agree filters hypotheses; --supervised fits the transcripts: one or the other";
    return NULL;
}

void adapt_args_print(FILE *out, xform_kind k, const adapt_stats *st)
{
    fprintf(out, "{\"transform\": \"%s\", \"speakers\": [", xform_kind_name(k));
    for (int i = 0; i < st->n; i++) {
        const adapt_speaker_stats *s = &st->sp[i];
        fprintf(out, "%s{\"speaker\": ", i ? ", " : "");
        json_write_string(out, s->speaker);
        fprintf(out,
                ", \"utterances\": %d, \"used\": %d, \"kept_seconds\": %.2f, \"adapted\": %s, ",
                s->utterances, s->used, s->kept_seconds, s->adapted ? "true" : "false");
        if (s->adapted)
            fprintf(out, "\"loss_before\": %.4f, \"loss_after\": %.4f, ", s->loss_before,
                    s->loss_after);
        else
            fprintf(out, "\"loss_before\": null, \"loss_after\": null, ");
        fprintf(out, "\"seconds\": %.3f}", s->seconds);
    }
    fprintf(out, "], \"seconds\": %.3f}\n", st->seconds);
}
