#!/bin/sh
# layers.sh — the library's layers include only downwards (docs/ARCHITECTURE.md):
#   base <- text <- signal <- nn <- decode <- pipelines <- recognizer <- report <- api <- cli
# Every "#include" of every file under src/ and pipelines/ names a header by
# its layer ("base/error.h"); a file may include its own layer and those below,
# never one above. Prints every violation as FILE:LINE and fails if any.
src=${srcdir:-.}
cd "$src" || exit 1
awk '
BEGIN {
    n = split("base text signal nn decode pipelines recognizer report api cli", order, " ")
    for (i = 1; i <= n; i++) rank[order[i]] = i
}
function layer(path,   parts) {
    split(path, parts, "/")
    return parts[1] == "src" ? parts[2] : parts[1]
}
FNR == 1 { mine = layer(FILENAME) }
/^[ \t]*#[ \t]*include[ \t]*"/ {
    inc = $0
    sub(/^[^"]*"/, "", inc)
    sub(/".*$/, "", inc)
    # What configure and make generate at the top of the build tree.
    if (inc == "config.h" || inc == "build-commit.h" || inc == "build-dirs.h") next
    if (index(inc, "/") == 0) {
        printf "%s:%d: \"%s\" does not name its layer (write \"LAYER/%s\")\n", FILENAME, FNR, inc, inc
        bad++
        next
    }
    split(inc, p, "/")
    if (!(p[1] in rank)) {
        printf "%s:%d: \"%s\": %s is not a layer\n", FILENAME, FNR, inc, p[1]
        bad++
    } else if (rank[p[1]] > rank[mine]) {
        printf "%s:%d: %s includes \"%s\" from the layer above it (%s > %s)\n", FILENAME, FNR,
            FILENAME, inc, p[1], mine
        bad++
    }
    files[FILENAME] = 1
}
END {
    nf = 0
    for (f in files) nf++
    if (bad) { printf "layers: %d include(s) against the direction\n", bad; exit 1 }
    if (nf < 50) { printf "layers: only %d files with includes found: wrong directory?\n", nf; exit 1 }
    printf "layers: %d files, every include downwards\n", nf
}' $(find src pipelines -name '*.[ch]' | sort)
