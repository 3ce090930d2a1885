/* io_set.h — what a command reads and writes, so that no output of it
 * replaces an input or another output.
 *
 * `asr decode --model m.mdl --stats m.mdl` would replace the model with its
 * summary, `asr eval --model Q/report.json --out Q` the model with the
 * report, `asr decode --out h.txt --stats h.txt` the hypotheses with the
 * summary. Every command keeps one io_set:
 *
 *   inputs    every file and directory it reads, by whatever name it was
 *             given them (the option table declares the options and
 *             operands that name inputs; the library adds what it finds,
 *             e.g. a data directory's files and audio);
 *   outputs   every file and directory it writes, declared before anything
 *             is written (the option table declares the options and
 *             operands; the library the files it puts inside an output
 *             directory, e.g. report.json, EXP/final.mdl, OUT/text).
 *
 * Whichever of an input and an output is added second is checked against
 * the others at once, so a clash is refused as soon as both are known,
 * before any work, naming both. Identity is the file itself (device and
 * inode, symlinks followed), so another name for a file, a symlink or a hard
 * link, is caught; a file that does not exist yet is known by its canonical
 * path (its parent's real path and its name).
 *
 * Clashes:
 *   an output is an input;
 *   two outputs are one file (an output directory may be declared again,
 *   e.g. by the library after the command line: it is one directory);
 *   an output directory is an input directory, or, when it is replaced
 *   whole (staged, --force), holds an input.
 * Standard output ("-"), character devices and FIFOs are written in place
 * and replace nothing: they clash with nothing.
 *
 * Writers (base/atomic_file.h, model files, staged directories) claim every
 * path before writing it: a path that is neither a declared output nor
 * inside a declared output directory is refused, so an output a command
 * forgot to declare cannot be written, let alone over an input.
 */
#ifndef ASR_IO_SET_H
#define ASR_IO_SET_H

typedef struct io_file io_file;

typedef struct {
    io_file *in, *out;
    int nin, nout, capin, capout;
} io_set;

void io_set_init(io_set *s);
void io_set_free(io_set *s);

/* Note PATH (a file or directory) as an input; a path that does not exist
 * is not an input of anything and is ignored. -1 naming both when it is one
 * of the outputs (or lies in an output directory that is replaced). */
int io_set_input(io_set *s, const char *path) __attribute__((warn_unused_result));

/* Declare PATH an output file, written by WHAT (an option such as
 * "--stats", an operand such as "OUT", or "the report"): -1 naming both
 * when it is an input or another output (declaring it again for the same
 * WHAT is one output). */
int io_set_output(io_set *s, const char *path, const char *what)
    __attribute__((warn_unused_result));

/* Declare DIR an output directory (files are written inside it); REPLACE:
 * it is removed and made anew, so no input may lie inside. Declaring a
 * directory again (with REPLACE, say) updates the one declaration. */
int io_set_output_dir(io_set *s, const char *dir, const char *what, int replace)
    __attribute__((warn_unused_result));

/* Before writing PATH (a file, or a directory made or replaced): -1 unless
 * it is a declared output or lies inside a declared output directory, and
 * is no input. S may be NULL: nothing was declared. */
int io_set_claim(const io_set *s, const char *path) __attribute__((warn_unused_result));

#endif
