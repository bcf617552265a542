/*
 * doc: reading and writing the pipeline's JSON documents.
 *
 * doc_read() reads a whole document from a file or "-" (stdin), checks that
 * it is well-formed UTF-8 JSON no deeper than DOC_MAX_DEPTH and no larger
 * than DOC_MAX_BYTES (or $DRIFT_MAX_INPUT_BYTES), that it is an object whose
 * "kind" and "version" are the expected ones, and exits EX_DATAERR (65)
 * naming the file, line and column otherwise; a missing file is EX_NOINPUT.
 *
 * Several documents may follow one another on stdin (schema-diff reads
 * prod then staging): doc_read_first() leaves what follows the document for
 * the next doc_read() of "-"; doc_read() requires that nothing but white
 * space follows.
 *
 * doc_write() prints a tree to stdout ("-") or to a file written atomically:
 * a temporary file in the same directory, renamed into place only when
 * complete, and removed if the program dies first.  Write errors (a full
 * disk, a closed pipe) exit EX_IOERR / EX_CANTCREAT.
 */
#ifndef DOC_H
#define DOC_H

#include <stdint.h>
#include <cjson/cJSON.h>

#define DOC_MAX_BYTES	((size_t)1 << 30)
#define DOC_MAX_DEPTH	512

struct doc {
	char	*path;		/* as given; "-" is shown as "stdin" */
	cJSON	*root;		/* owned; NULL after doc_release() */
};

void	doc_read(struct doc *d, const char *path, const char *kind,
	    int version);
void	doc_read_first(struct doc *d, const char *path, const char *kind,
	    int version);
/* Read a file that must be JSON of any shape (configs): no kind check. */
void	doc_read_any(struct doc *d, const char *path);
void	doc_release(struct doc *d);

/* Write `root` (compact, or indented when pretty) with a final newline. */
void	doc_write(const char *out, const cJSON *root, int pretty);
/* Write bytes atomically to `out` ("-" = stdout). */
void	doc_write_bytes(const char *out, const char *data, size_t len);

/*
 * Typed member access for validation: each exits EX_DATAERR with
 *   prog: FILE: WHERE: member "NAME" is missing | is a number, not a string
 * The `_opt_` forms accept an absent or null member and return NULL.
 */
const char	*doc_need_str(const struct doc *d, const cJSON *obj,
		    const char *where, const char *name);
const char	*doc_opt_str(const struct doc *d, const cJSON *obj,
		    const char *where, const char *name);
const cJSON	*doc_need_obj(const struct doc *d, const cJSON *obj,
		    const char *where, const char *name);
const cJSON	*doc_opt_obj(const struct doc *d, const cJSON *obj,
		    const char *where, const char *name);
const cJSON	*doc_need_arr(const struct doc *d, const cJSON *obj,
		    const char *where, const char *name);
const cJSON	*doc_opt_arr(const struct doc *d, const cJSON *obj,
		    const char *where, const char *name);
/* A number member; absent or null gives `dflt`. */
int64_t		 doc_opt_int(const struct doc *d, const cJSON *obj,
		    const char *where, const char *name, int64_t dflt);
int		 doc_opt_bool(const struct doc *d, const cJSON *obj,
		    const char *where, const char *name, int dflt);
/*
 * An array item must be an object: exit EX_DATAERR with
 *   prog: FILE: WHERE: is a string, not an object
 * where WHERE names the item (".changes[3]").
 */
void		 doc_need_item_obj(const struct doc *d, const cJSON *v,
		    const char *where);
/* Exit EX_DATAERR with "FILE: WHERE: message". */
_Noreturn void	 doc_fail(const struct doc *d, const char *where,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * The checks of doc_read() on text in memory, without exiting: returns the
 * document (the caller frees it with cJSON_Delete) or NULL with `err` set
 * to "line L, column C: what" or "document: what".  Parsing starts at
 * *off and *off is left after the document; `more` allows data to follow.
 * `kind` NULL accepts any object.
 */
cJSON	*doc_parse(const char *text, size_t len, size_t *off, int more,
	    const char *kind, int version, char *err, size_t errlen);

/* Read a whole file ("-" = stdin) with the size bound; exits on error. */
char	*doc_slurp(const char *path, size_t *lenp);

#endif
