/*
 * stats: each table's `stats` evidence, read with the tables (tables.c).
 * A partitioned table has no storage or counters of its own, so it sums
 * those of its leaf partitions, at any depth.
 */
#include "json.h"
#include "snapshot.h"

static void
add_to_ancestors(struct snap *s, const struct rel *leaf)
{
	unsigned parent = leaf->parent;
	struct rel *p;

	/* depth is bounded by the partition tree; a loop cannot occur */
	while (parent != 0 && (p = rel_find(s, parent)) != NULL) {
		p->has_stats = 1;
		p->st_rows += leaf->st_rows;
		p->st_bytes += leaf->st_bytes;
		p->st_seq += leaf->st_seq;
		p->st_idx += leaf->st_idx;
		p->st_live += leaf->st_live;
		parent = p->parent;
	}
}

void
stats_finish(struct snap *s)
{
	size_t i;

	if (s->opts->stats) {
		for (i = 0; i < s->nrels; i++)
			if (s->rels[i].relkind == 'p')
				s->rels[i].st_rows = s->rels[i].st_bytes =
				    s->rels[i].st_seq = s->rels[i].st_idx =
				    s->rels[i].st_live = 0;
		for (i = 0; i < s->nrels; i++)
			if (s->rels[i].relkind != 'p' &&
			    s->rels[i].relkind != 'v' &&
			    s->rels[i].relkind != 'm' && s->rels[i].has_stats)
				add_to_ancestors(s, &s->rels[i]);
	}
	for (i = 0; i < s->nrels; i++) {
		struct rel *r = &s->rels[i];
		cJSON *o;

		if (r->obj == NULL || r->relkind == 'v' || r->relkind == 'm')
			continue;
		if (!r->has_stats) {
			obj_add(r->obj, "stats", cJSON_CreateNull());
			continue;
		}
		o = cJSON_CreateObject();
		obj_add(o, "rows", json_int64_item(r->st_rows));
		obj_add(o, "total_bytes", json_int64_item(r->st_bytes));
		obj_add(o, "seq_scan", json_int64_item(r->st_seq));
		obj_add(o, "idx_scan", json_int64_item(r->st_idx));
		obj_add(o, "n_live_tup", json_int64_item(r->st_live));
		obj_add(o, "last_analyze_at", r->relkind == 'p' ||
		    r->st_analyzed == NULL ? cJSON_CreateNull() :
		    cJSON_CreateString(r->st_analyzed));
		obj_add(r->obj, "stats", o);
	}
}
