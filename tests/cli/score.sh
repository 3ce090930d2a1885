#!/bin/sh
# score.sh — `asr score`: exact Kaldi-style %WER/%CER/%SER lines for Kaldi text
# and sclite trn inputs, missing hypotheses as deletions, --normalize,
# --details alignment blocks, the --json object, long utterances in bounded
# memory and the token limit, and errors with FILE:LINE and exit codes.
. "${srcdir:-.}/tests/cli/lib.sh"

# expect_line TEXT FILE : FILE must contain the line TEXT exactly.
expect_line() { grep -Fxq -- "$1" "$2" || { cat "$2" >&2; fail "line '$1' not found in $2"; }; }

expect_exit 0 "$ASR" score --help
expect_grep '^usage: asr score' "$T/out"
expect_exit 2 "$ASR" score
expect_exit 2 "$ASR" score "$T/only-one"
expect_exit 2 "$ASR" score --level phones "$T/a" "$T/b"
expect_exit 2 "$ASR" score --frobnicate "$T/a" "$T/b"

# u1: 1 sub + 1 ins; u2: 1 sub, 1 del, 1 ins; u3: correct. N = 4 + 6 + 2 = 12.
printf 'u1 a b c d\nu2 the cat sat on a mat\nu3 one two\n' >"$T/ref"
printf 'u2 the bat sat a mat today\nu1 a x c d e\nu3 one two\n' >"$T/hyp"
expect_exit 0 "$ASR" score "$T/ref" "$T/hyp"
expect_line '%WER 41.67 [ 5 / 12, 2 ins, 1 del, 2 sub ]' "$T/out"
expect_line '%SER 66.67 [ 2 / 3 ]' "$T/out"
expect_line 'Scored 3 sentences, 0 not present in hyp.' "$T/out"
grep -q CER "$T/out" && fail "CER printed without --level char"

# Characters without the spaces: u1 abcd/axcde S1 I1; u2 15 chars vs 18:
# c->b, then "onamat" vs "amattoday" as 4 S + 3 I (substitutions preferred over
# deletion+insertion pairs); u3 0. N = 4 + 15 + 6.
expect_exit 0 "$ASR" score --level both "$T/ref" "$T/hyp"
expect_line '%WER 41.67 [ 5 / 12, 2 ins, 1 del, 2 sub ]' "$T/out"
expect_line '%CER 40.00 [ 10 / 25, 4 ins, 0 del, 6 sub ]' "$T/out"
expect_exit 0 "$ASR" score --level=char "$T/ref" "$T/hyp"
expect_line '%CER 40.00 [ 10 / 25, 4 ins, 0 del, 6 sub ]' "$T/out"
grep -q WER "$T/out" && fail "WER printed with --level char"

# The same hypotheses as an sclite trn file give the same numbers.
printf 'a x c d e (u1)\nthe bat sat a mat today (u2)\none two (u3)\n' >"$T/hyp.trn"
expect_exit 0 "$ASR" score "$T/ref" "$T/hyp.trn"
expect_line '%WER 41.67 [ 5 / 12, 2 ins, 1 del, 2 sub ]' "$T/out"
printf 'a b c d (u1)\nthe cat sat on a mat (u2)\none two (u3)\n' >"$T/ref.trn"
expect_exit 0 "$ASR" score "$T/ref.trn" "$T/hyp"
expect_line '%WER 41.67 [ 5 / 12, 2 ins, 1 del, 2 sub ]' "$T/out"

# A reference utterance without hypothesis: all deletions, and a warning.
printf 'u1 a x c d e\nu2 the bat sat a mat today\n' >"$T/hyp-missing"
expect_exit 0 "$ASR" score "$T/ref" "$T/hyp-missing"
expect_line '%WER 58.33 [ 7 / 12, 2 ins, 3 del, 2 sub ]' "$T/out"
expect_line 'Scored 3 sentences, 1 not present in hyp.' "$T/out"
expect_grep "utterance 'u3' has no hypothesis" "$T/err"

# A hypothesis without reference is an error naming it.
printf 'u1 a b c d\nu9 extra\n' >"$T/hyp-extra"
expect_exit 1 "$ASR" score "$T/ref" "$T/hyp-extra"
expect_grep "hyp-extra:2: utterance 'u9' is not in the reference" "$T/err"

# --normalize: case, punctuation and digits stop counting as errors.
printf 'r1 Room 7, please!\n' >"$T/ref-n"
printf 'r1 room seven please\n' >"$T/hyp-n"
expect_exit 0 "$ASR" score "$T/ref-n" "$T/hyp-n"
expect_line '%WER 100.00 [ 3 / 3, 0 ins, 0 del, 3 sub ]' "$T/out"
expect_exit 0 "$ASR" score --normalize "$T/ref-n" "$T/hyp-n"
expect_line '%WER 0.00 [ 0 / 3, 0 ins, 0 del, 0 sub ]' "$T/out"

# --details: sclite-style aligned blocks, then the totals.
expect_exit 0 "$ASR" score --details "$T/ref" "$T/hyp"
expect_line 'id: (u2)' "$T/out"
expect_line 'Scores: (#C #S #D #I) 4 1 1 1' "$T/out"
expect_line 'REF:  the CAT sat ON  a mat *****' "$T/out"
expect_line 'HYP:  the BAT sat *** a mat TODAY' "$T/out"
expect_line 'REF:  a B c d ***' "$T/out"
expect_line 'HYP:  a X c d E' "$T/out"
expect_line '%WER 41.67 [ 5 / 12, 2 ins, 1 del, 2 sub ]' "$T/out"

# Long utterances in bounded memory: the alignment used to keep an 8-byte cost
# for each of the (N+1)(M+1) cells, 3.2 GB for 20000 x 20000 words. The
# reference is w1..w20000 (all distinct, so the best alignment is forced); the
# hypothesis replaces every 10th word by x (2000 S), drops word 100k+5 (200 D)
# and inserts y after word 100k+55 (200 I), 20000 words too.
awk 'BEGIN { printf "long"; for (i = 1; i <= 20000; i++) printf " w%d", i; printf "\n" }' \
    >"$T/ref-long"
awk 'BEGIN {
  printf "long"
  for (i = 1; i <= 20000; i++) {
    if (i % 100 == 5) continue
    if (i % 10 == 0) printf " x"; else printf " w%d", i
    if (i % 100 == 55) printf " y"
  }
  printf "\n"
}' >"$T/hyp-long"
expect_exit 0 limited 409600 "$ASR" score "$T/ref-long" "$T/hyp-long"
expect_line '%WER 12.00 [ 2400 / 20000, 200 ins, 200 del, 2000 sub ]' "$T/out"
# --details: 20000 x 20000 is past the 2^27-cell path limit, so exact counts
# and a note instead of the aligned lines.
expect_exit 0 limited 409600 "$ASR" score --details "$T/ref-long" "$T/hyp-long"
expect_line 'Scores: (#C #S #D #I) 17800 2000 200 200' "$T/out"
expect_line 'Alignment: not shown, 20000 x 20000 tokens are more than the 134217728-cell limit' \
    "$T/out"
expect_line '%WER 12.00 [ 2400 / 20000, 200 ins, 200 del, 2000 sub ]' "$T/out"

# More than 65536 tokens on a side is refused up front (alignment time grows as
# N * M), naming FILE:LINE, the utterance and the limit, with nothing printed:
# 65537 words in a hypothesis; the 108894 letters of w1..w20000 at --level char.
printf 'u1 a\nu2 b\n' >"$T/ref-2"
awk 'BEGIN { printf "u1 a\nu2"; for (i = 0; i <= 65536; i++) printf " a"; printf "\n" }' \
    >"$T/hyp-huge"
expect_exit 1 "$ASR" score "$T/ref-2" "$T/hyp-huge"
expect_grep "hyp-huge:2: utterance 'u2' has 65537 words, more than the limit of 65536 per utterance" \
    "$T/err"
[ -s "$T/out" ] && fail "output printed for a refused utterance"
expect_exit 1 "$ASR" score --level char "$T/ref-long" "$T/hyp-long"
expect_grep "ref-long:1: utterance 'long' has 108894 characters, more than the limit of 65536" \
    "$T/err"

# Empty references: N = 0 is 0.00 without errors, inf with insertions.
printf 'e1\n' >"$T/ref-empty"
printf 'e1\n' >"$T/hyp-empty"
expect_exit 0 "$ASR" score "$T/ref-empty" "$T/hyp-empty"
expect_line '%WER 0.00 [ 0 / 0, 0 ins, 0 del, 0 sub ]' "$T/out"
expect_line '%SER 0.00 [ 0 / 1 ]' "$T/out"
printf 'e1 uh um\n' >"$T/hyp-ins"
expect_exit 0 "$ASR" score "$T/ref-empty" "$T/hyp-ins"
expect_line '%WER inf [ 2 / 0, 2 ins, 0 del, 0 sub ]' "$T/out"

# --json: the same totals as one JSON object, alone on standard output, for
# scripts; only the levels scored; null where a line says inf.
json_only() { [ "$(wc -l <"$T/out")" -eq 1 ] || { cat "$T/out" >&2; fail "--json printed more than one line"; }; }
expect_exit 0 "$ASR" score --json "$T/ref" "$T/hyp"
json_only
expect_line '{"wer": 41.67, "words": {"ref": 12, "sub": 2, "del": 1, "ins": 2}, "ser": 66.67, "sentences": 3, "sentence_errors": 2, "missing": 0}' "$T/out"
if command -v jq >/dev/null; then
    jq -e '.wer == 41.67 and .words.ins == 2 and .sentences == 3 and (has("cer") | not)' "$T/out" \
        >/dev/null || fail "--json output is not the JSON expected"
fi
expect_exit 0 "$ASR" score --json --level both "$T/ref" "$T/hyp"
expect_line '{"wer": 41.67, "words": {"ref": 12, "sub": 2, "del": 1, "ins": 2}, "cer": 40.00, "chars": {"ref": 25, "sub": 6, "del": 0, "ins": 4}, "ser": 66.67, "sentences": 3, "sentence_errors": 2, "missing": 0}' "$T/out"
expect_exit 0 "$ASR" score --json --level char "$T/ref" "$T/hyp"
expect_line '{"cer": 40.00, "chars": {"ref": 25, "sub": 6, "del": 0, "ins": 4}, "ser": 66.67, "sentences": 3, "sentence_errors": 2, "missing": 0}' "$T/out"
expect_exit 0 "$ASR" score --json "$T/ref" "$T/hyp-missing"
expect_line '{"wer": 58.33, "words": {"ref": 12, "sub": 2, "del": 3, "ins": 2}, "ser": 100.00, "sentences": 3, "sentence_errors": 3, "missing": 1}' "$T/out"
expect_grep "utterance 'u3' has no hypothesis" "$T/err"
expect_exit 0 "$ASR" score --json "$T/ref-empty" "$T/hyp-ins"
expect_line '{"wer": null, "words": {"ref": 0, "sub": 0, "del": 0, "ins": 2}, "ser": 100.00, "sentences": 1, "sentence_errors": 1, "missing": 0}' "$T/out"
expect_exit 2 "$ASR" score --json --details "$T/ref" "$T/hyp"
expect_grep '--details and --json do not go together' "$T/err"

# asr eval --hyps: errors.tsv and report.md name a segment utterance's span
# of its recording (both gave the whole recording's path alone).
mkdir -p "$T/ev/test" "$T/evh"
sox -R -n -r 8000 -b 16 "$T/rec.wav" synth 1.0 sine 300 2>/dev/null || fail "sox missing"
echo "r1 $T/rec.wav" >"$T/ev/test/wav.scp"
printf 'a r1 0 0.4\nb r1 0.4 -1\n' >"$T/ev/test/segments"
printf 'a one two\nb three\n' >"$T/ev/test/text"
printf 'a s\nb s\n' >"$T/ev/test/utt2spk"
printf 'a one too\nb tree\n' >"$T/evh/test.txt"
expect_exit 0 "$ASR" eval --hyps "$T/evh" --data "$T/ev" --splits test --out "$T/evr"
expect_line "$(printf 'split\tid\terrors\tref_words\taudio\tstart\tend\tref\thyp\talignment\tcategory')" \
    "$T/evr/errors.tsv"
[ "$(cut -f 2,5-7 "$T/evr/errors.tsv" | sort)" = "$(printf 'a\t%s\t0\t0.4\nb\t%s\t0.4\t\nid\taudio\tstart\tend' \
    "$T/rec.wav" "$T/rec.wav")" ] || { cat "$T/evr/errors.tsv" >&2; fail "errors.tsv: the segments' spans"; }
expect_grep "^- \`a\` \(s, 1 errors in 2 words, \`$T/rec.wav\` 0-0.4 s\)" "$T/evr/report.md"
expect_grep "^- \`b\` \(s, 1 errors in 1 words, \`$T/rec.wav\` from 0.4 s\)" "$T/evr/report.md"
expect_exit 0 "$ASR" eval --tally "$T/evr/errors.tsv"

# Bad input: FILE:LINE and exit 1.
printf 'u1 a\nu2 b\nu1 c\n' >"$T/ref-dup"
expect_exit 1 "$ASR" score "$T/ref-dup" "$T/hyp"
expect_grep "ref-dup:3: duplicate utterance id 'u1' \(first on line 1\)" "$T/err"
expect_exit 1 "$ASR" score "$T/ref" "$T/no-such-file"
expect_grep "no-such-file: cannot open" "$T/err"
printf 'a b (u1)\nc d\n' >"$T/bad.trn"
expect_exit 1 "$ASR" score "$T/ref" "$T/bad.trn"
expect_grep "bad.trn:2: expected 'words ... \(uttid\)'" "$T/err"
printf 'u1 a b c d\n\nu2 x\n' >"$T/blank"
expect_exit 1 "$ASR" score "$T/blank" "$T/hyp"
expect_grep "blank:2: empty line" "$T/err"
expect_exit 1 "$ASR" score "$T/ref" "$T"
expect_grep "is a directory" "$T/err"
# The line reader's refusals come out as errors naming FILE:LINE.
printf 'u1 a\nu2 b\0c\n' >"$T/nul"
expect_exit 1 "$ASR" score "$T/nul" "$T/hyp"
expect_grep "nul:2: NUL byte" "$T/err"
# --against: the change of WER against another hypothesis file, paired
# over utterances. 40 utterances; B gets 10 of A's 20 errors right: -12.5
# points, sure; against itself: no change, an interval of 0.
awk 'BEGIN { for (i = 0; i < 40; i++) printf "v%02d one two\n", i }' >"$T/r40"
awk '{ print $1, (NR % 2 ? "one two" : "one six") }' "$T/r40" >"$T/ha"
awk '{ print $1, (NR % 4 == 2 ? "one six" : "one two") }' "$T/r40" >"$T/hb"
expect_exit 0 "$ASR" score --json --against "$T/ha" "$T/r40" "$T/hb"
grep -q '"wer": 12.50, .*"against": {"wer": 25.00, "change": -12.50, "lo": -[0-9.]*, "hi": -[0-9.]*, "p": 0.0' "$T/out" ||
    { cat "$T/out" >&2; fail "score --against: expected -12.50 points, surely (interval below 0)"; }
expect_exit 0 "$ASR" score --json --against "$T/hb" "$T/r40" "$T/hb"
expect_grep '"against": \{"wer": 12.50, "change": 0.00, "lo": 0.00, "hi": 0.00, "p": 1.0000\}' "$T/out"
expect_exit 0 "$ASR" score --against "$T/ha" "$T/r40" "$T/hb"
expect_grep '^%WER change against .*ha \(25.00\): -12.50 points \[' "$T/out"
expect_exit 2 "$ASR" score --level char --against "$T/ha" "$T/r40" "$T/hb"
expect_exit 1 "$ASR" score --against "$T/nosuch" "$T/r40" "$T/hb"
expect_grep "nosuch" "$T/err"
awk 'BEGIN { printf "u1 "; for (i = 0; i < 300000; i++) printf "abc "; printf "\n" }' >"$T/huge-line"
expect_exit 1 "$ASR" score "$T/ref" "$T/huge-line"
expect_grep "huge-line:1: line longer than" "$T/err"
exit 0
