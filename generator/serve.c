/*
 * valo serve (serve.h): the site built into a memory sink and served by
 * libmicrohttpd, one thread per connection, while this thread watches the
 * site's files with inotify and rebuilds the whole site after each burst
 * of changes. Requests read the site under a read lock; a new build is
 * swapped in whole under the write lock, so no request sees half a site.
 * Files come only from the memory sink: no request touches the disk.
 */
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <microhttpd.h>

#include "build.h"
#include "output.h"
#include "publish.h"
#include "messages.h"
#include "serve.h"
#include "util/buf.h"
#include "util/hmap.h"
#include "util/mem.h"

/* Editors save in bursts (a temporary file, then a rename): one rebuild. */
#define SETTLE_MS	20
/* Proxies and browsers drop an event stream that stays silent too long. */
#define KEEPALIVE_S	15

#define RELOAD_TAG	"<script src=\"/__valo/reload.js\" defer></script>"

static const char reload_js[] =
"new EventSource('/__valo/events').onmessage = () => {\n"
"\tsessionStorage.setItem('valo-scroll', scrollY);\n"
"\tlocation.reload();\n"
"};\n"
"{\n"
"\tconst y = sessionStorage.getItem('valo-scroll');\n"
"\tif (y !== null) {\n"
"\t\tsessionStorage.removeItem('valo-scroll');\n"
"\t\taddEventListener('load', () => scrollTo(0, Number(y)));\n"
"\t}\n"
"}\n";

/* What is served: one owning struct for the server's lifetime. */
struct served {
	pthread_rwlock_t lock;
	struct output	*site;		/* memory sink: the last good build */
	struct build	*last;		/* that build; the watching thread's */
	char		*errors;	/* the last build's errors, or NULL */
	size_t		 errors_len;
	/* Where they show: every HTML page, or the pages in error_rels. */
	int		 errors_all;
	struct hmap	 error_rels;
	char		**rels;		/* error_rels' keys, owned */
	size_t		 nrels;
	time_t		 built;		/* when site's build finished */
	/* The event streams wait on this for the next build. */
	pthread_mutex_t	 ev_lock;
	pthread_cond_t	 ev_cond;
	unsigned	 build;		/* builds finished */
	int		 stopping;
};

/* One event stream's place: the last build it told about. */
struct stream {
	struct served	*s;		/* borrowed */
	unsigned	 seen;
	int		 greeted;
};

struct watched {
	int	 wd;
	char	*path;
	int	 recursive;	/* content/ and themes/ and below; not the root */
};

struct watch {
	int		 fd;
	struct watched	*v;
	size_t		 len;
	size_t		 cap;
	size_t		 rootlen;	/* of the site folder's path */
	/* What changed since the last build: "content/a.md", "site.conf". */
	char		**changed;
	size_t		 nchanged;
	size_t		 capchanged;
	struct hmap	 seen;		/* changed, by path */
};

static const struct {
	const char	*ext;
	const char	*type;
} types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "svg", "image/svg+xml; charset=utf-8" },
	{ "xml", "application/xml; charset=utf-8" },
	{ "json", "application/json; charset=utf-8" },
	{ "csv", "text/csv; charset=utf-8" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "ico", "image/x-icon" },
	{ "pdf", "application/pdf" },
	{ "woff2", "font/woff2" },
};

static const char *
type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	size_t i;

	if (dot == NULL || strchr(dot, '/') != NULL)
		return "application/octet-stream";
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static int
is_html(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && strcmp(path + n - 5, ".html") == 0;
}

/*
 * MHD has decoded the percent escapes already; "%00" would end the path
 * there, so unescape() has made a NUL into DEL, refused here with every
 * other control character.
 */
static int
path_ok(const char *url)
{
	const char *p;

	if (url[0] != '/' || strstr(url, "..") || strchr(url, '\\'))
		return 0;
	for (p = url; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	size_t i, n = MHD_http_unescape(s);

	(void)cls;
	(void)c;
	for (i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = 0x7f;
	return n;
}

/* FNV-1a: not for security, only to tell versions of a file apart. */
static uint64_t
hash(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void
http_date(char *s, size_t n, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(s, n, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static enum MHD_Result
send_response(struct MHD_Connection *c, unsigned status,
    struct MHD_Response *r)
{
	enum MHD_Result rc;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, "Allow", "GET, HEAD");
	return send_response(c, status, r);
}

/* url with what a Location header cannot hold percent-encoded. */
static char *
encode_url(const char *url)
{
	static const char keep[] = "-._~/!$&'()*+,;=:@";
	struct buf b = BUF_INIT;
	const unsigned char *p;

	for (p = (const unsigned char *)url; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p) != NULL)
			buf_putc(&b, *p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	buf_putc(&b, '\0');
	return buf_detach(&b);
}

/*
 * The served copy of a page: the reload script before </body>, and the
 * page's Content-Security-Policy in <head> letting scripts from the site
 * run. The built file is left as it is. Returns a string to free.
 */
static char *
served_html(const char *data, size_t len, size_t *out_len)
{
	static const char none[] = "script-src 'none'";
	struct buf b = BUF_INIT;
	const char *head_end, *csp, *body_end = NULL, *p;
	size_t at;

	buf_put(&b, data, len);
	head_end = memmem(b.data, b.len, "</head>", 7);
	csp = memmem(b.data, head_end ? (size_t)(head_end - b.data) : 0,
	    none, sizeof(none) - 1);
	if (csp != NULL)
		memcpy(b.data + (csp - b.data) + 12, "self", 4);
	for (p = b.data; (p = memmem(p, b.len - (size_t)(p - b.data),
	    "</body>", 7)) != NULL; p++)
		body_end = p;
	at = body_end ? (size_t)(body_end - b.data) : b.len;
	buf_grow(&b, sizeof(RELOAD_TAG));
	memmove(b.data + at + sizeof(RELOAD_TAG) - 1, b.data + at,
	    b.len - at + 1);
	memcpy(b.data + at, RELOAD_TAG, sizeof(RELOAD_TAG) - 1);
	b.len += sizeof(RELOAD_TAG) - 1;
	*out_len = b.len;
	return buf_detach(&b);
}

/*
 * The page served for every HTML request while the last build has
 * failed: its problems, in the two languages of the staff who edit.
 */
static char *
error_page(struct diags *d, size_t *len)
{
	struct buf b = BUF_INIT, t = BUF_INIT;
	const struct diag *g;
	size_t i;

	diags_sort(d);
	buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"fi\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>Sivustossa on virheitä / The site has errors</title>\n"
	    "<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:48rem;"
	    "margin:2rem auto;padding:0 1rem;color:#222}h1{color:#a00}"
	    "li{margin:.75rem 0}code{font-weight:bold}"
	    ".hint{color:#555}</style>\n</head>\n<body>\n"
	    "<h1>Sivustossa on virheitä <span lang=\"en\">/ The site has "
	    "errors</span></h1>\n"
	    "<p>Korjaa alla luetellut kohdat ja tallenna: sivu latautuu "
	    "itsestään uudelleen. <span lang=\"en\">Fix what is listed "
	    "below and save: the page reloads by itself.</span></p>\n");
	buf_printf(&b, "<ul lang=\"%s\">\n", msg_lang());
	for (i = 0; i < d->len; i++) {
		g = &d->v[i];
		if (g->level == DIAG_NOTE)
			continue;
		buf_puts(&b, "<li><code>");
		buf_put_html(&b, g->file, strlen(g->file));
		if (g->line)
			buf_printf(&b, ":%u", g->line);
		buf_puts(&b, ":</code> ");
		if (g->level == DIAG_WARNING)
			buf_printf(&b, "(%s) ", msg_level(g->level));
		buf_reset(&t);
		msg_message(&t, g);
		buf_put_html(&b, t.data, t.len);
		if (g->hint != NULL) {
			buf_reset(&t);
			msg_hint(&t, g);
			buf_puts(&b, "<br><span class=\"hint\">");
			buf_put_html(&b, t.data, t.len);
			buf_puts(&b, "</span>");
		}
		buf_puts(&b, "</li>\n");
	}
	buf_puts(&b, "</ul>\n" RELOAD_TAG "\n</body>\n</html>\n");
	buf_free(&t);
	*len = b.len;
	return buf_detach(&b);
}

/* Whether the client's copy, named by its validators, is current. */
static int
not_modified(struct MHD_Connection *c, const char *etag, time_t built)
{
	const char *inm, *ims;
	struct tm tm;
	char *end;

	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	/* RFC 9110 13.1.3: If-Modified-Since counts only without it. */
	if (inm != NULL)
		return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
	ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	if (ims == NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	return end != NULL && *end == '\0' && built <= timegm(&tm);
}

/* A file of the site, its redirect, or the 404 page. Under the read lock. */
static enum MHD_Result
answer_file(struct served *s, struct MHD_Connection *c, const char *url)
{
	struct MHD_Response *r;
	const char *data = NULL;
	char *rel, *dir, *loc, *page, etag[24], date[64];
	size_t len = 0, n = strlen(url);
	unsigned status = MHD_HTTP_OK;

	if (n == 1 || url[n - 1] == '/')
		rel = xasprintf("%sindex.html", url + 1);
	else
		rel = xstrdup(url + 1);
	data = output_mem_get(s->site, rel, &len);
	/* A folder asked for without its slash: relative links need it. */
	if (data == NULL && url[n - 1] != '/') {
		dir = xasprintf("%s/index.html", url + 1);
		if (output_mem_get(s->site, dir, &len) != NULL) {
			free(dir);
			free(rel);
			dir = xasprintf("%s/", url);
			loc = encode_url(dir);
			free(dir);
			r = MHD_create_response_from_buffer(0, NULL,
			    MHD_RESPMEM_PERSISTENT);
			if (r != NULL)
				MHD_add_response_header(r, "Location", loc);
			free(loc);
			return send_response(c, MHD_HTTP_MOVED_PERMANENTLY, r);
		}
		free(dir);
	}
	if (data == NULL && hmap_get(&s->error_rels, rel) == NULL) {
		free(rel);
		rel = xstrdup("404.html");
		status = MHD_HTTP_NOT_FOUND;
		data = output_mem_get(s->site, rel, &len);
	}
	if (is_html(rel) && s->errors != NULL && (s->errors_all ||
	    hmap_get(&s->error_rels, rel) != NULL)) {
		free(rel);
		r = MHD_create_response_from_buffer(s->errors_len, s->errors,
		    MHD_RESPMEM_MUST_COPY);
		if (r != NULL)
			MHD_add_response_header(r, "Content-Type",
			    "text/html; charset=utf-8");
		return send_response(c, MHD_HTTP_INTERNAL_SERVER_ERROR, r);
	}
	if (data == NULL) {
		free(rel);
		return send_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	}
	snprintf(etag, sizeof(etag), "\"%016llx\"",
	    (unsigned long long)hash(data, len));
	http_date(date, sizeof(date), s->built);
	if (status == MHD_HTTP_OK && not_modified(c, etag, s->built)) {
		r = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_MODIFIED;
	} else if (is_html(rel)) {
		page = served_html(data, len, &len);
		r = MHD_create_response_from_buffer(len, page,
		    MHD_RESPMEM_MUST_FREE);
		if (r == NULL)
			free(page);
	} else
		/* Copied: a rebuild may free data before it is sent. */
		r = MHD_create_response_from_buffer(len, (void *)data,
		    MHD_RESPMEM_MUST_COPY);
	if (r != NULL) {
		if (status != MHD_HTTP_NOT_MODIFIED)
			MHD_add_response_header(r, "Content-Type",
			    type_of(rel));
		MHD_add_response_header(r, "ETag", etag);
		MHD_add_response_header(r, "Last-Modified", date);
	}
	free(rel);
	return send_response(c, status, r);
}

/*
 * The event stream's reader: blocks (this connection has its own thread)
 * until a build finishes, the keep-alive is due, or the server stops.
 */
static ssize_t
stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *e = cls;
	struct served *s = e->s;
	struct timespec until;
	ssize_t n;

	(void)pos;
	if (!e->greeted) {
		e->greeted = 1;
		return snprintf(out, max, ": valo build %u\n\n", e->seen);
	}
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += KEEPALIVE_S;
	pthread_mutex_lock(&s->ev_lock);
	while (!s->stopping && s->build == e->seen)
		if (pthread_cond_timedwait(&s->ev_cond, &s->ev_lock,
		    &until) == ETIMEDOUT)
			break;
	if (s->stopping)
		n = MHD_CONTENT_READER_END_OF_STREAM;
	else if (s->build != e->seen) {
		e->seen = s->build;
		n = snprintf(out, max, "data: %u\n\n", e->seen);
	} else
		n = snprintf(out, max, ":\n\n");
	pthread_mutex_unlock(&s->ev_lock);
	return n;
}

static enum MHD_Result
answer_events(struct served *s, struct MHD_Connection *c)
{
	struct MHD_Response *r;
	struct stream *e = xcalloc(1, sizeof(*e));

	e->s = s;
	pthread_mutex_lock(&s->ev_lock);
	e->seen = s->build;
	pthread_mutex_unlock(&s->ev_lock);
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 256,
	    stream_read, e, free);
	if (r == NULL) {
		free(e);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	return send_response(c, MHD_HTTP_OK, r);
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **con_cls)
{
	struct served *s = cls;
	struct MHD_Response *r;
	enum MHD_Result rc;

	(void)version;
	(void)upload;
	(void)upload_len;
	/*
	 * The first call only announces the request: a response queued
	 * then, before MHD knows the request is whole, closes the
	 * connection after it, and every request pays for a new one.
	 */
	if (*con_cls == NULL) {
		*con_cls = s;
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "method not allowed\n");
	if (!path_ok(url))
		return send_text(c, MHD_HTTP_BAD_REQUEST, "bad request\n");
	if (strcmp(url, "/__valo/events") == 0)
		return answer_events(s, c);
	if (strcmp(url, "/__valo/reload.js") == 0) {
		r = MHD_create_response_from_buffer(sizeof(reload_js) - 1,
		    (void *)reload_js, MHD_RESPMEM_PERSISTENT);
		if (r != NULL)
			MHD_add_response_header(r, "Content-Type",
			    "text/javascript; charset=utf-8");
		return send_response(c, MHD_HTTP_OK, r);
	}
	pthread_rwlock_rdlock(&s->lock);
	output_mem_read(s->site, 1);
	rc = answer_file(s, c, url);
	output_mem_read(s->site, 0);
	pthread_rwlock_unlock(&s->lock);
	return rc;
}

/*
 * Where the last build's errors show: on the pages whose files they
 * name, or everywhere when one names anything else (a template, data,
 * site.conf) or no build could be made at all.
 */
static void
place_errors(struct served *s, struct diags *d, int built)
{
	const struct diag *g;
	const char *rel;
	size_t i;

	for (i = 0; i < s->nrels; i++)
		free(s->rels[i]);
	free(s->rels);
	s->rels = NULL;
	s->nrels = 0;
	hmap_free(&s->error_rels);
	s->errors_all = !built;
	for (i = 0; built && i < d->len; i++) {
		g = &d->v[i];
		if (g->level != DIAG_ERROR)
			continue;
		if ((rel = build_page_out(s->last, g->file)) == NULL) {
			s->errors_all = 1;
			continue;
		}
		if (hmap_get(&s->error_rels, rel) != NULL)
			continue;
		s->rels = xrealloc(s->rels, (s->nrels + 1) * sizeof(*s->rels));
		s->rels[s->nrels] = xstrdup(rel);
		hmap_put(&s->error_rels, s->rels[s->nrels], s->rels[s->nrels]);
		s->nrels++;
	}
}

/*
 * Brings the site up to date with the files changed (all of them: none
 * given), swaps the result in, wakes the event streams, reports. A save
 * of a page's text renders only what read it; anything else builds the
 * site again, taking over every file whose inputs did not change.
 */
static void
rebuild(const struct serve_opts *so, struct served *s, struct git_site *g,
    char *const *changed, size_t n)
{
	const char *const *paths = (const char *const *)changed;
	struct diags d = DIAGS_INIT;
	struct build_opts o;
	struct build_stats st;
	struct timespec t0, t1;
	struct build *b;
	char *page = NULL;
	size_t len = 0;
	unsigned k;
	int built = 1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (s->last == NULL || n == 0 ||
	    build_again(s->last, paths, n, &st, &d) == 0) {
		memset(&o, 0, sizeof(o));
		o.root = so->root;
		o.drafts = so->drafts;
		o.has_today = so->has_today;
		o.today = so->today;
		o.out = s->site;
		o.live = 1;
		o.src = g->src;
		o.repo = g->repo;
		o.commit = g->commit ? git_commit_id(g->commit) : NULL;
		b = build_keep(&o, s->last, paths, n, &st, &d);
		if (b != NULL) {
			build_free(s->last);
			s->last = b;
		} else
			built = 0;
	}
	if (d.errors)
		page = error_page(&d, &len);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_rwlock_wrlock(&s->lock);
	if (built)
		s->built = time(NULL);
	free(s->errors);
	s->errors = page;
	s->errors_len = len;
	place_errors(s, &d, built);
	pthread_rwlock_unlock(&s->lock);
	pthread_mutex_lock(&s->ev_lock);
	k = ++s->build;
	pthread_cond_broadcast(&s->ev_cond);
	pthread_mutex_unlock(&s->ev_lock);
	if (so->built != NULL)
		so->built(k, (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6, built ? &st : NULL,
		    &d, so->arg);
	diags_free(&d);
}

static void
watch_add(struct watch *w, const char *path, int recursive)
{
	struct dirent *de;
	struct stat sb;
	DIR *dir;
	char *sub;
	size_t i;
	int wd;

	wd = inotify_add_watch(w->fd, path, IN_CLOSE_WRITE | IN_MOVED_TO |
	    IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB | IN_ONLYDIR);
	if (wd == -1)
		return;
	/* The same folder again (renamed, say) keeps its watch. */
	for (i = 0; i < w->len && w->v[i].wd != wd; i++)
		;
	if (i == w->len) {
		w->v = xgrow(w->v, &w->cap, w->len + 1, sizeof(*w->v));
		w->len++;
	} else
		free(w->v[i].path);
	w->v[i].wd = wd;
	w->v[i].path = xstrdup(path);
	w->v[i].recursive = recursive;
	if (!recursive || (dir = opendir(path)) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = xasprintf("%s/%s", path, de->d_name);
		if (de->d_type == DT_DIR || (de->d_type == DT_UNKNOWN &&
		    lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode)))
			watch_add(w, sub, 1);
		free(sub);
	}
	closedir(dir);
}

/*
 * Notes that path (below the site folder) changed, unless it is not the
 * site's: an editor's hidden and backup files, or the output folder.
 */
static int
watch_note(struct watch *w, const char *dir, const char *name)
{
	char *path;
	size_t n = strlen(name);

	if (name[0] == '.' || (n > 0 && name[n - 1] == '~'))
		return 0;
	if (strlen(dir) == w->rootlen) {
		/* At the root only the settings and the two folders count. */
		if (strcmp(name, "site.conf") && strcmp(name, "content") &&
		    strcmp(name, "themes"))
			return 0;
		path = xstrdup(name);
	} else
		path = xasprintf("%s/%s", dir + w->rootlen + 1, name);
	if (hmap_get(&w->seen, path) != NULL) {
		free(path);
		return 1;
	}
	w->changed = xgrow(w->changed, &w->capchanged, w->nchanged + 1,
	    sizeof(*w->changed));
	w->changed[w->nchanged++] = path;
	hmap_put(&w->seen, path, path);
	return 1;
}

static void
watch_forget(struct watch *w)
{
	size_t i;

	for (i = 0; i < w->nchanged; i++)
		free(w->changed[i]);
	w->nchanged = 0;
	hmap_free(&w->seen);
}

/*
 * Reads the events waiting, watching the folders that appeared, and
 * notes the paths that changed. Returns whether any path of the site
 * did.
 */
static int
watch_drain(struct watch *w)
{
	char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *e;
	char *sub;
	ssize_t n;
	size_t i;
	int any = 0;

	while ((n = read(w->fd, ev, sizeof(ev))) > 0) {
		for (char *p = ev; p < ev + n; p += sizeof(*e) + e->len) {
			e = (const struct inotify_event *)p;
			for (i = 0; i < w->len && w->v[i].wd != e->wd; i++)
				;
			if (i == w->len)
				continue;
			if (e->mask & IN_IGNORED) {
				free(w->v[i].path);
				w->v[i] = w->v[--w->len];
				continue;
			}
			if (e->len == 0)
				continue;
			if (watch_note(w, w->v[i].path, e->name))
				any = 1;
			if (!(e->mask & IN_ISDIR) ||
			    !(e->mask & (IN_CREATE | IN_MOVED_TO)))
				continue;
			/* At the root, only content/ and themes/ go deep. */
			if (!w->v[i].recursive && strcmp(e->name, "content") &&
			    strcmp(e->name, "themes"))
				continue;
			sub = xasprintf("%s/%s", w->v[i].path, e->name);
			watch_add(w, sub, 1);
			free(sub);
		}
	}
	return any;
}

static void
watch_free(struct watch *w)
{
	size_t i;

	for (i = 0; i < w->len; i++)
		free(w->v[i].path);
	free(w->v);
	watch_forget(w);
	free(w->changed);
	if (w->fd != -1)
		close(w->fd);
}

/*
 * A listening socket on addr:port, made here rather than by MHD so that
 * a refusal can say why and port 0 can be asked which port it got.
 * Returns the socket and sets url, or -1 after a diagnostic.
 */
static int
listen_on(const char *addr, int port, char **url, struct diags *d)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		sl = sizeof(*v4);
	} else if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*v6);
	} else {
		diag_error(d, "", 0, 0, "Give an IP address, such as "
		    "127.0.0.1 or ::1.", "--bind %s is not an IP address",
		    addr);
		return -1;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		diag_error(d, "", 0, 0, NULL, "cannot make a socket: %s",
		    strerror(errno));
		return -1;
	}
	/* A server just stopped leaves its port in TIME_WAIT for a while. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    listen(fd, 64) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) == -1) {
		diag_error(d, "", 0, 0, errno == EADDRINUSE ? N_("Give "
		    "another port with --port, or --port 0 for any free "
		    "one.") : NULL,
		    "cannot listen on %s port %d: %s", addr, port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if (ss.ss_family == AF_INET6)
		*url = xasprintf("http://[%s]:%u/", addr,
		    (unsigned)ntohs(v6->sin6_port));
	else
		*url = xasprintf("http://%s:%u/", addr,
		    (unsigned)ntohs(v4->sin_port));
	return fd;
}

int
serve_run(const struct serve_opts *so, int stop_fd, struct diags *d)
{
	struct served s;
	struct watch w;
	struct git_site g;
	struct MHD_Daemon *daemon = NULL;
	struct pollfd p[2];
	const char *addr = so->bind ? so->bind : "127.0.0.1";
	char *url = NULL, *path;
	unsigned flags;
	int fd, rc = -1;

	memset(&s, 0, sizeof(s));
	memset(&w, 0, sizeof(w));
	memset(&g, 0, sizeof(g));
	w.fd = -1;
	w.rootlen = strlen(so->root);
	s.site = output_mem_new();
	pthread_rwlock_init(&s.lock, NULL);
	pthread_mutex_init(&s.ev_lock, NULL);
	pthread_cond_init(&s.ev_cond, NULL);
	if ((fd = listen_on(addr, so->port, &url, d)) == -1)
		goto out;
	/* A commit stays open as long as its build is served. */
	if (so->ref != NULL && git_site_open(&g, so->root, so->ref, d) == -1) {
		close(fd);
		goto out;
	}
	/* Watched before the first build, so no change falls between. */
	if (so->ref == NULL) {
		if ((w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
			diag_error(d, "", 0, 0, NULL, "cannot watch the site's "
			    "files: %s", strerror(errno));
			close(fd);
			goto out;
		}
		watch_add(&w, so->root, 0);
		path = xasprintf("%s/content", so->root);
		watch_add(&w, path, 1);
		free(path);
		path = xasprintf("%s/themes", so->root);
		watch_add(&w, path, 1);
		free(path);
	}
	rebuild(so, &s, &g, NULL, 0);
	/*
	 * A thread per connection: an event stream's reader blocks until
	 * the next build, which would stall a shared polling thread.
	 */
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
	if (strchr(addr, ':') != NULL)
		flags |= MHD_USE_IPv6;
	daemon = MHD_start_daemon(flags, 0, NULL, NULL, answer, &s,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(4 * KEEPALIVE_S),
	    MHD_OPTION_END);
	if (daemon == NULL) {
		diag_error(d, "", 0, 0, NULL, "cannot start the HTTP server "
		    "on %s", url);
		close(fd);
		goto out;
	}
	if (so->listening != NULL)
		so->listening(url, so->arg);
	p[0].fd = stop_fd;
	p[0].events = POLLIN;
	p[1].fd = w.fd;
	p[1].events = POLLIN;
	for (;;) {
		if (poll(p, w.fd == -1 ? 1 : 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			diag_error(d, "", 0, 0, NULL, "poll: %s",
			    strerror(errno));
			goto out;
		}
		if (p[0].revents)
			break;
		if (!watch_drain(&w))
			continue;
		while (poll(p, 2, SETTLE_MS) > 0 && !p[0].revents)
			watch_drain(&w);
		if (p[0].revents)
			break;
		rebuild(so, &s, &g, w.changed, w.nchanged);
		watch_forget(&w);
	}
	rc = 0;
out:
	/* The event streams end first: stopping waits for their threads. */
	pthread_mutex_lock(&s.ev_lock);
	s.stopping = 1;
	pthread_cond_broadcast(&s.ev_cond);
	pthread_mutex_unlock(&s.ev_lock);
	if (daemon != NULL)
		MHD_stop_daemon(daemon);
	watch_free(&w);
	build_free(s.last);
	output_free(s.site);
	git_site_close(&g);
	place_errors(&s, NULL, 0);
	free(s.errors);
	free(url);
	pthread_cond_destroy(&s.ev_cond);
	pthread_mutex_destroy(&s.ev_lock);
	pthread_rwlock_destroy(&s.lock);
	return rc;
}
