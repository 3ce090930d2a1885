/* lexicon.c — CMUdict reading/writing and the espeak-ng -> ARPAbet table. */
#include "text/lexicon.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/utf8.h"
#include "base/fileio.h"

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

/* Limits of a lexicon read from a file: the longest pronunciation of
 * CMUdict (pocketsphinx's en-us, 135k lines) has 28 phones, its most
 * alternates of one word are 4; anything far beyond is damage or
 * hostility, refused with the line rather than paid for in time or memory. */
#define MAX_PRON_LEN      64
#define MAX_WORD_PRONS    64
#define MAX_LEXICON_PRONS (1 << 22)

/* One pronunciation line as read, before the entries are built. */
typedef struct {
    char *word;
    int *pron, len;
    long line; /* where it was read, and its rank among equal words */
} pron_line;

static int by_word_then_line(const void *a, const void *b)
{
    const pron_line *x = a, *y = b;
    int c = strcmp(x->word, y->word);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Where the alternate mark "(digits)" at the end of W starts, or -1: only
 * a parenthesised number after at least one character is one ("(paren",
 * "word(" and "(2)" are words). */
static long alternate_mark(const char *w)
{
    size_t n = strlen(w);
    if (n < 4 || w[n - 1] != ')') return -1;
    size_t i = n - 1;
    while (i > 0 && isdigit((unsigned char)w[i - 1])) i--;
    if (i == n - 1 || i < 2 || w[i - 1] != '(') return -1;
    return (long)i - 1;
}

/* Read the lines, then build the entries in one sort: inserting entry by
 * entry into the sorted array would cost O(N^2) on a reverse-sorted file. */
static int read_lines(line_reader lr, const char *path, const char *const *wanted, int nwanted,
                      lexicon *lex)
{
    memset(lex, 0, sizeof *lex);
    char *line, *f[MAX_PRON_LEN + 2];
    int pron[MAX_PRON_LEN], rc = 0;
    pron_line *all = NULL;
    size_t n = 0, cap = 0;
    /* Errors are recorded before the reader is closed: the fields point into
     * its line buffer. */
    while (rc == 0 && (line = line_reader_next(&lr))) {
        /* One field more than a word and its longest pronunciation. */
        int nf = split_fields(line, f, MAX_PRON_LEN + 2);
        /* A ";;;" comment, also behind blanks: a "word" spelt so would print
         * as a comment, and read back as nothing (found by fuzz_lexicon). */
        if (nf == 0 || !strncmp(f[0], ";;;", 3)) continue;
        /* "word(2)" -> "word". A word that ends in such a mark itself
         * ("a(1)(2)") cannot be written back (lexicon_print) so as to read
         * as itself: refused. */
        char *w = f[0];
        long mark = alternate_mark(w);
        if (mark >= 0) w[mark] = '\0';
        if (alternate_mark(w) >= 0) {
            rc = asr_error("%s:%ld: word '%s' ends in an alternate pronunciation's mark '(N)'",
                           path, lr.lineno, asr_quote(w));
            break;
        }
        for (char *p = w; *p; p++) *p = (char)tolower((unsigned char)*p);
        if (wanted && !bsearch(&w, wanted, (size_t)nwanted, sizeof *wanted, cmp_str)) continue;
        int len = 0;
        for (int k = 1; k < nf && rc == 0; k++) {
            if (f[k][0] == '#') break; /* a trailing comment, as some dictionaries have */
            if (len == MAX_PRON_LEN) {
                rc = asr_error("%s:%ld: '%s': pronunciation longer than %d phones", path, lr.lineno,
                               asr_quote(w), MAX_PRON_LEN);
                break;
            }
            /* CMUdict's stress marks are 0, 1 and 2. */
            size_t pl = strlen(f[k]);
            char last = f[k][pl - 1];
            int ph = lexicon_phone_index(f[k]);
            if (ph < 0 || (isdigit((unsigned char)last) && last > '2'))
                rc = asr_error("%s:%ld: '%s': '%s' is not one of the 39 ARPAbet phones "
                               "(with stress 0, 1 or 2)",
                               path, lr.lineno, asr_quote(w), asr_quote(f[k]));
            pron[len++] = ph;
        }
        if (rc) break;
        if (len == 0) {
            rc = asr_error("%s:%ld: '%s' has no pronunciation", path, lr.lineno, asr_quote(w));
            break;
        }
        if (n == MAX_LEXICON_PRONS) {
            rc = asr_error("%s:%ld: more than %d pronunciations in one lexicon", path, lr.lineno,
                           MAX_LEXICON_PRONS);
            break;
        }
        if (n == cap) all = xrealloc(all, (cap = cap ? 2 * cap : 1024) * sizeof *all);
        all[n].word = xstrdup(w);
        all[n].pron = xmalloc((size_t)len * sizeof *pron);
        memcpy(all[n].pron, pron, (size_t)len * sizeof *pron);
        all[n].len = len;
        all[n].line = lr.lineno;
        n++;
    }
    if (rc == 0 && line_reader_error(&lr) < 0) rc = -1; /* the message names FILE:LINE */
    line_reader_close(&lr);
    /* Sorted by word, each word's pronunciations in file order (the first
     * is the primary one); equal pronunciations of a word kept once. */
    if (rc == 0 && n) qsort(all, n, sizeof *all, by_word_then_line);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        pron_line *p = &all[i];
        lexicon_entry *e = lex->n ? &lex->e[lex->n - 1] : NULL;
        if (!e || strcmp(e->word, p->word)) {
            if (lex->n % 1024 == 0)
                lex->e = xrealloc(lex->e, ((size_t)lex->n + 1024) * sizeof *lex->e);
            e = &lex->e[lex->n++];
            *e = (lexicon_entry){p->word, 0, NULL, NULL};
            p->word = NULL;
        }
        int dup = 0;
        for (int k = 0; k < e->npron && !dup; k++)
            dup = e->pron_len[k] == p->len &&
                  !memcmp(e->pron[k], p->pron, (size_t)p->len * sizeof *p->pron);
        if (dup) continue;
        if (e->npron == MAX_WORD_PRONS) {
            rc = asr_error("%s:%ld: '%s': more than %d pronunciations", path, p->line,
                           asr_quote(e->word), MAX_WORD_PRONS);
            break;
        }
        e->pron_len = xrealloc(e->pron_len, (size_t)(e->npron + 1) * sizeof *e->pron_len);
        e->pron = xrealloc(e->pron, (size_t)(e->npron + 1) * sizeof *e->pron);
        e->pron[e->npron] = p->pron;
        e->pron_len[e->npron++] = p->len;
        p->pron = NULL;
    }
    for (size_t k = 0; k < n; k++) {
        free(all[k].word);
        free(all[k].pron);
    }
    free(all);
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

int lexicon_write(const io_set *io, const char *path, const lexicon *lex)
{
    atomic_file af;
    if (atomic_file_open(&af, io, path, "w")) return -1;
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
        if (!best) {
            char ch[5];
            utf8_char(p, ch);
            return asr_error("espeak phonemes '%s': no ARPAbet mapping for '%s'", asr_quote(espeak),
                             asr_quote(ch));
        }
        p += best;
        char buf[16];
        snprintf(buf, sizeof buf, "%s", arpa);
        for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok;
             tok = strtok_r(NULL, " ", &save)) {
            int ph = lexicon_phone_index(tok);
            if (ph == R && n > 0 && (out[n - 1] == R || out[n - 1] == ER)) continue;
            if (n == max)
                return asr_error("espeak phonemes '%s': too many phones", asr_quote(espeak));
            out[n++] = ph;
        }
    }
    return n;
}
