#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "page_history.h"
#include "repo.h"
#include "util/mem.h"
#include "versions.h"

/* A tag becomes a folder of the site: plain letters, digits, . _ - only. */
static int
url_safe(const char *s)
{
	if (*s == '\0' || *s == '.')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		    *s == '-'))
			return 0;
	return 1;
}

static int
newest_first(const void *a, const void *b)
{
	const struct version *x = a, *y = b;

	if (x->time != y->time)
		return x->time > y->time ? -1 : 1;
	return strcmp(x->tag, y->tag);
}

int
versions_list(struct versions *vs, struct repo *r, const char *pattern,
    struct diags *d)
{
	git_strarray names = { NULL, 0 };
	git_reference *ref;
	git_tag *tag;
	git_object *target;
	const git_signature *who;
	size_t i, cap = 0, n;
	char *name;

	memset(vs, 0, sizeof(*vs));
	if (git_tag_list_match(&names, pattern, r->git) < 0) {
		repo_error(d, "site.conf", NULL, "cannot list the tags");
		return -1;
	}
	for (i = 0; i < names.count; i++) {
		name = xasprintf("refs/tags/%s", names.strings[i]);
		tag = NULL;
		target = NULL;
		if (git_reference_lookup(&ref, r->git, name) == 0) {
			git_reference_peel((git_object **)&tag, ref,
			    GIT_OBJECT_TAG);
			git_reference_free(ref);
		}
		free(name);
		if (tag == NULL) {
			diag_warn(d, "site.conf", 0, 0, "Make an approved "
			    "version an annotated tag: git tag -a NAME -m "
			    "\"what was approved\".", "tag %s is not "
			    "annotated; it is not shown as a version",
			    names.strings[i]);
			continue;
		}
		if (!url_safe(names.strings[i]) ||
		    git_tag_peel(&target, tag) < 0 ||
		    git_object_type(target) != GIT_OBJECT_COMMIT) {
			diag_warn(d, "site.conf", 0, 0, "Name versions with "
			    "letters, digits, dots, _ and -, on a commit.",
			    "tag %s cannot be a version of the site",
			    names.strings[i]);
			git_object_free(target);
			git_tag_free(tag);
			continue;
		}
		vs->v = xgrow(vs->v, &cap, vs->len + 1, sizeof(*vs->v));
		struct version *v = &vs->v[vs->len++];
		memset(v, 0, sizeof(*v));
		v->tag = xstrdup(names.strings[i]);
		git_oid_cpy(&v->commit, git_object_id(target));
		if ((who = git_tag_tagger(tag)) != NULL) {
			v->time = (int64_t)who->when.time;
			v->offset = who->when.offset;
		}
		v->message = xstrdup(git_tag_message(tag) ?
		    git_tag_message(tag) : "");
		n = strlen(v->message);
		while (n > 0 && (v->message[n - 1] == '\n' ||
		    v->message[n - 1] == ' '))
			v->message[--n] = '\0';
		git_object_free(target);
		git_tag_free(tag);
	}
	git_strarray_dispose(&names);
	if (vs->len > 1)
		qsort(vs->v, vs->len, sizeof(*vs->v), newest_first);
	return 0;
}

void
versions_free(struct versions *vs)
{
	size_t i;

	for (i = 0; i < vs->len; i++) {
		free(vs->v[i].tag);
		free(vs->v[i].message);
	}
	free(vs->v);
	memset(vs, 0, sizeof(*vs));
}

char *
versions_prefix(const struct render_env *env, const struct version *v)
{
	return xasprintf("%s/%s/", env->versions_seg, v->tag);
}

static struct value *
str(struct arena *a, const char *s)
{
	return s ? value_string_ref(a, s, strlen(s)) : value_null(a);
}

/*
 * The pages that changed after version `from` up to `to` (NULL: until
 * now): each page's major changes made in between, newest first, with
 * links to their change views. A change belongs by the time it reached
 * the published line.
 */
static struct value *
changed_pages(const struct render_env *env, struct arena *a,
    const struct version *from, const struct version *to)
{
	const struct site *s = env->site;
	struct value *l = value_list(a), *pg, *cl, *c;
	size_t i, k;
	char hex[GIT_OID_HEXSZ + 1];

	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		const struct page_history *h = p->history;
		cl = NULL;
		for (k = 0; h && k < h->nmajor; k++) {
			const struct hist_commit *hc = h->major[k].change->commit;
			if ((from && hc->time <= from->time) ||
			    (to && hc->time > to->time))
				continue;
			if (cl == NULL) {
				pg = value_map(a);
				value_append(a, pg, "title", str(a, p->title));
				value_append(a, pg, "url", str(a, p->url));
				cl = value_list(a);
				value_append(a, pg, "changes", cl);
				value_push(a, l, pg);
			}
			c = render_date(a, env->langs[0].strings, hc->time,
			    hc->offset);
			git_oid_tostr(hex, sizeof(hex), &hc->id);
			value_append(a, c, "note", str(a, hc->note));
			value_append(a, c, "url", str(a, arena_printf(a,
			    "%s%s/%.12s/", p->url,
			    env->langs[p->lang].history_seg, hex)));
			value_push(a, cl, c);
		}
	}
	return l;
}

int
versions_render_page(const struct render_env *env, const struct versions *vs,
    struct arena *a, struct buf *out, struct diags *d)
{
	const struct site *s = env->site;
	struct value *page, *l, *m, *since;
	const struct value *t = value_get(env->theme->i18n, "versions_title");
	const char *title = t && t->type == VAL_STRING ? t->str : "Versiot";
	size_t i;

	page = render_generated(env, a, title, "versions", env->versions_seg);
	since = changed_pages(env, a, vs->len ? &vs->v[0] : NULL, NULL);
	if (vs->len > 0 && since->len > 0) {
		m = value_map(a);
		value_append(a, m, "changed", since);
		value_append(a, page, "since", m);
	}
	l = value_list(a);
	for (i = 0; i < vs->len; i++) {
		const struct version *v = &vs->v[i];
		struct value *ch = changed_pages(env, a,
		    i + 1 < vs->len ? &vs->v[i + 1] : NULL, v);
		m = render_date(a, env->langs[0].strings, v->time, v->offset);
		value_append(a, m, "tag", str(a, v->tag));
		value_append(a, m, "message", str(a, v->message));
		value_append(a, m, "url", str(a, arena_printf(a, "%s%s/%s/",
		    s->cfg->base_path, env->versions_seg, v->tag)));
		value_append(a, m, "previous", i + 1 < vs->len ?
		    str(a, vs->v[i + 1].tag) : value_null(a));
		value_append(a, m, "changed", ch);
		value_append(a, m, "has_changed", value_bool(a,
		    i + 1 < vs->len && ch->len > 0));
		value_push(a, l, m);
	}
	value_append(a, page, "versions", l);
	value_append(a, page, "has_versions", value_bool(a, l->len > 0));
	return render_template(env, a, NULL, "versions", page, out, d);
}
