/* alphabet.c — output alphabets, spelling and phone lookup; see alphabet.h. */
#include "text/alphabet.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const char_names[ALPHABET_NUM_CHARS] = {
    "<blk>", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",      "n",
    "o",     "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "'", "<space>"};

int alphabet_size(alphabet_kind k)
{
    return k == ALPHABET_CHARS ? ALPHABET_NUM_CHARS : ALPHABET_NUM_PHONES;
}

const char *alphabet_symbol(alphabet_kind k, int id)
{
    if (id < 0 || id >= alphabet_size(k)) return NULL;
    if (k == ALPHABET_CHARS) return char_names[id];
    return id ? lexicon_phones[id - 1] : "<blk>";
}

char *alphabet_table(alphabet_kind k)
{
    size_t len = 1;
    for (int i = 0; i < alphabet_size(k); i++) len += strlen(alphabet_symbol(k, i)) + 1;
    char *buf = xmalloc(len), *w = buf;
    for (int i = 0; i < alphabet_size(k); i++) w += sprintf(w, "%s\n", alphabet_symbol(k, i));
    *w = '\0';
    return buf;
}

int alphabet_check(alphabet_kind k, const char *table, const char *who)
{
    if (!table) return asr_error("model has no symbol table");
    const char *s = table;
    for (int i = 0; i < alphabet_size(k); i++) {
        const char *name = alphabet_symbol(k, i);
        size_t n = strlen(name);
        if (strncmp(s, name, n) != 0 || s[n] != '\n')
            return asr_error("model's symbol table does not match the %s pipeline's (symbol %d)",
                             who, i);
        s += n + 1;
    }
    if (*s) return asr_error("model's symbol table has more symbols than the %s pipeline's", who);
    return 0;
}

static int char_symbol(int c)
{
    if (c >= 'a' && c <= 'z') return 1 + c - 'a';
    if (c == '\'') return ALPHABET_APOS;
    if (c == ' ') return ALPHABET_SPACE;
    return -1;
}

int alphabet_is_marker(const char *w, size_t len)
{
    return len >= 3 && w[0] == '<' && w[len - 1] == '>';
}

/* The length of the word at W (up to a space, a tab or the end). */
static size_t word_len(const char *w)
{
    return strcspn(w, " \t");
}

char *alphabet_strip_markers(const char *text)
{
    char *out = xmalloc(strlen(text) + 1), *o = out;
    for (const char *w = text; *w;) {
        if (*w == ' ' || *w == '\t') {
            w++;
            continue;
        }
        size_t n = word_len(w);
        if (!alphabet_is_marker(w, n)) {
            if (o > out) *o++ = ' ';
            memcpy(o, w, n);
            o += n;
        }
        w += n;
    }
    *o = '\0';
    return out;
}

int alphabet_spell(const corpus_utt *u, int *out, int cap, const char *who)
{
    int n = 0, pending_space = 0;
    for (const char *c = u->text; *c; c++) {
        if (*c == ' ' || *c == '\t') {
            pending_space = n > 0;
            continue;
        }
        /* A marker at a word's start: no symbols, and no second space. */
        size_t len = c == u->text || c[-1] == ' ' || c[-1] == '\t' ? word_len(c) : 0;
        if (len && alphabet_is_marker(c, len)) {
            c += len - 1;
            continue;
        }
        int s = char_symbol(*c);
        if (s < 0) {
            char ch[5]; /* the whole character, not its first byte (half of an 'é') */
            utf8_char(c, ch);
            return asr_error("utterance %s: character '%s' is not in the %s pipeline's alphabet "
                             "(a-z, ', space); normalise the text",
                             u->id, asr_quote(ch), who);
        }
        if (n + pending_space + 1 > cap)
            return asr_error("utterance %s: transcript longer than %d symbols", u->id, cap);
        if (pending_space) out[n++] = ALPHABET_SPACE;
        pending_space = 0;
        out[n++] = s;
    }
    return n;
}

void alphabet_unspell(const int *sym, int n, char **words, char **units)
{
    *words = xmalloc((size_t)n + 1);
    *units = xmalloc((size_t)n * 8 + 1);
    char *w = *words, *u = *units;
    for (int i = 0; i < n; i++) {
        if (sym[i] == ALPHABET_SPACE) {
            if (w > *words && w[-1] != ' ') *w++ = ' ';
        } else {
            *w++ = sym[i] == ALPHABET_APOS ? '\'' : (char)('a' + sym[i] - 1);
        }
        u += sprintf(u, "%s%s", i ? " " : "", char_names[sym[i]]);
    }
    if (w > *words && w[-1] == ' ') w--;
    *w = '\0';
    *u = '\0';
}

int alphabet_phones(const lexicon *lex, const corpus_utt *u, int *out, int cap)
{
    int n = 0;
    if (u->phones) {
        char *copy = xstrdup(u->phones), *save = NULL;
        for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
            int ph = lexicon_phone_index(t);
            if (ph < 0 || n == cap) {
                free(copy);
                return asr_error("utterance %s: %s", u->id,
                                 ph < 0 ? "a phone outside the 39 ARPAbet phones in its phones line"
                                        : "phone sequence too long");
            }
            out[n++] = ph + 1;
        }
        free(copy);
        return n;
    }
    char *copy = xstrdup(u->text), *save = NULL;
    for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (alphabet_is_marker(w, strlen(w))) continue;
        const lexicon_entry *e = lexicon_lookup(lex, w);
        if (!e || n + e->pron_len[0] > cap) {
            asr_error("utterance %s: %s '%s'", u->id,
                      e ? "too many phones at" : "word not in the lexicon:", w);
            free(copy);
            return e ? -1 : ALPHABET_OOV;
        }
        for (int j = 0; j < e->pron_len[0]; j++) out[n++] = e->pron[0][j] + 1;
    }
    free(copy);
    return n;
}
