/*
 * grants: rules for privileges, owners and comments, which exist on most
 * object kinds.
 *
 * A grant change names `<kind>:<object>:<grantee>`; before and after are
 * grant entries whose privilege lists are compared member by member.
 */
#include <string.h>

#include "buf.h"
#include "json.h"
#include "review.h"

void
rules_grant(struct change *c)
{
	const cJSON *from = json_arr(c->before, "privileges");
	const cJSON *to = json_arr(c->after, "privileges");
	const char *grantee = json_str(c->after ? c->after : c->before,
	    "grantee");
	struct buf lost = BUF_INIT, won = BUF_INIT, obj = BUF_INIT;
	const char *colon = strrchr(c->object, ':');

	/* "table:public.users:reporting" reads as "table public.users". */
	if (colon) {
		const char *k = strchr(c->object, ':');

		buf_add(&obj, c->object, (size_t)(k - c->object));
		buf_addch(&obj, ' ');
		if (colon > k)
			buf_add(&obj, k + 1, (size_t)(colon - k - 1));
		if (grantee == NULL)
			grantee = colon + 1;
	} else {
		buf_addstr(&obj, c->object);
	}
	if (grantee == NULL)
		grantee = "?";
	if (list_missing(from, to, "", &lost) > 0) {
		cJSON *ev = ev_new();

		ev_queries(ev, c);
		finding_add(c, "privilege-revoked", SEV_HIGH, ev, "Role %s "
		    "loses %s on %s; its statements that need %s fail with "
		    "\"permission denied\".", grantee, lost.data, obj.data,
		    strchr(lost.data, ',') ? "them" : "it");
	}
	if (list_missing(to, from, "", &won) > 0)
		finding_add(c, "privilege-granted", SEV_LOW, NULL, "Role %s "
		    "gains %s on %s.", grantee, won.data, obj.data);
	set_risk(c, RISK_SAFE, "The opposite GRANT or REVOKE restores the "
	    "prod privileges.");
	buf_release(&obj);
	buf_release(&won);
	buf_release(&lost);
}

void
rules_owner(struct change *c)
{
	const cJSON *a = attr_get(c, "owner");

	if (a == NULL)
		return;
	finding_add(c, "owner-changed", SEV_LOW, NULL, "The owner of %s "
	    "changes from %s to %s; the new owner gets every privilege on it "
	    "and the old one loses those it held as owner.", c->object,
	    attr_str(a, "before") ? attr_str(a, "before") : "none",
	    attr_str(a, "after") ? attr_str(a, "after") : "none");
	set_risk(c, RISK_SAFE, "ALTER ... OWNER TO the prod owner restores "
	    "it.");
}

void
rules_comment(struct change *c)
{
	if (strcmp(c->kind, "comment") != 0 && attr_get(c, "comment") == NULL)
		return;
	finding_add(c, "comment-changed", SEV_INFO, NULL, "The comment on %s "
	    "changes; nothing else about it does.", c->object);
	set_risk(c, RISK_SAFE, "COMMENT ON with the prod text restores it.");
}
