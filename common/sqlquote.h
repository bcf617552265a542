/*
 * sqlquote: identifiers and literals quoted as PostgreSQL quotes them.
 *
 * sql_ident() follows quote_ident(): a name stays bare only when it is all
 * lower-case ASCII letters, digits, underscores (and not starting with a
 * digit) and is not a keyword other than an unreserved one; otherwise it is
 * double-quoted with embedded quotes doubled.  The keyword list is that of
 * PostgreSQL 15 plus the non-unreserved keywords added up to 17, so a name
 * that is a keyword in any supported server is quoted (quoting is always
 * safe; not quoting a keyword is not).
 *
 * sql_literal() follows quote_literal(): single quotes doubled, and an E''
 * string with backslashes doubled when the value holds a backslash.
 *
 * Functions appending to a buf cannot fail; those returning char * hand the
 * string to the caller, who frees it.
 */
#ifndef SQLQUOTE_H
#define SQLQUOTE_H

#include "buf.h"

int	 sql_needs_quote(const char *name);
void	 sql_add_ident(struct buf *b, const char *name);
void	 sql_add_literal(struct buf *b, const char *value);
char	*sql_ident(const char *name);
char	*sql_literal(const char *value);
/* schema.name with each part quoted as needed. */
char	*sql_qualified(const char *schema, const char *name);
/*
 * Split a qualified name as written in our documents (each part quoted only
 * where needed, e.g. public."Order Items") into its unquoted parts.  Returns
 * the number of parts found (at most `max`); parts are malloc'd.
 */
int	 sql_split_name(const char *qname, char **parts, int max);

#endif
