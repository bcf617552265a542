/*
 * secret: tokens from the environment, never from the command line.
 *
 * secret_get("GITHUB_TOKEN") returns $GITHUB_TOKEN, or the contents of the
 * file named by $GITHUB_TOKEN_FILE with one trailing newline (and CR)
 * stripped, or NULL when neither is set.  Setting both is a configuration
 * error (EX_CONFIG), as is an unreadable or empty file; the message names
 * the variable and the file, never the value.  The caller frees the result
 * with secret_free(), which clears it first.
 */
#ifndef SECRET_H
#define SECRET_H

char	*secret_get(const char *name);
void	 secret_free(char *s);

#endif
