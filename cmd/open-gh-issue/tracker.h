/*
 * tracker: where sign-off issues live.  Two implementations share the
 * life of an issue that sync.c decides: github.c (the REST API) and
 * outbox.c (Markdown files in $DRIFT_OUTBOX).
 *
 * Each operation either succeeds or ends the program with the exit status
 * of the pipeline spec; none returns an error.  A struct issue owns its
 * strings and label array; issue_release() frees them.
 */
#ifndef TRACKER_H
#define TRACKER_H

#include <cjson/cJSON.h>

struct issue {
	long	 number;	/* 0 in the outbox */
	char	*url;		/* html_url, or file:// in the outbox */
	char	*body;		/* NULL when empty */
	cJSON	*labels;	/* array of label names */
};

struct post {
	const char *pair;
	const char *fingerprint;
	char	*title;
	char	*body;
	cJSON	*labels;	/* names to set */
	cJSON	*assignees;	/* logins, used on create only */
};

struct tracker {
	/* Find the open issue whose body carries the marker of `pair`. */
	int	(*find)(struct tracker *t, const char *pair, struct issue *is);
	/* Open a new issue from `p` into `is`. */
	void	(*create)(struct tracker *t, const struct post *p,
		    struct issue *is);
	/* Replace title, body and labels of `is` with those of `p`. */
	void	(*update)(struct tracker *t, struct issue *is,
		    const struct post *p);
	/*
	 * Add comment `text` unless a comment starting with `marker` is
	 * there already (a re-run after a crash must not repeat it).
	 */
	void	(*comment)(struct tracker *t, struct issue *is,
		    const char *marker, const char *text);
	void	(*close)(struct tracker *t, struct issue *is);
};

void	issue_release(struct issue *is);
/* 1 when the array `labels` holds `name`; GitHub ignores case in labels. */
int	label_in(const cJSON *labels, const char *name);

#endif
