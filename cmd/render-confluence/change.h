/*
 * change: one change of the review on the page, as a row of the summary
 * table and as its own section (facts, findings with evidence, forward and
 * rollback SQL, the safer alternative).
 */
#ifndef CHANGE_H
#define CHANGE_H

#include "markup.h"
#include "review.h"

/* The columns of change_row(), as table header cells. */
void	change_row_header(struct markup *m);
void	change_row(struct markup *m, const struct change *c);
void	change_section(struct markup *m, const struct change *c);

#endif
