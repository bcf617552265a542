/*
 * secret: read tokens from NAME or NAME_FILE.  Files are limited to 64 KiB,
 * far above any real token, so a mistaken path cannot pull in a huge file.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "secret.h"
#include "xalloc.h"

char *
secret_get(const char *name)
{
	struct buf var = BUF_INIT;
	const char *val = getenv(name), *file;
	char *s = NULL;
	FILE *fp;
	size_t n;

	buf_addf(&var, "%s_FILE", name);
	file = getenv(var.data);
	if (val && *val && file && *file)
		errx(EX_CONFIG, "both %s and %s are set; set one", name,
		    var.data);
	if (val && *val) {
		s = xstrdup(val);
		goto out;
	}
	if (file == NULL || *file == '\0')
		goto out;
	if ((fp = fopen(file, "rb")) == NULL)
		err(EX_CONFIG, "%s: %s", var.data, file);
	s = xmalloc(65537);
	n = fread(s, 1, 65536, fp);
	if (ferror(fp))
		err(EX_CONFIG, "%s: %s", var.data, file);
	fclose(fp);
	s[n] = '\0';
	if (n > 0 && s[n - 1] == '\n')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '\r')
		s[--n] = '\0';
	if (n == 0 || strchr(s, '\n') != NULL || strlen(s) != n)
		errx(EX_CONFIG, "%s: %s: expected one line holding the "
		    "secret", var.data, file);
out:
	buf_release(&var);
	return s;
}

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	for (volatile char *p = s; *p; p++)
		*p = '\0';
	free(s);
}
