/* lexicon.c — CMUdict reading/writing and the espeak-ng -> ARPAbet table. */
#include "lexicon.h"

#include "alloc.h"
#include "error.h"
#include "fileio.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *const lexicon_phones[LEXICON_NUM_PHONES] = {
    "AA", "AE", "AH", "AO", "AW", "AY", "B",  "CH", "D", "DH", "EH", "ER", "EY",
    "F",  "G",  "HH", "IH", "IY", "JH", "K",  "L",  "M", "N",  "NG", "OW", "OY",
    "P",  "R",  "S",  "SH", "T",  "TH", "UH", "UW", "V", "W",  "Y",  "Z",  "ZH"};

int lexicon_phone_index(const char *phone)
{
    char p[4];
    size_t n = strlen(phone);
    if (n > 0 && isdigit((unsigned char)phone[n - 1])) n--; /* stress */
    if (n < 1 || n > 2) return -1;
    for (size_t i = 0; i < n; i++) p[i] = (char)toupper((unsigned char)phone[i]);
    p[n] = 0;
    for (int i = 0; i < LEXICON_NUM_PHONES; i++)
        if (!strcmp(p, lexicon_phones[i])) return i;
    return -1;
}

/* Position of WORD in the sorted entries, or where it would go (*found = 0). */
static int find_pos(const lexicon *lex, const char *word, int *found)
{
    int lo = 0, hi = lex->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (strcmp(lex->e[mid].word, word) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < lex->n && !strcmp(lex->e[lo].word, word);
    return lo;
}

const lexicon_entry *lexicon_lookup(const lexicon *lex, const char *word)
{
    int found, i = find_pos(lex, word, &found);
    return found ? &lex->e[i] : NULL;
}

void lexicon_add(lexicon *lex, const char *word, const int *pron, int len)
{
    int found, i = find_pos(lex, word, &found);
    if (!found) {
        lex->e = xrealloc(lex->e, (size_t)(lex->n + 1) * sizeof *lex->e);
        memmove(&lex->e[i + 1], &lex->e[i], (size_t)(lex->n - i) * sizeof *lex->e);
        lex->e[i] = (lexicon_entry){xstrdup(word), 0, NULL, NULL};
        lex->n++;
    }
    lexicon_entry *e = &lex->e[i];
    for (int k = 0; k < e->npron; k++)
        if (e->pron_len[k] == len && !memcmp(e->pron[k], pron, (size_t)len * sizeof *pron)) return;
    e->pron_len = xrealloc(e->pron_len, (size_t)(e->npron + 1) * sizeof *e->pron_len);
    e->pron = xrealloc(e->pron, (size_t)(e->npron + 1) * sizeof *e->pron);
    e->pron[e->npron] = xmalloc((size_t)(len ? len : 1) * sizeof *pron);
    memcpy(e->pron[e->npron], pron, (size_t)len * sizeof *pron);
    e->pron_len[e->npron++] = len;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int read_lines(line_reader lr, const char *path, const char *const *wanted, int nwanted,
                      lexicon *lex)
{
    memset(lex, 0, sizeof *lex);
    char *line, *f[256];
    int pron[256], rc = 0;
    /* Errors are recorded before the reader is closed: the fields point into
     * its line buffer. */
    while (rc == 0 && (line = line_reader_next(&lr))) {
        if (!strncmp(line, ";;;", 3)) continue;
        int nf = split_fields(line, f, 256);
        if (nf == 0) continue;
        if (nf == 256) {
            rc = asr_error("%s:%ld: pronunciation too long", path, lr.lineno);
            break;
        }
        /* "word(2)" -> "word"; lowercase */
        char *w = f[0];
        size_t wl = strlen(w);
        if (wl > 3 && w[wl - 1] == ')') {
            char *open = strrchr(w, '(');
            if (open && open > w) *open = 0;
        }
        for (char *p = w; *p; p++) *p = (char)tolower((unsigned char)*p);
        if (wanted && !bsearch(&w, wanted, (size_t)nwanted, sizeof *wanted, cmp_str)) continue;
        if (nf < 2) {
            rc = asr_error("%s:%ld: '%s' has no pronunciation", path, lr.lineno, w);
            break;
        }
        int len = 0;
        for (int k = 1; k < nf && rc == 0; k++) {
            if (f[k][0] == '#') break; /* a trailing comment, as some dictionaries have */
            int ph = lexicon_phone_index(f[k]);
            if (ph < 0)
                rc = asr_error("%s:%ld: '%s': '%s' is not one of the 39 ARPAbet phones", path,
                               lr.lineno, w, f[k]);
            pron[len++] = ph;
        }
        if (rc == 0) lexicon_add(lex, w, pron, len);
    }
    line_reader_close(&lr);
    if (rc) lexicon_free(lex);
    return rc;
}

int lexicon_read(const char *path, const char *const *wanted, int nwanted, lexicon *lex)
{
    line_reader lr;
    if (line_reader_open(&lr, path)) return -1;
    return read_lines(lr, path, wanted, nwanted, lex);
}

int lexicon_read_text(const char *text, const char *name, lexicon *lex)
{
    line_reader lr;
    if (line_reader_open_text(&lr, text, name)) return -1;
    return read_lines(lr, name, NULL, 0, lex);
}

int lexicon_write(const char *path, const lexicon *lex)
{
    atomic_file af;
    if (atomic_file_open(&af, path, "w")) return -1;
    lexicon_print(af.fp, lex);
    return atomic_file_commit(&af);
}

void lexicon_print(FILE *out, const lexicon *lex)
{
    for (int i = 0; i < lex->n; i++) {
        const lexicon_entry *e = &lex->e[i];
        for (int k = 0; k < e->npron; k++) {
            if (k)
                fprintf(out, "%s(%d)", e->word, k + 1);
            else
                fputs(e->word, out);
            for (int j = 0; j < e->pron_len[k]; j++)
                fprintf(out, " %s", lexicon_phones[e->pron[k][j]]);
            fputc('\n', out);
        }
    }
}

void lexicon_free(lexicon *lex)
{
    for (int i = 0; i < lex->n; i++) {
        for (int k = 0; k < lex->e[i].npron; k++) free(lex->e[i].pron[k]);
        free(lex->e[i].pron);
        free(lex->e[i].pron_len);
        free(lex->e[i].word);
    }
    free(lex->e);
    memset(lex, 0, sizeof *lex);
}

/* espeak-ng's English phoneme mnemonics (phsource/ph_english, en-us) and
 * their ARPAbet equivalents, longest symbols first so that a greedy
 * longest match tokenises "aI@" before "aI" before "a". R-coloured vowels
 * (e@ i@ U@ A@ O@ o@ and the schwa-final diphthongs) become vowel + R; an R
 * directly after ER or R is then dropped (espeak writes "3r" and "i@r"
 * where CMUdict has one R). Marks carrying no phone: ' , (stress), % =
 * (secondary/unstressed), ; (palatalised) ^, _ : ! | (pauses, length, separators), # as a
 * suffix is part of the symbol (t#, a#, I#) and handled by the table. */
static const struct {
    const char *esp, *arpa;
} espeak_map[] = {
    {"aI@", "AY ER"}, {"aI3", "AY ER"}, {"aU@", "AW ER"}, {"aU3", "AW ER"}, {"i@3", "IH R"},
    {"e@", "EH R"},   {"i@", "IH R"},   {"U@", "UH R"},   {"A@", "AA R"},   {"O@", "AO R"},
    {"o@", "AO R"},   {"3:", "ER"},     {"@L", "AH L"},   {"a#", "AE"},     {"aa", "AE"},
    {"aI", "AY"},     {"aU", "AW"},     {"A:", "AA"},     {"eI", "EY"},     {"i:", "IY"},
    {"I#", "IH"},     {"oU", "OW"},     {"OI", "OY"},     {"oI", "OY"},     {"O:", "AO"},
    {"u:", "UW"},     {"dZ", "JH"},     {"tS", "CH"},     {"t#", "T"},      {"d#", "D"},
    {"n-", "N"},      {"l-", "L"},      {"m-", "M"},      {"r-", "R"},      {"3", "ER"},
    {"@", "AH"},      {"a", "AE"},      {"A", "AA"},      {"E", "EH"},      {"e", "EH"},
    {"I", "IH"},      {"i", "IY"},      {"O", "AO"},      {"0", "AA"},      {"V", "AH"},
    {"U", "UH"},      {"u", "UW"},      {"b", "B"},       {"d", "D"},       {"D", "DH"},
    {"f", "F"},       {"g", "G"},       {"h", "HH"},      {"j", "Y"},       {"k", "K"},
    {"l", "L"},       {"m", "M"},       {"n", "N"},       {"N", "NG"},      {"p", "P"},
    {"r", "R"},       {"s", "S"},       {"S", "SH"},      {"t", "T"},       {"T", "TH"},
    {"v", "V"},       {"w", "W"},       {"x", "K"},       {"z", "Z"},       {"Z", "ZH"},
    {"?", ""},
};

int lexicon_espeak_to_arpabet(const char *espeak, int *out, int max)
{
    int n = 0;
    int R = lexicon_phone_index("R"), ER = lexicon_phone_index("ER");
    const char *p = espeak;
    while (*p) {
        /* Marks, and the variant digits 2 and 5 that follow some vowels
         * ("O2", "@5"): none is a phone ("3" and "0" are, and are mapped). */
        if (strchr("',%=_:!|;^25 \t\n", *p)) {
            p++;
            continue;
        }
        size_t best = 0;
        const char *arpa = NULL;
        for (size_t k = 0; k < sizeof espeak_map / sizeof *espeak_map; k++) {
            size_t len = strlen(espeak_map[k].esp);
            if (len > best && !strncmp(p, espeak_map[k].esp, len)) {
                best = len;
                arpa = espeak_map[k].arpa;
            }
        }
        if (!best)
            return asr_error("espeak phonemes '%s': no ARPAbet mapping for '%c'", espeak, *p);
        p += best;
        char buf[16];
        snprintf(buf, sizeof buf, "%s", arpa);
        for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok;
             tok = strtok_r(NULL, " ", &save)) {
            int ph = lexicon_phone_index(tok);
            if (ph == R && n > 0 && (out[n - 1] == R || out[n - 1] == ER)) continue;
            if (n == max) return asr_error("espeak phonemes '%s': too many phones", espeak);
            out[n++] = ph;
        }
    }
    return n;
}
