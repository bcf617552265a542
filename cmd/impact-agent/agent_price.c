/*
 * agent_price: the estimated cost of a model pass, from a price table the
 * operator keeps (prices change; none are built in).  The table is JSON:
 *
 *   {"gpt-4.1": {"input": 2.00, "output": 8.00},
 *    "claude-*": {"input": 3.00, "output": 15.00}}
 *
 * in US dollars per million tokens; names are fnmatch(3) patterns, the
 * exact name first, else the first pattern in file order that matches.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "agent_impl.h"
#include "doc.h"
#include "json.h"

static double
per_million(const cJSON *p, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, name);

	return cJSON_IsNumber(v) && v->valuedouble >= 0 ? v->valuedouble : -1;
}

double
agent_price(const char *table, const char *model, long in, long out,
    struct buf *err)
{
	char *text = doc_slurp(table, NULL);
	cJSON *t = cJSON_Parse(text), *p, *hit = NULL;
	double pin, pout, cost = -2;

	free(text);
	if (!cJSON_IsObject(t)) {
		buf_addf(err, "price table %s: not a JSON object", table);
		cJSON_Delete(t);
		return -1;
	}
	hit = cJSON_GetObjectItemCaseSensitive(t, model);
	cJSON_ArrayForEach(p, t)
		if (hit == NULL && fnmatch(p->string, model, 0) == 0)
			hit = p;
	if (hit) {
		pin = per_million(hit, "input");
		pout = per_million(hit, "output");
		if (pin < 0 || pout < 0) {
			buf_addf(err, "price table %s: \"%s\" needs numbers "
			    "\"input\" and \"output\"", table, hit->string);
			cost = -1;
		} else
			cost = ((double)in * pin + (double)out * pout) / 1e6;
	}
	cJSON_Delete(t);
	return cost;
}
