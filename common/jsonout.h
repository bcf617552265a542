/*
 * jsonout: write a cJSON tree as compact JSON, exactly as
 * cJSON_PrintUnformatted() would, through a small buffer to a sink, so a
 * document of tens of megabytes is never held as one string.
 */
#ifndef JSONOUT_H
#define JSONOUT_H

#include <stddef.h>
#include <cjson/cJSON.h>

struct buf;

/* Called with each piece of the text, in order. */
typedef void (*json_sink)(void *ctx, const char *data, size_t len);

void	 json_emit(const cJSON *v, json_sink sink, void *ctx);
/* The whole text as one string; the caller frees it with free(3). */
char	*json_compact(const cJSON *v);
/* Append `s` as a JSON string, escaped as above; NULL appends null. */
void	 json_buf_string(struct buf *b, const char *s);

#endif
