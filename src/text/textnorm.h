/* textnorm.h — the one text normaliser every recipe and `asr score
 * --normalize` use, so transcripts, LM text and lexicon words agree.
 *
 * Output: lowercase words of [a-z'] separated by single spaces. Rules, in order:
 *   - ASCII letters are lowercased; other bytes that are not digits, letters,
 *     apostrophes or the symbols below are word separators (punctuation dropped,
 *     hyphens and slashes split words: "voice-mail" -> "voice mail").
 *   - An apostrophe survives only between two letters ("don't", "o'clock");
 *     quotes around words are dropped.
 *   - A number to dial is read digit by digit, its separators silent: digit
 *     groups joined by hyphens ("555-1212" -> "five five five one two one
 *     two", "1-800-555-0199"), or by dots when there are three groups or more
 *     ("555.123.4567"; two are a decimal), and the digits after a
 *     parenthesised group ("(555) 123-4567"): how phone numbers are written,
 *     and counts and amounts are not.
 *   - Other numbers are spelled out: cardinals up to 999,999,999 ("1,234" -> "one
 *     thousand two hundred thirty four"); ordinals "1st" "22nd" "3rd" "4th" ->
 *     "first" "twenty second" …; decimals "2.5" -> "two point five"; a number
 *     with a leading zero or more than nine digits is read digit by digit
 *     ("007" -> "zero zero seven", phone numbers); "%" -> "percent", "&" ->
 *     "and", "+" -> "plus", "#" -> "pound" (as on a telephone keypad), "*" ->
 *     "star" (likewise), "@" -> "at", "$5" -> "five dollars".
 */
#ifndef ASR_TEXTNORM_H
#define ASR_TEXTNORM_H

/* Normalise IN; returns a new string ("" when nothing is left). */
char *textnorm_normalize(const char *in);

#endif
