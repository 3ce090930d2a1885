#!/usr/bin/env bash
# report_layout.sh — the HTML report's layout at a desktop's width (1100
# CSS pixels) and a phone's (390), in headless Chromium (tests/cli/browser.sh).
# The report compares four models (hypothesis directories: nothing to
# train) on digit strings of up to nine words, with utterance ids and
# speaker names too long to stand in a column whole, so that every table
# is as wide as a real comparison's (issue 26: at 1100 px the alignments
# were clipped, the details table scrolled sideways hiding p95, a table had
# no header, alignment tokens broke inside). At each width:
#   - the page does not scroll sideways, and no element reaches outside the
#     body's content box;
#   - no element's content is wider than its box (a table scrolling inside
#     its wrapper, a cell or text cut off: scrollWidth > clientWidth);
#   - every table has a header row, a header over every column, and each
#     cell carries its column's header (data-label); where the header row
#     is not shown (a phone), every cell shows its label;
#   - every alignment token (REF->HYP) lies on one line: the line wraps
#     between tokens, never inside one.
# Broken copies (a table too wide, a column without a header, a token cut
# at its hyphen) must each be caught.
. "${srcdir:-.}/tests/cli/lib.sh"
. "${srcdir:-.}/tests/cli/browser.sh"
command -v "$BROWSER" >/dev/null || { echo "skip: $BROWSER not installed"; exit 77; }

# ---- fixture: four splits of digit strings, four models' hypotheses ----
sox -R -n -r 8000 -b 16 "$T/tone.wav" synth 0.4 sine 440 2>"$T/err" || { cat "$T/err"; fail "sox"; }
# A linear congruential generator in awk: the same numbers with any awk.
awk -v T="$T" 'function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
    BEGIN {
        seed = 26
        split("zero one two three four five six seven eight nine oh", w, " ")
        split("espeak_en_gb_x_rp_m2_s170_p40 espeak_en_us_f3_s150_p50 fsdd_jackson fsdd_theo", spk, " ")
        split("train train_dev dev test", sp, " ")
        split("staged_clean direct_clean staged_noise direct_noise", mod, " ")
        p[1] = 0.3; p[2] = 0.2; p[3] = 0.18; p[4] = 0.12
        for (s = 1; s <= 4; s++) {
            d = T "/data/" sp[s]
            system("mkdir -p " d)
            for (k = 1; k <= 12; k++) {
                sk = spk[k % 4 + 1]
                id = sp[s] "_" sk "_" sprintf("%04d", k)
                n = 5 + int(rnd() * 5); ref = ""
                for (j = 0; j < n; j++) ref = ref (j ? " " : "") w[1 + int(rnd() * 11)]
                print id, T "/tone.wav" >(d "/wav.scp")
                print id, ref >(d "/text")
                print id, sk >(d "/utt2spk")
                for (m = 1; m <= 4; m++) {
                    split(ref, r, " "); hyp = ""
                    for (j = 1; j <= n; j++) {
                        x = rnd()
                        if (x < p[m] / 3) hyp = hyp " " w[1 + int(rnd() * 11)]
                        else if (x < 2 * p[m] / 3) continue
                        else if (x < p[m]) hyp = hyp " " r[j] " " w[1 + int(rnd() * 11)]
                        else hyp = hyp " " r[j]
                    }
                    system("mkdir -p " T "/hyps/" mod[m])
                    print id hyp >(T "/hyps/" mod[m] "/" sp[s] ".txt")
                }
            }
        }
    }'
for f in "$T"/data/*/* "$T"/hyps/*/*; do LC_ALL=C sort -o "$f" "$f"; done
models=()
for m in staged_clean direct_clean staged_noise direct_noise; do models+=("$m=$T/hyps/$m"); done
expect_exit 0 "$ASR" compare --data "$T/data" --out "$T/cmp" --bayes 0 --max-rtf 0.05 \
    --max-latency-ms 100 --max-size-mb 10 --title "asr demo: staged vs direct, with and without noise synthesis" \
    "${models[@]}"
R=$T/cmp/report.html
[ -s "$R" ] || fail "no $R"

# What the page's JavaScript sees, as lines of printable ASCII:
#   width W                    the viewport's width
#   page-scrolls W             the page is W pixels wide: it scrolls sideways
#   outside NAME L-R           an element reaching outside the body's content
#   overflows NAME S>C         an element whose content (S px) is wider than
#                              its box (C px), shown or not (overflow-x)
#   no-header-row NAME         a table whose first row is not all headers
#   unheaded NAME ROW COL      a cell with no (or an empty) header over it
#   mislabelled NAME ROW COL   a cell whose data-label is not its header
#   unlabelled NAME ROW COL    a cell whose table hides its header row and
#                              that does not show its label either
#   tokens N                   alignment tokens checked
#   token-broken TOKEN         a token laid out on more than one line
CHECK=$(
    cat <<'EOF'
(function () {
  var out = [], body = document.body, bs = getComputedStyle(body), br = body.getBoundingClientRect();
  var left = br.left + parseFloat(bs.paddingLeft), right = br.right - parseFloat(bs.paddingRight);
  function name(e) {
    var c = typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/ +/).join('.') : '';
    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + c;
  }
  out.push('width ' + innerWidth);
  var page = document.documentElement.scrollWidth;
  if (page > innerWidth) out.push('page-scrolls ' + page);
  var all = body.querySelectorAll('*');
  for (var i = 0; i < all.length; i++) {
    var e = all[i], st = getComputedStyle(e);
    /* A chart's insides are report_html.sh's to check. */
    if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') continue;
    var r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < left - 1 || r.right > right + 1)
      out.push('outside ' + name(e) + ' ' + Math.round(r.left) + '-' + Math.round(r.right));
    if (st.display !== 'inline' && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
      out.push('overflows ' + name(e) + ' ' + e.scrollWidth + '>' + e.clientWidth);
  }
  var tables = body.querySelectorAll('table');
  for (var i = 0; i < tables.length; i++) {
    var t = tables[i], rows = t.rows, heads = [];
    if (!rows.length) continue;
    var hrow = rows[0], shown = hrow.getBoundingClientRect().height > 0;
    for (var j = 0; j < hrow.cells.length; j++) {
      var c = hrow.cells[j];
      if (c.tagName !== 'TH') { out.push('no-header-row ' + name(t)); break; }
      for (var k = 0; k < c.colSpan; k++) heads.push(c.textContent.trim());
    }
    for (var ri = 1; ri < rows.length; ri++) {
      for (var j = 0, col = 0; j < rows[ri].cells.length; j++) {
        var c = rows[ri].cells[j], where = name(t) + ' ' + ri + ' ' + col;
        if (col >= heads.length || !heads[col]) out.push('unheaded ' + where);
        else if (c.dataset.label !== undefined && c.dataset.label !== heads[col]) out.push('mislabelled ' + where);
        var before = getComputedStyle(c, '::before').content;
        if (!shown && (!c.dataset.label || before === 'none' || before === 'normal')) out.push('unlabelled ' + where);
        col += c.colSpan;
      }
    }
  }
  var aligns = body.querySelectorAll('.align'), tokens = 0;
  for (var i = 0; i < aligns.length; i++) {
    var walk = document.createTreeWalker(aligns[i], NodeFilter.SHOW_TEXT), node;
    while ((node = walk.nextNode())) {
      var re = /\S+/g, m;
      while ((m = re.exec(node.data))) {
        var range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        tokens++;
        if (range.getClientRects().length > 1) out.push('token-broken ' + m[0]);
      }
    }
  }
  out.push('tokens ' + tokens);
  return out.map(function (s) { return s.replace(/[^ -~]|["\\;]/g, '_'); }).join(';');
})()
EOF
)

# layout FILE NAME WIDTH: load FILE WIDTH pixels wide into $T/NAME.seen.
layout() {
    browser_load "$1" "$CHECK" "$T/$3-$2" "$3" || fail "$2: the browser did not load $1 at $3 px"
    tr ';' '\n' <"$T/$3-$2.result" >"$T/$3-$2.seen"
    browser_problems "$1" "$T/$3-$2" >"$T/$3-$2.problems"
    [ ! -s "$T/$3-$2.problems" ] || { cat "$T/$3-$2.problems" >&2; fail "$2 at $3 px: the browser reported problems"; }
    grep -qx "width $3" "$T/$3-$2.seen" || { cat "$T/$3-$2.seen" >&2; fail "$2: the viewport is not $3 px wide"; }
}
# laid_out NAME WIDTH: nothing but the width and the token count was seen,
# and tokens were checked.
laid_out() {
    grep -Ev '^(width|tokens) ' "$T/$2-$1.seen" >"$T/$2-$1.bad"
    [ ! -s "$T/$2-$1.bad" ] || { cat "$T/$2-$1.bad" >&2; fail "$1 at $2 px: the layout is broken"; }
    grep -Eq '^tokens [1-9]' "$T/$2-$1.seen" || fail "$1 at $2 px: no alignment token to check"
}

for w in 1100 390; do
    layout "$R" report $w
    laid_out report $w
done

# ---- broken copies are caught ----
# mutant NAME SED-SCRIPT WIDTH PATTERN: the report edited by SED-SCRIPT, at
# WIDTH, shows a line matching PATTERN.
mutant() {
    sed "$2" "$R" >"$T/cmp/$1.html"
    ! cmp -s "$R" "$T/cmp/$1.html" || fail "mutant $1: the edit changed nothing"
    layout "$T/cmp/$1.html" "$1" "$3"
    expect_grep "$4" "$T/$3-$1.seen"
}
# A table of numbers that do not wrap, wider than the page.
mutant too-wide "s|</body>|<table><tr><th>n</th></tr><tr><td>$(printf '%0300d' 0)</td></tr></table></body>|" 1100 '^(outside|overflows|page-scrolls) '
# The same in a wrapper that scrolls it (as the details table once did).
mutant scrolls "s|</body>|<div style='overflow-x:auto'><table><tr><th>n</th></tr><tr><td>$(printf '%0300d' 0)</td></tr></table></div></body>|" 1100 '^overflows div '
# A column without a header, and a table without a header row.
mutant no-header "0,/<th>model<\/th>/s|<th>model</th>||" 1100 '^unheaded table#wer-table'
mutant no-header-row "s|</body>|<table><tr><td>a</td></tr></table></body>|" 1100 '^no-header-row table'
# Tokens that may break at their hyphens.
mutant broken-token "s|\.nb,\.tok{white-space:nowrap}||; s|</style>|.align{width:4em}</style>|" 1100 '^token-broken '
# On a phone, cells without their labels.
mutant unlabelled "s|content:attr(data-label)|content:none|" 390 '^unlabelled table'
exit 0
