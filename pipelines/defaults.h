/* defaults.h — each pipeline's default configuration, compiled in.
 *
 * pipelines/NAME.conf is turned into a C string at build time (conf2c.sh),
 * so the defaults travel with the program: an installed asr needs no source
 * tree, and the files remain the documentation of the defaults and examples
 * for `asr train --config`.
 */
#ifndef ASR_PIPELINES_DEFAULTS_H
#define ASR_PIPELINES_DEFAULTS_H

/* The text of pipelines/NAME.conf, or NULL for an unknown pipeline. */
const char *pipeline_defaults(const char *name);

#endif
