# browser.sh — sourced by CLI tests that check a page in headless Chromium.
# Needs bash and lib.sh ($T). No client library: it speaks the Chrome
# DevTools protocol itself over --remote-debugging-pipe (the browser reads
# NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4),
# so it sees what a person's browser would: every request the page makes,
# every console message, exception and rendering error.
#
# browser_load PAGE JS OUT [WIDTH]
#   Loads file PAGE (an absolute path) in a fresh profile (with WIDTH, in a
#   viewport WIDTH CSS pixels wide and 900 high, as a phone when under 600),
#   waits for its load
#   event, evaluates the JavaScript expression JS, which must give a string of
#   printable ASCII without quotes or backslashes, and writes
#     OUT.events  every protocol message, one per line
#     OUT.result  the string JS gave
#     OUT.stderr  the browser's own log
#   Returns 1 with a message on stderr if the browser does not answer.
# browser_problems PAGE OUT
#   Prints one line per thing a self-contained, script-free page must not do:
#   request anything but PAGE itself (or a data: URL), fail a load, write to the console, throw,
#   make the browser log a warning or an error (e.g. an invalid SVG
#   attribute). Prints nothing for a clean page.
BROWSER=${BROWSER:-chromium}
# A browser that dies makes writes to its pipe fail with EPIPE, reported as
# "no answer", instead of killing the test with SIGPIPE.
trap '' PIPE

# browser_send_ FIELDS: one numbered command. browser_answer_: read (and
# record) messages until the answer to the last command, into $BROWSER_REPLY.
browser_send_() {
    BROWSER_N=$((BROWSER_N + 1))
    printf '{"id":%d%s}\0' "$BROWSER_N" "$1" >&5
}
browser_answer_() {
    local msg
    while IFS= read -r -d '' -t 30 msg <&6; do
        printf '%s\n' "$msg" >>"$BROWSER_OUT.events"
        case $msg in "{\"id\":$BROWSER_N,"*) BROWSER_REPLY=$msg; return 0 ;; esac
    done
    echo "browser: no answer to command $BROWSER_N" >&2
    return 1
}

browser_load() {
    local page=$1 js=$2 width=${4:-} dir pid msg tid S expr ok=1
    local re_target='"targetId":"([^"]+)"' re_session='"sessionId":"([^"]+)"'
    local re_string='"type":"string","value":"([^"\]*)"'
    BROWSER_OUT=$3 BROWSER_N=0 BROWSER_REPLY=
    dir=$(mktemp -d "$T/browser-XXXXXX")
    mkfifo "$dir/in" "$dir/out"
    : >"$BROWSER_OUT.events"
    : >"$BROWSER_OUT.result"
    "$BROWSER" --headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$dir/profile" --remote-debugging-pipe \
        3<"$dir/in" 4>"$dir/out" 2>"$BROWSER_OUT.stderr" &
    pid=$!
    exec 5>"$dir/in" 6<"$dir/out"
    # A page target, attached in flat mode: its commands carry its sessionId.
    if browser_send_ ',"method":"Target.createTarget","params":{"url":"about:blank"}' &&
        browser_answer_ && [[ $BROWSER_REPLY =~ $re_target ]] && tid=${BASH_REMATCH[1]} &&
        browser_send_ ",\"method\":\"Target.attachToTarget\",\"params\":{\"targetId\":\"$tid\",\"flatten\":true}" &&
        browser_answer_ && [[ $BROWSER_REPLY =~ $re_session ]]; then
        S=",\"sessionId\":\"${BASH_REMATCH[1]}\""
        ok=0
        for domain in Runtime Log Network Page; do
            browser_send_ "$S,\"method\":\"$domain.enable\"" && browser_answer_ || ok=1
        done
        if [ -n "$width" ]; then
            browser_send_ "$S,\"method\":\"Emulation.setDeviceMetricsOverride\",\"params\":{\"width\":$width,\"height\":900,\"deviceScaleFactor\":1,\"mobile\":$([ "$width" -lt 600 ] && echo true || echo false)}" &&
                browser_answer_ || ok=1
        fi
        browser_send_ "$S,\"method\":\"Page.navigate\",\"params\":{\"url\":\"file://$page\"}" &&
            browser_answer_ || ok=1
        while [ $ok -eq 0 ]; do
            IFS= read -r -d '' -t 30 msg <&6 || { echo "browser: $page never loaded" >&2; ok=1; }
            printf '%s\n' "$msg" >>"$BROWSER_OUT.events"
            case $msg in *'"method":"Page.loadEventFired"'*) break ;; esac
        done
        # The expression as a JSON string: backslashes and quotes escaped, one line.
        expr=$(printf '%s' "$js" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr '\n\t' '  ')
        if [ $ok -eq 0 ] &&
            browser_send_ "$S,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"$expr\",\"returnByValue\":true,\"awaitPromise\":true}" &&
            browser_answer_; then
            if [[ $BROWSER_REPLY =~ $re_string ]]; then
                printf '%s\n' "${BASH_REMATCH[1]}" >"$BROWSER_OUT.result"
            else
                echo "browser: the check gave no plain string: $BROWSER_REPLY" >&2
                ok=1
            fi
            # The check forced layout, and what layout logs (an invalid SVG
            # attribute) can come after its answer: one more round trip to the
            # page, so that it is recorded before the browser closes.
            browser_send_ "$S,\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\"0\"}" &&
                browser_answer_ || ok=1
            # The round trip does not always suffice (a log entry arrived
            # later in one CI run): also whatever comes within a second of it.
            local late=0
            while [ $late -lt 1000 ] && IFS= read -r -d '' -t 1 msg <&6; do
                printf '%s\n' "$msg" >>"$BROWSER_OUT.events"
                late=$((late + 1))
            done
        fi
    fi
    { browser_send_ ',"method":"Browser.close"' && browser_answer_; } >/dev/null 2>&1 ||
        kill "$pid" 2>/dev/null
    wait "$pid"
    exec 5>&- 6<&-
    [ $ok -eq 0 ] || { cat "$BROWSER_OUT.stderr" >&2; return 1; }
}

browser_problems() {
    awk -v page="file://$1" '
        function url(s) {
            return match(s, /"request":[{]"url":"[^"]*"/) ? substr(s, RSTART + 18, RLENGTH - 19) : "?"
        }
        # data: URLs hold what they load (the browser draws its media
        # controls from some); anything else is a request out of the page.
        /"method":"Network.requestWillBeSent"/ && url($0) != page && url($0) !~ /^data:/ { print "request: " url($0) }
        /"method":"Network.loadingFailed"/ { print "failed load: " substr($0, 1, 300) }
        /"method":"Runtime.consoleAPICalled"/ { print "console: " substr($0, 1, 300) }
        /"method":"Runtime.exceptionThrown"/ { print "exception: " substr($0, 1, 300) }
        /"method":"Log.entryAdded"/ && /"level":"(error|warning)"/ { print "log: " substr($0, 1, 300) }
    ' "$2.events"
}
