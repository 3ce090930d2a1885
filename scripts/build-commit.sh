#!/bin/sh
# build-commit.sh SRCDIR — the commit the build is made from, for reports'
# provenance: `git describe`'s abbreviated hash with "-dirty" when the tree
# has uncommitted changes; from a tarball, the .commit file `make dist`
# wrote; otherwise "unknown". Prints one line.
srcdir=${1:-.}
if c=$(git -C "$srcdir" rev-parse --short=12 HEAD 2>/dev/null); then
    git -C "$srcdir" diff --quiet HEAD -- 2>/dev/null || c=$c-dirty
    echo "$c"
elif [ -s "$srcdir/.commit" ]; then
    head -n 1 "$srcdir/.commit"
else
    echo unknown
fi
