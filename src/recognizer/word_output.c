/* word_output.c — timed words as JSON and CTM; see word_output.h. */
#include "recognizer/word_output.h"

#include "base/json.h"

void words_write_json(FILE *f, const ctc_word *w, int nw, double offset)
{
    fputc('[', f);
    for (int i = 0; i < nw; i++) {
        fprintf(f, "%s{\"word\": ", i ? ", " : "");
        json_write_string(f, w[i].word);
        fprintf(f, ", \"start\": %.3f, \"end\": %.3f, \"confidence\": %.4f, \"gap\": %.4f",
                w[i].start + offset, w[i].end + offset, w[i].conf, w[i].gap);
        if (w[i].agree > 0) fprintf(f, ", \"agreement\": %.4f", w[i].agree);
        fputc('}', f);
    }
    fputc(']', f);
}

void words_write(FILE *f, words_format format, const char *id, const pipeline_result *r)
{
    if (format == WORDS_CTM) {
        for (int i = 0; i < r->nw; i++)
            fprintf(f, "%s 1 %.2f %.2f %s %.3f\n", id, r->w[i].start, r->w[i].end - r->w[i].start,
                    r->w[i].word, r->w[i].conf);
        return;
    }
    fputs("{\"utt\": ", f);
    json_write_string(f, id);
    fputs(", \"text\": ", f);
    json_write_string(f, r->words ? r->words : "");
    fprintf(f, ", \"confidence\": %.4f, \"gap\": %.4f, \"rejected\": %s, \"words\": ", r->conf,
            r->gap, r->rejected ? "true" : "false");
    words_write_json(f, r->w, r->nw, 0);
    fputs("}\n", f);
}
