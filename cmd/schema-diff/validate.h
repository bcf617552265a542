/*
 * validate.h: reject a snapshot whose object lists are malformed, exiting
 * EX_DATAERR (65) with the file and the place, before any comparison.
 */
#ifndef SCHEMA_DIFF_VALIDATE_H
#define SCHEMA_DIFF_VALIDATE_H

#include "doc.h"

void	validate_snapshot(const struct doc *d);

#endif
