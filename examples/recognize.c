/* recognize.c — a program embedding asr through its library (asr/asr.h).
 *
 *   cc recognize.c -o recognize $(pkg-config --cflags --libs asr)
 *   ./recognize [--set KEY=VALUE]... MODEL FILE...
 *                                    one line per file: FILE<TAB>words
 *   arecord -q -f S16_LE -r 8000 -c 1 | ./recognize [--set KEY=VALUE]... --live MODEL 8000
 *                                    live: 16-bit PCM at RATE Hz on standard
 *                                    input, one line per utterance:
 *                                    START<TAB>END<TAB>words
 * The same lines `asr decode MODEL FILE...` and `asr stream` print; --set
 * gives a search setting as asr decode --set does (beam=16, lm_weight=...).
 */
#include <asr/asr.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int live(asr_recognizer *r, int rate)
{
    asr_live *s = asr_live_open(r, rate, 0);
    if (!s) {
        fprintf(stderr, "recognize: %s\n", asr_recognizer_error(r));
        return 1;
    }
    short pcm[1600]; /* 0.2 s at 8 kHz: as a sound card delivers it */
    float x[1600];
    size_t n;
    int rc = 0;
    asr_live_result res;
    for (;;) {
        n = fread(pcm, sizeof pcm[0], sizeof pcm / sizeof pcm[0], stdin);
        for (size_t i = 0; i < n; i++) x[i] = pcm[i] / 32768.0f;
        if ((n && asr_live_feed(s, x, n) < 0) || (!n && asr_live_finish(s) < 0)) {
            fprintf(stderr, "recognize: %s\n", asr_live_error(s));
            rc = 1;
            break;
        }
        while (asr_live_final(s, &res) == 1)
            printf("%.2f\t%.2f\t%s\n", res.start, res.end, res.words);
        fflush(stdout);
        if (!n) break;
    }
    asr_live_close(s);
    return rc;
}

int main(int argc, char **argv)
{
    const char *settings[17] = {NULL};
    int ns = 0, a = 1;
    while (a + 1 < argc && !strcmp(argv[a], "--set") && ns < 16) {
        settings[ns++] = argv[a + 1];
        a += 2;
    }
    int is_live = a < argc && !strcmp(argv[a], "--live");
    a += is_live;
    if (argc - a < 2) {
        fprintf(stderr, "usage: recognize [--set KEY=VALUE]... MODEL FILE...\n"
                        "       recognize [--set KEY=VALUE]... --live MODEL RATE\n");
        return 2;
    }
    char err[1024];
    asr_recognizer *r = asr_recognizer_open(argv[a], settings, err, sizeof err);
    if (!r) {
        fprintf(stderr, "recognize: %s\n", err);
        return 1;
    }
    int rc = 0;
    if (is_live) {
        rc = live(r, atoi(argv[a + 1]));
    } else {
        for (int i = a + 1; i < argc; i++) {
            char *words;
            if (asr_recognize_file(r, argv[i], &words) < 0) {
                fprintf(stderr, "recognize: %s\n", asr_recognizer_error(r));
                rc = 1;
                continue;
            }
            printf("%s\t%s\n", argv[i], words);
            asr_free(words);
        }
    }
    asr_recognizer_close(r);
    return rc;
}
