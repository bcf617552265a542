/*
 * sqlquote: PostgreSQL's quote_ident() and quote_literal() in C, and the
 * inverse for qualified names.  See sqlquote.h for the rules.
 */
#include <stdlib.h>
#include <string.h>

#include "sqlquote.h"
#include "xalloc.h"

/* Keywords quote_ident() quotes: every category but UNRESERVED, sorted. */
static const char *const keywords[] = {
	"all",
	"analyse",
	"analyze",
	"and",
	"any",
	"array",
	"as",
	"asc",
	"asymmetric",
	"authorization",
	"between",
	"bigint",
	"binary",
	"bit",
	"boolean",
	"both",
	"case",
	"cast",
	"char",
	"character",
	"check",
	"coalesce",
	"collate",
	"collation",
	"column",
	"concurrently",
	"constraint",
	"create",
	"cross",
	"current_catalog",
	"current_date",
	"current_role",
	"current_schema",
	"current_time",
	"current_timestamp",
	"current_user",
	"dec",
	"decimal",
	"default",
	"deferrable",
	"desc",
	"distinct",
	"do",
	"else",
	"end",
	"except",
	"exists",
	"extract",
	"false",
	"fetch",
	"float",
	"for",
	"foreign",
	"freeze",
	"from",
	"full",
	"grant",
	"greatest",
	"group",
	"grouping",
	"having",
	"ilike",
	"in",
	"initially",
	"inner",
	"inout",
	"int",
	"integer",
	"intersect",
	"interval",
	"into",
	"is",
	"isnull",
	"join",
	"json",
	"json_array",
	"json_arrayagg",
	"json_exists",
	"json_object",
	"json_objectagg",
	"json_query",
	"json_scalar",
	"json_serialize",
	"json_table",
	"json_value",
	"lateral",
	"leading",
	"least",
	"left",
	"like",
	"limit",
	"localtime",
	"localtimestamp",
	"merge_action",
	"national",
	"natural",
	"nchar",
	"none",
	"normalize",
	"not",
	"notnull",
	"null",
	"nullif",
	"numeric",
	"offset",
	"on",
	"only",
	"or",
	"order",
	"out",
	"outer",
	"overlaps",
	"overlay",
	"placing",
	"position",
	"precision",
	"primary",
	"real",
	"references",
	"returning",
	"right",
	"row",
	"select",
	"session_user",
	"setof",
	"similar",
	"smallint",
	"some",
	"substring",
	"symmetric",
	"system_user",
	"table",
	"tablesample",
	"then",
	"time",
	"timestamp",
	"to",
	"trailing",
	"treat",
	"trim",
	"true",
	"union",
	"unique",
	"user",
	"using",
	"values",
	"varchar",
	"variadic",
	"verbose",
	"when",
	"where",
	"window",
	"with",
	"xmlattributes",
	"xmlconcat",
	"xmlelement",
	"xmlexists",
	"xmlforest",
	"xmlnamespaces",
	"xmlparse",
	"xmlpi",
	"xmlroot",
	"xmlserialize",
	"xmltable",
};

static int
cmp_kw(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int
sql_needs_quote(const char *name)
{
	const char *p;

	if (name[0] == '\0' || !((name[0] >= 'a' && name[0] <= 'z') ||
	    name[0] == '_'))
		return 1;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'))
			return 1;
	return bsearch(name, keywords, sizeof(keywords) / sizeof(keywords[0]),
	    sizeof(keywords[0]), cmp_kw) != NULL;
}

void
sql_add_ident(struct buf *b, const char *name)
{
	if (!sql_needs_quote(name)) {
		buf_addstr(b, name);
		return;
	}
	buf_addch(b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_addch(b, '"');
		buf_addch(b, *p);
	}
	buf_addch(b, '"');
}

void
sql_add_literal(struct buf *b, const char *value)
{
	if (strchr(value, '\\'))
		buf_addch(b, 'E');
	buf_addch(b, '\'');
	for (const char *p = value; *p; p++) {
		if (*p == '\'' || *p == '\\')
			buf_addch(b, *p);
		buf_addch(b, *p);
	}
	buf_addch(b, '\'');
}

char *
sql_ident(const char *name)
{
	struct buf b = BUF_INIT;

	sql_add_ident(&b, name);
	return buf_detach(&b, NULL);
}

char *
sql_literal(const char *value)
{
	struct buf b = BUF_INIT;

	sql_add_literal(&b, value);
	return buf_detach(&b, NULL);
}

char *
sql_qualified(const char *schema, const char *name)
{
	struct buf b = BUF_INIT;

	sql_add_ident(&b, schema);
	buf_addch(&b, '.');
	sql_add_ident(&b, name);
	return buf_detach(&b, NULL);
}

int
sql_split_name(const char *qname, char **parts, int max)
{
	const char *p = qname;
	int n = 0;

	while (*p && n < max) {
		struct buf b = BUF_INIT;

		if (*p == '"') {
			for (p++; *p; p++) {
				if (*p == '"') {
					if (p[1] != '"') {
						p++;
						break;
					}
					p++;
				}
				buf_addch(&b, *p);
			}
		} else {
			for (; *p && *p != '.'; p++)
				buf_addch(&b, *p);
		}
		parts[n++] = buf_detach(&b, NULL);
		if (*p == '.')
			p++;
		else if (*p)
			break;
	}
	return n;
}
