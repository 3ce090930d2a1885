#!/usr/bin/env bash
# report_html.sh — the HTML report of `asr compare`, as a browser shows it.
# Two tiny direct models are trained on synthetic audio (so they have
# log.tsv training curves), compared with a learning-curve TSV, and
# report.html is loaded in headless Chromium (tests/cli/browser.sh). In the
# rendered page: no request but the page itself, no console message, no
# exception, no error or warning from the browser; every chart is laid out
# and draws its data (the bars, lines and points of class 'mark' have size,
# inside the chart), one bar per model and split at the height of its WER in
# report.json, one point per epoch and per curve point; a chart without data
# is replaced by a sentence saying so. Broken copies of the report (a script
# error, a console message, a missing resource, an invalid SVG attribute, a
# chart emptied of its marks, an external URL) must each be rejected.
. "${srcdir:-.}/tests/cli/lib.sh"
. "${srcdir:-.}/tests/cli/browser.sh"
command -v "$BROWSER" >/dev/null || { echo "skip: $BROWSER not installed"; exit 77; }

# ---- fixture: four splits of three "words" ----
# Per-utterance CMVN flattens a steady tone, so each word is a sound that
# changes in time: a rising sweep, a falling sweep, a warble.
mkdir -p "$T/wav"
for split in train:9 train_dev:4 dev:4 test:4; do
    s=${split%:*}
    mkdir -p "$T/data/$s"
    for k in $(seq 1 "${split#*:}"); do
        u=${s}_$k
        case $((k % 3)) in
        0) w=one fx="sine 300-1200" ;;
        1) w=two fx="sine 1200-300" ;;
        2) w=three fx="sine 600 tremolo 6 90" ;;
        esac
        sox -n -r 8000 -b 16 "$T/wav/$u.wav" synth 0.4 $fx 2>"$T/err" || { cat "$T/err"; fail "sox"; }
        echo "$u $T/wav/$u.wav" >>"$T/data/$s/wav.scp"
        echo "$u $w" >>"$T/data/$s/text"
        echo "$u s$((k % 2))" >>"$T/data/$s/utt2spk"
    done
done
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
expect_exit 0 "$ASR" compare --data "$T/data" --out "$T/cmp" --curve "$T/curve.tsv" --bayes 0 \
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
# SVG namespace name is an identifier no browser fetches, the one URL allowed.
self_contained() {
    sed "s|xmlns='http://www.w3.org/2000/svg'||g" "$1" |
        grep -Eno "(https?|ftp|file):|(src|href|srcset)=|url\(|@import|<(script|link|iframe|object|embed|img|audio|video|source|base)[ >]"
}

# What the page's JavaScript sees, as lines of printable ASCII:
#   svg ID WxH TAG=COUNT.. drawn=N   per <svg>: its marks by tag, and how many
#                                    have size (a line: length), are painted
#                                    and lie inside the chart
#   bar MODEL SPLIT WER              per bar of chart-splits, from its tooltip
#   bars to-scale|off-scale ...      bar heights proportional to their WER
#   nodata ID TEXT                   per chart replaced by a sentence
CHECK=$(
    cat <<'EOF'
(function () {
  var out = [];
  var svgs = document.querySelectorAll('svg');
  for (var i = 0; i < svgs.length; i++) {
    var svg = svgs[i], box = svg.getBoundingClientRect(), count = {}, drawn = 0;
    var marks = svg.querySelectorAll('.mark');
    for (var j = 0; j < marks.length; j++) {
      var e = marks[j], b = e.getBBox(), r = e.getBoundingClientRect(), tag = e.tagName;
      var st = getComputedStyle(e);
      count[tag] = (count[tag] || 0) + 1;
      var size = tag === 'polyline' ? b.width > 0 || b.height > 0 : b.width > 0 && b.height > 0;
      var inside = r.left >= box.left - 1 && r.right <= box.right + 1 &&
                   r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      var painted = st.visibility === 'visible' && st.display !== 'none' &&
                    Number(st.opacity) > 0 && (st.fill !== 'none' || st.stroke !== 'none');
      if (size && inside && painted) drawn++;
    }
    var tags = Object.keys(count).sort().map(function (t) { return t + '=' + count[t]; });
    out.push(['svg', svg.id || '-', Math.round(box.width) + 'x' + Math.round(box.height)]
             .concat(tags, ['drawn=' + drawn]).join(' '));
  }
  /* Pixels per WER point from the tallest bar, then every bar against it. */
  var bars = document.querySelectorAll('#chart-splits rect.mark'), seen = [], top = null, off = [];
  for (var i = 0; i < bars.length; i++) {
    var t = bars[i].querySelector('title'), m = t && /^(.*) (.*): (.*)%$/.exec(t.textContent);
    if (!m) { off.push('untitled'); continue; }
    out.push('bar ' + m[1] + ' ' + m[2] + ' ' + m[3]);
    var b = {name: m[1] + '/' + m[2], v: Number(m[3]), h: bars[i].getBBox().height};
    seen.push(b);
    if (isFinite(b.v) && (!top || b.v > top.v)) top = b;
  }
  for (var i = 0; i < seen.length && top; i++)
    if (isFinite(seen[i].v) && Math.abs(seen[i].h - seen[i].v * (top.v > 0 ? top.h / top.v : 0)) > 0.6)
      off.push(seen[i].name + ' h=' + seen[i].h);
  out.push('bars ' + (off.length ? 'off-scale ' + off.join(' ') : 'to-scale'));
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
# every_chart_drawn NAME: each <svg> is a laid-out chart that drew marks.
every_chart_drawn() {
    awk '$1 == "svg" && ($3 !~ /^[1-9][0-9]*x[1-9][0-9]*$/ || $NF == "drawn=0") { bad = 1; print }
         END { exit bad }' "$T/$1.seen"
}
clean() { [ ! -s "$T/$1.problems" ] || { cat "$T/$1.problems" >&2; fail "$1: the browser reported problems"; }; }

# ---- the report with every chart ----
! self_contained "$R" >"$T/refs" || { cat "$T/refs" >&2; fail "report.html refers to outside files"; }
check_page "$R" full
clean full
every_chart_drawn full || { cat "$T/full.seen" >&2; fail "a chart draws nothing"; }
[ "$(grep -c '^svg ' "$T/full.seen")" -eq 3 ] || { cat "$T/full.seen" >&2; fail "expected 3 charts"; }
! grep -q '^nodata' "$T/full.seen" || fail "a chart with data was replaced by a note"
# Bars: one per model and split, each labelled with its WER in report.json, to scale.
seen full '^svg chart-splits 640x300 rect=8 drawn=[1-8]$'
command -v jq >/dev/null || fail "jq is needed to read report.json (bootstrap.sh installs it)"
J=$T/cmp/report.json
jq -r '.models[] | .name as $m | .splits[] | "\($m) \(.name) \(.wer)"' "$J" |
    while read -r m s w; do printf 'bar %s %s %.2f\n' "$m" "$s" "$w"; done | sort >"$T/want-bars"
[ "$(wc -l <"$T/want-bars")" -eq 8 ] || fail "report.json: expected 8 WERs, got $(cat "$T/want-bars")"
grep '^bar ' "$T/full.seen" | sort | diff "$T/want-bars" - || fail "the bars are not report.json's WERs"
seen full '^bars to-scale$'
# Training curves: a line per model and a point per epoch of its log.tsv.
epochs=$(($(wc -l <"$T/big/log.tsv") + $(wc -l <"$T/small/log.tsv") - 2))
[ "$epochs" -ge 4 ] || fail "the training logs have $epochs epochs"
seen full "^svg chart-training 640x300 circle=$epochs polyline=2 drawn=$((epochs + 2))\$"
# Learning curve: a line per series and a point per row of the TSV.
seen full '^svg chart-learning 640x300 circle=6 polyline=2 drawn=8$'
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
# WER per speaker: a table per split, a row per speaker of utt2spk with each
# model's WER for that speaker, the numbers of report.json.
expect_grep "<h2>Word error rate per speaker</h2>" "$R"
for s in train train_dev dev test; do
    jq -r --arg s "$s" '[.models[] | .splits[] | select(.name == $s) | .speakers] as $sp
        | range($sp[0] | length) as $i | $sp[0][$i] as $r
        | "\($r.speaker) \($r.utterances) \($r.words) \($sp[0][$i].wer) \($sp[1][$i].wer)"' "$J" |
        while read -r spk n w a b; do
            printf '<tr><td>%s</td><td>%d</td><td>%d</td><td>%.2f</td><td>%.2f</td></tr>\n' \
                "$spk" "$n" "$w" "$a" "$b"
        done >"$T/want-$s"
    [ "$(wc -l <"$T/want-$s")" -eq 2 ] || fail "report.json: $s should have speakers s0 and s1"
    sed -n "/^<h3>$s<\/h3>/,/^<\/table>/p" "$R" | grep '^<tr><td>' | diff "$T/want-$s" - ||
        fail "the $s speaker table is not report.json's per-speaker WERs"
done

# ---- without data for two charts: a sentence in their place ----
mkdir "$T/bare"
cp "$T/big/final.mdl" "$T/bare/final.mdl"
expect_exit 0 "$ASR" compare --data "$T/data" --out "$T/cmp2" bare="$T/bare/final.mdl"
check_page "$T/cmp2/report.html" sparse
clean sparse
every_chart_drawn sparse || { cat "$T/sparse.seen" >&2; fail "a chart draws nothing"; }
[ "$(grep -c '^svg ' "$T/sparse.seen")" -eq 1 ] || { cat "$T/sparse.seen" >&2; fail "expected 1 chart"; }
seen sparse '^svg chart-splits 640x300 rect=4 drawn=[1-4]$'
seen sparse '^nodata chart-training No training curves: no model has a log.tsv'
seen sparse '^nodata chart-learning No learning-curve points: give asr compare --curve'

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
mutant bad-svg "s|\(<rect class='mark'[^>]*height='\)|\1-|"
expect_grep '^log: .*negative value' "$T/bad-svg.problems"
seen bad-svg '^svg chart-splits 640x300 rect=8 drawn=7$'
seen bad-svg '^bars off-scale [a-z]+/train h=0$'
mutant empty-chart "/id='chart-training'/{s|<polyline class='mark'[^>]*/>||g;s|<circle class='mark'[^>]*><title>[^<]*</title></circle>||g;}"
clean empty-chart
! every_chart_drawn empty-chart >/dev/null || fail "a chart emptied of its marks passed"
seen empty-chart '^svg chart-training 640x300 drawn=0$'
sed "s|</body>|<a href='https://example.org/'>x</a></body>|" "$R" >"$T/external.html"
self_contained "$T/external.html" >"$T/refs" && expect_grep 'https:' "$T/refs" ||
    fail "an external URL passed"
exit 0
