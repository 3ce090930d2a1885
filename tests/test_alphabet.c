/* test_alphabet.c — src/text/alphabet.c: transcripts into the pipelines'
 * symbols, and markers (<noise>, <unk>: audio with no word of the
 * vocabulary) that give no symbol, so an utterance of markers only trains
 * as all blank. */
#include <check.h>

#include "text/alphabet.h"
#include "text/lexicon.h"

#include <stdlib.h>
#include <string.h>

static int spell(const char *text, int *out, int cap)
{
    corpus_utt u = {.id = "u", .text = (char *)text};
    return alphabet_spell(&u, out, cap, "direct");
}

START_TEST(spelling_skips_markers)
{
    int a[64], b[64];
    int n = spell("no go", a, 64);
    ck_assert_int_eq(n, 5); /* n o <space> g o */
    ck_assert_int_eq(a[2], ALPHABET_SPACE);
    /* Markers anywhere give the same symbols: no letter, no extra space. */
    const char *with[] = {"<noise> no go", "no <unk> go", "no go <music>", "<a>  no\t<b> go <c>"};
    for (size_t k = 0; k < sizeof with / sizeof with[0]; k++) {
        ck_assert_int_eq(spell(with[k], b, 64), n);
        ck_assert_mem_eq(a, b, (size_t)n * sizeof(int));
    }
    ck_assert_int_eq(spell("<noise>", b, 64), 0);
    ck_assert_int_eq(spell("<noise> <music>", b, 64), 0);
    /* Not markers: still refused as characters outside the alphabet. */
    ck_assert_int_lt(spell("<>", b, 64), 0);
    ck_assert_int_lt(spell("no<unk>", b, 64), 0);
    ck_assert_int_lt(spell("<unk", b, 64), 0);
}
END_TEST

START_TEST(phones_skip_markers)
{
    lexicon lex;
    ck_assert_int_eq(lexicon_read_text("no N OW\ngo G OW\n", "test lexicon", &lex), 0);
    int ph[16];
    corpus_utt u = {.id = "u", .text = "<noise> no <unk> go"};
    ck_assert_int_eq(alphabet_phones(&lex, &u, ph, 16), 4);
    ck_assert_str_eq(alphabet_symbol(ALPHABET_PHONES, ph[0]), "N");
    ck_assert_str_eq(alphabet_symbol(ALPHABET_PHONES, ph[3]), "OW");
    u.text = "<noise>";
    ck_assert_int_eq(alphabet_phones(&lex, &u, ph, 16), 0);
    u.text = "no <unk";
    ck_assert_int_eq(alphabet_phones(&lex, &u, ph, 16), ALPHABET_OOV);
    lexicon_free(&lex);
}
END_TEST

START_TEST(stripping_markers_leaves_the_words)
{
    const char *cases[][2] = {{"<noise> one  two <unk>", "one two"},
                              {"<noise>", ""},
                              {"", ""},
                              {"one<x> <>", "one<x> <>"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *s = alphabet_strip_markers(cases[k][0]);
        ck_assert_str_eq(s, cases[k][1]);
        free(s);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("alphabet");
    TCase *tc = tcase_create("alphabet");
    tcase_add_test(tc, spelling_skips_markers);
    tcase_add_test(tc, phones_skip_markers);
    tcase_add_test(tc, stripping_markers_leaves_the_words);
    suite_add_tcase(s, tc);
    return s;
}
