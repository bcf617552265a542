/*
 * facts: how the review's coded values read on the page: lozenges for
 * severity, verdict and rollback risk, words for locks and rewrites,
 * sizes and durations for people.  Unknown codes are shown as they are
 * (escaped), never dropped, so a newer impact-agent still renders; a
 * NULL code is a grey UNKNOWN lozenge.
 */
#ifndef FACTS_H
#define FACTS_H

#include <stdint.h>

#include "buf.h"
#include "markup.h"

void	fact_severity(struct markup *m, const char *severity);
void	fact_verdict(struct markup *m, const char *verdict);
void	fact_rollback(struct markup *m, const char *risk);

/* "reads and writes" for "reads_and_writes": codes with spaces. */
void	fact_words(struct buf *b, const char *code);
/* 314572800 -> "300 MiB" */
void	fact_bytes(struct buf *b, int64_t bytes);
/* 1200000 -> "1,200,000" */
void	fact_count(struct buf *b, int64_t n);
/* 95.0 -> "about 2 min" */
void	fact_duration(struct buf *b, double seconds);

#endif
