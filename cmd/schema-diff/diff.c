/*
 * diff.c: the diff document.  Compares prod with staging (forward) and
 * staging with prod (reverse), gives each forward change the SQL of its
 * reverse counterpart as rollback, adds prod's evidence, and assembles the
 * document of formats.md.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "xalloc.h"

static void
run(struct ctx *x, const cJSON *from, const cJSON *to, int reverse,
    struct changes *out, const struct filter *f)
{
	struct changes all = { 0 };
	size_t i;

	memset(x, 0, sizeof(*x));
	x->from = from;
	x->to = to;
	x->reverse = reverse;
	x->out = &all;
	objidx_build(&x->from_tables, json_arr(from, "tables"));
	objidx_build(&x->to_tables, json_arr(to, "tables"));
	objidx_build(&x->from_views, json_arr(from, "views"));
	objidx_build(&x->to_views, json_arr(to, "views"));
	objidx_build(&x->from_types, json_arr(from, "types"));
	objidx_build(&x->to_types, json_arr(to, "types"));
	/* tables first: the others consult its renames */
	diff_schemas(x);
	diff_extensions(x);
	diff_tables(x);
	diff_types(x);
	diff_sequences(x);
	diff_functions(x);
	diff_views(x);
	for (i = 0; i < all.n; i++) {
		if (filter_keep(f, all.v[i]))
			changes_add(out, all.v[i]);
		else
			change_free(all.v[i]);
	}
	free(all.v);
	changes_sort(out);
}

/*
 * The name a reverse-side object has on the forward side: the reverse
 * side names things in a renamed table by prod's table name.
 */
static char *
forward_name(const struct ctx *fwd, const char *obj)
{
	size_t i;

	for (i = 0; i < fwd->nren; i++) {
		const char *from = fwd->ren_from[i];
		size_t n = strlen(from);
		const char *p = obj, *colon = strchr(obj, ':');

		if (colon && strncmp(colon + 1, from, n) == 0)
			p = colon + 1;
		if (strncmp(p, from, n) == 0 && (p[n] == '.' || p[n] == ':')) {
			struct buf b = BUF_INIT;

			buf_add(&b, obj, (size_t)(p - obj));
			buf_addstr(&b, fwd->ren_to[i]);
			buf_addstr(&b, p + n);
			return buf_detach(&b, NULL);
		}
	}
	return xstrdup(obj);
}

static enum op
inverse(enum op op)
{
	return op == OP_ADD ? OP_DROP : op == OP_DROP ? OP_ADD : op;
}

static void
match_reverse(const struct ctx *fwd, struct changes *f,
    const struct changes *r)
{
	size_t i, j;
	char **names = xcalloc(r->n + 1, sizeof(*names));

	for (j = 0; j < r->n; j++)
		names[j] = forward_name(fwd, r->v[j]->object);
	for (i = 0; i < f->n; i++) {
		struct change *c = f->v[i];

		for (j = 0; j < r->n; j++) {
			const struct change *o = r->v[j];

			if (strcmp(c->kind, o->kind) != 0 ||
			    o->op != inverse(c->op))
				continue;
			if (c->op == OP_RENAME ? (o->renamed_from &&
			    strcmp(c->object, o->renamed_from) == 0 &&
			    strcmp(c->renamed_from, o->object) == 0) :
			    strcmp(c->object, names[j]) == 0) {
				c->reverse = r->v[j];
				break;
			}
		}
	}
	for (j = 0; j < r->n; j++)
		free(names[j]);
	free(names);
}

static char *
make_pair(const cJSON *prod, const cJSON *staging, const char *given)
{
	const cJSON *from = json_obj(prod, "source");
	const cJSON *to = json_obj(staging, "source");
	struct buf b = BUF_INIT;
	size_t i;

	if (given)
		buf_addstr(&b, given);
	else
		buf_addf(&b, "%s-%s-%s", json_str(to, "label") ?
		    json_str(to, "label") : "", json_str(from, "label") ?
		    json_str(from, "label") : "", json_str(from, "database") ?
		    json_str(from, "database") : "");
	for (i = 0; i < b.len; i++) {
		unsigned char ch = (unsigned char)b.data[i];

		if (ch >= 'A' && ch <= 'Z')
			b.data[i] = (char)(ch - 'A' + 'a');
		else if (!((ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-'))
			b.data[i] = '-';
	}
	return buf_detach(&b, NULL);
}

static cJSON *
summary(const struct changes *l)
{
	cJSON *s = cJSON_CreateObject(), *by = cJSON_CreateObject();
	size_t counts[4] = { 0 }, i;

	for (i = 0; i < l->n; i++)
		counts[l->v[i]->op]++;
	cJSON_AddItemToObject(s, "changes", json_int64_item((int64_t)l->n));
	for (i = 0; i < 4; i++)
		cJSON_AddItemToObject(by, op_name((enum op)i),
		    json_int64_item((int64_t)counts[i]));
	cJSON_AddItemToObject(s, "by_op", by);
	return s;
}

static cJSON *
dup_source(const cJSON *snap)
{
	const cJSON *s = json_obj(snap, "source");

	return s ? cJSON_Duplicate(s, 1) : cJSON_CreateNull();
}

cJSON *
diff_snapshots(const cJSON *prod, const cJSON *staging,
    const struct filter *f, const char *pair, size_t *nchanges)
{
	struct ctx fwd, rev;
	struct changes fl = { 0 }, rl = { 0 };
	struct evidx *ev;
	cJSON *doc = cJSON_CreateObject(), *arr;
	char *s;
	size_t i;

	run(&fwd, prod, staging, 0, &fl, f);
	run(&rev, staging, prod, 1, &rl, f);
	match_reverse(&fwd, &fl, &rl);
	ev = evidence_index(prod);
	for (i = 0; i < fl.n; i++)
		evidence_add(fl.v[i], ev);
	evidence_free(ev);

	cJSON_AddStringToObject(doc, "kind", "diff");
	cJSON_AddItemToObject(doc, "version", json_int64_item(1));
	cJSON_AddItemToObject(doc, "from", dup_source(prod));
	cJSON_AddItemToObject(doc, "to", dup_source(staging));
	s = make_pair(prod, staging, pair);
	json_add_str(doc, "pair", s);
	free(s);
	s = fingerprint(&fl);
	json_add_str(doc, "fingerprint", s);
	free(s);
	cJSON_AddItemToObject(doc, "summary", summary(&fl));
	s = script_build(&fl);
	arr = cJSON_AddArrayToObject(doc, "changes");
	for (i = 0; i < fl.n; i++)
		cJSON_AddItemToArray(arr, change_json(fl.v[i]));
	json_add_str(doc, "forward_script", s);
	free(s);
	s = script_build(&rl);
	json_add_str(doc, "rollback_script", s);
	free(s);

	*nchanges = fl.n;
	changes_release(&fl);
	changes_release(&rl);
	ctx_release(&fwd);
	ctx_release(&rev);
	return doc;
}
