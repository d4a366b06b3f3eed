#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "lang.h"
#include "util/mem.h"
#include "util/pool.h"
#include "util/date.h"
#include "util/text.h"
#include "yaml.h"

/* Larger weights order nothing better, and must fit a long. */
#define WEIGHT_MAX	1e9

/*
 * Most front matter fits in the first kilobyte; longer is read whole. More
 * would cost a build from a commit the inflating of most of every page.
 */
#define HEAD_SIZE	1024

static const char *const fm_keys[] = {
	"title", "date", "description", "summary", "draft", "weight", "slug",
	"layout", "aliases", "tags", "toc", "menu",
	/* A consultation's (consult.c). */
	"opens", "closes", "participate", "questions", "audience",
	"municipalities", "heard", "outcome", "example", NULL
};

void
site_init(struct site *s, struct config *cfg, struct source *src)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->src = src;
}

void
page_forget(struct page *p)
{
	size_t i;

	for (i = 0; i < p->nids; i++)
		free(p->ids[i]);
	free(p->ids);
	for (i = 0; i < p->nlinks; i++)
		free(p->links[i].id);
	free(p->links);
	p->ids = NULL;
	p->links = NULL;
	p->nids = p->nlinks = 0;
	p->clean = 0;
	p->cached = NULL;
}

static void
page_free(struct page *p)
{
	if (p == NULL)
		return;
	page_forget(p);
	free(p->src);
	free(p->file);
	free(p->dir);
	free(p->key);
	free(p->url);
	free(p->out);
	free(p->children);
	free(p);
}

void
site_free(struct site *s)
{
	size_t i;

	for (i = 0; i < s->nall; i++)
		page_free(s->all[i]);
	free(s->all);
	free(s->pages);
	free(s->drafts);
	for (i = 0; i < LANGS_MAX; i++) {
		free(s->langs[i].menu_pages);
		free(s->langs[i].footer_pages);
	}
	free(s->attachments);
	hmap_free(&s->by_src);
	hmap_free(&s->by_url);
	hmap_free(&s->published);
	arena_free(&s->rarena);
	source_list_free(&s->content);
	for (i = 0; i < (size_t)s->narenas; i++)
		arena_free(&s->arenas[i]);
	free(s->arenas);
	arena_free(&s->arena);
	memset(s, 0, sizeof(*s));
}

struct page *
site_page(const struct site *s, const char *src)
{
	return hmap_get(&s->by_src, src);
}

/* The site's languages: a model made without site.conf has its own. */
static int
nlangs(const struct config *c)
{
	return c->nlangs > 0 ? c->nlangs : 1;
}

/*
 * The language of content path src: the index of code in "name.code.md"
 * among the site's languages, or 0, the site's own, when the name has
 * none. *code is set to where a code not of the site's starts, or NULL.
 */
static int
src_lang(const struct config *c, const char *src, const char **code,
    int *coded)
{
	size_t n = strlen(src), k;
	int i;

	*code = NULL;
	*coded = 0;
	/* ".sv.md" or ".smn.md" after at least one character of name. */
	for (k = 2; k <= 3; k++) {
		const char *dot = src + n - 3 - k - 1;
		if (n < k + 5 || *dot != '.' || dot[-1] == '/')
			continue;
		for (i = 0; i < c->nlangs; i++)
			if (strlen(c->langs[i].code) == k &&
			    memcmp(dot + 1, c->langs[i].code, k) == 0) {
				*coded = 1;
				return i;
			}
		if (k == 2 && dot[1] >= 'a' && dot[1] <= 'z' &&
		    dot[2] >= 'a' && dot[2] <= 'z')
			*code = dot + 1;
	}
	return 0;
}

static struct page *
page_new(struct site *s, enum page_kind kind, const char *src, int lang,
    int coded)
{
	struct page *p = xcalloc(1, sizeof(*p));
	const char *slash = strrchr(src, '/');
	size_t n = strlen(src);

	p->kind = kind;
	p->src = xstrdup(src);
	p->file = xasprintf("content/%s", src);
	p->dir = slash ? xstrndup(src, (size_t)(slash - src)) : xstrdup("");
	p->lang = lang;
	if (!coded)
		p->key = xstrdup(src);
	else {
		/* "arvot.sv.md" and "arvot.fi.md" are versions of "arvot.md". */
		const char *dot = src + n - 3;
		while (dot[-1] != '.')
			dot--;
		p->key = xasprintf("%.*s.md", (int)(dot - 1 - src), src);
	}
	s->all = xgrow(s->all, &s->capall, s->nall + 1, sizeof(*s->all));
	s->all[s->nall++] = p;
	return p;
}

int
front_matter_split(const char *t, size_t len, size_t *fm_off, size_t *fm_len,
    size_t *body_off)
{
	size_t i, start;

	if (len < 3 || memcmp(t, "---", 3) != 0)
		return 0;
	i = 3;
	while (i < len && (t[i] == ' ' || t[i] == '\t'))
		i++;
	if (i < len && t[i] == '\r')
		i++;
	if (i < len && t[i] != '\n')
		return 0;
	start = ++i;
	while (i < len) {
		size_t eol = i;
		while (eol < len && t[eol] != '\n')
			eol++;
		if (eol - i >= 3 && (memcmp(t + i, "---", 3) == 0 ||
		    memcmp(t + i, "...", 3) == 0)) {
			size_t k = i + 3;
			while (k < eol && (t[k] == ' ' || t[k] == '\t' ||
			    t[k] == '\r'))
				k++;
			if (k == eol) {
				*fm_off = start;
				*fm_len = i - start;
				*body_off = eol < len ? eol + 1 : eol;
				return 1;
			}
		}
		i = eol + 1;
	}
	return -1;
}

static const char *
closest_key(const char *key)
{
	const char *best = NULL;
	size_t i, d, bestd = 3;

	/* A misspelt key is one or two off. */
	for (i = 0; fm_keys[i] != NULL; i++)
		if ((d = text_distance(key, strlen(key), fm_keys[i],
		    strlen(fm_keys[i]), 0)) < bestd) {
			bestd = d;
			best = fm_keys[i];
		}
	return best;
}

/* A scalar as text: editors write "title: 2025" and mean the text. */
static const char *
fm_string(struct page *p, const char *key, struct value *v,
    struct diags *d)
{
	if (v->type == VAL_STRING)
		return v->str;
	if (v->type == VAL_NUMBER && v->str)
		return v->str;
	if (v->type == VAL_NULL)
		return NULL;
	diag_error(d, p->file, v->line, v->col,
	    "Write it as text on the same line, in quotes if needed.",
	    "\"%s\" must be text, not a %s", key, value_type_name(v->type));
	return NULL;
}

static int
valid_date(const char *s)
{
	struct date d;

	return date_parse(s, &d);
}

/* The date in the page's language; a time of day is not shown. */
static void
show_date(const struct site *s, struct page *p)
{
	struct buf b = BUF_INIT;
	struct date d;

	p->date_display[0] = '\0';
	if (p->date == NULL || !date_parse(p->date, &d))
		return;
	lang_date(&b, s->langs[p->lang].strings, d.year, d.month, d.day);
	if (b.len < sizeof(p->date_display))
		memcpy(p->date_display, b.data, b.len + 1);
	buf_free(&b);
}

static int
string_list(struct page *p, const char *key, struct value *v,
    struct diags *d)
{
	size_t i;

	if (v->type == VAL_NULL)
		return 0;
	if (v->type != VAL_LIST) {
		diag_error(d, p->file, v->line, v->col,
		    "Write a list: one \"- item\" per line under the key, "
		    "or [a, b].", "\"%s\" must be a list", key);
		return -1;
	}
	for (i = 0; i < v->len; i++) {
		struct value *it = v->u.items[i];
		if (it->type != VAL_STRING &&
		    !(it->type == VAL_NUMBER && it->str)) {
			diag_error(d, p->file, it->line, it->col,
			    "Write each item as text.",
			    "items of \"%s\" must be text, not %s", key,
			    value_type_name(it->type));
			return -1;
		}
		if (it->type == VAL_NUMBER) {
			it->type = VAL_STRING;
		}
	}
	return 0;
}

/*
 * Checks and stores the front matter map fm of page p. fm_line is the
 * line of the opening '---'.
 */
static int
apply_front_matter(struct page *p, struct value *fm, unsigned fm_line,
    struct diags *d)
{
	size_t i, errors = d->errors;
	const char *best;
	struct value *v;

	if (fm->type == VAL_NULL)
		fm = NULL;
	else if (fm->type != VAL_MAP) {
		diag_error(d, p->file, fm->line, fm->col,
		    "Write the front matter as \"key: value\" lines.",
		    "front matter must be a map of keys to values");
		return -1;
	}
	p->fm = fm;
	for (i = 0; fm && i < fm->len; i++) {
		const char *key = fm->u.pairs[i].key;
		size_t k;
		v = fm->u.pairs[i].val;
		for (k = 0; fm_keys[k] != NULL; k++)
			if (strcmp(fm_keys[k], key) == 0)
				break;
		if (fm_keys[k] == NULL) {
			diag_error(d, p->file, v->line, 1, "Known keys: "
			    "title, date, description, summary, draft, "
			    "weight, slug, layout, aliases, tags, toc, menu; "
			    "for a consultation opens, closes, participate, "
			    "questions, audience, municipalities, heard, "
			    "outcome, example.",
			    "unknown front matter key \"%s\"", key);
			if ((best = closest_key(key)) != NULL)
				diag_hintf(d, "Did you mean \"%s\"?", best);
			continue;
		}
		if (!strcmp(key, "title"))
			p->title = fm_string(p, key, v, d);
		else if (!strcmp(key, "description"))
			p->description = fm_string(p, key, v, d);
		else if (!strcmp(key, "summary"))
			p->summary = fm_string(p, key, v, d);
		else if (!strcmp(key, "layout"))
			p->layout = fm_string(p, key, v, d);
		else if (!strcmp(key, "slug"))
			p->slug = fm_string(p, key, v, d);
		else if (!strcmp(key, "date")) {
			p->date = fm_string(p, key, v, d);
			if (p->date && !valid_date(p->date)) {
				diag_error(d, p->file, v->line, v->col,
				    "Write a date of the calendar as YYYY-MM-DD, "
				    "for example 2025-03-31; a time may follow: "
				    "2025-03-31T14:00.", "\"%s\" is not a date",
				    p->date);
				p->date = NULL;
			}
		} else if (!strcmp(key, "menu")) {
			p->menu = fm_string(p, key, v, d);
			if (p->menu && strcmp(p->menu, "main") &&
			    strcmp(p->menu, "footer") && strcmp(p->menu, "none"))
				diag_error(d, p->file, v->line, v->col,
				    "Write main, footer or none.",
				    "menu \"%s\" is not one of the menus",
				    p->menu);
		} else if (!strcmp(key, "draft") || !strcmp(key, "toc")) {
			if (v->type != VAL_BOOL)
				diag_error(d, p->file, v->line, v->col,
				    "Write true or false.",
				    "\"%s\" must be true or false, not %s", key,
				    value_type_name(v->type));
			else if (key[0] == 'd')
				p->draft = v->u.boolean;
			else
				p->toc = v->u.boolean;
		} else if (!strcmp(key, "weight")) {
			/* Compared first: a cast of 1e30 to long is undefined. */
			if (v->type != VAL_NUMBER ||
			    !(v->u.number >= -WEIGHT_MAX &&
			    v->u.number <= WEIGHT_MAX) ||
			    v->u.number != (double)(long)v->u.number)
				diag_error(d, p->file, v->line, v->col,
				    "Write a whole number such as 10; lower "
				    "numbers come first.",
				    "\"weight\" must be a whole number");
			else
				p->weight = (long)v->u.number;
		} else if (!strcmp(key, "aliases")) {
			if (string_list(p, key, v, d) == 0 &&
			    v->type == VAL_LIST)
				p->aliases = v;
		} else if (!strcmp(key, "tags")) {
			if (string_list(p, key, v, d) == 0 &&
			    v->type == VAL_LIST)
				p->tags = v;
		}
	}
	if (p->title == NULL || *p->title == '\0')
		diag_error(d, p->file, fm_line, 1,
		    "Add a line \"title: ...\" to the front matter.",
		    "the page has no title");
	return d->errors == errors ? 0 : -1;
}

/*
 * front_matter_split of a page's text, after the byte order mark that
 * editors' Windows tools write; the offsets count from the file's start.
 */
static int
split_page(const struct buf *b, size_t *fm_off, size_t *fm_len,
    size_t *body_off)
{
	size_t bom = b->len >= 3 && memcmp(b->data, "\xEF\xBB\xBF", 3) == 0 ?
	    3 : 0;
	int r;

	*fm_off = *fm_len = *body_off = 0;
	r = front_matter_split(b->data + bom, b->len - bom, fm_off, fm_len,
	    body_off);
	*fm_off += bom;
	*body_off += bom;
	return r;
}

int
page_same_head(const struct page *p, const char *text, size_t len)
{
	struct buf b = { (char *)text, len, len };
	size_t fm_off, fm_len, body_off;

	return split_page(&b, &fm_off, &fm_len, &body_off) == 1 &&
	    body_off == p->body_off && hash_bytes(text, body_off) == p->fm_hash;
}

/*
 * Reads the front matter of one page. Only the head of the file is read
 * here, unless whole (for a page_reader); the body is read again when
 * the page is rendered, so memory does not grow with the size of the
 * site's text.
 */
static int
load_page(struct source *src, struct arena *a, struct page *p,
    const struct source_file *f, int whole, struct buf *b, struct diags *d)
{
	size_t fm_off, fm_len, body_off, bad;
	struct value *fm;
	uint64_t size;
	int r;

	(void)f;
	if (source_read(src, p->file, b, whole ? PAGE_MAX_SIZE : HEAD_SIZE,
	    &size) == -1) {
		diag_error(d, p->file, 0, 0, NULL, "cannot read the file: %s",
		    strerror(errno));
		return -1;
	}
	if (size == 0) {
		diag_error(d, p->file, 1, 1,
		    "Start the file with front matter: a line ---, "
		    "title: ..., and another line ---.", "the file is empty");
		return -1;
	}
	if (size > PAGE_MAX_SIZE) {
		diag_error(d, p->file, 1, 1,
		    "Split the page into smaller pages.",
		    "the file is %llu bytes; a page can be at most %u",
		    (unsigned long long)size, PAGE_MAX_SIZE);
		return -1;
	}
	r = split_page(b, &fm_off, &fm_len, &body_off);
	if (r == -1 && b->len < size) {
		if (source_read(src, p->file, b, 0, NULL) == -1) {
			diag_error(d, p->file, 0, 0, NULL,
			    "cannot read the file: %s", strerror(errno));
			return -1;
		}
		r = split_page(b, &fm_off, &fm_len, &body_off);
	}
	if (r == 0) {
		diag_error(d, p->file, 1, 1,
		    "Start the file with a line ---, then title: ..., then "
		    "another line ---.", "the page has no front matter");
		return -1;
	}
	if (r == -1) {
		diag_error(d, p->file, 1, 1,
		    "End the front matter with a line of three dashes: ---",
		    "the front matter is not closed");
		return -1;
	}
	if (fm_len > FM_MAX_SIZE) {
		diag_error(d, p->file, 1, 1,
		    "Move the long text into the page itself, below the "
		    "closing ---.", "the front matter is %zu bytes; it can be "
		    "at most %u", fm_len, FM_MAX_SIZE);
		return -1;
	}
	if (!utf8_valid(b->data, body_off, &bad)) {
		diag_error(d, p->file, line_of(b->data, bad), 0,
		    "Save the file as UTF-8.",
		    "the front matter is not valid UTF-8 text");
		return -1;
	}
	p->body_off = body_off;
	p->fm_hash = hash_bytes(b->data, body_off);
	p->body_line = line_of(b->data, body_off);
	fm = yaml_parse(a, b->data + fm_off, fm_len, p->file, 1, d);
	if (fm == NULL)
		return -1;
	return apply_front_matter(p, fm, 1, d);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Whether the file name base is name.md, or name.code.md where coded. */
static int
is_name(const char *base, const char *name, int coded)
{
	size_t n = strlen(name);
	const char *rest = base + n;

	if (strncmp(base, name, n) != 0)
		return 0;
	if (strcmp(rest, ".md") == 0)
		return 1;
	return coded && rest[0] == '.' && strchr(rest + 1, '.') != NULL &&
	    strcmp(strchr(rest + 1, '.'), ".md") == 0;
}

/*
 * "arvot.se.md" where the site has no "se": a misspelt code, or a name
 * with a dot. The page is built in the site's language all the same.
 */
static void
unknown_lang(const struct config *c, const struct page *p, const char *code,
    struct diags *d)
{
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < c->nlangs; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", c->langs[i].code);
	diag_warn(d, p->file, 0, 0, "Name the file with one of the site's "
	    "languages, add the language to [site] languages in site.conf, or "
	    "write the name without the dot.", "\"%.2s\" is not one of the "
	    "site's languages (%s): the page is built as a page in %s", code,
	    b.data ? b.data : "", c->nlangs ? c->langs[0].code : "");
	buf_free(&b);
}

/* What one loading thread owns; its arena lives as long as the site. */
struct loader {
	struct site		*site;
	const struct fm_memo	*memo;
	const struct page_reader *reader;
	struct page		**pages;
	const struct source_file **files;
	struct buf		*bufs;
	struct diags		*diags;
};

static void
load_item(void *arg, int worker, size_t i)
{
	struct loader *l = arg;
	struct page *p = l->pages[i];
	struct arena *a = &l->site->arenas[worker];
	struct value *fm;
	size_t errors = l->diags[worker].errors;

	memcpy(p->id, l->files[i]->id, sizeof(p->id));
	p->mtime_ns = l->files[i]->mtime_ns;
	/* An unchanged file need not be opened at all. */
	if (l->memo && (fm = l->memo->fn(l->memo->arg, p, a)) != NULL)
		apply_front_matter(p, fm, 1, &l->diags[worker]);
	else if (load_page(l->site->src, a, p, l->files[i], l->reader != NULL,
	    &l->bufs[worker], &l->diags[worker]) == 0 && l->reader != NULL)
		l->reader->fn(l->reader->arg, worker, p, &l->bufs[worker]);
	/* Wrong keys still leave a page to check; unreadable ones do not. */
	p->broken = l->diags[worker].errors != errors && p->fm == NULL;
}

int
content_load(struct site *s, const struct fm_memo *memo,
    const struct page_reader *reader, int jobs, struct diags *d)
{
	struct loader l;
	struct page *p;
	size_t i, n = 0, cap = 0, errors = d->errors;
	const char *base, *code;
	int k, lang, coded;

	if (source_list(s->src, "content", &s->content, d) == -1)
		return -1;
	memset(&l, 0, sizeof(l));
	for (i = 0; i < s->content.len; i++) {
		const struct source_file *f = &s->content.v[i];
		if (strlen(f->path) > PATH_MAX_LEN || n == PAGES_MAX) {
			char *name = xasprintf("content/%s", f->path);
			if (n == PAGES_MAX)
				diag_error(d, name, 0, 0, "Split the site into "
				    "several sites.", "the site has more than "
				    "%d pages", PAGES_MAX);
			else
				diag_error(d, name, 0, 0, "Use shorter names "
				    "for the file and its folders.", "the path "
				    "is %zu bytes long; it can be at most %d",
				    strlen(f->path), PATH_MAX_LEN);
			free(name);
			if (n == PAGES_MAX)
				break;
			continue;
		}
		if (!ends_with(f->path, ".md") ||
		    strncmp(f->path, "data/", 5) == 0)
			continue;
		base = strrchr(f->path, '/');
		base = base ? base + 1 : f->path;
		lang = src_lang(s->cfg, f->path, &code, &coded);
		p = page_new(s, is_name(base, "_index", coded) ?
		    (base == f->path ? PAGE_HOME : PAGE_SECTION) : PAGE_PAGE,
		    f->path, lang, coded);
		if (code != NULL)
			unknown_lang(s->cfg, p, code, d);
		if (p->kind == PAGE_HOME)
			s->langs[lang].home = p;
		if (p->kind == PAGE_HOME && lang == 0)
			s->home = p;
		hmap_put(&s->by_src, p->src, p);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			l.pages = xrealloc(l.pages, cap * sizeof(*l.pages));
			l.files = xrealloc(l.files, cap * sizeof(*l.files));
		}
		l.pages[n] = p;
		l.files[n++] = f;
	}
	s->nloaded = s->nall;
	/* Reading front matter is mostly waiting on the files: in parallel. */
	if (jobs < 1)
		jobs = 1;
	s->narenas = jobs;
	s->arenas = xcalloc((size_t)jobs, sizeof(*s->arenas));
	l.site = s;
	l.memo = memo;
	l.reader = reader;
	l.bufs = xcalloc((size_t)jobs, sizeof(*l.bufs));
	l.diags = xcalloc((size_t)jobs, sizeof(*l.diags));
	pool_run(jobs, n, load_item, &l);
	/*
	 * A page whose front matter is wrong still takes part in the rest of
	 * the checks (links to it, its place in lists), under its file name.
	 */
	for (i = 0; i < n; i++)
		if (l.pages[i]->title == NULL)
			l.pages[i]->title = l.pages[i]->src;
	for (k = 0; k < jobs; k++) {
		diags_move(d, &l.diags[k]);
		buf_free(&l.bufs[k]);
	}
	free(l.bufs);
	free(l.diags);
	free(l.pages);
	free(l.files);
	return d->errors == errors ? 0 : -1;
}

/*
 * Returns the section page of language lang for content folder dir,
 * creating it if needed.
 */
static struct page *
section_for(struct site *s, const char *dir, int lang)
{
	struct page *p;
	char *src;
	const char *code = s->cfg->langs[lang].code;

	if (lang == 0)
		src = *dir ? xasprintf("%s/_index.md", dir) :
		    xstrdup("_index.md");
	else
		src = *dir ? xasprintf("%s/_index.%s.md", dir, code) :
		    xasprintf("_index.%s.md", code);
	p = hmap_get(&s->by_src, src);
	if (p == NULL) {
		/* A folder without _index.md is still a section. */
		p = page_new(s, *dir ? PAGE_SECTION : PAGE_HOME, src, lang,
		    lang != 0);
		p->implicit = 1;
		if (*dir) {
			const char *name = strrchr(dir, '/');
			char *t = xstrdup(name ? name + 1 : dir);
			/* Its folder name, capitalised, is the best title. */
			if (t[0] >= 'a' && t[0] <= 'z')
				t[0] = (char)(t[0] - 'a' + 'A');
			for (char *c = t; *c; c++)
				if (*c == '-' || *c == '_')
					*c = ' ';
			p->title = arena_strdup(&s->rarena, t);
			free(t);
		} else {
			p->title = s->cfg->langs[lang].title ?
			    s->cfg->langs[lang].title : s->cfg->title;
			s->langs[lang].home = p;
			if (lang == 0)
				s->home = p;
		}
		hmap_put(&s->by_src, p->src, p);
	}
	free(src);
	return p;
}

static void
add_child(struct page *sec, struct page *p)
{
	sec->children = xgrow(sec->children, &sec->capchildren,
	    sec->nchildren + 1, sizeof(*sec->children));
	sec->children[sec->nchildren++] = p;
}

/* content/x/index.md is the page /x/ itself, like a page bundle. */
static int
is_bundle_index(const struct page *p)
{
	const char *name = strrchr(p->src, '/');

	return p->kind == PAGE_PAGE && name != NULL &&
	    is_name(name + 1, "index", strcmp(p->key, p->src) != 0);
}

/* Gives p its parent section, creating the chain of sections above it. */
static void
attach(struct site *s, struct page *p)
{
	char *dir;
	const char *slash;

	if (p->kind == PAGE_HOME || p->parent != NULL)
		return;
	if (p->kind == PAGE_PAGE && !is_bundle_index(p))
		dir = xstrdup(p->dir);
	else {
		/* A section, or x/index.md: both belong to x's parent. */
		slash = strrchr(p->dir, '/');
		dir = slash ? xstrndup(p->dir, (size_t)(slash - p->dir)) :
		    xstrdup("");
	}
	p->parent = section_for(s, dir, p->lang);
	free(dir);
	add_child(p->parent, p);
	attach(s, p->parent);
}

/* Sets p->url and p->out; the parent's URL is set first. */
static void
make_url(struct site *s, struct page *p)
{
	struct buf b = BUF_INIT;
	const char *name, *bp = s->cfg->base_path;
	size_t start;

	if (p->url != NULL)
		return;
	if (p->kind == PAGE_HOME) {
		/* Other languages below /sv/: the site's own at the root. */
		if (p->lang == 0)
			p->url = xstrdup(bp);
		else
			p->url = xasprintf("%s%s/", bp,
			    s->cfg->langs[p->lang].code);
		p->out = xasprintf("%sindex.html", p->url + strlen(bp));
		return;
	}
	make_url(s, p->parent);
	buf_puts(&b, p->parent->url);
	start = b.len;
	if (p->slug != NULL)
		slugify(&b, p->slug, strlen(p->slug));
	else if (p->kind == PAGE_SECTION || is_bundle_index(p)) {
		name = strrchr(p->dir, '/');
		name = name ? name + 1 : p->dir;
		slugify(&b, name, strlen(name));
	} else {
		name = strrchr(p->src, '/');
		name = name ? name + 1 : p->src;
		/* "arvot.sv.md": "arvot", its language said by the folder. */
		slugify(&b, name, strlen(name) - 3 -
		    (strlen(p->src) - strlen(p->key)));
	}
	if (b.len > start)
		buf_putc(&b, '/');
	p->url = buf_detach(&b);
	p->out = xasprintf("%sindex.html", p->url + strlen(bp));
}

static int
date_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return -strcmp(a, b);	/* newest first */
}

/* Weight first (none given sorts last), then date, title and path. */
static int
page_cmp(const void *x, const void *y)
{
	const struct page *a = *(struct page *const *)x;
	const struct page *b = *(struct page *const *)y;
	int c;

	if (a->weight != b->weight) {
		if (a->weight == 0 || b->weight == 0)
			return a->weight == 0 ? 1 : -1;
		return a->weight < b->weight ? -1 : 1;
	}
	if ((c = date_cmp(a->date, b->date)) != 0)
		return c;
	if ((c = strcmp(a->title, b->title)) != 0)
		return c;
	return strcmp(a->src, b->src);
}

static int
src_cmp(const void *x, const void *y)
{
	return strcmp((*(struct page *const *)x)->src,
	    (*(struct page *const *)y)->src);
}

static struct value *
page_ref(struct site *s, struct page *p)
{
	struct arena *a = &s->rarena;
	struct value *m = value_map(a);

	value_append(a, m, "title", value_cstring(a, p->title));
	value_append(a, m, "url", value_string_ref(a, p->url,
	    strlen(p->url)));
	value_append(a, m, "description", p->description ?
	    value_cstring(a, p->description) : value_null(a));
	value_append(a, m, "summary", p->summary ?
	    value_cstring(a, p->summary) : value_null(a));
	value_append(a, m, "date", p->date ?
	    value_string(a, p->date, 10) : value_null(a));
	value_append(a, m, "date_display", value_cstring(a,
	    p->date_display));
	value_append(a, m, "draft", value_bool(a, p->draft));
	return m;
}

static int
claim_url(struct site *s, const char *url, struct page *p, unsigned line,
    struct diags *d)
{
	struct page *other = hmap_put(&s->by_url, url, p);

	if (other == NULL)
		return 0;
	diag_error(d, p->file, line, 0,
	    "Give one of them another file name or slug.",
	    "%s is also the address of %s", url, other->file);
	return -1;
}

/* The main and footer menus of each language, of its own pages. */
static void
build_menus(struct site *s, struct diags *d)
{
	struct site_lang *l;
	size_t i, cap, fcap;
	struct page *p;
	int k;

	for (k = 0; k < nlangs(s->cfg); k++) {
		l = &s->langs[k];
		cap = fcap = 0;
		/* Sections of the top level, and pages that ask, in order. */
		for (i = 0; i < l->home->nchildren; i++) {
			p = l->home->children[i];
			const char *m = p->menu ? p->menu :
			    p->kind == PAGE_SECTION ? "main" : "none";
			if (strcmp(m, "main") == 0) {
				l->menu_pages = xgrow(l->menu_pages, &cap,
				    l->nmenu + 1, sizeof(*l->menu_pages));
				l->menu_pages[l->nmenu++] = p;
			}
		}
		for (i = 0; i < s->npages; i++) {
			p = s->pages[i];
			if (p->lang != k || !p->menu ||
			    strcmp(p->menu, "footer") != 0)
				continue;
			l->footer_pages = xgrow(l->footer_pages, &fcap,
			    l->nfooter + 1, sizeof(*l->footer_pages));
			l->footer_pages[l->nfooter++] = p;
		}
		if (l->nfooter > 1)
			qsort(l->footer_pages, l->nfooter,
			    sizeof(*l->footer_pages), page_cmp);
	}
	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		if (p->menu && strcmp(p->menu, "main") == 0 &&
		    p->parent != s->langs[p->lang].home) {
			struct value *v = value_get(p->fm, "menu");
			diag_warn(d, p->file, v ? v->line : 0, v ? v->col : 0,
			    "Move the page to the top of content/, or link to "
			    "it from its section.", "menu: main is for pages "
			    "at the top level; this page is not in the menu");
		}
	}
}

/*
 * Links every page to its versions in the other languages: the pages
 * built whose key is the same.
 */
static void
link_translations(struct site *s)
{
	struct hmap first = HMAP_INIT;
	struct page *p, *q;
	size_t i;

	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		if ((q = hmap_get(&first, p->key)) == NULL)
			hmap_put(&first, p->key, q = p);
		if (q->tr[p->lang] == NULL)
			q->tr[p->lang] = p;
	}
	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		q = hmap_get(&first, p->key);
		memcpy(p->tr, q->tr, sizeof(p->tr));
	}
	hmap_free(&first);
}

/*
 * Forgets what an earlier resolve computed, so that it can run again on
 * the same loaded pages: the sections it made up, every page's place,
 * and the lists.
 */
static void
unresolve(struct site *s)
{
	size_t i;

	for (i = s->nloaded; i < s->nall; i++)
		page_free(s->all[i]);
	s->nall = s->nloaded;
	s->home = NULL;
	for (i = 0; i < s->nall; i++) {
		struct page *p = s->all[i];
		free(p->url);
		free(p->out);
		free(p->children);
		p->url = p->out = NULL;
		p->children = NULL;
		p->nchildren = p->capchildren = 0;
		p->parent = p->prev = p->next = NULL;
		p->ref = NULL;
		p->alias_urls = NULL;
		p->nalias_urls = 0;
		memset(p->tr, 0, sizeof(p->tr));
		if (p->kind == PAGE_HOME)
			s->langs[p->lang].home = p;
		if (p->kind == PAGE_HOME && p->lang == 0)
			s->home = p;
	}
	free(s->pages);
	free(s->drafts);
	for (i = 0; i < LANGS_MAX; i++) {
		free(s->langs[i].menu_pages);
		free(s->langs[i].footer_pages);
		s->langs[i].menu_pages = s->langs[i].footer_pages = NULL;
		s->langs[i].nmenu = s->langs[i].nfooter = 0;
	}
	free(s->attachments);
	s->pages = s->drafts = NULL;
	s->attachments = NULL;
	s->npages = s->ndrafts = 0;
	s->nattachments = 0;
	hmap_free(&s->by_src);
	hmap_free(&s->by_url);
	hmap_free(&s->published);
	for (i = 0; i < s->nall; i++)
		hmap_put(&s->by_src, s->all[i]->src, s->all[i]);
	arena_reset(&s->rarena);
}

/* Returns 1 if p is a draft that this build leaves out. */
static int
left_out(const struct site *s, const struct page *p)
{
	return p != NULL && p->draft && !s->cfg->drafts;
}

/*
 * Returns 1 if the file at content path path belongs to a draft that is
 * left out: it lies in the folder of a page bundle (x/index.md) or a
 * section (x/_index.md) marked draft, or below one.
 */
static int
draft_file(const struct site *s, const char *path, struct buf *b)
{
	const char *slash;
	size_t n = strlen(path);

	while ((slash = memrchr(path, '/', n)) != NULL) {
		n = (size_t)(slash - path);
		buf_reset(b);
		buf_put(b, path, n);
		buf_puts(b, "/index.md");
		if (left_out(s, hmap_get(&s->by_src, b->data)))
			return 1;
		buf_reset(b);
		buf_put(b, path, n);
		buf_puts(b, "/_index.md");
		if (left_out(s, hmap_get(&s->by_src, b->data)))
			return 1;
	}
	return 0;
}

/* The files copied as they are: all but pages and drafts' files. */
static void
find_attachments(struct site *s)
{
	struct buf b = BUF_INIT;
	size_t i, cap = 0;

	for (i = 0; i < s->content.len; i++) {
		const struct source_file *f = &s->content.v[i];
		if (ends_with(f->path, ".md") || draft_file(s, f->path, &b))
			continue;
		s->attachments = xgrow(s->attachments, &cap,
		    s->nattachments + 1, sizeof(*s->attachments));
		s->attachments[s->nattachments++] = f;
		hmap_put(&s->published, f->path, (void *)f);
	}
	buf_free(&b);
}

/* The line and column of page p's title in its front matter, or 0. */
static void
title_place(const struct page *p, unsigned *line, unsigned *col)
{
	const struct value *v = value_get(p->fm, "title");

	*line = v ? v->line : 0;
	*col = v ? v->col : 0;
}

/*
 * Search engines cut a title after 60 to 70 characters, and a browser's
 * tab sooner: the rest of a long title goes unseen (the limit is
 * site.conf's [check] title_length). Characters, not bytes: "ä" is two
 * bytes and one character.
 */
static void
title_length(const struct site *s, const struct page *p, struct diags *d)
{
	const unsigned char *c;
	unsigned line, col;
	size_t n = 0;

	if (s->cfg->title_length <= 0 || p->implicit || p->title == NULL ||
	    p->title == p->src)
		return;
	for (c = (const unsigned char *)p->title; *c != '\0'; c++)
		n += (*c & 0xC0) != 0x80;
	if (n <= (size_t)s->cfg->title_length)
		return;
	title_place(p, &line, &col);
	diag_warn(d, p->file, line, col,
	    "Shorten the title; say the rest in description: or in the text.",
	    "the title is %zu characters long; at most %d are shown in "
	    "search results", n, s->cfg->title_length);
}

/*
 * Two pages of one section with the same title look the same in its
 * list, in search results and to a screen reader's list of links: the
 * second, by file name, is warned, naming the first. s->pages is in
 * that order already.
 */
static void
same_titles(const struct site *s, struct diags *d)
{
	struct hmap seen = HMAP_INIT;
	struct arena a = ARENA_INIT;
	struct page *p, *other;
	unsigned line, col;
	size_t i;
	char *key;

	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		if (p->parent == NULL || p->implicit || p->broken ||
		    p->title == NULL || p->title == p->src)
			continue;
		key = arena_printf(&a, "%s\n%s", p->parent->src, p->title);
		if ((other = hmap_put(&seen, key, p)) == NULL)
			continue;
		title_place(p, &line, &col);
		diag_warn(d, p->file, line, col, "Give each page of a section "
		    "its own title, so that lists and search results tell "
		    "them apart.", "the title \"%s\" is also the title of %s",
		    p->title, other->file);
	}
	hmap_free(&seen);
	arena_free(&a);
}

int
content_resolve(struct site *s, struct diags *d)
{
	size_t i, j, n, cap = 0, dcap = 0, errors = d->errors;
	struct page *p, *prev;
	struct buf b = BUF_INIT;

	for (i = 0; i < LANGS_MAX; i++)
		s->langs[i].home = NULL;
	unresolve(s);
	/* Leave drafts out first, so they make no sections of their own. */
	n = s->nall;
	for (i = 0; i < n; i++) {
		p = s->all[i];
		if (left_out(s, p)) {
			s->drafts = xgrow(s->drafts, &dcap, s->ndrafts + 1,
			    sizeof(*s->drafts));
			s->drafts[s->ndrafts++] = p;
		}
	}
	/* Every language has a front page: the switcher leads there. */
	for (i = 0; i < (size_t)nlangs(s->cfg); i++)
		section_for(s, "", (int)i);
	for (i = 0; i < n; i++)
		if (!left_out(s, s->all[i]))
			attach(s, s->all[i]);
	for (i = 0; i < s->nall; i++) {
		p = s->all[i];
		if (left_out(s, p))
			continue;
		s->pages = xgrow(s->pages, &cap, s->npages + 1,
		    sizeof(*s->pages));
		s->pages[s->npages++] = p;
	}
	qsort(s->pages, s->npages, sizeof(*s->pages), src_cmp);
	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		show_date(s, p);
		make_url(s, p);
		claim_url(s, p->url, p, 1, d);
		title_length(s, p, d);
	}
	same_titles(s, d);
	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		if (p->aliases == NULL)
			continue;
		p->alias_urls = arena_alloc(&s->rarena,
		    p->aliases->len * sizeof(*p->alias_urls) + 1);
		for (j = 0; j < p->aliases->len; j++) {
			const struct value *al = p->aliases->u.items[j];
			const char *url;
			buf_reset(&b);
			if (al->str[0] != '/')
				buf_puts(&b, s->cfg->base_path);
			else
				buf_put(&b, s->cfg->base_path,
				    strlen(s->cfg->base_path) - 1);
			buf_puts(&b, al->str);
			if (b.data[b.len - 1] != '/')
				buf_putc(&b, '/');
			if (strstr(b.data, "/../") || strstr(b.data, "/./") ||
			    strstr(b.data, "//")) {
				diag_error(d, p->file, al->line, al->col,
				    "Write the old address as a path such as "
				    "/vanha/osoite/.", "alias \"%s\" is not a "
				    "clean path", al->str);
				continue;
			}
			url = arena_strdup(&s->rarena, b.data);
			p->alias_urls[p->nalias_urls++] = url;
			claim_url(s, url, p, al->line, d);
		}
	}
	find_attachments(s);
	buf_free(&b);
	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		if (p->nchildren > 1)
			qsort(p->children, p->nchildren, sizeof(*p->children),
			    page_cmp);
		p->ref = page_ref(s, p);
	}
	/* Neighbours: the pages (not subsections) of one section, in order. */
	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		prev = NULL;
		for (j = 0; j < p->nchildren; j++) {
			struct page *c = p->children[j];
			if (c->kind != PAGE_PAGE)
				continue;
			c->prev = prev;
			if (prev)
				prev->next = c;
			prev = c;
		}
	}
	link_translations(s);
	build_menus(s, d);
	return d->errors == errors ? 0 : -1;
}
