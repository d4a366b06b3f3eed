#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include "chart.h"
#include "data.h"
#include "glossary.h"
#include "markdown.h"
#include "rawhtml.h"
#include "url.h"
#include "util/buf.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/text.h"
#include "yaml.h"

/*
 * cmark's allocator hooks take no context, so the arena of the thread's
 * current page is found through a thread-local. Each block carries its
 * size in front, which realloc needs and the arena does not keep.
 */
#define MD_HDR	16

static _Thread_local struct arena *md_arena;

static void *
md_calloc(size_t n, size_t sz)
{
	size_t total = xmul(n, sz);
	unsigned char *p = arena_alloc(md_arena, xadd(total, MD_HDR));

	memset(p + MD_HDR, 0, total);
	memcpy(p, &total, sizeof(total));
	return p + MD_HDR;
}

static void *
md_realloc(void *old, size_t sz)
{
	unsigned char *p;
	size_t oldsz;

	if (old == NULL)
		p = arena_alloc(md_arena, xadd(sz, MD_HDR));
	else {
		p = (unsigned char *)old - MD_HDR;
		memcpy(&oldsz, p, sizeof(oldsz));
		p = arena_realloc(md_arena, p, oldsz + MD_HDR, xadd(sz, MD_HDR));
	}
	memcpy(p, &sz, sizeof(sz));
	return p + MD_HDR;
}

static void
md_free(void *p)
{
	(void)p;	/* the whole arena goes at once, after the page */
}

static cmark_mem md_mem = { md_calloc, md_realloc, md_free };

cmark_mem *
markdown_mem(struct arena *a)
{
	md_arena = a;
	return &md_mem;
}

/* Lists and quotes inside each other, at most. */
#define MD_MAX_NESTING	16
/* Links shown as text that one page reports, at most. */
#define MD_MAX_RAW	50
/* Longest address looked for in such a link: a path is at most 512. */
#define MD_MAX_ADDRESS	2048
/* Steps of edit distance one link to a missing heading may take. */
#define MD_HINT_WORK	(1u << 18)

static const char *const extensions[] = {
	"table", "strikethrough", "autolink", "tasklist"
};

/*
 * Ids the theme and the chart blocks use; a heading must not take them.
 * The theme keeps to "main" and names starting "valo-".
 */
static const char *const reserved_ids[] = { "main" };
static const char *const reserved_prefixes[] = { "valo-", "chart-", "table-" };

struct md_state {
	const struct site	*site;
	const struct value	*i18n;
	struct page		*page;
	struct arena		*arena;
	struct diags		*diags;
	cmark_parser		*parser;
	struct md_result	*res;
	size_t			 capheadings;
	size_t			 capfragments;
	size_t			 caplinked;
	size_t			 capdata;
	struct buf		 tmp;
	struct buf		 flat;		/* a block's text, see raw_links */
	const char		*text;		/* the body, as given */
	size_t			 len;
	size_t			*lines;		/* where each line of text starts */
	size_t			 nlines;	/* 0: not counted yet */
	size_t			*open;		/* raw_links' open brackets */
	size_t			 capopen;
	size_t			 nraw;		/* links shown as text, so far */
	unsigned		 src_line;	/* in_source's place */
	size_t			 src_at;
	unsigned		 warned_line;
	int			 last_level;	/* of the heading before */
	unsigned		 depth;		/* of lists and quotes */
	struct hmap		 ids;		/* heading ids given */
	struct hmap		 suffix;	/* id -> next number to try */
	/* Same-page #links, checked once every heading id is known. */
	struct md_fragment	*local;
	size_t			 nlocal;
	size_t			 caplocal;
};

/* The table extension's node types, which it does not export. */
static cmark_node_type table_type, cell_type;

/*
 * cmark-gfm 0.29 keeps its table of special inline characters in a process
 * global that every parser sets and clears: two parsers must never run at
 * once in one process. build.c renders pages in worker processes.
 */
void
markdown_init(void)
{
	cmark_node *doc, *n;
	cmark_parser *p;
	size_t i;

	cmark_gfm_core_extensions_ensure_registered();
	if (table_type != CMARK_NODE_NONE)
		return;
	p = cmark_parser_new(0);
	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
		cmark_parser_attach_syntax_extension(p,
		    cmark_find_syntax_extension(extensions[i]));
	cmark_parser_feed(p, "|a|\n|-|\n", 8);
	doc = cmark_parser_finish(p);
	/* The table, its header row, and the header's one cell. */
	if ((n = cmark_node_first_child(doc)) != NULL) {
		table_type = cmark_node_get_type(n);
		if ((n = cmark_node_first_child(n)) != NULL &&
		    (n = cmark_node_first_child(n)) != NULL)
			cell_type = cmark_node_get_type(n);
	}
	cmark_node_free(doc);
	cmark_parser_free(p);
}

/*
 * Array v of len items of size bytes in arena a, with room for one more:
 * grown to twice its *cap (8 at first) when full.
 */
static void *
room(struct arena *a, void *v, size_t len, size_t *cap, size_t size)
{
	size_t c;

	if (len < *cap)
		return v;
	c = *cap ? *cap * 2 : 8;
	v = arena_realloc(a, v, *cap * size, c * size);
	*cap = c;
	return v;
}

static unsigned
node_line(struct md_state *st, cmark_node *n)
{
	int line = 0;

	for (; n != NULL && line <= 0; n = cmark_node_parent(n))
		line = cmark_node_get_start_line(n);
	return st->page->body_line + (unsigned)(line > 0 ? line : 1) - 1;
}

static void
plain_text(cmark_node *n, struct buf *b)
{
	cmark_node *c;
	const char *lit;

	for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if ((lit = cmark_node_get_literal(c)) != NULL)
				buf_puts(b, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(b, ' ');
			break;
		default:
			plain_text(c, b);
			break;
		}
	}
}

static int
id_taken(struct md_state *st, const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(reserved_ids) / sizeof(reserved_ids[0]); i++)
		if (strcmp(reserved_ids[i], id) == 0)
			return 1;
	return hmap_get(&st->ids, id) != NULL;
}

/* A heading whose slug starts like the theme's own ids gets "h-" first. */
static int
reserved_prefix(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(reserved_prefixes) /
	    sizeof(reserved_prefixes[0]); i++)
		if (strncmp(reserved_prefixes[i], id,
		    strlen(reserved_prefixes[i])) == 0)
			return 1;
	return 0;
}

/* Replaces a heading with the same HTML plus an id and a self-link. */
static cmark_node *
heading(struct md_state *st, cmark_node *n)
{
	struct md_result *r = st->res;
	struct md_heading *h;
	struct buf *b = &st->tmp;
	cmark_node *html;
	const char *label;
	char *inner, *title, *id;
	size_t base, k, ilen;
	int level = cmark_node_get_heading_level(n);

	/*
	 * Screen reader users move from heading to heading, by level: a
	 * second title or a level skipped leaves them guessing. Warnings:
	 * the page still reads, and an editor may have a reason.
	 */
	if (level == 1)
		diag_warn(st->diags, st->page->file, node_line(st, n), 1,
		    "Write ## for a section: the page's title is its only "
		    "heading of the first level.",
		    "a heading of the first level (#) in the text");
	else if (level > st->last_level + 1) {
		diag_warn(st->diags, st->page->file, node_line(st, n), 1,
		    NULL, "the heading skips from level %d to level %d",
		    st->last_level, level);
		diag_hintf(st->diags, "Write %.*s here, one level below the "
		    "heading before it.", st->last_level + 1, "######");
	}
	st->last_level = level;
	buf_reset(b);
	plain_text(n, b);
	title = arena_strndup(st->arena, b->data, b->len);
	buf_reset(b);
	slugify(b, title, strlen(title));
	if (b->len == 0)
		buf_puts(b, "otsikko");
	if (reserved_prefix(b->data)) {
		buf_reset(b);
		buf_puts(b, "h-");
		slugify(b, title, strlen(title));
	}
	/*
	 * "id-2", "id-3"...: the next number to try is kept for each id, so
	 * a thousand headings of one text cost a thousand look-ups, not a
	 * million.
	 */
	base = b->len;
	if (id_taken(st, b->data)) {
		char *stem = arena_strndup(st->arena, b->data, base);
		uintptr_t next = (uintptr_t)hmap_get(&st->suffix, stem);
		for (k = next ? (size_t)next : 2; ; k++) {
			b->len = base;
			buf_printf(b, "-%zu", k);
			if (!id_taken(st, b->data))
				break;
		}
		hmap_set(&st->suffix, stem, (void *)(uintptr_t)(k + 1));
	}
	id = arena_strndup(st->arena, b->data, b->len);
	hmap_put(&st->ids, id, id);
	r->headings = room(st->arena, r->headings, r->nheadings,
	    &st->capheadings, sizeof(*h));
	h = &r->headings[r->nheadings++];
	h->id = id;
	h->title = title;
	h->level = level;

	/* "<hN>inner</hN>\n": keep inner, write the tags anew. */
	/* Raw HTML inside is not replaced yet: render it safe here. */
	inner = cmark_render_html_with_mem(n, st->site->cfg->unsafe_html ?
	    CMARK_OPT_UNSAFE : 0,
	    cmark_parser_get_syntax_extensions(st->parser), &md_mem);
	ilen = strlen(inner);
	label = value_get(st->i18n, "heading_anchor") ?
	    value_get(st->i18n, "heading_anchor")->str : "Linkki tähän kohtaan";
	buf_reset(b);
	buf_puts(b, "<h");
	buf_putc(b, '0' + level);
	buf_puts(b, " id=\"");
	buf_puts(b, id);
	buf_puts(b, "\">");
	if (ilen >= 10)
		buf_put(b, inner + 4, ilen - 10);
	buf_puts(b, " <a class=\"anchor\" href=\"#");
	buf_puts(b, id);
	buf_puts(b, "\" aria-label=\"");
	buf_put_html(b, label, strlen(label));
	buf_puts(b, ": ");
	buf_put_html(b, title, strlen(title));
	buf_puts(b, "\">#</a></h");
	buf_putc(b, '0' + level);
	buf_puts(b, ">\n");
	html = cmark_node_new_with_mem(CMARK_NODE_HTML_BLOCK, &md_mem);
	cmark_node_set_literal(html, b->data);
	return html;
}

static void
add_fragment(struct md_state *st, struct md_fragment **v, size_t *len,
    size_t *cap, struct page *to, const char *id, unsigned line)
{
	*v = room(st->arena, *v, *len, cap, sizeof(**v));
	(*v)[*len].to = to;
	(*v)[*len].id = arena_strdup(st->arena, id);
	(*v)[*len].line = line;
	(*v)[*len].col = 0;
	(*len)++;
}

static int
has_scheme(const char *u)
{
	const char *c = u;

	while ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
	    (*c >= '0' && *c <= '9') || *c == '+' || *c == '-' || *c == '.')
		c++;
	return c > u && *c == ':';
}

/*
 * Joins dir and a relative path, resolving "." and "..". Returns 0, or -1
 * if the path climbs out of content/.
 */
static int
join_path(struct buf *b, const char *dir, const char *rel, size_t n)
{
	const char *p = rel, *end = rel + n, *seg;

	buf_reset(b);
	buf_puts(b, dir);
	while (p < end) {
		seg = p;
		while (p < end && *p != '/')
			p++;
		if ((size_t)(p - seg) == 2 && seg[0] == '.' && seg[1] == '.') {
			char *slash;
			if (b->len == 0)
				return -1;
			slash = strrchr(b->data, '/');
			b->len = slash ? (size_t)(slash - b->data) : 0;
			b->data[b->len] = '\0';
		} else if (p > seg && !((size_t)(p - seg) == 1 && *seg == '.')) {
			if (b->len)
				buf_putc(b, '/');
			buf_put(b, seg, (size_t)(p - seg));
		}
		if (p < end)
			p++;
	}
	return 0;
}

static int
is_draft(const struct site *s, const struct page *p)
{
	size_t i;

	for (i = 0; i < s->ndrafts; i++)
		if (s->drafts[i] == p)
			return 1;
	return 0;
}

/* Notes that the body read page to's address and title. */
/*
 * The page a link to content path path means. "arvot.md" is the page,
 * in the linking page's language where it has a version in it: a
 * translation copied from its original links to translations. A name
 * with a language's code, "arvot.sv.md" or "arvot.fi.md", is that
 * version, whoever links to it. Whether a version exists may change
 * with the files, so such a link depends on the list of them.
 */
static struct page *
link_target(struct md_state *st, const char *path)
{
	const struct config *c = st->site->cfg;
	struct page *to = site_page(st->site, path), *base;
	size_t n = strlen(path), m;
	int k;

	if (c->nlangs < 2)
		return to;
	if (to != NULL) {
		if (to->lang != 0 || strcmp(to->src, to->key) != 0 ||
		    st->page->lang == 0)
			return to;
		st->res->files = 1;
		return to->tr[st->page->lang] ? to->tr[st->page->lang] : to;
	}
	for (k = 0; k < c->nlangs; k++) {
		m = strlen(c->langs[k].code);
		if (n < m + 6 || path[n - m - 4] != '.' ||
		    memcmp(path + n - m - 3, c->langs[k].code, m) != 0)
			continue;
		st->res->files = 1;
		base = site_page(st->site, arena_printf(st->arena, "%.*s.md",
		    (int)(n - m - 4), path));
		return base != NULL ? base->tr[k] : NULL;
	}
	return NULL;
}

static void
read_page(struct md_state *st, struct page *to)
{
	struct md_result *r = st->res;

	r->linked = room(st->arena, r->linked, r->nlinked, &st->caplinked,
	    sizeof(*r->linked));
	r->linked[r->nlinked++] = to;
}

/*
 * A relative link written as an address ("../arvot/") rather than a file:
 * resolved the way a browser would, from the page's own URL, and checked
 * against the addresses of the site.
 */
static int
url_link(struct md_state *st, cmark_node *n, const char *url, size_t plen,
    const char *hash, unsigned line)
{
	struct buf *b = &st->tmp;
	struct page *to;
	char *dir;
	size_t dl = strlen(st->page->url);

	/* "/sub/a/b/" -> "sub/a/b", the folder the browser resolves from. */
	dir = arena_strndup(st->arena, st->page->url + 1, dl > 1 ? dl - 2 : 0);
	if (join_path(b, dir, url, plen) == -1) {
		diag_error(st->diags, st->page->file, line, 0,
		    "Link to a page of the site.",
		    "link \"%s\" points outside the site", url);
		return -1;
	}
	dir = arena_printf(st->arena, "/%s%s", b->data, b->len ? "/" : "");
	to = hmap_get(&st->site->by_url, dir);
	st->res->files = 1;
	if (to != NULL)
		read_page(st, to);
	if (to == NULL) {
		diag_error(st->diags, st->page->file, line, 0,
		    "Check the address, or link to the page's .md file "
		    "instead, e.g. ../strategia/arvot.md.",
		    "link to a page that does not exist: %s", url);
		return -1;
	}
	if (hash && hash[1])
		add_fragment(st, &st->res->fragments, &st->res->nfragments,
		    &st->capfragments, to, hash + 1, line);
	buf_reset(b);
	buf_puts(b, dir);
	if (hash)
		buf_puts(b, hash);
	cmark_node_set_url(n, b->data);
	return 0;
}

/*
 * url[0..n) with its %XX escapes decoded, in the arena: a browser asks
 * the server for "Kajaani%20kuva.PNG" as the file "Kajaani kuva.PNG", so
 * the file is looked up by that name. %00 and %2F stay as written: no
 * file name holds either.
 */
static char *
percent_decode(struct arena *a, const char *url, size_t n)
{
	char *s = arena_alloc(a, n + 1), *o = s;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (url[i] == '%' && n - i > 2 &&
		    (hi = text_hex(url[i + 1])) >= 0 &&
		    (lo = text_hex(url[i + 2])) >= 0 &&
		    (hi | lo) != 0 && !(hi == 2 && lo == 15)) {
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else
			*o++ = url[i];
	}
	*o = '\0';
	return s;
}

/*
 * Appends the path of a file as an address. cmark-gfm escapes spaces and
 * the like when it writes the page, but takes a '%' for the start of an
 * escape: one that is part of the name is written %25 here.
 */
static void
put_path(struct buf *b, const char *path)
{
	const char *pct;

	while ((pct = strchr(path, '%')) != NULL) {
		buf_put(b, path, (size_t)(pct - path));
		buf_puts(b, "%25");
		path = pct + 1;
	}
	buf_puts(b, path);
}

/* Rewrites a relative link or image source; checks that it exists. */
static int
link(struct md_state *st, cmark_node *n)
{
	const char *url = cmark_node_get_url(n), *hash, *target;
	struct buf *b = &st->tmp;
	struct page *to;
	unsigned line = node_line(st, n);
	size_t plen;
	char *path, *name;

	if (url == NULL || *url == '\0' || has_scheme(url) || url[0] == '/')
		return 0;
	if (url[0] == '#') {
		/* "#" alone is the top of the page. */
		if (url[1] != '\0')
			add_fragment(st, &st->local, &st->nlocal,
			    &st->caplocal, st->page, url + 1, line);
		return 0;
	}
	hash = strchr(url, '#');
	plen = strcspn(url, "?#");
	if (plen > 0 && url[plen - 1] == '/')
		return url_link(st, n, url, plen, hash, line);
	name = percent_decode(st->arena, url, plen);
	if (join_path(b, st->page->dir, name, strlen(name)) == -1) {
		diag_error(st->diags, st->page->file, line, 0,
		    "Link to a file inside content/.",
		    "link \"%s\" points outside the site", url);
		return -1;
	}
	path = arena_strndup(st->arena, b->data, b->len);
	if (plen > 3 && strncmp(url + plen - 3, ".md", 3) == 0) {
		to = link_target(st, path);
		if (to == NULL || is_draft(st->site, to))
			st->res->files = 1;
		else
			read_page(st, to);
		if (to == NULL || (is_draft(st->site, to))) {
			if (to != NULL)
				diag_error(st->diags, st->page->file, line, 0,
				    "Publish that page first, or remove the "
				    "link.", "link to the draft page %s", url);
			else
				diag_error(st->diags, st->page->file, line, 0,
				    "Check the path: links are written as "
				    "relative paths to .md files, e.g. "
				    "../strategia/arvot.md.",
				    "link to a page that does not exist: %s",
				    url);
			return -1;
		}
		if (hash && hash[1])
			add_fragment(st, &st->res->fragments,
			    &st->res->nfragments, &st->capfragments, to,
			    hash + 1, line);
		buf_reset(b);
		buf_puts(b, to->url);
		if (hash)
			buf_puts(b, hash);
		cmark_node_set_url(n, b->data);
		return 0;
	}
	st->res->files = 1;
	if (hmap_get(&st->site->published, path) == NULL) {
		size_t i;
		for (i = 0; i < st->site->content.len; i++)
			if (strcmp(st->site->content.v[i].path, path) == 0)
				break;
		if (i < st->site->content.len)
			diag_error(st->diags, st->page->file, line, 0,
			    "Publish that page first, or move the file out "
			    "of its folder.", "link to a file of a draft "
			    "page, which is not published: %s", url);
		else
			diag_error(st->diags, st->page->file, line, 0,
			    "Put the file beside the page in content/, or "
			    "fix the path.", "link to a file that does not "
			    "exist: %s", url);
		return -1;
	}
	target = path;
	buf_reset(b);
	buf_puts(b, st->site->cfg->base_path);
	put_path(b, target);
	if (plen < strlen(url))
		buf_puts(b, url + plen);
	cmark_node_set_url(n, b->data);
	return 0;
}

static cmark_node *
html_node(const char *html)
{
	cmark_node *n = cmark_node_new_with_mem(CMARK_NODE_HTML_BLOCK,
	    &md_mem);

	cmark_node_set_literal(n, html);
	return n;
}

/*
 * A link or image to an address that would run script or open the
 * reader's files is an error, whatever the rest of the page is: the
 * renderer runs unsafe, which also turns off cmark-gfm's own filter.
 */
static int
safe_url(struct md_state *st, cmark_node *n)
{
	const char *url = cmark_node_get_url(n);
	int image = cmark_node_get_type(n) == CMARK_NODE_IMAGE;

	if (url == NULL || !url_dangerous(url, strlen(url), image))
		return 0;
	buf_reset(&st->tmp);
	url_show(&st->tmp, url, strlen(url));
	if (image)
		diag_error(st->diags, st->page->file, node_line(st, n), 0,
		    url_hint, "unsafe image address: %s", st->tmp.data);
	else
		diag_error(st->diags, st->page->file, node_line(st, n), 0,
		    url_hint, "unsafe link address: %s", st->tmp.data);
	return -1;
}

/*
 * An image says what it shows: its description is what a screen reader
 * reads, and what a reader sees while it does not load. None, the file's
 * name or a word like "kuva" in its place is an error (WCAG 1.1.1); a
 * decorative image is marked with "-" and gets an empty description.
 */
static void
image_alt(struct md_state *st, cmark_node *n)
{
	static const char *const words[] = { "kuva", "kuvake", "valokuva",
	    "kuvio", "kaavio", "grafiikka", "logo", "image", "picture",
	    "photo", "img", "icon", "bild", "foto" };
	static const char hint[] = "Write what the image shows between the "
	    "brackets, such as ![Kainuun kunnat kartalla](kartta.png); for "
	    "an image that is decoration only, write ![-](kuva.png).";
	struct buf *b = &st->tmp;
	const char *url = cmark_node_get_url(n), *base, *dot;
	cmark_node *c;
	size_t i, len, blen;

	buf_reset(b);
	plain_text(n, b);
	for (len = b->len; len > 0 && (b->data[len - 1] == ' ' ||
	    b->data[len - 1] == '\t'); len--)
		;
	if (len == 0) {
		diag_error(st->diags, st->page->file, node_line(st, n), 0, hint,
		    "an image without a description");
		return;
	}
	b->data[len] = '\0';
	b->len = len;
	/* Emptied in place: the walk is inside this node. */
	if (len == 1 && b->data[0] == '-') {
		for (c = cmark_node_first_child(n); c; c = cmark_node_next(c))
			if (cmark_node_get_type(c) == CMARK_NODE_TEXT)
				cmark_node_set_literal(c, "");
		return;
	}
	base = url ? strrchr(url, '/') : NULL;
	base = base ? base + 1 : url ? url : "";
	dot = strrchr(base, '.');
	blen = dot ? (size_t)(dot - base) : strlen(base);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(b->data, words[i]) == 0)
			break;
	if (i < sizeof(words) / sizeof(words[0]) ||
	    strcasecmp(b->data, base) == 0 ||
	    (len == blen && strncasecmp(b->data, base, blen) == 0))
		diag_error(st->diags, st->page->file, node_line(st, n), 0, hint,
		    "the image's description \"%s\" does not say what it "
		    "shows", b->data);
}

/*
 * Line l of the body (1-based): where it starts, and its length without
 * the line break. The lines are counted on the first call, as most pages
 * never ask.
 */
static const char *
source_line(struct md_state *st, unsigned l, size_t *len)
{
	size_t i, k, end;

	if (st->nlines == 0) {
		for (k = 1, i = 0; i < st->len; i++)
			k += st->text[i] == '\n';
		st->lines = arena_alloc(st->arena, k * sizeof(*st->lines));
		st->lines[0] = 0;
		for (k = 1, i = 0; i < st->len; i++)
			if (st->text[i] == '\n')
				st->lines[k++] = i + 1;
		st->nlines = k;
	}
	*len = 0;
	if (l == 0 || l > st->nlines)
		return "";
	i = st->lines[l - 1];
	end = l < st->nlines ? st->lines[l] - 1 : st->len;
	if (end > i && st->text[end - 1] == '\r')
		end--;
	*len = end - i;
	return st->text + i;
}

/*
 * The cells of table row s[0..n) as cmark-gfm splits it: at every '|'
 * that no '\' escapes, a '|' at either end only closing the row. A '|'
 * inside `code` splits the cell too, as it does on GitHub.
 */
static size_t
row_cells(const char *s, size_t n)
{
	size_t i, cells = 1;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (; n > 0 && (*s == ' ' || *s == '\t'); n--)
		s++;
	if (n > 0 && *s == '|') {
		s++;
		n--;
	}
	for (i = 0; i < n; i++)
		if (s[i] == '\\')
			i++;
		else if (s[i] == '|' && i + 1 < n)
			cells++;
	return cells;
}

/*
 * cmark-gfm makes every row of a table as wide as its header, without a
 * word: cells past the header's are dropped, text and all, and missing
 * ones added empty. So the rows are counted in the source.
 */
static void
table_rows(struct md_state *st, cmark_node *table)
{
	const char *hint = N_("Give every row as many cells as the "
	    "header; an empty cell is written | |, and a | inside a cell \\|.");
	size_t want = cmark_gfm_extensions_get_table_columns(table), have, len;
	cmark_node *row = cmark_node_first_child(table);	/* the header */
	const char *s;
	unsigned line;
	int l, col;

	for (row = row ? cmark_node_next(row) : NULL; row != NULL;
	    row = cmark_node_next(row)) {
		l = cmark_node_get_start_line(row);
		col = cmark_node_get_start_column(row);
		if (l <= 0 || col <= 0)
			continue;
		s = source_line(st, (unsigned)l, &len);
		if ((size_t)col - 1 > len)
			continue;
		have = row_cells(s + col - 1, len - ((size_t)col - 1));
		line = st->page->body_line + (unsigned)l - 1;
		if (have == want)
			continue;
		if (have == 1)
			diag_error(st->diags, st->page->file, line,
			    (unsigned)col, hint, "this table row has 1 cell; "
			    "the header has %zu", want);
		else
			diag_error(st->diags, st->page->file, line,
			    (unsigned)col, hint, "this table row has %zu "
			    "cells; the header has %zu", have, want);
	}
}

/*
 * The text of a block's inlines as cmark-gfm left it, into b: links give
 * their text, line breaks a '\n', and code and raw HTML a '\1', which no
 * pattern below matches.
 */
static void
flat_text(cmark_node *n, struct buf *b)
{
	cmark_node *c;
	const char *lit;

	for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
			if ((lit = cmark_node_get_literal(c)) != NULL)
				buf_puts(b, lit);
			break;
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
			buf_putc(b, '\1');
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(b, '\n');
			break;
		default:
			flat_text(c, b);
			break;
		}
	}
}

/*
 * Whether the source has "](" and then dest on line l, its ']' not
 * escaped: "\\[x\\](a b)" is text that the editor meant as text. The
 * search goes on from where the last one on that line ended, as the
 * blocks are read in order: a line is read once, however many there are.
 */
static int
in_source(struct md_state *st, unsigned l, const char *dest, size_t dn)
{
	const char *s, *end, *p, *d;
	size_t len;

	s = source_line(st, l, &len);
	end = s + len;
	if (l != st->src_line) {
		st->src_line = l;
		st->src_at = 0;
	}
	for (p = s + st->src_at; p < end &&
	    (p = memmem(p, (size_t)(end - p), "](", 2)) != NULL; p += 2) {
		for (d = p + 2; d < end && (*d == ' ' || *d == '\t'); d++)
			;
		if ((size_t)(end - d) < dn || memcmp(d, dest, dn) != 0)
			continue;
		st->src_at = (size_t)(d + dn - s);
		return p == s || p[-1] != '\\';
	}
	return 0;
}

/* Reports the link or image on line l whose address dest has a space. */
static void
raw_link(struct md_state *st, unsigned l, int image, const char *dest,
    size_t dn)
{
	struct buf *b = &st->tmp;
	const char *c;
	char *d;

	if (!in_source(st, l, dest, dn))
		return;
	d = arena_strndup(st->arena, dest, dn);
	buf_reset(b);
	for (c = d; *c != '\0'; c++)
		if (*c == ' ')
			buf_puts(b, "%20");
		else if (*c == '\t')
			buf_puts(b, "%09");
		else
			buf_putc(b, *c);
	if (image)
		diag_error(st->diags, st->page->file,
		    st->page->body_line + l - 1, 0, NULL, "this image did not "
		    "become an image: its address \"%s\" has a space", d);
	else
		diag_error(st->diags, st->page->file,
		    st->page->body_line + l - 1, 0, NULL, "this link did not "
		    "become a link: its address \"%s\" has a space", d);
	if (has_scheme(d))
		diag_hintf(st->diags, "Write the address as <%s> or %s.", d,
		    b->data);
	else
		diag_hintf(st->diags, "Write the address as <%s> or %s, or "
		    "rename the file without spaces.", d, b->data);
}

/*
 * The address in the parentheses that start at s, as cmark-gfm would
 * have read it: sets *d to its start and returns its end, after a title
 * ("kuva.png \"Kajaani\"") is taken off. Returns NULL where no ')' ends
 * it on its line, before any bracket, within MD_MAX_ADDRESS bytes: so no
 * byte is read twice by the calls for one block.
 */
static const char *
address(const char *s, const char **d)
{
	const char *e, *q;
	int depth = 0;

	for (*d = s; **d == ' ' || **d == '\t'; (*d)++)
		;
	for (e = *d; e - *d < MD_MAX_ADDRESS && *e != '\0' &&
	    strchr("\n\1[]", *e) == NULL && (*e != ')' || depth > 0); e++)
		depth += *e == '(' ? 1 : *e == ')' ? -1 : 0;
	if (*e != ')')
		return NULL;
	while (e > *d && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e - *d > 2 && (e[-1] == '"' || e[-1] == '\'')) {
		for (q = e - 2; q > *d && *q != e[-1]; q--)
			;
		if (q > *d && (q[-1] == ' ' || q[-1] == '\t'))
			for (e = q; e > *d && (e[-1] == ' ' || e[-1] == '\t');
			    e--)
				;
	}
	return e;
}

/*
 * "![kuva](Kajaani kuva.PNG)" is no image to cmark-gfm: an address with
 * a space is written <in angle brackets> or with %20, or the page shows
 * what was typed, as it was typed. Found in the text cmark-gfm left in a
 * paragraph, heading or table cell, in one pass: an image whenever it is
 * there, a link where what is in its parentheses reads as an address,
 * since "[1](katso alla)" may be meant as text.
 */
static void
raw_links(struct md_state *st, cmark_node *blk)
{
	struct buf *b = &st->flat;
	const char *s, *d, *e;
	size_t i, nopen = 0, o;
	int l = cmark_node_get_start_line(blk), image;

	buf_reset(b);
	flat_text(blk, b);
	s = b->data;
	for (i = 0, l = l > 0 ? l : 1; i < b->len; i++) {
		if (s[i] == '\n')
			l++;
		else if (s[i] == '[') {
			st->open = room(st->arena, st->open, nopen,
			    &st->capopen, sizeof(*st->open));
			st->open[nopen++] = i;
		} else if (s[i] == ']' && nopen > 0) {
			o = st->open[--nopen];
			if (s[i + 1] != '(' ||
			    (e = address(s + i + 2, &d)) == NULL ||
			    e == d || *d == '<' ||
			    strcspn(d, " \t") >= (size_t)(e - d))
				continue;
			image = o > 0 && s[o - 1] == '!';
			if (!image && strcspn(d, "./#:") >= (size_t)(e - d))
				continue;
			if (st->nraw++ < MD_MAX_RAW)
				raw_link(st, (unsigned)l, image, d,
				    (size_t)(e - d));
		}
	}
}

/*
 * Link texts that say nothing alone, compared after folding case and
 * dropping punctuation at the end.
 */
static const char *const vague_links[] = {
	"tästä", "tässä", "täältä", "lue lisää", "lisää", "klikkaa tästä",
	"linkki", "lisätietoja", "here", "click here", "read more", "more",
	"link", "här", "klicka här", "läs mer", "mer", "länk"
};

/* s in lower case, in place: ASCII, and the Finnish and Swedish Ä Ö Å. */
static void
fold_case(char *s)
{
	unsigned char *c;

	for (c = (unsigned char *)s; *c != '\0'; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (unsigned char)(*c - 'A' + 'a');
		else if (*c == 0xc3 && (c[1] == 0x84 || c[1] == 0x85 ||
		    c[1] == 0x96))
			*++c += 0x20;
}

/*
 * Screen reader users jump from link to link, and hear each link's text
 * alone: "tästä" or an address says nothing there (WCAG 2.4.4). A
 * warning: the sentence around it may say enough to the eye.
 */
static void
link_text(struct md_state *st, cmark_node *n)
{
	struct buf *b = &st->tmp;
	char *t, *w;
	const char *r;
	size_t i, len;
	int space = 0;

	buf_reset(b);
	plain_text(n, b);
	/* Spaces and line breaks as one space; none at either end. */
	t = w = arena_strndup(st->arena, b->data, b->len);
	for (r = t; *r != '\0'; r++)
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			space = w > t;
		else {
			if (space)
				*w++ = ' ';
			*w++ = *r;
			space = 0;
		}
	*w = '\0';
	/* A screen reader would say only "link" (WCAG 2.4.4, 4.1.2). */
	if (*t == '\0') {
		diag_error(st->diags, st->page->file, node_line(st, n), 0,
		    "Write between the brackets what the reader finds there: "
		    "[Palvelulupaus 2025](palvelulupaus.md).",
		    "a link without text");
		return;
	}
	buf_reset(b);
	buf_puts(b, t);
	fold_case(b->data);
	if (strncmp(b->data, "http://", 7) != 0 &&
	    strncmp(b->data, "https://", 8) != 0 &&
	    strncmp(b->data, "www.", 4) != 0) {
		for (len = b->len; len > 0; len--)
			if (strchr(".,:;!?", b->data[len - 1]) != NULL)
				continue;
			else if (len >= 3 && memcmp(b->data + len - 3, "…",
			    3) == 0)
				len -= 2;
			else
				break;
		b->data[len] = '\0';
		for (i = 0; i < sizeof(vague_links) / sizeof(vague_links[0]);
		    i++)
			if (strcmp(b->data, vague_links[i]) == 0)
				break;
		if (i == sizeof(vague_links) / sizeof(vague_links[0]))
			return;
	}
	buf_reset(b);
	url_show(b, t, strlen(t));
	diag_warn(st->diags, st->page->file, node_line(st, n), 0,
	    "Write what the reader finds there, e.g. "
	    "[Palvelulupaus 2025](palvelulupaus.md).",
	    "the link text \"%s\" does not say where the link goes", b->data);
}

/*
 * Raw HTML from the editor is shown as text unless the site allows it:
 * the renderer runs unsafe, so that Valo's own HTML nodes come through.
 */
static cmark_node *
escape_html(struct md_state *st, cmark_node *n)
{
	cmark_node *text, *para = NULL;
	const char *lit = cmark_node_get_literal(n);
	unsigned line = node_line(st, n);

	/* One warning a line: "<b>x</b>" is two nodes but one mistake. */
	if (line != st->warned_line)
		diag_warn(st->diags, st->page->file, line, 0,
		    "Write it in Markdown: **bold**, *italic*, "
		    "[link](page.md).",
		    "raw HTML is shown as text");
	st->warned_line = line;
	text = cmark_node_new_with_mem(CMARK_NODE_TEXT, &md_mem);
	cmark_node_set_literal(text, lit ? lit : "");
	if (cmark_node_get_type(n) == CMARK_NODE_HTML_INLINE)
		return text;
	para = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, &md_mem);
	cmark_node_append_child(para, text);
	return para;
}

/* Notes that the body read data name ("": all of them). */
static void
read_data(struct md_state *st, const char *name)
{
	struct md_result *r = st->res;

	r->data = room(st->arena, r->data, r->ndata, &st->capdata,
	    sizeof(*r->data));
	r->data[r->ndata++] = name;
}

static const char *
ui(const struct md_state *st, const char *key, const char *fi)
{
	const struct value *v = value_get(st->i18n, key);

	return v && v->type == VAL_STRING ? v->str : fi;
}

/* "Lataa tiedot: CSV · YAML", linked, for data name (label: with words). */
static void
download_links(struct md_state *st, const char *name, int label,
    struct buf *out)
{
	const char *f = data_file(st->site, name), *ext, *bp;
	const char *base = st->site->cfg->base_path;

	if (f == NULL)
		return;
	ext = strrchr(f, '.') + 1;
	if (label) {
		bp = ui(st, "data_download", "Lataa tiedot");
		buf_put_html(out, bp, strlen(bp));
		buf_puts(out, ": ");
	}
	if (data_has_csv(st->site, name)) {
		buf_puts(out, "<a href=\"");
		buf_put_html(out, base, strlen(base));
		buf_puts(out, "data/");
		buf_put_html(out, name, strlen(name));
		buf_puts(out, ".csv\" type=\"text/csv\">CSV</a>");
		if (strcmp(ext, "csv") != 0)
			buf_puts(out, " · ");
	}
	if (strcmp(ext, "csv") != 0) {
		buf_puts(out, "<a href=\"");
		buf_put_html(out, base, strlen(base));
		buf_put_html(out, f, strlen(f));
		buf_puts(out, "\">YAML</a>");
	}
}

/*
 * A ```datafiles block: every data file of the site in a table, with its
 * size and columns and links to download it. The block takes no
 * settings: anything written in it is an error.
 */
static void
data_files(struct md_state *st, const char *lit, unsigned line,
    struct buf *out)
{
	const struct value *all = st->site->data, *rows, *row;
	const char *name, *t;
	size_t i, j;

	read_data(st, "");
	st->res->files = 1;
	if (lit != NULL && lit[strspn(lit, " \t\r\n")] != '\0')
		diag_error(st->diags, st->page->file, line, 1, "Leave the "
		    "block empty: it lists every data file by itself.",
		    "a ```datafiles block takes no settings");
	t = ui(st, "data_files", "Datatiedostot");
	buf_printf(out, "<section class=\"table-scroll\" tabindex=\"0\" "
	    "aria-labelledby=\"datafiles-L%u\"><table class=\"data-files\">"
	    "<caption id=\"datafiles-L%u\">", line, line);
	buf_put_html(out, t, strlen(t));
	buf_puts(out, "</caption>\n<thead><tr>");
	for (i = 0; i < 4; i++) {
		static const char *const keys[][2] = {
			{ "data_name", "Tiedot" }, { "data_rows", "Rivejä" },
			{ "data_columns", "Sarakkeet" },
			{ "data_download", "Lataa tiedot" } };
		t = ui(st, keys[i][0], keys[i][1]);
		buf_puts(out, i == 1 ? "<th scope=\"col\" class=\"num\">" :
		    "<th scope=\"col\">");
		buf_put_html(out, t, strlen(t));
		buf_puts(out, "</th>");
	}
	buf_puts(out, "</tr></thead>\n<tbody>\n");
	for (i = 0; all != NULL && i < all->len; i++) {
		name = all->u.pairs[i].key;
		rows = all->u.pairs[i].val;
		buf_puts(out, "<tr><th scope=\"row\">");
		buf_put_html(out, name, strlen(name));
		buf_puts(out, "</th><td class=\"num\">");
		if (rows->type == VAL_LIST)
			buf_printf(out, "%zu", rows->len);
		buf_puts(out, "</td><td>");
		row = rows->type == VAL_LIST && rows->len ? rows->u.items[0] :
		    NULL;
		for (j = 0; row && row->type == VAL_MAP && j < row->len; j++) {
			if (j)
				buf_puts(out, ", ");
			buf_put_html(out, row->u.pairs[j].key,
			    strlen(row->u.pairs[j].key));
		}
		buf_puts(out, "</td><td>");
		download_links(st, name, 0, out);
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, "</tbody></table></section>\n");
}

/*
 * A chart says in words what it shows: its title names it and its table
 * gives every number, but what a reader should take from them is in its
 * description, also for those who do not see the bars. Read here from
 * the settings that chart.c has accepted already; a warning, as the
 * table still carries all of the data.
 */
static void
chart_description(struct md_state *st, const char *lit, unsigned line)
{
	struct diags none = DIAGS_INIT;
	const struct value *map, *v;

	map = yaml_parse(st->arena, lit, strlen(lit), st->page->file,
	    line - 1, &none);
	diags_free(&none);
	if (map == NULL)
		return;
	v = value_get(map, "description");
	if (v != NULL && v->type != VAL_NULL && (v->type != VAL_STRING ||
	    v->str[strspn(v->str, " \t\r\n")] != '\0'))
		return;
	diag_warn(st->diags, st->page->file, v ? v->line : line,
	    v ? v->col : 1, "Add a line such as \"description: Vaje on suurin "
	    "psykologeilla.\" that says in a sentence or two what the chart "
	    "shows.", "the chart has no description");
}

static cmark_node *
block(struct md_state *st, cmark_node *n)
{
	const char *info = cmark_node_get_fence_info(n);
	const char *lit = cmark_node_get_literal(n);
	struct buf out = BUF_INIT;
	cmark_node *html = NULL;
	const char *kind = NULL, *dname = NULL;

	if (info && strcmp(info, "datafiles") == 0) {
		data_files(st, lit, node_line(st, n) + 1, &out);
		html = html_node(out.data ? out.data : "");
		buf_free(&out);
		return html;
	}
	if (info && strcmp(info, "chart") == 0)
		kind = "chart";
	else if (info && strcmp(info, "table") == 0)
		kind = "table";
	if (kind == NULL)
		return NULL;
	if (chart_block(st->arena, kind, lit ? lit : "", lit ? strlen(lit) : 0,
	    st->page->file, node_line(st, n) + 1, st->site->data, st->i18n,
	    &out, &dname, st->diags) == 0) {
		/* Open data: what the figure shows, for download. */
		if (dname != NULL) {
			buf_puts(&out, "<p class=\"data-download\">");
			download_links(st, dname, 1, &out);
			buf_puts(&out, "</p>\n");
		}
		html = html_node(out.data ? out.data : "");
		if (strcmp(kind, "chart") == 0)
			chart_description(st, lit ? lit : "",
			    node_line(st, n) + 1);
	}
	if (dname != NULL)
		read_data(st, dname);
	buf_free(&out);
	return html;
}

/*
 * cmark-gfm writes the footnote back-links with an English label; a
 * Finnish page gets the theme's words instead.
 */
static void
footnote_label(struct md_state *st, struct md_result *r)
{
	static const char en[] = "aria-label=\"Back to content\"";
	const struct value *v = value_get(st->i18n, "footnote_back");
	const char *p, *from = r->html;
	struct buf b = BUF_INIT;

	if (v == NULL || v->type != VAL_STRING ||
	    strstr(r->html, en) == NULL)
		return;
	while ((p = strstr(from, en)) != NULL) {
		buf_put(&b, from, (size_t)(p - from));
		buf_puts(&b, "aria-label=\"");
		buf_put_html(&b, v->str, v->len);
		buf_putc(&b, '"');
		from = p + sizeof(en) - 1;
	}
	buf_puts(&b, from);
	r->html = arena_strndup(st->arena, b.data, b.len);
	r->len = b.len;
	buf_free(&b);
}

/*
 * A table's column alignments (|:--|:-:|--:|) as classes of its wrapper,
 * " al-2r" for a second column aligned right, which the theme's CSS turns
 * into text-align: the Content-Security-Policy allows no inline style,
 * and align= is not HTML5. cmark-gfm then writes no alignment of its own.
 */
static void
table_align(struct buf *b, cmark_node *table, struct arena *a)
{
	uint16_t i, n = cmark_gfm_extensions_get_table_columns(table);
	uint8_t *al = cmark_gfm_extensions_get_table_alignments(table), *none;

	if (al == NULL || n == 0)
		return;
	for (i = 0; i < n; i++)
		if (al[i] == 'l' || al[i] == 'c' || al[i] == 'r')
			buf_printf(b, " al-%u%c", i + 1u, al[i]);
	none = arena_alloc(a, n);
	memset(none, 0, n);
	cmark_gfm_extensions_set_table_alignments(table, n, none);
}

/*
 * Counts how deep lists and quotes are nested at n. Browsers and screen
 * readers give up long before the parser does, so past MD_MAX_NESTING it
 * is an error. Returns 0, or -1 after the error.
 */
static int
nesting(struct md_state *st, cmark_node *n, cmark_event_type ev)
{
	cmark_node_type t = cmark_node_get_type(n);

	if (t != CMARK_NODE_BLOCK_QUOTE && t != CMARK_NODE_LIST)
		return 0;
	if (ev == CMARK_EVENT_EXIT) {
		st->depth--;
		return 0;
	}
	if (++st->depth <= MD_MAX_NESTING)
		return 0;
	diag_error(st->diags, st->page->file, node_line(st, n), 0,
	    "Write the text with fewer levels: a list in a list in a quote "
	    "is already hard to follow.", "lists and quotes are nested more "
	    "than %d deep", MD_MAX_NESTING);
	return -1;
}

/*
 * A page with nothing below its front matter is a title alone: its text
 * was most likely left out, or saved in another file. A section lists its
 * pages and needs no text, and a layout of the theme's own (a search
 * page, say) brings its content with it.
 */
static void
empty_page(struct md_state *st, const char *text, size_t len)
{
	const struct page *p = st->page;
	size_t i;

	if (p->kind != PAGE_PAGE || p->implicit ||
	    (p->layout != NULL && strcmp(p->layout, "page") != 0))
		return;
	for (i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' &&
		    text[i] != '\n')
			return;
	diag_warn(st->diags, p->file, 1, 1,
	    "Write the page's text below the closing ---.",
	    "the page has no text");
}

void
markdown_hint_id(struct diags *d, const char *want, const char *const *ids,
    size_t n)
{
	struct buf slug = BUF_INIT, list = BUF_INIT;
	const char *best = NULL, *key;
	size_t i, dist, max, bestd, klen, work = 0;

	/* Made a slug the way heading ids are: "mistä" is "mista". */
	slugify(&slug, want, strlen(want));
	key = slug.len > 0 ? slug.data : want;
	klen = strlen(key);
	max = 1 + klen / 6;
	bestd = max + 1;
	for (i = 0; i < n && bestd > 0; i++)
		if (strcmp(key, ids[i]) == 0) {
			bestd = 0;
			best = ids[i];
		}
	/* Else the closest: among the first ones, on a page of thousands. */
	for (i = 0; i < n && bestd > 0 && work < MD_HINT_WORK; i++) {
		work += klen * strlen(ids[i]);
		if ((dist = text_distance(key, klen, ids[i], strlen(ids[i]),
		    0)) < bestd && dist <= max) {
			bestd = dist;
			best = ids[i];
		}
	}
	if (best != NULL)
		diag_hintf(d, "Did you mean #%s?", best);
	else if (n == 0)
		diag_hintf(d, "The page has no headings: link to the page "
		    "itself, without #%s.", want);
	else {
		for (i = 0; i < n && i < 5; i++)
			buf_printf(&list, "%s#%s", i ? ", " : "", ids[i]);
		if (n > 5)
			buf_puts(&list, ", …");
		diag_hintf(d, "Link to one of the page's headings: %s.",
		    list.data);
	}
	buf_free(&slug);
	buf_free(&list);
}

struct replace {
	cmark_node	*old;
	cmark_node	*new;
	int		 wrap;	/* wrap old in a scrolling region instead */
};

int
markdown_render(const struct site *s, const struct value *i18n,
    struct page *p, const char *text, size_t len, struct arena *a,
    struct md_result *r, struct diags *d)
{
	struct md_state st;
	struct replace *rep = NULL;
	size_t nrep = 0, caprep = 0, i, k, errors = d->errors;
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node *root, *n, *nn;
	int opts = CMARK_OPT_FOOTNOTES | CMARK_OPT_UNSAFE;
	int unsafe = s->cfg->unsafe_html;
	const char *label, **ids = NULL;

	memset(r, 0, sizeof(*r));
	memset(&st, 0, sizeof(st));
	md_arena = a;
	st.site = s;
	st.i18n = i18n;
	st.page = p;
	st.last_level = 1;	/* the page's title */
	st.arena = a;
	st.diags = d;
	st.res = r;
	st.text = text != NULL ? text : "";
	st.len = len;
	empty_page(&st, st.text, len);
	st.parser = cmark_parser_new_with_mem(opts, &md_mem);
	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
		cmark_parser_attach_syntax_extension(st.parser,
		    cmark_find_syntax_extension(extensions[i]));
	cmark_parser_feed(st.parser, text, len);
	root = cmark_parser_finish(st.parser);

	it = cmark_iter_new(root);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		nn = NULL;
		k = 0;
		if (nesting(&st, n, ev) == -1)
			break;
		if (ev == CMARK_EVENT_ENTER) {
			switch (cmark_node_get_type(n)) {
			case CMARK_NODE_LINK:
				if (safe_url(&st, n) == 0)
					link(&st, n);
				link_text(&st, n);
				break;
			case CMARK_NODE_PARAGRAPH:
			case CMARK_NODE_HEADING:
				raw_links(&st, n);
				break;
			case CMARK_NODE_IMAGE:
				if (safe_url(&st, n) == 0 &&
				    link(&st, n) == 0)
					image_alt(&st, n);
				break;
			case CMARK_NODE_HTML_BLOCK:
			case CMARK_NODE_HTML_INLINE:
				/* Allowed, it still may not run script. */
				if (unsafe) {
					const char *l = cmark_node_get_literal(n);
					rawhtml_check(l ? l : "", l ? strlen(l) : 0,
					    p->file, node_line(&st, n), d);
				} else
					nn = escape_html(&st, n);
				break;
			case CMARK_NODE_CODE_BLOCK:
				nn = block(&st, n);
				break;
			default:
				if (n == root || table_type == 0)
					break;
				if (cmark_node_get_type(n) == table_type) {
					table_rows(&st, n);
					k = 1;
				} else if (cmark_node_get_type(n) == cell_type)
					raw_links(&st, n);
				break;
			}
		} else if (cmark_node_get_type(n) == CMARK_NODE_HEADING)
			nn = heading(&st, n);
		if (nn == NULL && k == 0)
			continue;
		if (nrep == caprep) {
			size_t c = caprep ? caprep * 2 : 16;
			rep = arena_realloc(a, rep, caprep * sizeof(*rep),
			    c * sizeof(*rep));
			caprep = c;
		}
		rep[nrep].old = n;
		rep[nrep].new = nn;
		rep[nrep].wrap = k;
		nrep++;
	}
	cmark_iter_free(it);

	/* Changing the tree while iterating it is not safe: do it now. */
	label = value_get(i18n, "table") ? value_get(i18n, "table")->str :
	    "Taulukko";
	for (i = 0; i < nrep; i++) {
		if (rep[i].wrap) {
			struct buf *b = &st.tmp;
			buf_reset(b);
			buf_puts(b, "<section class=\"table-scroll");
			table_align(b, rep[i].old, a);
			buf_puts(b, "\" tabindex=\"0\" aria-label=\"");
			buf_put_html(b, label, strlen(label));
			buf_puts(b, "\">");
			cmark_node_insert_before(rep[i].old, html_node(b->data));
			cmark_node_insert_after(rep[i].old,
			    html_node("</section>"));
			continue;
		}
		cmark_node_replace(rep[i].old, rep[i].new);
	}

	/* #links within the page, now that all of its headings are known. */
	for (i = 0; i < st.nlocal; i++) {
		/* The heading ids are a map already: no links × headings. */
		if (hmap_get(&st.ids, st.local[i].id) != NULL ||
		    strncmp(st.local[i].id, "fn", 2) == 0)
			continue;
		diag_error(d, p->file, st.local[i].line, 0,
		    "Link to a heading of this page by its id: its text in "
		    "lower case, with a for ä and å, o for ö, and - for "
		    "spaces and punctuation.",
		    "link to a heading that does not exist: #%s",
		    st.local[i].id);
		if (ids == NULL) {
			ids = arena_alloc(a, (r->nheadings + 1) *
			    sizeof(*ids));
			for (k = 0; k < r->nheadings; k++)
				ids[k] = r->headings[k].id;
		}
		markdown_hint_id(d, st.local[i].id, ids, r->nheadings);
	}

	/* The first use of each glossary term links to its explanation. */
	if (glossary_mark(glossary_current(), root, p, &md_mem))
		read_data(&st, GLOSSARY_DATA);
	r->html = cmark_render_html_with_mem(root, opts,
	    cmark_parser_get_syntax_extensions(st.parser), &md_mem);
	r->len = strlen(r->html);
	footnote_label(&st, r);
	buf_free(&st.tmp);
	buf_free(&st.flat);
	hmap_free(&st.ids);
	hmap_free(&st.suffix);
	/* Nothing else to free: the arena holds every node and string. */
	md_arena = NULL;
	return d->errors == errors ? 0 : -1;
}
