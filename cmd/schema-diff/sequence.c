/*
 * sequence.c: sequences.
 *
 * A sequence owned by a column goes away with the column or its table, so
 * when that column or table is dropped in the same diff the explicit drop
 * says IF EXISTS.  Identity columns own sequences PostgreSQL manages
 * itself; those are compared as the column's identity, not here.  On the
 * rollback side a re-created sequence is set back to prod's last_value.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

/* The column (table object and column object) a sequence is owned by. */
static const cJSON *
owner_column(const struct objidx *tables, const char *owned,
    const cJSON **tablep)
{
	char *parts[3];
	int i, n;
	const cJSON *t = NULL, *col = NULL;

	if (owned == NULL)
		return NULL;
	n = sql_split_name(owned, parts, 3);
	if (n == 3) {
		char *tq = sql_qualified(parts[0], parts[1]);

		t = objidx_find(tables, tq);
		col = find_bare(json_arr(t, "columns"), parts[2]);
		free(tq);
	}
	for (i = 0; i < n; i++)
		free(parts[i]);
	if (tablep)
		*tablep = t;
	return col;
}

static int
is_identity_seq(const struct objidx *tables, const cJSON *s)
{
	const cJSON *col = owner_column(tables, json_str(s, "owned_by"), NULL);

	return col && json_str(col, "identity") != NULL;
}

static void
add_opts(struct buf *b, const cJSON *s)
{
	const char *dt = json_str(s, "data_type");

	if (dt)
		buf_addf(b, " AS %s", dt);
	if (member(s, "increment"))
		buf_addf(b, " INCREMENT BY %lld",
		    (long long)json_int64(member(s, "increment")));
	if (member(s, "min"))
		buf_addf(b, " MINVALUE %lld",
		    (long long)json_int64(member(s, "min")));
	if (member(s, "max"))
		buf_addf(b, " MAXVALUE %lld",
		    (long long)json_int64(member(s, "max")));
	if (member(s, "start"))
		buf_addf(b, " START WITH %lld",
		    (long long)json_int64(member(s, "start")));
	if (member(s, "cache"))
		buf_addf(b, " CACHE %lld",
		    (long long)json_int64(member(s, "cache")));
	buf_addstr(b, json_true(s, "cycle") ? " CYCLE" : " NO CYCLE");
}

static void
owned_sql(struct change *c, const char *q, const cJSON *s)
{
	const char *o = json_str(s, "owned_by");
	char *oq = o ? sql_name(o) : NULL;

	change_sql(c, PH_SEQUENCE_OWNED, 0, "ALTER SEQUENCE %s OWNED BY %s;",
	    q, oq ? oq : "NONE");
	free(oq);
}

static void
one_sequence(struct ctx *x, const cJSON *a, const cJSON *b, void *arg)
{
	const char *name = json_str(a ? a : b, "name");
	char *q = sql_name(name);
	struct change *c;
	struct buf s = BUF_INIT;

	(void)arg;
	if ((a && is_identity_seq(&x->from_tables, a)) ||
	    (b && is_identity_seq(&x->to_tables, b))) {
		free(q);
		return;
	}
	if (a == NULL) {
		c = change_new("sequence", name, NULL, OP_ADD, NULL, b);
		buf_addf(&s, "CREATE SEQUENCE %s", q);
		add_opts(&s, b);
		buf_addch(&s, ';');
		change_sql_take(c, PH_SEQUENCE, 0, buf_detach(&s, NULL));
		if (json_str(b, "owned_by"))
			owned_sql(c, q, b);
		/* Only a rollback puts prod's position back. */
		if (x->reverse && member(b, "last_value")) {
			char *lit = sql_literal(q);

			change_sql(c, PH_SEQUENCE, 0, "SELECT pg_catalog.setval"
			    "(%s, %lld);", lit,
			    (long long)json_int64(member(b, "last_value")));
			free(lit);
		}
		meta_create(c, "SEQUENCE", q, b);
		changes_add(x->out, c);
	} else if (b == NULL) {
		const cJSON *t = NULL, *col;
		size_t k;
		int gone = 0;

		col = owner_column(&x->from_tables, json_str(a, "owned_by"),
		    &t);
		if (col) {
			const cJSON *tt = objidx_find(&x->to_tables,
			    ctx_renamed(x, json_str(t, "name")));

			gone = tt == NULL || find_named(json_arr(tt,
			    "columns"), json_str(col, "name")) == NULL;
			/* a renamed column keeps its sequence */
			for (k = 0; gone && tt && k < x->ncren; k++)
				if (strcmp(x->cren_table[k], json_str(tt,
				    "name")) == 0 && strcmp(x->cren_from[k],
				    json_str(col, "name")) == 0)
					gone = 0;
		}
		c = change_new("sequence", name, NULL, OP_DROP, a, NULL);
		change_sql(c, PH_DROP_SEQUENCE, 0, "DROP SEQUENCE %s%s;",
		    gone ? "IF EXISTS " : "", q);
		c->restores_data = member(a, "last_value") != NULL;
		changes_add(x->out, c);
	} else {
		static const char *const opts[] = { "data_type", "increment",
		    "min", "max", "start", "cache", "cycle" };
		size_t i;
		int any = 0;

		c = change_new("sequence", name, NULL, OP_ALTER, a, b);
		for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			any |= change_cmp(c, opts[i], a, b, opts[i]);
		if (any) {
			buf_addf(&s, "ALTER SEQUENCE %s", q);
			add_opts(&s, b);
			buf_addch(&s, ';');
			change_sql_take(c, PH_SEQUENCE, 0,
			    buf_detach(&s, NULL));
		}
		if (change_cmp(c, "owned_by", a, b, "owned_by"))
			owned_sql(c, q, b);
		meta_alter(x, c, "SEQUENCE", q, "sequence", name, a, b);
		meta_grants(x, "SEQUENCE", q, "sequence", name, NULL, a, b);
		changes_add_if(x->out, c);
	}
	free(q);
}

void
diff_sequences(struct ctx *x)
{
	pair_by_name(x, json_arr(x->from, "sequences"), json_arr(x->to,
	    "sequences"), one_sequence, NULL);
}
