#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "data.h"
#include "participate.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/text.h"

#define DAY	86400

static struct value *
str(struct arena *a, const char *s)
{
	return s ? value_cstring(a, s) : value_null(a);
}

static int
is_layout(const struct page *p, const char *layout)
{
	return p->layout != NULL && strcmp(p->layout, layout) == 0;
}

/* Where page p's files go: "kuulemiset/" of "kuulemiset/index.html". */
static char *
page_dir(struct arena *a, const struct page *p)
{
	const char *slash = strrchr(p->out, '/');

	return arena_strndup(a, p->out, slash ? (size_t)(slash - p->out) + 1 :
	    0);
}

/* {date: "2025-05-18" or "2025-05-18T14:00", display: "18.5.2025"}. */
static struct value *
when(struct arena *a, int64_t t, int with_time)
{
	struct value *m = value_map(a);
	char disp[CONSULT_FORMAT_MAX], iso[32];
	int64_t local = t + consult_utc_offset(t);
	time_t tt = (time_t)local;
	struct tm tm;

	gmtime_r(&tt, &tm);
	if (with_time)
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M", &tm);
	else
		strftime(iso, sizeof(iso), "%Y-%m-%d", &tm);
	value_append(a, m, "date", str(a, iso));
	value_append(a, m, "display", str(a, consult_format(disp, t,
	    with_time)));
	return m;
}

static struct value *
page_map(struct participation *pt, const struct page *p)
{
	struct value *v = hmap_get(&pt->by_page, p->src);

	if (v == NULL) {
		v = value_map(&pt->arena);
		hmap_put(&pt->by_page, p->src, v);
	}
	return v;
}

/* ---- consultations ----------------------------------------------------- */

struct cons {
	const struct page	*p;
	struct consult		 c;
	enum consult_status	 st;
	int			 days;
	struct value		*v;
};

static int
by_closes(const void *x, const void *y)
{
	const struct cons *a = x, *b = y;

	return a->c.closes < b->c.closes ? -1 : a->c.closes > b->c.closes;
}

static struct value *
consultation_value(struct participation *pt, struct cons *k)
{
	struct arena *a = &pt->arena;
	struct value *v = value_map(a);
	const struct consult *c = &k->c;

	value_append(a, v, "title", str(a, k->p->title));
	value_append(a, v, "url", str(a, k->p->url));
	value_append(a, v, "description", str(a, k->p->description));
	value_append(a, v, "status", str(a, consult_status_name(k->st)));
	value_append(a, v, "is_upcoming", value_bool(a,
	    k->st == CONSULT_UPCOMING));
	value_append(a, v, "is_open", value_bool(a, k->st == CONSULT_OPEN));
	value_append(a, v, "is_closed", value_bool(a,
	    k->st == CONSULT_CLOSED));
	value_append(a, v, "is_done", value_bool(a, k->st == CONSULT_DONE));
	value_append(a, v, "has_ended", value_bool(a,
	    k->st == CONSULT_CLOSED || k->st == CONSULT_DONE));
	value_append(a, v, "days_left", value_number(a, k->days));
	value_append(a, v, "closes_today", value_bool(a,
	    k->st == CONSULT_OPEN && k->days == 0));
	value_append(a, v, "closes_tomorrow", value_bool(a,
	    k->st == CONSULT_OPEN && k->days == 1));
	value_append(a, v, "closes_later", value_bool(a,
	    k->st == CONSULT_OPEN && k->days > 1));
	value_append(a, v, "opens", when(a, c->opens, c->has_time_open));
	value_append(a, v, "closes", when(a, c->closes, c->has_time_close));
	value_append(a, v, "participate", str(a, c->participate));
	value_append(a, v, "participate_is_mail", value_bool(a,
	    c->participate_is_mail));
	value_append(a, v, "participate_text", str(a, c->participate &&
	    c->participate_is_mail ? c->participate + 7 : c->participate));
	value_append(a, v, "questions", c->questions ?
	    (struct value *)c->questions : value_list(a));
	value_append(a, v, "has_questions", value_bool(a, c->questions &&
	    c->questions->len > 0));
	value_append(a, v, "audience", str(a, c->audience));
	value_append(a, v, "municipalities", c->municipalities ?
	    (struct value *)c->municipalities : value_list(a));
	value_append(a, v, "has_municipalities", value_bool(a,
	    c->municipalities && c->municipalities->len > 0));
	/* The front matter's own values: render.c makes them Markdown. */
	value_append(a, v, "heard", c->heard ? value_get(k->p->fm, "heard") :
	    value_null(a));
	value_append(a, v, "outcome", c->outcome ?
	    value_get(k->p->fm, "outcome") : value_null(a));
	value_append(a, v, "example", value_bool(a, c->example));
	return v;
}

static void
read_consultations(struct participation *pt, const struct site *s,
    struct diags *d)
{
	struct arena *a = &pt->arena;
	struct cons *v = NULL;
	struct value *open, *upcoming, *ended, *all;
	size_t i, n = 0, cap = 0;

	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		struct cons k;
		if (p->fm == NULL || p->fm->type != VAL_MAP ||
		    (value_get(p->fm, "opens") == NULL &&
		    value_get(p->fm, "closes") == NULL))
			continue;
		memset(&k, 0, sizeof(k));
		k.p = p;
		if (consult_read(a, p->fm, p->file, pt->now, &k.c, d) != 1)
			continue;
		k.st = consult_status(&k.c, pt->now, &k.days);
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		v[n++] = k;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), by_closes);
	open = value_list(a);
	upcoming = value_list(a);
	ended = value_list(a);
	all = value_list(a);
	pt->consults = arena_calloc(a, n ? n : 1, sizeof(*pt->consults));
	/* Open and coming ones soonest first; the ended newest first. */
	for (i = 0; i < n; i++) {
		v[i].v = consultation_value(pt, &v[i]);
		value_append(a, page_map(pt, v[i].p), "consultation", v[i].v);
		if (v[i].st == CONSULT_OPEN)
			value_push(a, open, v[i].v);
		else if (v[i].st == CONSULT_UPCOMING)
			value_push(a, upcoming, v[i].v);
	}
	for (i = n; i-- > 0;) {
		if (v[i].st == CONSULT_CLOSED || v[i].st == CONSULT_DONE)
			value_push(a, ended, v[i].v);
		value_push(a, all, v[i].v);
		pt->consults[pt->nconsults++] = v[i].p;
	}
	pt->consultations = value_map(a);
	value_append(a, pt->consultations, "open", open);
	value_append(a, pt->consultations, "has_open", value_bool(a,
	    open->len > 0));
	value_append(a, pt->consultations, "upcoming", upcoming);
	value_append(a, pt->consultations, "has_upcoming", value_bool(a,
	    upcoming->len > 0));
	value_append(a, pt->consultations, "ended", ended);
	value_append(a, pt->consultations, "has_ended", value_bool(a,
	    ended->len > 0));
	value_append(a, pt->consultations, "all", all);
	value_append(a, pt->consultations, "url", str(a, pt->consult_page ?
	    pt->consult_page->url : NULL));
	free(v);
}

/* ---- data files: events and commitments -------------------------------- */

struct item {
	struct participation	*pt;
	const struct site	*s;
	const char		*file;	/* "content/data/tapahtumat.yaml" */
	const struct value	*map;	/* the row */
	struct diags		*d;
	size_t			 errors;
};

/* A key's text, or NULL: missing, empty, or not text (an error then). */
static const char *
item_text(struct item *it, const char *key, int required)
{
	const struct value *v = value_get(it->map, key);

	if (v == NULL || v->type == VAL_NULL) {
		if (required)
			diag_error(it->d, it->file, it->map->line,
			    it->map->col, NULL, "this item has no \"%s\"", key);
		if (required)
			diag_hintf(it->d, "Add a line \"%s: ...\" to the item.",
			    key);
		return NULL;
	}
	if (v->type != VAL_STRING && v->type != VAL_NUMBER) {
		diag_error(it->d, it->file, v->line, v->col,
		    "Write it as text on the same line, in quotes if needed.",
		    "\"%s\" must be text, not %s", key,
		    value_type_name(v->type));
		return NULL;
	}
	return v->str && *v->str ? v->str : NULL;
}

/* Checks that the row has only the keys of known (NULL-ended). */
static void
item_keys(struct item *it, const char *const *known, const char *list)
{
	size_t i, k;

	for (i = 0; i < it->map->len; i++) {
		const char *key = it->map->u.pairs[i].key;
		for (k = 0; known[k] != NULL; k++)
			if (strcmp(known[k], key) == 0)
				break;
		if (known[k] != NULL)
			continue;
		diag_error(it->d, it->file, it->map->u.pairs[i].val->line, 1,
		    NULL, "unknown key \"%s\" in this item", key);
		diag_hintf(it->d, "Known keys: %s.", list);
	}
}

/* A page named by its content path ("kuulemiset/x.md"), or NULL. */
static const struct page *
item_page(struct item *it, const char *key, const char *path)
{
	const struct value *v = value_get(it->map, key);
	const struct page *p = site_page(it->s, path);

	if (p == NULL) {
		diag_error(it->d, it->file, v ? v->line : it->map->line,
		    v ? v->col : 0, NULL, "\"%s\": there is no page %s", key,
		    path);
		diag_hintf(it->d, "Write the page's path below content/, such "
		    "as %s.", "kuulemiset/muutosfoorumi-2017.md");
	}
	return p;
}

static int
http_url(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

/*
 * A date, or a date and time, "2025-05-18" or "2025-05-18T14:00", local
 * time of Finland. *t is its first second, *last its last (the end of a
 * day written alone). Returns -1 after an error.
 */
static int
item_when(struct item *it, const char *key, const char *text, int *with_time,
    int64_t *t, int64_t *last, struct ical_time *it_time)
{
	const struct value *v = value_get(it->map, key);
	struct date dt;
	int h = 0, m = 0, skipped;

	if (!date_parse(text, &dt) || (text[10] != '\0' &&
	    (strlen(text) != 16 || (h = date_digits(text + 11, 2)) < 0 ||
	    (m = date_digits(text + 14, 2)) < 0))) {
		diag_error(it->d, it->file, v->line, v->col, "Write a date as "
		    "YYYY-MM-DD, or a date and a time as YYYY-MM-DDTHH:MM, "
		    "for example 2025-05-18T17:30.", "\"%s\" is not a date",
		    text);
		return -1;
	}
	*with_time = text[10] != '\0';
	*t = consult_local_time(dt, h, m, 0, &skipped);
	*last = *with_time ? *t : consult_local_time(dt, 23, 59, 59,
	    &skipped);
	it_time->year = dt.year;
	it_time->month = dt.month;
	it_time->day = dt.day;
	it_time->hour = h;
	it_time->minute = m;
	it_time->all_day = !*with_time;
	return 0;
}

static int
slug_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	return 1;
}

static const char *
data_path(struct arena *a, const struct site *s, const char *name)
{
	const char *f = data_file(s, name);

	return f ? arena_printf(a, "content/%s", f) : name;
}

static int
by_start(const void *x, const void *y)
{
	const struct ical_event *a = x, *b = y;
	const struct ical_time *p = &a->start, *q = &b->start;
	int c = p->year != q->year ? p->year - q->year : p->month != q->month ?
	    p->month - q->month : p->day != q->day ? p->day - q->day :
	    p->hour != q->hour ? p->hour - q->hour : p->minute - q->minute;

	return c ? c : strcmp(a->uid, b->uid);
}

/* Sorts a list of events by their start, dir 1 soonest first, -1 last. */
static void
sort_by_start(struct value *l, int dir)
{
	struct value **v = l->u.items, *x;
	size_t j, k;

	for (j = 1; j < l->len; j++)
		for (k = j; k > 0 && dir * strcmp(value_get(value_get(v[k - 1],
		    "start"), "date")->str, value_get(value_get(v[k], "start"),
		    "date")->str) > 0; k--) {
			x = v[k];
			v[k] = v[k - 1];
			v[k - 1] = x;
		}
}

static void
read_events(struct participation *pt, const struct site *s, struct diags *d)
{
	static const char *const keys[] = { "id", "title", "start", "end",
	    "municipality", "place", "accessibility", "remote", "description",
	    "consultation", NULL };
	struct arena *a = &pt->arena;
	const struct value *list = s->data ? value_get(s->data, "tapahtumat") :
	    NULL;
	struct value *upcoming = value_list(a), *past = value_list(a);
	struct hmap ids = HMAP_INIT;
	const char *dir = pt->events_page ? page_dir(a, pt->events_page) : NULL;
	size_t i;

	pt->events = value_map(a);
	if (list != NULL && list->type != VAL_LIST) {
		diag_error(d, data_path(a, s, "tapahtumat"), list->line, 1,
		    "Write the events as a list: each starts with \"- id: ...\".",
		    "the events must be a list");
		list = NULL;
	}
	pt->ev = arena_calloc(a, list && list->len ? list->len : 1,
	    sizeof(*pt->ev));
	for (i = 0; list != NULL && i < list->len; i++) {
		struct item it = { pt, s, data_path(a, s, "tapahtumat"),
		    list->u.items[i], d, d->errors };
		struct ical_event *e = &pt->ev[pt->nev];
		const char *id, *title, *start, *end, *remote, *cons;
		struct value *v;
		int64_t t0, t0last, t1 = 0, t1last = 0;
		int wt0, wt1 = 0;

		if (it.map->type != VAL_MAP) {
			diag_error(d, it.file, it.map->line, it.map->col,
			    "Write each event as keys and values: \"- id: "
			    "...\", \"title: ...\", \"start: ...\".",
			    "an event must be a map of keys");
			continue;
		}
		item_keys(&it, keys, "id, title, start, end, municipality, "
		    "place, accessibility, remote, description, consultation");
		id = item_text(&it, "id", 1);
		title = item_text(&it, "title", 1);
		start = item_text(&it, "start", 1);
		end = item_text(&it, "end", 0);
		remote = item_text(&it, "remote", 0);
		cons = item_text(&it, "consultation", 0);
		memset(e, 0, sizeof(*e));
		e->file = it.file;
		if (id != NULL && !slug_ok(id))
			diag_error(d, it.file, value_get(it.map, "id")->line,
			    value_get(it.map, "id")->col, "Use small letters "
			    "a-z, digits and -, such as asukasilta-2025.",
			    "the event's id \"%s\" is not a slug", id);
		else if (id != NULL && hmap_put(&ids, id, (void *)id) != NULL)
			diag_error(d, it.file, value_get(it.map, "id")->line,
			    value_get(it.map, "id")->col, "Give each event an "
			    "id of its own: calendars keep one event an id.",
			    "another event has the id \"%s\"", id);
		if (start != NULL && item_when(&it, "start", start, &wt0, &t0,
		    &t0last, &e->start) == 0 && end != NULL &&
		    item_when(&it, "end", end, &wt1, &t1, &t1last, &e->end) ==
		    0) {
			const struct value *ev = value_get(it.map, "end");
			if (wt0 != wt1)
				diag_error(d, it.file, ev->line, ev->col,
				    "Write both as dates, or both as dates "
				    "and times.", "\"start\" and \"end\" must "
				    "both have a time, or neither");
			else if (t1 < t0)
				diag_error(d, it.file, ev->line, ev->col,
				    "Check both: \"end\" is when the event "
				    "ends.", "the event ends (%s) before it "
				    "starts (%s)", end, start);
			e->has_end = 1;
		}
		if (remote != NULL && !http_url(remote))
			diag_error(d, it.file, value_get(it.map, "remote")->line,
			    value_get(it.map, "remote")->col, "Write the "
			    "address of the remote meeting, starting with "
			    "https://.", "\"remote\" is not a web address: %s",
			    remote);
		e->cancelled = 0;
		if (cons != NULL)
			item_page(&it, "consultation", cons);
		if (d->errors != it.errors)
			continue;
		e->uid = id;
		e->title = title;
		e->municipality = item_text(&it, "municipality", 0);
		e->place = item_text(&it, "place", 0);
		e->accessibility = item_text(&it, "accessibility", 0);
		e->description = item_text(&it, "description", 0);
		e->remote_url = remote;
		if (pt->events_page != NULL)
			e->page_url = arena_printf(a, "%s%s",
			    s->cfg->base_url, pt->events_page->url +
			    strlen(s->cfg->base_path));
		pt->nev++;

		v = value_map(a);
		value_append(a, v, "id", str(a, id));
		value_append(a, v, "title", str(a, title));
		value_append(a, v, "start", when(a, t0, wt0));
		value_append(a, v, "has_end", value_bool(a, e->has_end));
		value_append(a, v, "end", e->has_end ? when(a, t1, wt1) :
		    value_null(a));
		value_append(a, v, "municipality", str(a, e->municipality));
		value_append(a, v, "place", str(a, e->place));
		value_append(a, v, "accessibility", str(a, e->accessibility));
		value_append(a, v, "remote", str(a, remote));
		value_append(a, v, "description", str(a, e->description));
		if (cons != NULL) {
			const struct page *cp = site_page(s, cons);
			struct value *c = value_map(a);
			value_append(a, c, "title", str(a, cp->title));
			value_append(a, c, "url", str(a, cp->url));
			value_append(a, v, "consultation", c);
		}
		value_append(a, v, "ics_url", dir ? str(a, arena_printf(a,
		    "%s%s.ics", s->cfg->base_path, arena_printf(a, "%s%s", dir,
		    id))) : value_null(a));
		value_append(a, v, "is_past", value_bool(a,
		    (e->has_end ? t1last : t0last) < pt->now));
		if ((e->has_end ? t1last : t0last) < pt->now)
			value_push(a, past, v);
		else
			value_push(a, upcoming, v);
	}
	hmap_free(&ids);
	/* Coming ones soonest first, past ones newest first. */
	sort_by_start(upcoming, 1);
	sort_by_start(past, -1);
	if (pt->nev > 1)
		qsort(pt->ev, pt->nev, sizeof(*pt->ev), by_start);
	value_append(a, pt->events, "upcoming", upcoming);
	value_append(a, pt->events, "has_upcoming", value_bool(a,
	    upcoming->len > 0));
	value_append(a, pt->events, "past", past);
	value_append(a, pt->events, "has_past", value_bool(a, past->len > 0));
	value_append(a, pt->events, "url", str(a, pt->events_page ?
	    pt->events_page->url : NULL));
	value_append(a, pt->events, "calendar_url", dir && pt->nev ?
	    str(a, arena_printf(a, "%s%skalenteri.ics", s->cfg->base_path,
	    dir)) : value_null(a));
}

/* The statuses of a commitment, in the order the lists show them. */
static const char *const statuses[] = { "started", "planned", "unknown",
    "done" };
static const char *const is_status[] = { "is_started", "is_planned",
    "is_unknown", "is_done" };
#define NSTATUS	4

static void
read_commitments(struct participation *pt, const struct site *s,
    struct diags *d)
{
	static const char *const keys[] = { "id", "title", "source", "owner",
	    "deadline", "status", "evidence", "pages", NULL };
	struct arena *a = &pt->arena;
	const struct value *list = s->data ? value_get(s->data, "sitoumukset") :
	    NULL;
	struct value *group[NSTATUS], *groups = value_list(a);
	struct value *chart = value_list(a);
	size_t i, k, count[NSTATUS] = { 0 }, total = 0, overdue = 0;

	pt->commitments = value_map(a);
	if (list != NULL && list->type != VAL_LIST) {
		diag_error(d, data_path(a, s, "sitoumukset"), list->line, 1,
		    "Write the commitments as a list: each starts with "
		    "\"- id: ...\".", "the commitments must be a list");
		list = NULL;
	}
	for (k = 0; k < NSTATUS; k++)
		group[k] = value_list(a);
	for (i = 0; list != NULL && i < list->len; i++) {
		struct item it = { pt, s, data_path(a, s, "sitoumukset"),
		    list->u.items[i], d, d->errors };
		const char *title, *status, *deadline, *evidence, *owner;
		const struct value *pages, *sv;
		struct value *v, *on = value_list(a);
		struct date dl;
		int known = 0, late = 0, skipped;

		if (it.map->type != VAL_MAP) {
			diag_error(d, it.file, it.map->line, it.map->col,
			    "Write each commitment as keys and values: \"- id: "
			    "...\", \"title: ...\", \"status: ...\".",
			    "a commitment must be a map of keys");
			continue;
		}
		item_keys(&it, keys, "id, title, source, owner, deadline, "
		    "status, evidence, pages");
		item_text(&it, "id", 1);
		title = item_text(&it, "title", 1);
		status = item_text(&it, "status", 1);
		deadline = item_text(&it, "deadline", 0);
		evidence = item_text(&it, "evidence", 0);
		owner = item_text(&it, "owner", 0);
		sv = value_get(it.map, "status");
		for (k = 0; status != NULL && k < NSTATUS; k++)
			if (strcmp(status, statuses[k]) == 0)
				break;
		if (status != NULL && k == NSTATUS)
			diag_error(d, it.file, sv->line, sv->col, "Write "
			    "planned, started, done or unknown (unknown when "
			    "the source does not say).", "status \"%s\" is not "
			    "one of the statuses", status);
		if (deadline != NULL && strcmp(deadline, "ei tietoa") != 0) {
			const struct value *dv = value_get(it.map, "deadline");
			if (!date_parse(deadline, &dl) || deadline[10] != '\0')
				diag_error(d, it.file, dv->line, dv->col,
				    "Write the date as YYYY-MM-DD, or \"ei "
				    "tietoa\" when the source gives none.",
				    "\"%s\" is not a date", deadline);
			else
				known = 1;
		}
		if (evidence != NULL && !http_url(evidence))
			item_page(&it, "evidence", arena_strndup(a, evidence,
			    strcspn(evidence, "#")));
		pages = value_get(it.map, "pages");
		if (pages != NULL && pages->type != VAL_LIST)
			diag_error(d, it.file, pages->line, pages->col,
			    "Write a list of page paths, such as "
			    "[strategia/_index.md].", "\"pages\" must be a list");
		for (k = 0; pages && pages->type == VAL_LIST &&
		    k < pages->len; k++)
			if (pages->u.items[k]->type != VAL_STRING)
				diag_error(d, it.file, pages->u.items[k]->line,
				    pages->u.items[k]->col, "Write each page's "
				    "path as text.", "items of \"pages\" must "
				    "be text");
			else
				item_page(&it, "pages",
				    pages->u.items[k]->str);
		if (d->errors != it.errors)
			continue;
		for (k = 0; k < NSTATUS; k++)
			if (strcmp(status, statuses[k]) == 0)
				break;
		late = known && k != 3 && consult_local_time(dl, 23, 59, 59,
		    &skipped) < pt->now;
		v = value_map(a);
		value_append(a, v, "id", str(a, item_text(&it, "id", 0)));
		value_append(a, v, "title", str(a, title));
		value_append(a, v, "source", str(a, item_text(&it, "source", 0)));
		value_append(a, v, "owner", str(a, owner && strcmp(owner,
		    "ei tietoa") ? owner : NULL));
		value_append(a, v, "deadline", known ? when(a,
		    consult_local_time(dl, 12, 0, 0, &skipped), 0) :
		    value_null(a));
		value_append(a, v, "status", str(a, statuses[k]));
		value_append(a, v, is_status[k],
		    value_bool(a, 1));
		value_append(a, v, "overdue", value_bool(a, late));
		/* A page's path, maybe with a #heading, is its address. */
		if (evidence != NULL) {
			size_t n = strcspn(evidence, "#");
			const struct page *ep = http_url(evidence) ? NULL :
			    site_page(s, arena_strndup(a, evidence, n));
			value_append(a, v, "evidence", str(a, ep ?
			    arena_printf(a, "%s%s", ep->url, evidence + n) :
			    evidence));
		}
		for (k = 0; pages && k < pages->len; k++) {
			const struct page *pp = site_page(s,
			    pages->u.items[k]->str);
			struct value *pm = page_map(pt, pp), *l;
			if ((l = value_get(pm, "commitments")) == NULL) {
				l = value_list(a);
				value_append(a, pm, "commitments", l);
			}
			value_push(a, l, v);
			value_push(a, on, pp->ref);
		}
		value_append(a, v, "pages", on);
		for (k = 0; k < NSTATUS; k++)
			if (strcmp(status, statuses[k]) == 0)
				break;
		value_push(a, group[k], v);
		count[k]++;
		total++;
		overdue += late;
	}
	for (k = 0; k < NSTATUS; k++) {
		struct value *g = value_map(a), *c = value_map(a);
		value_append(a, g, "status", str(a, statuses[k]));
		value_append(a, g, is_status[k],
		    value_bool(a, 1));
		value_append(a, g, "items", group[k]);
		value_append(a, g, "count", value_number(a,
		    (double)count[k]));
		if (count[k] > 0)
			value_push(a, groups, g);
		value_append(a, c, "status", str(a, statuses[k]));
		value_append(a, c, is_status[k],
		    value_bool(a, 1));
		value_append(a, c, "count", value_number(a, (double)count[k]));
		/* Whole percent, for the width of a bar. */
		value_append(a, c, "percent", value_number(a, total ?
		    (double)((count[k] * 1000 / total + 5) / 10) : 0));
		value_push(a, chart, c);
	}
	value_append(a, pt->commitments, "groups", groups);
	value_append(a, pt->commitments, "chart", chart);
	value_append(a, pt->commitments, "total", value_number(a,
	    (double)total));
	value_append(a, pt->commitments, "has_any", value_bool(a, total > 0));
	value_append(a, pt->commitments, "overdue", value_number(a,
	    (double)overdue));
	value_append(a, pt->commitments, "has_overdue", value_bool(a,
	    overdue > 0));
}

/* ---- the whole ---------------------------------------------------------- */

static void
add_feed(struct participation *pt, const struct site *s,
    const struct page *p)
{
	struct arena *a = &pt->arena;
	struct value *m = value_map(a);

	value_append(a, m, "title", str(a, arena_printf(a, "%s: %s",
	    s->cfg->title, p->title)));
	value_append(a, m, "url", str(a, arena_printf(a, "%s%satom.xml",
	    s->cfg->base_path, page_dir(a, p))));
	value_push(a, pt->feeds, m);
}

int
participation_build(struct participation *pt, const struct site *s,
    int64_t now, struct diags *d)
{
	size_t i, errors = d->errors;

	memset(pt, 0, sizeof(*pt));
	pt->now = now;
	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		if (pt->consult_page == NULL && is_layout(p, "consultations"))
			pt->consult_page = p;
		if (pt->events_page == NULL && is_layout(p, "events"))
			pt->events_page = p;
		if (pt->news_page == NULL && is_layout(p, "news"))
			pt->news_page = p;
	}
	read_consultations(pt, s, d);
	read_events(pt, s, d);
	read_commitments(pt, s, d);
	pt->feeds = value_list(&pt->arena);
	if (pt->news_page)
		add_feed(pt, s, pt->news_page);
	if (pt->consult_page)
		add_feed(pt, s, pt->consult_page);
	if (pt->events_page)
		add_feed(pt, s, pt->events_page);
	return d->errors == errors ? 0 : -1;
}

void
participation_free(struct participation *pt)
{
	hmap_free(&pt->by_page);
	arena_free(&pt->arena);
	memset(pt, 0, sizeof(*pt));
}

const struct value *
participation_page(const struct participation *pt, const struct page *p)
{
	return pt ? hmap_get(&pt->by_page, p->src) : NULL;
}

int
participation_dated(const struct site *s)
{
	size_t i;

	if (s->data && (value_get(s->data, "tapahtumat") ||
	    value_get(s->data, "sitoumukset")))
		return 1;
	for (i = 0; i < s->npages; i++)
		if (s->pages[i]->fm && s->pages[i]->fm->type == VAL_MAP &&
		    (value_get(s->pages[i]->fm, "opens") ||
		    value_get(s->pages[i]->fm, "closes")))
			return 1;
	return 0;
}

/* ---- files: calendars and feeds ---------------------------------------- */

static void
rfc3339(struct buf *b, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	gmtime_r(&tt, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_puts(b, s);
}

static void
xml_text(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_put_html(b, s, strlen(s));
}

static const char *
permalink(struct arena *a, const struct site *s, const char *url)
{
	return arena_printf(a, "%s%s", s->cfg->base_url,
	    url + strlen(s->cfg->base_path));
}

/* The head of an Atom feed (RFC 4287) about page p, updated at t. */
static void
feed_start(struct buf *b, struct arena *a, const struct site *s,
    const struct page *p, int64_t t)
{
	const char *home = permalink(a, s, p->url);

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	xml_text(b, s->cfg->language);
	buf_puts(b, "\">\n<title>");
	xml_text(b, s->cfg->title);
	buf_puts(b, ": ");
	xml_text(b, p->title);
	buf_puts(b, "</title>\n<id>");
	xml_text(b, home);
	buf_puts(b, "</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(b, home);
	buf_puts(b, "\"/>\n<link rel=\"self\" type=\"application/atom+xml\" "
	    "href=\"");
	xml_text(b, home);
	buf_puts(b, "atom.xml\"/>\n<updated>");
	rfc3339(b, t);
	buf_puts(b, "</updated>\n<author><name>");
	xml_text(b, s->cfg->title);
	buf_puts(b, "</name></author>\n");
}

static void
feed_entry(struct buf *b, const char *id, const char *title,
    const char *link, int64_t updated, const char *summary)
{
	buf_puts(b, "<entry>\n<title>");
	xml_text(b, title);
	buf_puts(b, "</title>\n<id>");
	xml_text(b, id);
	buf_puts(b, "</id>\n<link rel=\"alternate\" type=\"text/html\" "
	    "href=\"");
	xml_text(b, link);
	buf_puts(b, "\"/>\n<updated>");
	rfc3339(b, updated);
	buf_puts(b, "</updated>\n");
	if (summary != NULL) {
		buf_puts(b, "<summary>");
		xml_text(b, summary);
		buf_puts(b, "</summary>\n");
	}
	buf_puts(b, "</entry>\n");
}

/* A page's date as a time: its front matter's, at noon in Finland. */
static int64_t
page_time(const struct page *p, int64_t fallback)
{
	struct date dt;
	int skipped;

	if (p->date == NULL || !date_parse(p->date, &dt))
		return fallback;
	return consult_local_time(dt, 12, 0, 0, &skipped);
}

static int64_t
ev_time(const struct ical_event *e)
{
	struct date dt = { e->start.year, e->start.month, e->start.day };
	int skipped;

	return consult_local_time(dt, e->start.all_day ? 12 : e->start.hour,
	    e->start.all_day ? 0 : e->start.minute, 0, &skipped);
}

static int
by_page_time(const void *x, const void *y)
{
	const struct page *a = *(const struct page *const *)x;
	const struct page *b = *(const struct page *const *)y;
	int64_t ta = page_time(a, 0), tb = page_time(b, 0);

	return ta != tb ? (ta > tb ? -1 : 1) : strcmp(a->src, b->src);
}

void
participation_plan(const struct participation *pt, const struct site *s,
    void (*plan)(void *, const char *, const char *), void *arg)
{
	struct arena a = ARENA_INIT;
	const char *dir;
	size_t i;

	if (pt->consult_page) {
		dir = page_dir(&a, pt->consult_page);
		plan(arg, arena_printf(&a, "%satom.xml", dir),
		    "the feed of consultations");
	}
	if (pt->news_page) {
		dir = page_dir(&a, pt->news_page);
		plan(arg, arena_printf(&a, "%satom.xml", dir),
		    "the feed of news");
	}
	if (pt->events_page) {
		dir = page_dir(&a, pt->events_page);
		plan(arg, arena_printf(&a, "%satom.xml", dir),
		    "the feed of events");
		if (pt->nev > 0)
			plan(arg, arena_printf(&a, "%skalenteri.ics", dir),
			    "the calendar of events");
		for (i = 0; i < pt->nev; i++)
			plan(arg, arena_printf(&a, "%s%s.ics", dir,
			    pt->ev[i].uid), arena_printf(&a, "%s (event %s)",
			    pt->ev[i].file, pt->ev[i].uid));
	}
	(void)s;
	arena_free(&a);
}

int
participation_write(const struct participation *pt, const struct site *s,
    int (*write)(const char *, const char *, size_t, void *), void *arg,
    struct diags *d)
{
	struct arena a = ARENA_INIT;
	struct buf b = BUF_INIT;
	const struct page **v;
	const char *dir, *host, *slash;
	struct ical_site is;
	size_t i, n, errors = d->errors;
	int64_t newest;

	if (pt->consult_page) {
		dir = page_dir(&a, pt->consult_page);
		newest = pt->nconsults ? page_time(pt->consults[0], pt->now) :
		    pt->now;
		for (i = 0; i < pt->nconsults; i++)
			if (page_time(pt->consults[i], 0) > newest)
				newest = page_time(pt->consults[i], 0);
		feed_start(&b, &a, s, pt->consult_page, newest);
		for (i = 0; i < pt->nconsults; i++) {
			const struct page *p = pt->consults[i];
			const char *link = permalink(&a, s, p->url);
			feed_entry(&b, link, p->title, link,
			    page_time(p, pt->now), p->description);
		}
		buf_puts(&b, "</feed>\n");
		write(arena_printf(&a, "%satom.xml", dir), b.data, b.len, arg);
		buf_reset(&b);
	}
	if (pt->news_page) {
		const struct page *np = pt->news_page;
		dir = page_dir(&a, np);
		v = arena_calloc(&a, np->nchildren ? np->nchildren : 1,
		    sizeof(*v));
		for (i = n = 0; i < np->nchildren; i++)
			if (np->children[i]->kind == PAGE_PAGE)
				v[n++] = np->children[i];
		if (n > 1)
			qsort(v, n, sizeof(*v), by_page_time);
		feed_start(&b, &a, s, np, n ? page_time(v[0], pt->now) :
		    pt->now);
		for (i = 0; i < n; i++) {
			const char *link = permalink(&a, s, v[i]->url);
			feed_entry(&b, link, v[i]->title, link,
			    page_time(v[i], pt->now), v[i]->description);
		}
		buf_puts(&b, "</feed>\n");
		write(arena_printf(&a, "%satom.xml", dir), b.data, b.len, arg);
		buf_reset(&b);
	}
	if (pt->events_page) {
		const struct page *ep = pt->events_page;
		const char *link = permalink(&a, s, ep->url);
		dir = page_dir(&a, ep);
		newest = pt->now;
		for (i = 0; i < pt->nev; i++)
			if (i == 0 || ev_time(&pt->ev[i]) > newest)
				newest = ev_time(&pt->ev[i]);
		feed_start(&b, &a, s, ep, newest);
		for (i = pt->nev; i-- > 0;)
			feed_entry(&b, arena_printf(&a, "%s#%s", link,
			    pt->ev[i].uid), pt->ev[i].title,
			    arena_printf(&a, "%s#%s", link, pt->ev[i].uid),
			    ev_time(&pt->ev[i]), pt->ev[i].description);
		buf_puts(&b, "</feed>\n");
		write(arena_printf(&a, "%satom.xml", dir), b.data, b.len, arg);
		buf_reset(&b);

		/* The host of the site, for the events' UIDs. */
		host = strstr(s->cfg->base_url, "://");
		host = host ? host + 3 : s->cfg->base_url;
		slash = strchr(host, '/');
		memset(&is, 0, sizeof(is));
		is.host = arena_strndup(&a, host, slash ? (size_t)(slash -
		    host) : strlen(host));
		is.name = arena_printf(&a, "%s: %s", s->cfg->title, ep->title);
		is.organizer = s->cfg->title;
		is.organizer_email = s->cfg->feedback_email;
		is.build_time = pt->now;
		if (pt->nev > 0 && is.organizer_email == NULL)
			diag_error(d, "site.conf", 0, 0, "Add feedback_email = "
			    "... under [site]: calendars name it as the "
			    "events' organizer.", "the events' calendars need "
			    "the site's e-mail address");
		for (i = 0; is.organizer_email && i < pt->nev; i++) {
			buf_reset(&b);
			if (ical_event(&b, &pt->ev[i], &is, d) == 0)
				write(arena_printf(&a, "%s%s.ics", dir,
				    pt->ev[i].uid), b.data, b.len, arg);
		}
		buf_reset(&b);
		if (is.organizer_email && pt->nev > 0 &&
		    ical_feed(&b, pt->ev, pt->nev, &is, d) == 0)
			write(arena_printf(&a, "%skalenteri.ics", dir), b.data,
			    b.len, arg);
	}
	buf_free(&b);
	arena_free(&a);
	return d->errors == errors ? 0 : -1;
}
