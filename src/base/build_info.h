/* build_info.h — what this build of asr is: version and commit, for the
 * provenance reports record and `asr --version`. */
#ifndef ASR_BASE_BUILD_INFO_H
#define ASR_BASE_BUILD_INFO_H

/* The package version (configure.ac). */
const char *build_version(void);
/* The commit the build was made from (scripts/build-commit.sh): an
 * abbreviated hash, "-dirty" appended when the tree had uncommitted
 * changes, or "unknown". */
const char *build_commit(void);

#endif
