#!/bin/sh
# conf2c.sh NAME.conf... — the pipelines' default configurations as C
# strings: what `make` writes to pipelines/defaults.c, so that asr carries
# its defaults and needs no source tree once installed. The .conf files stay
# the one place they are written (and examples for asr train --config).
set -e
cat <<'HEAD'
/* defaults.c — generated from pipelines/NAME.conf by pipelines/conf2c.sh
 * (a make rule); do not edit. See pipelines/defaults.h. */
#include "pipelines/defaults.h"

#include <string.h>

static const struct {
    const char *name, *text;
} table[] = {
HEAD
for f in "$@"; do
    name=$(basename "$f" .conf)
    printf '    {"%s",\n' "$name"
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/     "/' -e 's/$/\\n"/' "$f"
    printf '    },\n'
done
cat <<'TAIL'
};

const char *pipeline_defaults(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(table[i].name, name)) return table[i].text;
    return NULL;
}
TAIL
