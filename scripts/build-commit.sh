#!/bin/sh
# build-commit.sh SRCDIR — the commit the build is made from, for reports'
# provenance: the abbreviated hash of HEAD with "-dirty" when tracked files
# have uncommitted changes, when SRCDIR is the top of a git checkout; from a
# tarball, the .commit file `make dist` wrote (a tarball unpacked inside
# some other repository must not take that one's commit); else "unknown".
# Prints one line.
srcdir=${1:-.}
top=$(git -C "$srcdir" rev-parse --show-toplevel 2>/dev/null) &&
    [ "$top" = "$(cd "$srcdir" && pwd -P)" ] && c=$(git -C "$srcdir" rev-parse --short=12 HEAD 2>/dev/null)
if [ -n "${c:-}" ]; then
    git -C "$srcdir" diff --quiet HEAD -- 2>/dev/null || c=$c-dirty
    echo "$c"
elif [ -s "$srcdir/.commit" ]; then
    head -n 1 "$srcdir/.commit"
else
    echo unknown
fi
