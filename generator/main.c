/*
 * valo: the command line. Parses arguments, runs a command and prints its
 * diagnostics; the only part of Valo that prints or exits.
 */
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "build.h"
#include "config.h"
#include "consult.h"
#include "messages.h"
#include "mustache.h"
#include "publish.h"
#include "serve.h"
#include "source.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "value.h"

#define EXIT_CONTENT	1
#define EXIT_USAGE	2

static const char usage_main[] =
"usage: valo [-C DIR] [-q] COMMAND [OPTIONS]\n"
"\n"
"Builds the site in DIR (default: the current folder), which holds\n"
"site.conf, content/ and themes/.\n"
"\n"
"commands:\n"
"  build    build the site into public/ (or the folder given)\n"
"  check    check every page, link, template and data file; write nothing\n"
"  new      create a page from its section's archetype\n"
"  publish  build a commit and commit the site to a branch (pages)\n"
"  serve    preview the site at http://127.0.0.1:1313/, rebuilt on save\n"
"\n"
"options:\n"
"  -C DIR         the site folder\n"
"  -q, --quiet    print errors and warnings only\n"
"  -h, --help     this help; valo COMMAND --help for a command's\n"
"  -V, --version  the version\n"
"\n"
"exit status: 0 done, 1 errors in the content, 2 wrong usage\n";

static const char usage_build[] =
"usage: valo build [--out DIR] [--force] [--source REF] [--drafts]\n"
"                  [--base-url URL] [--jobs N] [--no-history] [--timings]\n"
"                  [--format FMT] [--today DATE]\n"
"\n"
"Builds the site. The output goes to a staging folder first and replaces\n"
"the old output only when the whole build succeeded. Valo replaces only\n"
"a folder it made (or an empty one).\n"
"\n"
"  --out DIR       output folder (default: [site] output, public)\n"
"  --force         replace the output folder even if Valo did not make it\n"
"  --source REF    build the site as it was at commit REF (a branch, tag\n"
"                  or commit id) of its git repository, not the files as\n"
"                  they are now\n"
"  --drafts        include pages marked draft: true\n"
"  --base-url URL  the address the site is published at\n"
"  --jobs N        pages rendered at once (default: one per core)\n"
"  --no-history    leave out the dates, histories and changes from git\n"
"  --timings       print the time each step took\n"
"  --format FMT    print the problems as text, json, github or gitlab\n"
"                  (see valo check --help)\n"
"  --today DATE    show consultations, events and commitments as on\n"
"                  DATE (YYYY-MM-DD), not on the day of the commit\n";

static const char usage_publish[] =
"usage: valo publish [--branch NAME] [--source REF] [--message TEXT]\n"
"                    [--allow-dirty] [--base-url URL] [--jobs N]\n"
"\n"
"Builds commit REF (default HEAD) of the site's git repository and\n"
"commits the site to branch NAME, straight into the repository: the\n"
"working tree and the index are not touched. Serve the branch with any\n"
"static host. Publishing a site that did not change makes no commit.\n"
"\n"
"  --branch NAME   the branch to publish to (default: pages)\n"
"  --source REF    the commit to publish (default: HEAD)\n"
"  --message TEXT  the first line of the commit message\n"
"  --allow-dirty   publish HEAD even though site.conf, content/ or themes/\n"
"                  have changes that are not committed (they are not\n"
"                  published)\n"
"  --base-url URL  the address the site is published at\n"
"  --jobs N        pages rendered at once (default: one per core)\n";

static const char usage_check[] =
"usage: valo check [--drafts] [--plain] [--format FMT] [--timings]\n"
"                  [--today DATE]\n"
"\n"
"Checks everything build checks (front matter, links, headings, images,\n"
"data, charts, templates) and writes nothing.\n"
"\n"
"  --drafts        include pages marked draft: true\n"
"  --plain         also say where sentences are long, words long and\n"
"                  verbs passive (a Finnish site; limits in [plain])\n"
"  --format FMT    print the problems as text (the default), json (an\n"
"                  object a line), github (annotations) or gitlab (a\n"
"                  Code Quality report)\n"
"  --timings       print the time each step took\n"
"  --today DATE    check as on DATE (YYYY-MM-DD): which consultations\n"
"                  are open, which commitments late\n";

static const char usage_new[] =
"usage: valo new SECTION/NAME\n"
"\n"
"Creates content/SECTION/NAME.md from themes/THEME/archetypes/SECTION.md,\n"
"or from default.md, with the title made from NAME and today's date.\n"
"A NAME written as a title (\"Hyvä Sivu\") is the title as written, and\n"
"the file is named by its slug (hyva-sivu.md). NAME.sv is the page's\n"
"version in a language of the site (arvot.sv.md). Never overwrites a\n"
"file.\n";

static const char usage_serve[] =
"usage: valo serve [--port N] [--bind ADDR] [--drafts] [--source REF]\n"
"                  [--open] [--today DATE]\n"
"\n"
"Builds the site into memory and serves it for previewing. Saving a file\n"
"renders again what read it and reloads the pages open in the browser;\n"
"a page with errors lists them instead. Nothing is written to disk.\n"
"Ctrl-C stops.\n"
"\n"
"  --port N        the port (default 1313; 0: any free one)\n"
"  --bind ADDR     the address to listen on (default 127.0.0.1, this\n"
"                  computer only); any other lets the network see drafts\n"
"  --drafts        include pages marked draft: true\n"
"  --source REF    serve the site as it was at commit REF of its git\n"
"                  repository; then changes to the files are not followed\n"
"  --open          open the site in the desktop's browser (xdg-open)\n"
"  --today DATE    show the site as on DATE (YYYY-MM-DD): which\n"
"                  consultations are open, which events to come\n";

struct cli {
	const char	*root;
	int		 quiet;
	int		 tty;
	int		 open;		/* serve --open */
	enum msg_format	 format;	/* of the diagnostics */
};

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

/*
 * Messages in the language of the site in root, or of the user
 * (messages.c). The catalogues are beside the program when it runs
 * from where it was built (build/locale), else in LOCALEDIR.
 */
static void
choose_language(const char *root)
{
	struct config cfg;
	struct diags ignored = DIAGS_INIT;
	struct buf b = BUF_INIT, dir = BUF_INIT;
	struct stat st;
	char exe[4096], *path;
	ssize_t n;
	FILE *f;

	memset(&cfg, 0, sizeof(cfg));
	path = xasprintf("%s/site.conf", root);
	if ((f = fopen(path, "r")) != NULL) {
		char chunk[4096];
		size_t k;
		while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0 &&
		    b.len < 65536)
			buf_put(&b, chunk, k);
		fclose(f);
		/* Its errors are the build's to report. */
		config_parse(&cfg, b.data ? b.data : "", b.len, "site.conf",
		    &ignored);
	}
	free(path);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if (strrchr(exe, '/') != NULL)
			*strrchr(exe, '/') = '\0';
		buf_printf(&dir, "%s/locale", exe);
	}
	msg_language(cfg.language, n > 0 && stat(dir.data, &st) == 0 &&
	    S_ISDIR(st.st_mode) ? dir.data : LOCALEDIR);
	diags_free(&ignored);
	config_free(&cfg);
	buf_free(&b);
	buf_free(&dir);
}

/*
 * --today YYYY-MM-DD: noon of that day in Finland, where consultations
 * and events are (a day's status is the same all day). -1 after saying
 * so if it is not a date.
 */
static int
parse_today(const char *s, int64_t *t)
{
	struct date d;
	int skipped;

	if (!date_parse(s, &d) || s[10] != '\0') {
		fputs(_("valo: --today takes a date as YYYY-MM-DD\n"), stderr);
		return -1;
	}
	*t = consult_local_time(d, 12, 0, 0, &skipped);
	return 0;
}

/* Whether long option name (without "--") of opts takes a value. */
static int
takes_value(const struct option *opts, const char *name)
{
	for (; opts->name != NULL; opts++)
		if (strcmp(opts->name, name) == 0)
			return opts->has_arg == required_argument;
	return 0;
}

/*
 * The options of every command, -q and -C DIR, stand after the command
 * too, as in git and hugo: they are taken out of argv up to "--", except
 * where a word is the value of one of the command's own options (opts,
 * or NULL). Returns the new argc.
 */
static int
common_options(struct cli *c, int argc, char *argv[],
    const struct option *opts)
{
	const char *a;
	int i, n = 1;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			c->quiet = 1;
			continue;
		}
		if (strcmp(a, "-C") == 0 && i + 1 < argc) {
			c->root = argv[++i];
			continue;
		}
		if (strncmp(a, "-C", 2) == 0 && a[2] != '\0') {
			c->root = a + 2;
			continue;
		}
		argv[n++] = argv[i];
		if (opts != NULL && strncmp(a, "--", 2) == 0 &&
		    strchr(a, '=') == NULL && takes_value(opts, a + 2) &&
		    i + 1 < argc)
			argv[n++] = argv[++i];
	}
	argv[n] = NULL;
	choose_language(c->root);
	return n;
}

static void
progress(size_t done, size_t total, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r%zu/%zu pages", done, total);
	fflush(stderr);
}

static int
report(struct diags *d, struct cli *c)
{
	size_t warnings, i, k;

	/* Notes are for whoever watches; -q asks for faults only. */
	for (i = k = 0; i < d->len; i++) {
		if (c->quiet && d->v[i].level == DIAG_NOTE) {
			diag_free(&d->v[i]);
			continue;
		}
		d->v[k++] = d->v[i];
	}
	d->len = k;
	for (i = warnings = 0; i < d->len; i++)
		warnings += d->v[i].level == DIAG_WARNING;
	diags_sort(d);
	/* A CI reads its format from standard output, the summary aside. */
	if (c->format == MSG_TEXT)
		msg_print(d, stderr, MSG_TEXT, c->tty);
	else {
		msg_print(d, stdout, c->format, 0);
		fflush(stdout);
	}
	if (d->errors == 1)
		fprintf(stderr, "%s\n", warnings ? _("valo: 1 error, see also "
		    "the warnings above") : _("valo: 1 error"));
	else if (d->errors)
		fprintf(stderr, warnings ? _("valo: %zu errors, see also the "
		    "warnings above\n") : _("valo: %zu errors\n"), d->errors);
	return d->errors ? EXIT_CONTENT : 0;
}

static int
cmd_build(struct cli *c, int argc, char *argv[], int check_only)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "source", required_argument, NULL, 's' },
		{ "drafts", no_argument, NULL, 'd' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timings", no_argument, NULL, 't' },
		{ "no-history", no_argument, NULL, 'H' },
		{ "format", required_argument, NULL, 'F' },
		{ "plain", no_argument, NULL, 'P' },
		{ "today", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct build_opts o;
	struct build_stats st;
	struct diags d = DIAGS_INIT;
	struct timespec t0, t1;
	struct git_site g;
	const char *ref = NULL;
	char *end;
	int ch, rc, timings = 0;

	argc = common_options(c, argc, argv, opts);
	memset(&o, 0, sizeof(o));
	o.root = c->root;
	o.check_only = check_only;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			if (check_only)
				goto usage;
			o.out_dir = optarg;
			break;
		case 'f':
			if (check_only)
				goto usage;
			o.force = 1;
			break;
		case 's':
			ref = optarg;
			break;
		case 'd':
			o.drafts = 1;
			break;
		case 'b':
			if (check_only)
				goto usage;
			o.base_url = optarg;
			break;
		case 'j':
			o.jobs = (int)strtol(optarg, &end, 10);
			if (*end || o.jobs < 1 || o.jobs > 64) {
				fputs(_("valo: --jobs takes 1 to 64\n"), stderr);
				return EXIT_USAGE;
			}
			break;
		case 't':
			timings = 1;
			break;
		case 'H':
			o.no_history = 1;
			break;
		case 'P':
			if (!check_only)
				goto usage;
			o.plain = 1;
			break;
		case 'T':
			if (parse_today(optarg, &o.today) == -1)
				return EXIT_USAGE;
			o.has_today = 1;
			break;
		case 'F':
			if (msg_format_parse(optarg, &c->format) == -1) {
				fputs(_("valo: --format takes text, json, github "
				    "or gitlab\n"), stderr);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(check_only ? usage_check : usage_build, stdout);
			return 0;
		default:
			goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	if (!c->quiet && c->tty && !check_only) {
		o.progress = progress;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&g, 0, sizeof(g));
	if (ref != NULL && git_site_open(&g, c->root, ref, &d) == -1)
		rc = -1;
	else {
		o.src = g.src;
		o.repo = g.repo;
		o.commit = g.commit ? git_commit_id(g.commit) : NULL;
		rc = build_site(&o, &st, &d);
	}
	git_site_close(&g);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (o.progress)
		fputs("\r\033[K", stderr);
	if (timings)
		fprintf(stderr, "valo: load %.3f s, resolve %.3f s, history %.3f s, "
		    "render %.3f s, other files %.3f s, swap %.3f s\n",
		    st.t_load, st.t_resolve, st.t_history, st.t_render,
		    st.t_extras, st.t_commit);
	/* The summary comes after the warnings it would otherwise hide. */
	rc = report(&d, c);
	diags_free(&d);
	if (rc == 0 && !c->quiet) {
		double s = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (check_only)
			fprintf(stderr, _("valo: %zu pages checked, no errors "
			    "(%.2f s)\n"), st.pages, s);
		else
			fprintf(stderr, st.jobs == 1 ? _("valo: %zu pages (%zu "
			    "rendered), %zu files (%zu written, %zu unchanged) "
			    "in %.2f s, %d job\n") : _("valo: %zu pages (%zu "
			    "rendered), %zu files (%zu written, %zu unchanged) "
			    "in %.2f s, %d jobs\n"), st.pages, st.rendered,
			    st.written + st.kept, st.written, st.kept, s,
			    st.jobs);
	}
	if (st.plain_checked && !c->quiet && st.rendered > 0)
		fprintf(stderr, o.plain ? _("valo: plain language: %zu long "
		    "sentences, %zu long words, %zu passive paragraphs or "
		    "lists\n") : _("valo: plain language: %zu long sentences, "
		    "%zu long words, %zu passive paragraphs or lists (valo "
		    "check --plain shows where)\n"), st.plain.long_sentences,
		    st.plain.long_words, st.plain.passive_paragraphs);
	return rc;
usage:
	fputs(check_only ? usage_check : usage_build, stderr);
	return EXIT_USAGE;
}

static int
cmd_publish(struct cli *c, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "branch", required_argument, NULL, 'r' },
		{ "source", required_argument, NULL, 's' },
		{ "message", required_argument, NULL, 'm' },
		{ "allow-dirty", no_argument, NULL, 'a' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct publish_opts o;
	struct publish_result res;
	struct diags d = DIAGS_INIT;
	char *end;
	int ch, rc;

	argc = common_options(c, argc, argv, opts);
	memset(&o, 0, sizeof(o));
	o.build.root = c->root;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			o.branch = optarg;
			break;
		case 's':
			o.ref = optarg;
			break;
		case 'm':
			o.message = optarg;
			break;
		case 'a':
			o.allow_dirty = 1;
			break;
		case 'b':
			o.build.base_url = optarg;
			break;
		case 'j':
			o.build.jobs = (int)strtol(optarg, &end, 10);
			if (*end || o.build.jobs < 1 || o.build.jobs > 64) {
				fputs(_("valo: --jobs takes 1 to 64\n"), stderr);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(usage_publish, stdout);
			return 0;
		default:
			fputs(usage_publish, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fputs(usage_publish, stderr);
		return EXIT_USAGE;
	}
	publish_site(&o, &res, &d);
	rc = report(&d, c);
	diags_free(&d);
	if (rc == 0 && !c->quiet) {
		if (res.committed)
			fprintf(stderr, _("valo: published %.8s to %s as %.8s "
			    "(%zu pages, %zu files)\n"), res.source,
			    o.branch ? o.branch : "pages", res.tip,
			    res.stats.pages, res.stats.written);
		else
			fprintf(stderr, _("valo: %s is up to date with %.8s; "
			    "no new commit\n"), o.branch ? o.branch : "pages",
			    res.source);
	}
	return rc;
}

/* "strategia/uusi-linjaus" -> "Uusi linjaus". */
static char *
title_from_name(const char *name)
{
	char *t = xstrdup(name), *p;

	for (p = t; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	if (t[0] >= 'a' && t[0] <= 'z')
		t[0] = (char)(t[0] - 'a' + 'A');
	return t;
}

static int
cmd_new(struct cli *c, int argc, char *argv[])
{
	struct config cfg;
	struct diags d = DIAGS_INIT;
	struct arena a = ARENA_INIT;
	struct buf arch = BUF_INIT, out = BUF_INIT;
	struct mu_set *set = NULL;
	struct value *ctx;
	struct source *src = NULL;
	const char *arg, *slash, *name;
	char *path = NULL, *dir = NULL, *file, *err = NULL, *title;
	char *said = NULL;
	struct buf slug = BUF_INIT;
	size_t nlen;
	const char *code;
	int k;
	char date[16];
	struct stat st;
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;
	int rc = EXIT_CONTENT;

	argc = common_options(c, argc, argv, NULL);
	memset(&cfg, 0, sizeof(cfg));
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		fputs(usage_new, stdout);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-') {
		fputs(usage_new, stderr);
		return EXIT_USAGE;
	}
	arg = argv[1];
	if (strstr(arg, "..") || arg[0] == '/' || strchr(arg, '\\')) {
		fprintf(stderr, _("valo: new: \"%s\" must be SECTION/NAME inside "
		    "content/\n"), arg);
		return EXIT_USAGE;
	}
	if ((src = source_dir_open(c->root, &d)) == NULL)
		goto out;
	if (config_load(&cfg, src, "site.conf", &d) == -1)
		goto out;
	slash = strrchr(arg, '/');
	name = slash ? slash + 1 : arg;
	if (*name == '\0') {
		fputs(usage_new, stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	/*
	 * "strategia/Hyvä Sivu": a name as an editor says it is the page's
	 * title, and its slug the file's name (hyva-sivu.md).
	 */
	nlen = strlen(name);
	if (nlen > 3 && strcmp(name + nlen - 3, ".md") == 0)
		nlen -= 3;
	/* "arvot.sv": the page's version in a language of the site. */
	code = NULL;
	for (k = 0; k < cfg.nlangs && code == NULL; k++) {
		size_t m = strlen(cfg.langs[k].code);
		if (nlen > m + 1 && name[nlen - m - 1] == '.' &&
		    strncmp(name + nlen - m, cfg.langs[k].code, m) == 0) {
			code = cfg.langs[k].code;
			nlen -= m + 1;
		}
	}
	slugify(&slug, name, nlen);
	if (slug.len == 0) {
		fprintf(stderr, _("valo: new: \"%s\" has no letters or digits "
		    "for a file name\n"), arg);
		rc = EXIT_USAGE;
		goto out;
	}
	said = slug.len != nlen || strncmp(slug.data, name, nlen) != 0 ?
	    xstrndup(name, nlen) : NULL;
	path = xasprintf("%s/content/%.*s%s%s%s.md", c->root,
	    (int)(name - arg), arg, slug.data, code ? "." : "",
	    code ? code : "");
	if (lstat(path, &st) == 0) {
		diag_error(&d, path + strlen(c->root) + 1, 0, 0,
		    "Pick another name, or edit the file that is there.",
		    "the file exists already; not overwriting it");
		goto out;
	}
	dir = slash ? xstrndup(arg, (size_t)(slash - arg)) : xstrdup("");
	file = xasprintf("themes/%s/archetypes/%s.md", cfg.theme,
	    *dir ? dir : "default");
	if (source_read(src, file, &arch, 0, NULL) == -1) {
		free(file);
		file = xasprintf("themes/%s/archetypes/default.md", cfg.theme);
		if (source_read(src, file, &arch, 0, NULL) == -1) {
			diag_error(&d, file, 0, 0, "Add an archetype to the "
			    "theme.", "no archetype for new pages");
			free(file);
			goto out;
		}
	}
	set = mu_set_new();
	if (mu_set_add(set, "archetype", file, arch.data, arch.len, &d)) {
		free(file);
		goto out;
	}
	free(file);
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	ctx = value_map(&a);
	title = said ? xstrdup(said) : title_from_name(name);
	if (strlen(title) > 3 && !strcmp(title + strlen(title) - 3, ".md"))
		title[strlen(title) - 3] = '\0';
	value_append(&a, ctx, "title", value_cstring(&a, title));
	free(title);
	value_append(&a, ctx, "date", value_cstring(&a, date));
	value_append(&a, ctx, "section", value_cstring(&a, dir));
	if (mu_render(set, "archetype", ctx, &out, &err) == -1) {
		diag_error(&d, "archetype", 0, 0, NULL, "%s", err);
		free(err);
		goto out;
	}
	/* Make the section folder, then the file, never replacing one. */
	for (char *s = strchr(path + strlen(c->root) + 1, '/'); s;
	    s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0755) == -1 && errno != EEXIST) {
			diag_error(&d, path, 0, 0, NULL, "cannot make the "
			    "folder: %s", strerror(errno));
			*s = '/';
			goto out;
		}
		*s = '/';
	}
	if ((f = fopen(path, "wx")) == NULL) {
		diag_error(&d, path, 0, 0, NULL, "cannot create: %s",
		    strerror(errno));
		goto out;
	}
	fwrite(out.data, 1, out.len, f);
	if (fclose(f) != 0) {
		diag_error(&d, path, 0, 0, NULL, "cannot write: %s",
		    strerror(errno));
		goto out;
	}
	if (!c->quiet)
		printf("%s\n", path + strlen(c->root) + 1);
	rc = 0;
out:
	if (rc != EXIT_USAGE && report(&d, c) && rc == 0)
		rc = EXIT_CONTENT;
	diags_free(&d);
	mu_set_free(set);
	source_free(src);
	buf_free(&arch);
	buf_free(&out);
	arena_free(&a);
	config_free(&cfg);
	free(path);
	free(dir);
	free(said);
	buf_free(&slug);
	return rc;
}

static void
serve_built(unsigned n, double ms, const struct build_stats *st,
    struct diags *d, void *arg)
{
	struct cli *c = arg;

	/* The warnings once, then one line a rebuild. */
	if (d->errors || (n == 1 && !c->quiet))
		report(d, c);
	if (st != NULL && !c->quiet)
		fprintf(stderr, n == 1 ? (d->errors ? _("valo: built in %.0f "
		    "ms (%zu of %zu pages rendered), with errors\n") :
		    _("valo: built in %.0f ms (%zu of %zu pages rendered)\n")) :
		    d->errors ? _("valo: rebuilt in %.0f ms (%zu of %zu pages "
		    "rendered), with errors\n") : _("valo: rebuilt in %.0f ms "
		    "(%zu of %zu pages rendered)\n"), ms, st->rendered,
		    st->pages);
}

static void *
reap(void *arg)
{
	waitpid((pid_t)(intptr_t)arg, NULL, 0);
	return NULL;
}

/*
 * The desktop's browser at url, through xdg-open, which returns once the
 * browser has it; a thread waits for it, so it leaves no zombie behind.
 */
static void
open_browser(const char *url)
{
	char *argv[] = { "xdg-open", (char *)url, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none;
	pthread_t t;
	pid_t pid;
	int rc;

	sigemptyset(&none);
	posix_spawnattr_init(&at);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, "xdg-open", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0)
		fprintf(stderr, _("valo: note: cannot run xdg-open (%s): open %s "
		    "in a browser\n"), strerror(rc), url);
	else if (pthread_create(&t, NULL, reap, (void *)(intptr_t)pid) == 0)
		pthread_detach(t);
}

static void
serve_listening(const char *url, void *arg)
{
	struct cli *c = arg;

	fprintf(stderr, _("valo: serving %s (Ctrl-C stops)\n"), url);
	if (c->open)
		open_browser(url);
}

static int
cmd_serve(struct cli *c, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "drafts", no_argument, NULL, 'd' },
		{ "source", required_argument, NULL, 's' },
		{ "open", no_argument, NULL, 'o' },
		{ "today", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct serve_opts o;
	struct diags d = DIAGS_INIT;
	sigset_t stop;
	char *end;
	long port;
	int ch, fd, rc;

	argc = common_options(c, argc, argv, opts);
	memset(&o, 0, sizeof(o));
	o.root = c->root;
	o.port = 1313;
	o.built = serve_built;
	o.listening = serve_listening;
	o.arg = c;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || port < 0 ||
			    port > 65535) {
				fputs(_("valo: --port takes 0 to 65535\n"), stderr);
				return EXIT_USAGE;
			}
			o.port = (int)port;
			break;
		case 'b':
			o.bind = optarg;
			break;
		case 'd':
			o.drafts = 1;
			break;
		case 's':
			o.ref = optarg;
			break;
		case 'o':
			c->open = 1;
			break;
		case 'T':
			if (parse_today(optarg, &o.today) == -1)
				return EXIT_USAGE;
			o.has_today = 1;
			break;
		case 'h':
			fputs(usage_serve, stdout);
			return 0;
		default:
			fputs(usage_serve, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fputs(usage_serve, stderr);
		return EXIT_USAGE;
	}
	if (o.bind != NULL && strcmp(o.bind, "127.0.0.1") != 0 &&
	    strcmp(o.bind, "::1") != 0)
		fprintf(stderr, _("valo: warning: serving on %s: others on the "
		    "network can see the site, drafts included\n"), o.bind);
	/*
	 * Blocked before the server's threads start, so that they inherit
	 * the mask and Ctrl-C reaches serve_run through the descriptor. A
	 * shell starts a background job with SIGINT ignored, and an ignored
	 * signal never reaches a signalfd: the defaults come back first.
	 */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &stop, NULL) == -1 ||
	    (fd = signalfd(-1, &stop, SFD_CLOEXEC)) == -1) {
		fprintf(stderr, _("valo: cannot take Ctrl-C: %s\n"),
		    strerror(errno));
		return EXIT_CONTENT;
	}
	rc = serve_run(&o, fd, &d) == -1 ? EXIT_CONTENT : 0;
	close(fd);
	if (report(&d, c) != 0)
		rc = EXIT_CONTENT;
	diags_free(&d);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct cli c;
	int i;

	/*
	 * libyaml and cmark allocate and free tens of kilobytes per page;
	 * without this glibc hands the memory back to the kernel after each
	 * page and takes it again, zeroed, for the next: a page fault storm.
	 */
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_TOP_PAD, 4 * 1024 * 1024);
	memset(&c, 0, sizeof(c));
	c.root = ".";
	c.tty = isatty(STDERR_FILENO);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-C") == 0 && i + 1 < argc)
			c.root = argv[++i];
		else if (strncmp(argv[i], "-C", 2) == 0 && argv[i][2])
			c.root = argv[i] + 2;
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			c.quiet = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_main, stdout);
			return 0;
		} else if (!strcmp(argv[i], "-V") ||
		    !strcmp(argv[i], "--version")) {
			printf("valo %s\n", VALO_VERSION);
			return 0;
		} else {
			fprintf(stderr, "valo: unknown option %s\n%s", argv[i],
			    usage_main);
			return EXIT_USAGE;
		}
	}
	if (i == argc) {
		fputs(usage_main, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[i], "build") == 0)
		return cmd_build(&c, argc - i, argv + i, 0);
	if (strcmp(argv[i], "check") == 0)
		return cmd_build(&c, argc - i, argv + i, 1);
	if (strcmp(argv[i], "new") == 0)
		return cmd_new(&c, argc - i, argv + i);
	if (strcmp(argv[i], "publish") == 0)
		return cmd_publish(&c, argc - i, argv + i);
	if (strcmp(argv[i], "serve") == 0)
		return cmd_serve(&c, argc - i, argv + i);
	fprintf(stderr, "valo: unknown command \"%s\"\n%s", argv[i],
	    usage_main);
	return EXIT_USAGE;
}
