#!/usr/bin/env bash
# report_html.sh — the HTML report of `asr compare`, as a browser shows it.
# Two tiny direct models are trained on synthetic audio (so they have
# log.tsv training curves), compared with a learning-curve TSV, and
# report.html is loaded in headless Chromium (tests/cli/browser.sh). In the
# rendered page: no request but the page itself (and the browser's own
# data: icons), no console message, no exception, no error or warning from
# the browser; every chart is laid out within the page and draws its data
# (the marks have size, inside the chart); every chart's marks are
# report.json's numbers: a bar per model and split at the height of its
# WER, a bar per model and speaker of each analysed split, a stacked
# segment per part of each model's error decomposition, a heat-map cell per
# non-zero count of each model's confusion matrix, a point per epoch and per
# curve point; every embedded audio player loads and is as long as its
# utterance, one per worst utterance of report.json; a chart without data
# is replaced by a sentence saying so. Broken copies of the report (a script
# error, a console message, a missing resource, an invalid SVG attribute, a
# chart emptied of its marks, a changed count, broken audio, a chart wider
# than the page, an external URL) must each be rejected.
. "${srcdir:-.}/tests/cli/lib.sh"
. "${srcdir:-.}/tests/cli/browser.sh"
command -v "$BROWSER" >/dev/null || { echo "skip: $BROWSER not installed"; exit 77; }

# ---- fixture: four splits of three "words" (lib.sh's sweep_split) ----
sweep_split "$T/data/train" 1 9 0.4
for s in train_dev dev test; do sweep_split "$T/data/$s" 1 4 0.4; done
# Two models that learn at different speeds: a few hundred parameters, 8 epochs,
# decoded greedily (search_sweep=0: a beam with the character LM would make
# both perfect, and the bars would have no errors to draw).
for m in big:32:0.03 small:16:0.01; do
    IFS=: read -r name channels lr <<<"$m"
    expect_exit 0 "$ASR" train --pipeline direct --train "$T/data/train" --valid "$T/data/train_dev" \
        --out "$T/$name" --layers "conv $channels 3 2 1;relu 20;affine out" --epochs 8 --warmup 0 \
        --lr "$lr" --batch-frames 1000 --set specaug=0 --set search_sweep=0 --threads 1 --quiet
done
# Learning-curve points, out of order (the chart sorts them by size).
printf 'series\tsize\twer\nstaged\t400\t21.5\nstaged\t100\t40\nstaged\t200\t30\n' >"$T/curve.tsv"
printf 'direct\t100\t80\ndirect\t200\t55\ndirect\t400\t33\n' >>"$T/curve.tsv"
expect_exit 0 "$ASR" compare --data "$T/data" --out "$T/cmp" --curve "$T/curve.tsv" --bayes 0 --max-rtf 1 \
    big="$T/big/final.mdl" small="$T/small/final.mdl"
R=$T/cmp/report.html
[ -s "$R" ] || fail "no $R"
# A learning-curve line that cannot go on the chart is refused, named.
printf 'staged 100 30\nstaged 0 20\n' >"$T/bad-curve.tsv"
expect_exit 1 "$ASR" compare --data "$T/data" --out "$T/cmp-bad" --curve "$T/bad-curve.tsv" \
    big="$T/big/final.mdl"
expect_grep "bad-curve.tsv:2: expected 'SERIES SIZE WER' with SIZE > 0" "$T/err"
[ ! -e "$T/cmp-bad/report.html" ] || fail "a refused compare wrote a report"

# ---- the checks ----
# self_contained FILE: prints every reference to something outside FILE. The
# SVG namespace name is an identifier no browser fetches, the one URL
# allowed; audio is allowed only as a data: URI of base64 WAV in the page.
self_contained() {
    sed -e "s|xmlns='http://www.w3.org/2000/svg'||g" \
        -e "s|<audio controls preload='metadata' data-id='[^']*' data-seconds='[0-9.]*' src='data:audio/wav;base64,[A-Za-z0-9+/=]*'></audio>||g" "$1" |
        grep -Eno "(https?|ftp|file):|(src|href|srcset)=|url\(|@import|<(script|link|iframe|object|embed|img|audio|video|source|base)[ >]"
}

# What the page's JavaScript sees, as lines of printable ASCII:
#   svg ID WxH TAG=COUNT.. drawn=N fits|overflows
#                          per <svg>: its marks by tag, how many have size
#                          (a line: length; a bar of value 0: none needed),
#                          are painted and lie inside the chart; whether it
#                          lies within the page's body
#   mark ID TITLE          per titled mark of chart ID (its tooltip)
#   scale ID to-scale|off-scale ...  bars and segments: heights proportional
#                          to the number ending their titles
#   textout ID N           N texts of chart ID (labels, values, legend) that
#                          reach outside it (only when N > 0)
#   split ID NAME          the split a per-speaker chart is of
#   audio ID STATE length-ok|length-off|error
#                          per <audio>, once it has loaded its metadata (or
#                          failed, or 5 s passed): its utterance, readyState,
#                          and whether its duration is data-seconds
#   nodata ID TEXT         per chart replaced by a sentence
CHECK=$(
    cat <<'EOF'
(async function () {
  var out = [], page = document.body.getBoundingClientRect();
  var svgs = document.querySelectorAll('svg');
  for (var i = 0; i < svgs.length; i++) {
    var svg = svgs[i], box = svg.getBoundingClientRect(), count = {}, drawn = 0;
    var marks = svg.querySelectorAll('.mark'), bars = [], top = 0, off = [];
    for (var j = 0; j < marks.length; j++) {
      var e = marks[j], b = e.getBBox(), r = e.getBoundingClientRect(), tag = e.tagName;
      var st = getComputedStyle(e);
      count[tag] = (count[tag] || 0) + 1;
      var size = tag === 'polyline' ? b.width > 0 || b.height > 0 : b.width > 0 && b.height > 0;
      var inside = r.left >= box.left - 1 && r.right <= box.right + 1 &&
                   r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      var painted = st.visibility === 'visible' && st.display !== 'none' &&
                    Number(st.opacity) > 0 && (st.fill !== 'none' || st.stroke !== 'none');
      var t = e.querySelector('title');
      var v = t && /(-?[0-9.]+|inf)%?$/.exec(t.textContent);
      /* A bar of value 0 (a split without errors) has no height: it is
         drawn when it lies at its place, painted. */
      var zero = tag === 'rect' && v && Number(v[1]) === 0;
      if ((size || zero) && inside && painted) drawn++;
      if (!t) continue;
      out.push('mark ' + svg.id + ' ' + t.textContent);
      if (tag === 'rect' && !/^chart-confusion/.test(svg.id) && v) {
        var x = {v: Math.abs(Number(v[1])), h: b.height, t: t.textContent};
        bars.push(x);
        if (isFinite(x.v) && (!top || x.v > top.v)) top = x;
      }
    }
    for (var j = 0; j < bars.length && top; j++)
      if (isFinite(bars[j].v) && Math.abs(bars[j].h - bars[j].v * (top.v > 0 ? top.h / top.v : 0)) > 0.6)
        off.push(bars[j].t + ' h=' + bars[j].h);
    if (bars.length) out.push('scale ' + svg.id + ' ' + (off.length ? 'off-scale ' + off.join(' ') : 'to-scale'));
    var tags = Object.keys(count).sort().map(function (t) { return t + '=' + count[t]; });
    var fits = box.width > 0 && box.left >= page.left - 1 && box.right <= page.right + 1;
    out.push(['svg', svg.id || '-', Math.round(box.width) + 'x' + Math.round(box.height)]
             .concat(tags, ['drawn=' + drawn, fits ? 'fits' : 'overflows']).join(' '));
    /* Labels, axis values and legends: all inside the chart. */
    var texts = svg.querySelectorAll('text'), outside = 0;
    for (var j = 0; j < texts.length; j++) {
      var r = texts[j].getBoundingClientRect();
      if (r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 ||
                          r.top < box.top - 1 || r.bottom > box.bottom + 1)) outside++;
    }
    if (outside) out.push('textout ' + svg.id + ' ' + outside);
    var fig = svg.closest('figure'), split = fig && fig.querySelector('.split');
    if (split) out.push('split ' + svg.id + ' ' + split.textContent);
  }
  var audio = Array.prototype.slice.call(document.querySelectorAll('audio'));
  await Promise.all(audio.map(function (a) {
    return new Promise(function (done) {
      if (a.readyState >= 1 || a.error) return done();
      a.addEventListener('loadedmetadata', done);
      a.addEventListener('error', done);
      setTimeout(done, 5000);
    });
  }));
  audio.forEach(function (a) {
    var ok = Math.abs(a.duration - Number(a.dataset.seconds)) < 0.02;
    out.push('audio ' + a.dataset.id + ' ' + a.readyState + ' ' +
             (a.error ? 'error' : ok ? 'length-ok' : 'length-off'));
  });
  var notes = document.querySelectorAll('.no-data');
  for (var i = 0; i < notes.length; i++) {
    var shown = notes[i].getBoundingClientRect().height > 0;
    out.push('nodata ' + (notes[i].id || '-') + ' ' + (shown ? notes[i].textContent : '(hidden)'));
  }
  return out.map(function (s) { return s.replace(/[^ -~]|["\\;]/g, '_'); }).join(';');
})()
EOF
)

# check_page FILE NAME: load FILE, write $T/NAME.seen (what the checker saw)
# and $T/NAME.problems (what the browser reported).
check_page() {
    browser_load "$1" "$CHECK" "$T/$2" || fail "$2: the browser did not load $1"
    tr ';' '\n' <"$T/$2.result" >"$T/$2.seen"
    browser_problems "$1" "$T/$2" >"$T/$2.problems"
}
# seen NAME PATTERN: a line of what the checker saw must match PATTERN.
seen() { expect_grep "$2" "$T/$1.seen"; }
# every_chart_drawn NAME: each <svg> is a laid-out chart within the page
# that drew marks.
every_chart_drawn() {
    awk '$1 == "svg" && ($3 !~ /^[1-9][0-9]*x[1-9][0-9]*$/ || $(NF-1) == "drawn=0" || $NF != "fits") { bad = 1; print }
         END { exit bad }' "$T/$1.seen"
}
clean() { [ ! -s "$T/$1.problems" ] || { cat "$T/$1.problems" >&2; fail "$1: the browser reported problems"; }; }
# marks NAME ID: the titles of chart ID's marks, sorted.
marks() { awk -v id="$2" '$1 == "mark" && $2 == id { $1 = $2 = ""; sub(/^  /, ""); print }' "$T/$1.seen" | sort; }
# same_marks NAME ID WANT: chart ID shows exactly the marks in file WANT.
same_marks() {
    sort "$3" >"$3.sorted"
    marks "$1" "$2" | diff "$3.sorted" - || fail "$1: $2 does not show report.json's numbers"
}
# Two decimals, as the page prints them (jq has no printf).
two() { awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^@/) $i = sprintf("%.2f", substr($i, 2)); print }'; }

command -v jq >/dev/null || fail "jq is needed to read report.json (bootstrap.sh installs it)"
J=$T/cmp/report.json

# ---- the report with every chart ----
! self_contained "$R" >"$T/refs" || { cat "$T/refs" >&2; fail "report.html refers to outside files"; }
check_page "$R" full
clean full
every_chart_drawn full || { cat "$T/full.seen" >&2; fail "a chart draws nothing or leaves the page"; }
! grep '^textout' "$T/full.seen" || fail "a chart's text reaches outside it"
! grep -q '^nodata' "$T/full.seen" || fail "a chart with data was replaced by a note"
# splits, decomposition, one speaker chart (dev), two confusion maps, the
# reliability diagram (dev), training, learning
[ "$(grep -c '^svg ' "$T/full.seen")" -eq 8 ] || { cat "$T/full.seen" >&2; fail "expected 8 charts"; }
# Bars: one per model and split, titled with its WER in report.json, to scale.
jq -r '.models[] | .name as $m | .splits[] | "\($m) \(.name): @\(.wer) %"' "$J" | two | sed 's/ \([0-9.]*\) %$/ \1%/' >"$T/want-splits"
[ "$(wc -l <"$T/want-splits")" -eq 8 ] || fail "report.json: expected 8 WERs, got $(cat "$T/want-splits")"
same_marks full chart-splits "$T/want-splits"
seen full '^scale chart-splits to-scale$'
# Decomposition: a segment per part of |value| >= 0.005, Bayes error first.
jq -r '.bayes as $b | .models[] | .name as $m | .decomposition |
    ["Bayes error", $b], ["avoidable bias", .avoidable_bias], ["variance", .variance],
    ["data mismatch", .data_mismatch], ["over-tuning to dev", .overtuning_to_dev] |
    select(.[1] != null and (.[1] | fabs) >= 0.005) | "\($m) \(.[0]): @\(.[1])"' "$J" | two >"$T/want-decomposition"
[ -s "$T/want-decomposition" ] || fail "report.json: no decomposition"
same_marks full chart-decomposition "$T/want-decomposition"
seen full '^scale chart-decomposition to-scale$'
# Per speaker: the analysed split's chart has a bar per model and speaker.
seen full '^split chart-speakers-2 dev$'
jq -r '.models[] | .name as $m | .splits[] | select(.name == "dev") | .speakers[] |
    select(.wer != null) | "\($m) \(.speaker): @\(.wer) %"' "$J" | two | sed 's/ \([0-9.]*\) %$/ \1%/' >"$T/want-speakers"
[ "$(wc -l <"$T/want-speakers")" -eq 4 ] || fail "report.json: expected 4 speaker WERs on dev"
same_marks full chart-speakers-2 "$T/want-speakers"
seen full '^scale chart-speakers-2 to-scale$'
# Confusions: a cell per non-zero count, rows words then (ins), columns words then (del).
for k in 0 1; do
    jq -r --argjson k "$k" '.models[$k].confusion | (.words + ["(ins)"]) as $r | (.words + ["(del)"]) as $c |
        range(.counts | length) as $i | range(.counts[$i] | length) as $j |
        select(.counts[$i][$j] > 0) | "\($r[$i]) -> \($c[$j]): \(.counts[$i][$j])"' "$J" >"$T/want-confusion-$k"
    [ -s "$T/want-confusion-$k" ] || fail "report.json: model $k has an empty confusion matrix"
    same_marks full "chart-confusion-$k" "$T/want-confusion-$k"
done
# The matrices count every word of dev: correct + errors = what was aligned.
jq -e '.models[] | (.splits[] | select(.name == "dev")) as $d | .confusion |
    ([.counts[][]] | add) - .errors + $d.sub + $d.del + $d.ins >= $d.words' "$J" >/dev/null ||
    fail "report.json: a confusion matrix does not count every word of dev"
# Word confidence: every split of each model has it in report.json, within
# range (AUC null only when every word is right or every word is wrong), its
# bins holding every hypothesis word; the reliability diagram of dev has a
# point per model and non-empty bin at report.json's numbers, a line per
# model with two bins or more, and the diagonal.
jq -e '[.models[].splits[].confidence | select(. != null and .words > 0 and .right <= .words and
        (.auc == null and (.right == 0 or .right == .words) or .auc >= 0 and .auc <= 1) and
        .ece >= 0 and .ece <= 1 and .wer_reject_5 >= 0 and .wer_reject_10 >= 0 and
        (.bins | length) == 10 and ([.bins[].n] | add) == .words and
        all(.bins[]; .n == 0 and .accuracy == null or .mean_confidence >= .lo and
            .mean_confidence <= .hi and .accuracy >= 0 and .accuracy <= 1))] | length == 8' "$J" >/dev/null ||
    fail "report.json: a split's confidence is missing or out of range"
jq -r '.models[] | .name as $m | .splits[] | select(.name == "dev") | .confidence.bins[] | select(.n > 0) |
    "\($m) \(.lo)-\(.hi): confidence \(.mean_confidence) accuracy \(.accuracy) \(.n)"' "$J" |
    awk '{ printf "%s %s confidence %.3f, accuracy %.3f, %d word%s\n", $1, $2, $4, $6, $7, $7 == 1 ? "" : "s" }' >"$T/want-reliability"
[ -s "$T/want-reliability" ] || fail "report.json: no confidence bins on dev"
same_marks full chart-reliability-2 "$T/want-reliability"
seen full '^split chart-reliability-2 dev$'
lines=$(jq '[.models[] | .splits[] | select(.name == "dev") | [.confidence.bins[] | select(.n > 0)] |
    select(length > 1)] | length' "$J")
points=$(wc -l <"$T/want-reliability")
poly=$([ "$lines" -gt 0 ] && echo " polyline=$lines")
seen full "^svg chart-reliability-2 [0-9]+x300 circle=$points$poly drawn=$((points + lines)) fits\$"
expect_grep "id='chart-reliability-2' .*<line [^>]*stroke-dasharray='4 3'" "$R"
# and the table: a row per model and split, the model's own first.
sed -E "s/ (data-label|class)='[^']*'//g" "$R" | sed -n "/^<table id='confidence'>/,/<\/table>/p" >"$T/conf-table"
[ "$(grep -c '^<tr><td>\(big\|small\)</td><td>\(train\|train_dev\|dev\|test\)</td>' "$T/conf-table")" -eq 8 ] ||
    { cat "$T/conf-table" >&2; fail "the confidence table has not a row per model and split"; }
# Audio: a player per worst utterance in report.json, in its order, each
# loaded and as long as the utterance.
jq -r '.models[].worst[].id' "$J" >"$T/want-audio"
[ -s "$T/want-audio" ] || fail "report.json lists no worst utterances"
awk '$1 == "audio" { print $2 }' "$T/full.seen" | diff "$T/want-audio" - || fail "the audio players are not report.json's worst utterances"
! awk '$1 == "audio" && ($3 < 1 || $4 != "length-ok")' "$T/full.seen" | grep . || fail "an audio player did not load its utterance"
# Training curves: a line per model and a point per epoch of its log.tsv.
epochs=$(($(wc -l <"$T/big/log.tsv") + $(wc -l <"$T/small/log.tsv") - 2))
[ "$epochs" -ge 4 ] || fail "the training logs have $epochs epochs"
seen full "^svg chart-training [0-9]+x300 circle=$epochs polyline=2 drawn=$((epochs + 2)) fits\$"
# Learning curve: a line per series and a point per row of the TSV.
seen full '^svg chart-learning [0-9]+x300 circle=6 polyline=2 drawn=8 fits$'
expect_grep "<title>staged 400: 21.50</title>" "$R"
# The verdict comes first and is report.json's: the best model, and the
# paired comparison with its difference and interval. The page is all HTML:
# no preformatted Markdown (pipes, bold stars) anywhere.
[ "$(grep -o '<h2>[^<]*</h2>' "$R" | head -1)" = "<h2>Verdict</h2>" ] || fail "the verdict is not first"
best=$(jq -r .best "$J")
expect_grep "^<p>Best: <b class='best'>$best</b>, WER [0-9.]+% on dev \\(95% interval " "$R"
want=$(jq -r '.comparisons[0] | "<li>\(.a) (better than|worse than|and) \(.b) on \(.split): [+-]?[0-9.]+ WER points"' "$J")
expect_grep "$want" "$R"
[ "$(jq '.comparisons | length' "$J")" -eq 1 ] || fail "report.json: expected one comparison"
! grep -q -e '<pre' -e '\*\*' -e '|---' "$R" || fail "report.html holds raw Markdown"
# bare: the page's HTML without the cells' labels and classes (html_table.h).
bare() { sed -E "s/ (data-label|class)='[^']*'//g" "$1"; }
# Thresholds: the limit and each model's value and margin, as report.json
# has them; real-time factor judged in CPU time. The page shows 4 decimals
# of the value report.json gives to more, so a measured time that ends in
# a 5 at the fifth decimal may round either way in the two: equal to 1e-4.
jq -r '.models[] | .thresholds[] | select(.name == "real-time factor (CPU)") | "\(.value) \(.margin)"' "$J" >"$T/want-rtf"
[ "$(wc -l <"$T/want-rtf")" -eq 2 ] || fail "report.json: expected the RTF threshold of 2 models"
bare "$R" | grep '^<tr><td>real-time factor (CPU)</td><td>1.0000</td>' >"$T/rtf-row" || fail "no RTF threshold row"
sed 's|^<tr><td>real-time factor (CPU)</td><td>1.0000</td>||; s|</tr>$||' "$T/rtf-row" |
    sed -E 's|<td><span>([0-9.]+)</span> <span>\(([-+0-9.]+)\)</span></td>|\1 \2\n|g' | grep . >"$T/got-rtf"
paste -d' ' "$T/want-rtf" "$T/got-rtf" | awk 'function d(a, b) { return a > b ? a - b : b - a }
    NF != 4 || d($1, $3) > 1.0001e-4 || d($2, $4) > 1.0001e-4 { bad = 1 } END { exit bad || NR != 2 }' ||
    fail "the RTF threshold row is not report.json's values and margins: $(cat "$T/rtf-row") (report.json: $(tr '\n' ' ' <"$T/want-rtf"))"
# Provenance: the command and the build, in the page and in report.json.
jq -e '.provenance | (.command | startswith("asr compare --data ")) and (.commit | length > 0) and (.date | test("^20[0-9-]+T"))' "$J" >/dev/null ||
    fail "report.json: no provenance"
expect_grep "<dt>command</dt><dd><code>asr compare --data " "$R"
# WER per speaker: a table per split (open for dev, the split analysed), a
# row per speaker of utt2spk with each model's WER for that speaker, the
# numbers of report.json.
expect_grep "<h2>Word error rate per speaker</h2>" "$R"
expect_grep "^<details open><summary>dev: 2 speakers</summary>" "$R"
expect_grep "^<details><summary>train: 2 speakers</summary>" "$R"
for s in train train_dev dev test; do
    jq -r --arg s "$s" '[.models[] | .splits[] | select(.name == $s) | .speakers] as $sp
        | range($sp[0] | length) as $i | $sp[0][$i] as $r
        | "\($r.speaker) \($r.utterances) \($r.words) \($sp[0][$i].wer) \($sp[1][$i].wer)"' "$J" |
        while read -r spk n w a b; do
            printf '<tr><td>%s</td><td>%d</td><td>%d</td><td>%.2f</td><td>%.2f</td></tr>\n' \
                "$spk" "$n" "$w" "$a" "$b"
        done >"$T/want-$s"
    [ "$(wc -l <"$T/want-$s")" -eq 2 ] || fail "report.json: $s should have speakers s0 and s1"
    bare "$R" | sed -n "/^<details[^>]*><summary>$s: 2 speakers<\/summary>/,/^<\/tbody><\/table>/p" | grep '^<tr><td>' |
        diff "$T/want-$s" - ||
        fail "the $s speaker table is not report.json's per-speaker WERs"
done

# ---- asr eval: the same page for one model ----
# Its dev speakers have names too long to stand under their bars: they are
# turned, and the first must still lie inside the chart (it once reached
# past the left edge).
cp -r "$T/data" "$T/data-long"
sed -i 's/ s\([01]\)$/ espeak-en-gb-x-gbclan-m6-s140-190-p30-70-speaker\1/' "$T/data-long/dev/utt2spk"
expect_exit 0 "$ASR" eval --model "$T/big/final.mdl" --data "$T/data-long" --out "$T/one" --bayes 0 \
    --max-rtf 1 --max-latency-ms 1000
# Time thresholds judge CPU time, reported beside the wall clock's: the
# worst split's CPU RTF and CPU p95 latency.
jq -e '.models[0] | ([.splits[] | .cpu_rtf, .cpu_latency_p95_ms, .rtf, .latency_p95_ms | numbers] | length) ==
        4 * (.splits | length) and
    ([.splits[].cpu_rtf] | max) as $r | ([.splits[].cpu_latency_p95_ms] | max) as $l |
    [.thresholds[] | select(.name == "real-time factor (CPU)" and .value == $r or
        .name == "p95 latency (CPU)" and .value == $l)] | length == 2' "$T/one/report.json" >/dev/null ||
    fail "asr eval: the time thresholds are not the CPU timings of report.json"
check_page "$T/one/report.html" one
clean one
every_chart_drawn one || { cat "$T/one.seen" >&2; fail "asr eval: a chart draws nothing"; }
expect_grep "transform='rotate\(-40 " "$T/one/report.html"
! grep '^textout' "$T/one.seen" || fail "asr eval: a chart's text reaches outside it"
seen one '^svg chart-splits [0-9]+x[0-9]+ rect=4 drawn=4 fits$'
seen one '^svg chart-confusion-0 '
# A decomposition whose parts all round to 0 (a model without errors) is a
# sentence, not axes without bars.
if jq -e '.bayes as $b | .models[0].decomposition | [$b, .avoidable_bias, .variance, .data_mismatch,
        .overtuning_to_dev] | map(select(. != null and fabs >= 0.005)) | length == 0' "$T/one/report.json" >/dev/null; then
    seen one '^nodata chart-decomposition No error to decompose'
else
    seen one '^svg chart-decomposition [0-9]+x300 rect=[1-9]'
fi
# A player per worst utterance of report.json (none when the model makes no
# error), each loaded.
jq -r '.models[].worst[].id' "$T/one/report.json" >"$T/want-audio-one"
awk '$1 == "audio" { print $2 }' "$T/one.seen" | diff "$T/want-audio-one" - || fail "asr eval: the audio players are not report.json's worst utterances"
! awk '$1 == "audio" && ($3 < 1 || $4 != "length-ok")' "$T/one.seen" | grep . || fail "asr eval: an audio player did not load its utterance"

# ---- without data for two charts: a sentence in their place ----
mkdir "$T/bare"
cp "$T/big/final.mdl" "$T/bare/final.mdl"
expect_exit 0 "$ASR" compare --data "$T/data" --out "$T/cmp2" bare="$T/bare/final.mdl"
check_page "$T/cmp2/report.html" sparse
clean sparse
every_chart_drawn sparse || { cat "$T/sparse.seen" >&2; fail "a chart draws nothing"; }
seen sparse '^svg chart-splits [0-9]+x300 rect=4 drawn=4 fits$'
seen sparse '^nodata chart-training No training curves: no model has a log.tsv'
seen sparse '^nodata chart-learning No learning-curve points: give asr compare --curve'
seen sparse '^nodata chart-decomposition No error decomposition: give --bayes'

# ---- broken copies are rejected ----
# mutant NAME SED-SCRIPT: $T/cmp/NAME.html, the report edited by SED-SCRIPT
# (which must change it).
mutant() {
    sed "$2" "$R" >"$T/cmp/$1.html"
    ! cmp -s "$R" "$T/cmp/$1.html" || fail "mutant $1: the edit changed nothing"
    check_page "$T/cmp/$1.html" "$1"
}
mutant js-error 's|</body>|<script>null.x()</script></body>|'
expect_grep '^exception: ' "$T/js-error.problems"
mutant console 's|</body>|<script>console.error("broken")</script></body>|'
expect_grep '^console: ' "$T/console.problems"
mutant resource "s|</body>|<img src='missing.png' alt=''></body>|"
expect_grep '^request: file://.*/missing.png$' "$T/resource.problems"
expect_grep '^failed load: ' "$T/resource.problems"
# (the first bar with a height: one of value 0 has none to negate)
mutant bad-svg "0,/<rect class='mark'[^>]*height='[1-9]/s|\(<rect class='mark'[^>]*height='\)\([1-9]\)|\1-\2|"
expect_grep '^log: .*negative value' "$T/bad-svg.problems"
seen bad-svg '^svg chart-splits [0-9]+x300 rect=8 drawn=7 fits$'
seen bad-svg '^scale chart-splits off-scale [a-z]+ [a-z_]+: '
mutant empty-chart "/id='chart-training'/{s|<polyline class='mark'[^>]*/>||g;s|<circle class='mark'[^>]*><title>[^<]*</title></circle>||g;}"
clean empty-chart
! every_chart_drawn empty-chart >/dev/null || fail "a chart emptied of its marks passed"
seen empty-chart '^svg chart-training [0-9]+x300 drawn=0 fits$'
# A count in a heat map that is not report.json's.
mutant wrong-count "/id='chart-confusion-0'/s|\(<title>[^<]* -> [^<]*: \)\([0-9]*\)</title>|\1999</title>|"
marks wrong-count chart-confusion-0 | diff -q "$T/want-confusion-0.sorted" - >/dev/null &&
    fail "a heat map with a wrong count passed"
# Audio that does not decode.
mutant bad-audio "0,/src='data:audio\/wav;base64,/s|src='data:audio/wav;base64,[A-Za-z0-9+/]\{64\}|src='data:audio/wav;base64,AAAA|"
grep '^audio ' "$T/bad-audio.seen" | grep -vq ' length-ok$' || fail "an audio player that cannot play passed"
# A chart wider than the page.
mutant too-wide "s|id='chart-splits' \(xmlns='[^']*'\) width='[0-9]*'\(.*\) style='max-width:100%;height:auto'|id='chart-splits' \1 width='3000'\2|"
! every_chart_drawn too-wide >/dev/null || fail "a chart wider than the page passed"
seen too-wide '^svg chart-splits 3000x[0-9]+ .* overflows$'
sed "s|</body>|<a href='https://example.org/'>x</a></body>|" "$R" >"$T/external.html"
self_contained "$T/external.html" >"$T/refs" && expect_grep 'https:' "$T/refs" ||
    fail "an external URL passed"
exit 0
