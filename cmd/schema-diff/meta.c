/*
 * meta.c: what every object kind carries besides its definition: owner,
 * comment and grants.  Owner and comment are attributes of the object's
 * own change (a comment that changes alone is a change of kind "comment");
 * each grantee whose privileges differ is a change of kind "grant".
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "json.h"
#include "sqlquote.h"
#include "xalloc.h"

/* The object class word of GRANT for the word of ALTER/COMMENT. */
static const char *
grant_kind(const char *sqlkind)
{
	if (strcmp(sqlkind, "VIEW") == 0 ||
	    strcmp(sqlkind, "MATERIALIZED VIEW") == 0 ||
	    strcmp(sqlkind, "FOREIGN TABLE") == 0)
		return "TABLE";
	if (strcmp(sqlkind, "AGGREGATE") == 0)
		return "FUNCTION";
	return sqlkind;
}

void
sql_add_role(struct buf *b, const char *role)
{
	if (strcmp(role, "public") == 0)
		buf_addstr(b, "PUBLIC");
	else
		sql_add_ident(b, role);
}

char *
sql_comment(const char *sqlkind, const char *sqlname, const char *comment)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "COMMENT ON %s %s IS ", sqlkind, sqlname);
	if (comment)
		sql_add_literal(&b, comment);
	else
		buf_addstr(&b, "NULL");
	buf_addch(&b, ';');
	return buf_detach(&b, NULL);
}

static void
add_privs(struct buf *b, const cJSON *privs)
{
	const cJSON *p;
	int first = 1;

	cJSON_ArrayForEach(p, privs) {
		if (!cJSON_IsString(p))
			continue;
		if (!first)
			buf_addstr(b, ", ");
		buf_addstr(b, p->valuestring);
		first = 0;
	}
}

static void
grant_stmt(struct buf *b, const char *verb, const char *sqlkind,
    const char *sqlname, const cJSON *privs, const char *grantee,
    int grantable)
{
	int revoke = strcmp(verb, "REVOKE") == 0;

	buf_addf(b, "%s ", revoke && grantable ? "REVOKE GRANT OPTION FOR" :
	    verb);
	add_privs(b, privs);
	buf_addf(b, " ON %s %s %s ", grant_kind(sqlkind), sqlname,
	    revoke ? "FROM" : "TO");
	sql_add_role(b, grantee);
	if (!revoke && grantable)
		buf_addstr(b, " WITH GRANT OPTION");
	buf_addch(b, ';');
}

void
sql_add_grant(struct buf *b, const char *sqlkind, const char *sqlname,
    const cJSON *grant)
{
	grant_stmt(b, "GRANT", sqlkind, sqlname, json_arr(grant,
	    "privileges"), json_str(grant, "grantee"),
	    json_true(grant, "grantable"));
}

static int
has_grantee(const cJSON *grants, const char *who)
{
	const cJSON *g;

	cJSON_ArrayForEach(g, grants) {
		const char *n = json_str(g, "grantee");

		if (n && strcmp(n, who) == 0)
			return 1;
	}
	return 0;
}

static int
public_by_default(const char *sqlkind)
{
	return strcmp(sqlkind, "FUNCTION") == 0 ||
	    strcmp(sqlkind, "PROCEDURE") == 0 ||
	    strcmp(sqlkind, "AGGREGATE") == 0 ||
	    strcmp(sqlkind, "TYPE") == 0 || strcmp(sqlkind, "DOMAIN") == 0;
}

void
meta_create(struct change *c, const char *sqlkind, const char *sqlname,
    const cJSON *obj)
{
	const char *owner = json_str(obj, "owner");
	const char *comment = json_str(obj, "comment");
	const cJSON *g;

	if (owner) {
		struct buf b = BUF_INIT;

		buf_addf(&b, "ALTER %s %s OWNER TO ", sqlkind, sqlname);
		sql_add_ident(&b, owner);
		buf_addch(&b, ';');
		change_sql_take(c, PH_GRANT, 0, buf_detach(&b, NULL));
	}
	/*
	 * Functions and types start out usable by PUBLIC; a non-empty grant
	 * list is the whole ACL, so PUBLIC missing from it was revoked.
	 */
	if (cJSON_GetArraySize(json_arr(obj, "grants")) > 0 &&
	    !has_grantee(json_arr(obj, "grants"), "public") &&
	    public_by_default(sqlkind)) {
		struct buf b = BUF_INIT;

		buf_addf(&b, "REVOKE ALL ON %s %s FROM PUBLIC;",
		    grant_kind(sqlkind), sqlname);
		change_sql_take(c, PH_GRANT, 0, buf_detach(&b, NULL));
	}
	cJSON_ArrayForEach(g, json_arr(obj, "grants")) {
		struct buf b = BUF_INIT;

		if (json_str(g, "grantee") == NULL)
			continue;
		sql_add_grant(&b, sqlkind, sqlname, g);
		change_sql_take(c, PH_GRANT, 0, buf_detach(&b, NULL));
	}
	if (comment)
		change_sql_take(c, PH_COMMENT, 0,
		    sql_comment(sqlkind, sqlname, comment));
}

void
meta_alter(struct ctx *x, struct change *c, const char *sqlkind,
    const char *sqlname, const char *kind, const char *name,
    const cJSON *a, const cJSON *b)
{
	if (change_cmp(c, "owner", a, b, "owner") && json_str(b, "owner")) {
		struct buf s = BUF_INIT;

		buf_addf(&s, "ALTER %s %s OWNER TO ", sqlkind, sqlname);
		sql_add_ident(&s, json_str(b, "owner"));
		buf_addch(&s, ';');
		change_sql_take(c, PH_GRANT, 0, buf_detach(&s, NULL));
	}
	meta_comment(x, c, sqlkind, sqlname, kind, name, a, b);
}

void
meta_comment(struct ctx *x, struct change *c, const char *sqlkind,
    const char *sqlname, const char *kind, const char *name,
    const cJSON *a, const cJSON *b)
{
	const char *cb = json_str(b, "comment");
	struct change *cc;
	char *obj;

	if (json_equal(member(a, "comment"), member(b, "comment")))
		return;
	if (cJSON_GetArraySize(c->attrs) > 0 || c->op == OP_RENAME) {
		change_attr(c, "comment", member(a, "comment"),
		    member(b, "comment"));
		change_sql_take(c, PH_COMMENT, 0,
		    sql_comment(sqlkind, sqlname, cb));
		return;
	}
	obj = xmalloc(strlen(kind) + strlen(name) + 2);
	strcpy(obj, kind);
	strcat(obj, ":");
	strcat(obj, name);
	cc = change_new("comment", obj, c->table, OP_ALTER, a, b);
	free(obj);
	change_attr(cc, "comment", member(a, "comment"), member(b, "comment"));
	change_sql_take(cc, PH_COMMENT, 0, sql_comment(sqlkind, sqlname, cb));
	changes_add(x->out, cc);
}

/* Privileges as shown in attributes: "SELECT", "SELECT WITH GRANT OPTION" */
static cJSON *
shown_privs(const cJSON *g)
{
	cJSON *arr;
	const cJSON *p;

	if (g == NULL)
		return NULL;
	arr = cJSON_CreateArray();
	cJSON_ArrayForEach(p, json_arr(g, "privileges")) {
		struct buf b = BUF_INIT;

		if (!cJSON_IsString(p))
			continue;
		buf_addstr(&b, p->valuestring);
		if (json_true(g, "grantable"))
			buf_addstr(&b, " WITH GRANT OPTION");
		json_push_str(arr, b.data);
		buf_release(&b);
	}
	return arr;
}

/* The privileges of `a` that `b` lacks. */
static cJSON *
priv_minus(const cJSON *a, const cJSON *b)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *p;

	cJSON_ArrayForEach(p, a)
		if (cJSON_IsString(p) && json_str_index(b, p->valuestring) < 0)
			json_push_str(out, p->valuestring);
	return out;
}

static const cJSON *
find_grantee(const cJSON *grants, const char *who)
{
	const cJSON *g;

	cJSON_ArrayForEach(g, grants) {
		const char *n = json_str(g, "grantee");

		if (n && strcmp(n, who) == 0)
			return g;
	}
	return NULL;
}

static void
grant_change(struct ctx *x, const char *sqlkind, const char *sqlname,
    const char *kind, const char *name, const char *table,
    const cJSON *ga, const cJSON *gb, const char *who)
{
	struct buf obj = BUF_INIT, s = BUF_INIT;
	const cJSON *pa = json_arr(ga, "privileges");
	const cJSON *pb = json_arr(gb, "privileges");
	int gra = json_true(ga, "grantable"), grb = json_true(gb, "grantable");
	cJSON *sa = shown_privs(ga), *sb = shown_privs(gb), *d;
	struct change *c;

	if (json_equal(sa, sb)) {
		cJSON_Delete(sa);
		cJSON_Delete(sb);
		return;
	}
	buf_addf(&obj, "%s:%s:%s", kind, name, who);
	c = change_new("grant", obj.data, table, ga == NULL ? OP_ADD :
	    gb == NULL ? OP_DROP : OP_ALTER, ga, gb);
	buf_release(&obj);
	change_attr(c, "privileges", sa, sb);
	cJSON_Delete(sa);
	cJSON_Delete(sb);

	/* Revoke what goes, then grant what comes. */
	d = priv_minus(pa, pb);
	if (cJSON_GetArraySize(d) > 0) {
		grant_stmt(&s, "REVOKE", sqlkind, sqlname, d, who, 0);
		change_sql_take(c, PH_GRANT, 0, buf_detach(&s, NULL));
	}
	cJSON_Delete(d);
	if (gra && !grb && gb) {
		grant_stmt(&s, "REVOKE", sqlkind, sqlname, pb, who, 1);
		change_sql_take(c, PH_GRANT, 0, buf_detach(&s, NULL));
	}
	d = grb && !gra ? cJSON_Duplicate(pb, 1) : priv_minus(pb, pa);
	if (cJSON_GetArraySize(d) > 0) {
		grant_stmt(&s, "GRANT", sqlkind, sqlname, d, who, grb);
		change_sql_take(c, PH_GRANT, 0, buf_detach(&s, NULL));
	}
	cJSON_Delete(d);
	changes_add(x->out, c);
}

/*
 * The grants PostgreSQL gives an object with the default ACL, for kinds
 * whose default lets PUBLIC in (EXECUTE on functions, USAGE on types).
 * The snapshot lists [] for a default ACL; against an explicit one on the
 * other side, that [] means PUBLIC still holds the privilege.
 */
static const cJSON *
implicit_grants(struct ctx *x, const char *sqlkind)
{
	cJSON *arr, *g, *p;

	if (x->scratch == NULL)
		x->scratch = cJSON_CreateArray();
	arr = cJSON_CreateArray();
	g = cJSON_CreateObject();
	p = cJSON_CreateArray();
	json_push_str(p, strcmp(sqlkind, "TYPE") == 0 ||
	    strcmp(sqlkind, "DOMAIN") == 0 ? "USAGE" : "EXECUTE");
	cJSON_AddStringToObject(g, "grantee", "public");
	cJSON_AddItemToObject(g, "privileges", p);
	json_add_bool(g, "grantable", 0);
	cJSON_AddItemToArray(arr, g);
	cJSON_AddItemToArray(x->scratch, arr);
	return arr;
}

void
meta_grants(struct ctx *x, const char *sqlkind, const char *sqlname,
    const char *kind, const char *name, const char *table, const cJSON *a,
    const cJSON *b)
{
	const cJSON *ga = json_arr(a, "grants"), *gb = json_arr(b, "grants");
	const cJSON *g;

	if (public_by_default(sqlkind) && ga && gb &&
	    (cJSON_GetArraySize(ga) == 0) != (cJSON_GetArraySize(gb) == 0)) {
		if (cJSON_GetArraySize(ga) == 0)
			ga = implicit_grants(x, sqlkind);
		else
			gb = implicit_grants(x, sqlkind);
	}

	cJSON_ArrayForEach(g, ga) {
		const char *who = json_str(g, "grantee");

		if (who)
			grant_change(x, sqlkind, sqlname, kind, name, table,
			    g, find_grantee(gb, who), who);
	}
	cJSON_ArrayForEach(g, gb) {
		const char *who = json_str(g, "grantee");

		if (who && find_grantee(ga, who) == NULL)
			grant_change(x, sqlkind, sqlname, kind, name, table,
			    NULL, g, who);
	}
}
