/*
 * page: the layout of the review page, in the order a reviewer reads it:
 * verdict and headline, the two databases, contents, a table of every
 * change, the narrative, one section per change by severity, sign-off.
 * A review without changes gives a short "no drift" page.
 */
#ifndef PAGE_H
#define PAGE_H

#include "markup.h"
#include "review.h"

void	page_write(struct markup *m, const struct review *r);

#endif
