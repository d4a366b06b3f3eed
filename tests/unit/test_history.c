/*
 * history.c against repositories made here with the git command line, in
 * a folder of their own under /tmp, with no configuration of the user's
 * or the machine's and fixed names and dates, so that times are exact.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "history.h"
#include "messages.h"
#include "output.h"
#include "repo.h"
#include "test.h"
#include "util/buf.h"
#include "util/mem.h"

struct fixture {
	char	 root[64];	/* the temporary folder */
	char	 repo[96];	/* root/repo */
	long	 t;		/* the time of the next commit */
};

/* Runs a shell command line in folder dir; returns its exit status. */
static int
sh(const char *dir, const char *fmt, ...)
{
	struct buf cmd = BUF_INIT;
	va_list ap;
	int rc;

	buf_printf(&cmd, "cd '%s' && ", dir);
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	buf_puts(&cmd, " >/dev/null 2>&1");
	rc = system(cmd.data);
	buf_free(&cmd);
	return rc;
}

/*
 * Runs git with args in the fixture's repository (or folder dir), as
 * author "Aino Aalto" at time f->t, +02:00.
 */
static int
git(struct fixture *f, const char *dir, const char *args)
{
	return sh(dir ? dir : f->repo, "env -i PATH=\"$PATH\" HOME='%s' "
	    "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null "
	    "GIT_AUTHOR_NAME='Aino Aalto' GIT_AUTHOR_EMAIL=aino@example.fi "
	    "GIT_COMMITTER_NAME='Aino Aalto' "
	    "GIT_COMMITTER_EMAIL=aino@example.fi "
	    "GIT_AUTHOR_DATE='@%ld +0200' GIT_COMMITTER_DATE='@%ld +0200' "
	    "git -c core.hooksPath=/dev/null -c commit.gpgsign=false "
	    "-c init.defaultBranch=main -c protocol.file.allow=always %s",
	    f->root, f->t, f->t, args);
}

/* Writes text to the file rel of the repository, making its folders. */
static void
put(struct fixture *f, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", f->repo, rel), *p;
	int fd;

	for (p = strchr(path + strlen(f->repo) + 1, '/'); p != NULL;
	    p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, text, strlen(text)) ==
	    (ssize_t)strlen(text));
	close(fd);
	free(path);
}

/* Commits everything with message msg at the next time; returns 0. */
static int
commit(struct fixture *f, const char *msg)
{
	char *path = xasprintf("%s/msg", f->root);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), rc;

	CHECK(fd >= 0 && write(fd, msg, strlen(msg)) == (ssize_t)strlen(msg));
	close(fd);
	f->t += 1000;
	rc = git(f, NULL, "add -A") || sh(f->repo, "env -i PATH=\"$PATH\" "
	    "HOME='%s' GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null "
	    "GIT_AUTHOR_NAME='Aino Aalto' GIT_AUTHOR_EMAIL=aino@example.fi "
	    "GIT_COMMITTER_NAME='Aino Aalto' "
	    "GIT_COMMITTER_EMAIL=aino@example.fi "
	    "GIT_AUTHOR_DATE='@%ld +0200' GIT_COMMITTER_DATE='@%ld +0200' "
	    "git -c core.hooksPath=/dev/null -c commit.gpgsign=false "
	    "commit -q --allow-empty -F '%s'", f->root, f->t, f->t, path);
	free(path);
	CHECK(rc == 0);
	return rc;
}

/*
 * Makes an empty repository; returns 0, or -1 (a failed check) where git
 * is missing: make check installs it, so its absence is a fault.
 */
static int
setup(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->t = 1600000000;
	if (system("git --version >/dev/null 2>&1") != 0) {
		CHECK(!"the git command is installed");
		return -1;
	}
	snprintf(f->root, sizeof(f->root), "/tmp/valo-test-history-XXXXXX");
	CHECK(mkdtemp(f->root) != NULL);
	snprintf(f->repo, sizeof(f->repo), "%s/repo", f->root);
	CHECK(mkdir(f->repo, 0755) == 0);
	CHECK(git(f, NULL, "init -q") == 0);
	return 0;
}

static void
teardown(struct fixture *f)
{
	remove_tree(f->root);
}

/* Threads for load_at: 0, one a core, unless a test says otherwise. */
static int load_jobs;

/*
 * Loads the history of the site in folder site (of the repository) at
 * ref, with cache file cache (NULL: none). Returns 0.
 */
static int
load_at(struct history *h, const char *site, const char *ref,
    const char *trailer, const char *cache)
{
	struct diags d = DIAGS_INIT;
	struct history_opts o;
	struct repo *r;
	git_commit *c = NULL;
	int rc = -1;

	memset(h, 0, sizeof(*h));
	memset(&o, 0, sizeof(o));
	o.trailer = trailer;
	o.cache = cache;
	o.jobs = load_jobs;
	if ((r = repo_open(site, &d)) != NULL &&
	    (c = repo_commit(r, ref, &d)) != NULL)
		rc = history_load(h, r, git_commit_id(c), &o, &d);
	if (rc != 0)
		msg_print(&d, stdout, MSG_TEXT, 0);
	CHECK(rc == 0);
	git_commit_free(c);
	repo_free(r);
	diags_free(&d);
	return rc;
}

static int
load(struct history *h, struct fixture *f)
{
	return load_at(h, f->repo, "HEAD", "Muutos", NULL);
}

/* The id of commit ref, as hex in a static buffer. */
static const char *
rev(struct fixture *f, const char *ref)
{
	static char hex[GIT_OID_HEXSZ + 1];
	struct diags d = DIAGS_INIT;
	struct repo *r = repo_open(f->repo, &d);
	git_commit *c = r ? repo_commit(r, ref, &d) : NULL;

	strcpy(hex, "?");
	if (c != NULL)
		git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	git_commit_free(c);
	repo_free(r);
	diags_free(&d);
	return hex;
}

static const char *
hex_of(const git_oid *id)
{
	static char hex[GIT_OID_HEXSZ + 1];

	return git_oid_tostr(hex, sizeof(hex), id);
}

/* File path's history, which must have len changes. */
static const struct hist_file *
file(const struct history *h, const char *path, size_t len)
{
	const struct hist_file *hf = history_file(h, path);

	if (hf == NULL) {
		test_fail_str(__FILE__, __LINE__, "history_file", NULL, path);
		return NULL;
	}
	if (hf->len != len) {
		printf("  %s: %zu changes, not %zu\n", path, hf->len, len);
		CHECK(hf->len == len);
		return NULL;
	}
	return hf;
}

static int
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Returns 1 if a and b hold the same records and files. */
static int
same_history(const struct history *a, const struct history *b)
{
	size_t i, k;

	if (a->ncommits != b->ncommits || a->nchanges != b->nchanges ||
	    a->nfiles != b->nfiles || a->shallow != b->shallow ||
	    !git_oid_equal(&a->tip, &b->tip))
		return 0;
	for (i = 0; i < a->ncommits; i++) {
		const struct hist_commit *x = &a->commits[i];
		const struct hist_commit *y = &b->commits[i];

		if (!git_oid_equal(&x->id, &y->id) || x->time != y->time ||
		    x->offset != y->offset || !same_str(x->note, y->note) ||
		    !same_str(x->author, y->author) ||
		    !same_str(x->message, y->message) ||
		    x->nchanges != y->nchanges ||
		    x->changes - a->changes != y->changes - b->changes)
			return 0;
	}
	for (i = 0; i < a->nchanges; i++) {
		const struct hist_change *x = &a->changes[i];
		const struct hist_change *y = &b->changes[i];

		if (x->kind != y->kind || !same_str(x->path, y->path) ||
		    !same_str(x->old_path, y->old_path) ||
		    !git_oid_equal(&x->old_blob, &y->old_blob) ||
		    !git_oid_equal(&x->new_blob, &y->new_blob) ||
		    x->commit - a->commits != y->commit - b->commits)
			return 0;
	}
	for (i = 0; i < a->nfiles; i++) {
		const struct hist_file *x = &a->files[i], *y = &b->files[i];
		if (strcmp(x->path, y->path) != 0 || x->len != y->len ||
		    x->truncated != y->truncated)
			return 0;
		for (k = 0; k < x->len; k++)
			if (x->v[k] - a->changes != y->v[k] - b->changes)
				return 0;
	}
	return 1;
}

/* Text of n numbered lines and then s: a file for similarity renames. */
static char *
lines(int n, const char *s)
{
	struct buf b = BUF_INIT;
	int i;

	for (i = 1; i <= n; i++)
		buf_printf(&b, "Rivi %d: strategian kappale %d.\n", i, i);
	buf_puts(&b, s);
	return buf_detach(&b);
}

TEST(history_notes_and_kinds)
{
	struct fixture f;
	struct history h;
	const struct hist_file *a, *b;

	if (setup(&f) < 0)
		return;
	put(&f, "content/a.md", "yksi\n");
	put(&f, "content/b.md", "kaksi\n");
	commit(&f, "Aloitus\n\nMuutos: Ensimmäinen versio\n");
	put(&f, "content/a.md", "yksi, korjattu\n");
	commit(&f, "Kirjoitusvirhe\n");
	put(&f, "content/a.md", "yksi, laajennettu\n");
	put(&f, "README", "lueminut\n");
	commit(&f, "Laajennus\n\nToinen rivi selitystä.\n\n"
	    "Muutos: Lisätty luku\nMUUTOS: ja toinen\nSigned-off-by: A\n");
	put(&f, "README", "vain tämä\n");
	commit(&f, "Ei sisältöä\n\nMuutos: ei näy\n");
	if (load(&h, &f) == 0) {
		CHECK(h.walked == 4);
		CHECK(h.ncommits == 3);
		CHECK(h.shallow == 0);
		CHECK(h.nfiles == 2);
		if ((a = file(&h, "a.md", 3)) != NULL) {
			CHECK(a->v[0]->kind == HIST_MODIFIED);
			CHECK_STR(a->v[0]->commit->note,
			    "Lisätty luku ja toinen");
			CHECK_STR(a->v[0]->commit->message, "Laajennus");
			CHECK_STR(a->v[0]->old_path, "a.md");
			CHECK(a->v[1]->kind == HIST_MODIFIED);
			CHECK(a->v[1]->commit->note == NULL);
			CHECK_STR(a->v[1]->commit->message, "Kirjoitusvirhe");
			CHECK(a->v[2]->kind == HIST_ADDED);
			CHECK(a->v[2]->old_path == NULL);
			CHECK(git_oid_is_zero(&a->v[2]->old_blob));
			CHECK(!git_oid_is_zero(&a->v[2]->new_blob));
			CHECK(git_oid_equal(&a->v[2]->new_blob,
			    &a->v[1]->old_blob));
			CHECK_STR(a->v[2]->commit->note, "Ensimmäinen versio");
			CHECK_STR(a->v[2]->commit->author, "Aino Aalto");
			CHECK(a->v[2]->commit->time == 1600001000);
			CHECK(a->v[2]->commit->offset == 120);
			CHECK(a->truncated == 0);
		}
		if ((b = file(&h, "b.md", 1)) != NULL) {
			CHECK(b->v[0]->kind == HIST_ADDED);
			CHECK(b->v[0]->commit == a->v[2]->commit);
		}
		CHECK_STR(h.commits[0].message, "Laajennus");
		CHECK(h.commits[0].nchanges == 1);
		CHECK(h.commits[2].nchanges == 2);
		CHECK(h.commits[2].changes[1].commit == &h.commits[2]);
		CHECK_STR(hex_of(&h.tip), rev(&f, "HEAD"));
		CHECK_STR(hex_of(&h.commits[0].id), rev(&f, "HEAD~1"));
	}
	history_free(&h);
	/* Another word: no notes at all. */
	if (load_at(&h, f.repo, "HEAD", "Change", NULL) == 0) {
		CHECK(h.ncommits == 3);
		CHECK(h.commits[0].note == NULL && h.commits[2].note == NULL);
	}
	history_free(&h);
	teardown(&f);
}

TEST(history_renames_and_moves)
{
	struct fixture f;
	struct history h;
	const struct hist_file *hf;
	char *text = lines(30, ""), *edited = lines(30, "Uusi rivi.\n");

	if (setup(&f) < 0) {
		free(text);
		free(edited);
		return;
	}
	put(&f, "content/a.md", text);
	put(&f, "content/muu.md", "muu\n");
	commit(&f, "Aloitus\n\nMuutos: Uusi sivu\n");
	put(&f, "content/a.md", edited);
	commit(&f, "Rivi lisää\n");
	CHECK(git(&f, NULL, "mv content/a.md content/b.md") == 0);
	commit(&f, "Nimi vaihtui\n");
	/* A move to another folder with a small edit. */
	CHECK(sh(f.repo, "mkdir content/kansio") == 0);
	CHECK(git(&f, NULL, "mv content/b.md content/kansio/c.md") == 0);
	put(&f, "content/kansio/c.md", text);
	commit(&f, "Siirto\n\nMuutos: Siirretty kansioon\n");
	if (load(&h, &f) == 0) {
		CHECK(history_file(&h, "a.md") == NULL);
		CHECK(history_file(&h, "b.md") == NULL);
		if ((hf = file(&h, "kansio/c.md", 4)) != NULL) {
			CHECK(hf->v[0]->kind == HIST_RENAMED);
			CHECK_STR(hf->v[0]->old_path, "b.md");
			CHECK_STR(hf->v[0]->path, "kansio/c.md");
			CHECK(!git_oid_equal(&hf->v[0]->old_blob,
			    &hf->v[0]->new_blob));
			CHECK_STR(hf->v[0]->commit->note, "Siirretty kansioon");
			CHECK(hf->v[1]->kind == HIST_RENAMED);
			CHECK_STR(hf->v[1]->old_path, "a.md");
			CHECK_STR(hf->v[1]->path, "b.md");
			CHECK(git_oid_equal(&hf->v[1]->old_blob,
			    &hf->v[1]->new_blob));
			CHECK(hf->v[2]->kind == HIST_MODIFIED);
			CHECK_STR(hf->v[2]->path, "a.md");
			CHECK(hf->v[3]->kind == HIST_ADDED);
			CHECK_STR(hf->v[3]->commit->note, "Uusi sivu");
		}
		file(&h, "muu.md", 1);
	}
	history_free(&h);
	free(text);
	free(edited);
	teardown(&f);
}

TEST(history_delete_and_restore)
{
	struct fixture f;
	struct history h;
	const struct hist_file *hf;

	if (setup(&f) < 0)
		return;
	put(&f, "content/x.md", "x\n");
	put(&f, "content/y.md", "y\n");
	commit(&f, "Aloitus\n");
	CHECK(git(&f, NULL, "rm -q content/x.md") == 0);
	commit(&f, "Poisto\n");
	put(&f, "content/x.md", "x taas\n");
	CHECK(git(&f, NULL, "rm -q content/y.md") == 0);
	commit(&f, "Palautus\n\nMuutos: Palautettu\n");
	if (load(&h, &f) == 0) {
		if ((hf = file(&h, "x.md", 3)) != NULL) {
			CHECK(hf->v[0]->kind == HIST_ADDED);
			CHECK_STR(hf->v[0]->commit->note, "Palautettu");
			CHECK(hf->v[1]->kind == HIST_DELETED);
			CHECK_STR(hf->v[1]->path, "x.md");
			CHECK(git_oid_is_zero(&hf->v[1]->new_blob));
			CHECK(hf->v[2]->kind == HIST_ADDED);
		}
		/* Deleted at the tip: its history is there all the same. */
		if ((hf = file(&h, "y.md", 2)) != NULL)
			CHECK(hf->v[0]->kind == HIST_DELETED);
	}
	history_free(&h);
	teardown(&f);
}

TEST(history_merge_brings_in_branch_commits)
{
	struct fixture f;
	struct history h;
	const struct hist_file *hf;
	long merged;

	if (setup(&f) < 0)
		return;
	put(&f, "content/a.md", "a\n");
	put(&f, "content/b.md", "b\n");
	commit(&f, "Aloitus\n");
	CHECK(git(&f, NULL, "checkout -q -b haara") == 0);
	put(&f, "content/a.md", "a haarassa\n");
	commit(&f, "Haaran a\n\nMuutos: Haarassa muutettu\n");
	put(&f, "content/b.md", "b haarassa\n");
	commit(&f, "Haaran b\n");
	CHECK(git(&f, NULL, "checkout -q main") == 0);
	put(&f, "content/c.md", "c\n");
	commit(&f, "Päähaaran c\n");
	f.t += 1000;
	merged = f.t;
	CHECK(git(&f, NULL, "merge -q --no-ff -m Yhdistys haara") == 0);
	if (load(&h, &f) == 0) {
		CHECK(h.walked == 5);
		/* The merge changed nothing of its own. */
		CHECK(h.ncommits == 4);
		CHECK_STR(h.commits[0].message, "Haaran b");
		CHECK_STR(h.commits[1].message, "Haaran a");
		CHECK_STR(h.commits[2].message, "Päähaaran c");
		CHECK_STR(h.commits[3].message, "Aloitus");
		CHECK_STR(hex_of(&h.commits[1].id), rev(&f, "haara~1"));
		if ((hf = file(&h, "a.md", 2)) != NULL) {
			CHECK(hf->v[0]->kind == HIST_MODIFIED);
			CHECK_STR(hf->v[0]->commit->note, "Haarassa muutettu");
			CHECK(hf->v[0]->commit->time == merged);
			CHECK(hf->v[1]->kind == HIST_ADDED);
		}
		if ((hf = file(&h, "b.md", 2)) != NULL) {
			CHECK(hf->v[0]->commit->note == NULL);
			CHECK(hf->v[0]->commit->time == merged);
		}
		if ((hf = file(&h, "c.md", 1)) != NULL)
			CHECK(hf->v[0]->commit->time == merged - 1000);
	}
	history_free(&h);
	teardown(&f);
}

TEST(history_merge_records_a_resolved_conflict)
{
	struct fixture f;
	struct history h;
	const struct hist_file *hf;

	if (setup(&f) < 0)
		return;
	put(&f, "content/a.md", "alku\n");
	commit(&f, "Aloitus\n");
	CHECK(git(&f, NULL, "checkout -q -b haara") == 0);
	put(&f, "content/a.md", "haara\n");
	put(&f, "content/h.md", "vain haarassa\n");
	commit(&f, "Haarassa\n");
	CHECK(git(&f, NULL, "checkout -q main") == 0);
	put(&f, "content/a.md", "pää\n");
	commit(&f, "Päähaarassa\n");
	f.t += 1000;
	/* The merge stops at the conflict; it is resolved by hand. */
	CHECK(git(&f, NULL, "merge -q haara") != 0);
	put(&f, "content/a.md", "ratkaistu\n");
	commit(&f, "Yhdistys\n\nMuutos: Ristiriita ratkaistu\n");
	if (load(&h, &f) == 0) {
		CHECK(h.ncommits == 4);
		CHECK(h.commits[0].nchanges == 1);
		if ((hf = file(&h, "a.md", 4)) != NULL) {
			CHECK(hf->v[0]->kind == HIST_MODIFIED);
			CHECK_STR(hf->v[0]->commit->message, "Yhdistys");
			CHECK_STR(hf->v[0]->commit->note,
			    "Ristiriita ratkaistu");
			CHECK_STR(hf->v[1]->commit->message, "Haarassa");
			CHECK(hf->v[1]->commit->time == hf->v[0]->commit->time);
			CHECK_STR(hf->v[2]->commit->message, "Päähaarassa");
			CHECK(hf->v[3]->kind == HIST_ADDED);
		}
		/* Brought in by the merge, not changed by it. */
		if ((hf = file(&h, "h.md", 1)) != NULL)
			CHECK_STR(hf->v[0]->commit->message, "Haarassa");
	}
	history_free(&h);
	teardown(&f);
}

TEST(history_data_files_and_non_ascii_paths)
{
	struct fixture f;
	struct history h;
	const struct hist_file *hf;

	if (setup(&f) < 0)
		return;
	put(&f, "content/data/luvut.csv", "vuosi,määrä\n2020,1\n");
	put(&f, "content/päätökset/ä.md", "päätös\n");
	commit(&f, "Aloitus\n");
	put(&f, "content/data/luvut.csv", "vuosi,määrä\n2020,1\n2021,2\n");
	put(&f, "content/päätökset/ä.md", "päätös muuttui\n");
	commit(&f, "Luvut\n\nMuutos: Vuoden 2021 luvut\n");
	if (load(&h, &f) == 0) {
		if ((hf = file(&h, "data/luvut.csv", 2)) != NULL) {
			CHECK(hf->v[0]->kind == HIST_MODIFIED);
			CHECK_STR(hf->v[0]->commit->note,
			    "Vuoden 2021 luvut");
		}
		if ((hf = file(&h, "päätökset/ä.md", 2)) != NULL) {
			CHECK_STR(hf->v[1]->path, "päätökset/ä.md");
			CHECK(hf->v[1]->kind == HIST_ADDED);
		}
	}
	history_free(&h);
	teardown(&f);
}

TEST(history_site_in_a_subfolder)
{
	struct fixture f;
	struct history h;
	char *site;

	if (setup(&f) < 0)
		return;
	site = xasprintf("%s/site", f.repo);
	put(&f, "site/content/a.md", "a\n");
	put(&f, "content/harhaan.md", "ei sivuston\n");
	commit(&f, "Aloitus\n");
	put(&f, "content/harhaan.md", "ei vieläkään\n");
	commit(&f, "Ohi sivuston\n");
	put(&f, "site/content/a.md", "a muuttui\n");
	commit(&f, "Sivu\n");
	if (load_at(&h, site, "HEAD", "Muutos", NULL) == 0) {
		CHECK(h.ncommits == 2);
		CHECK(h.nfiles == 1);
		CHECK(history_file(&h, "harhaan.md") == NULL);
		file(&h, "a.md", 2);
	}
	history_free(&h);
	free(site);
	teardown(&f);
}

TEST(history_shallow_clone)
{
	struct fixture f;
	struct history h;
	const struct hist_file *hf;
	char *clone, *args;
	size_t i;

	if (setup(&f) < 0)
		return;
	put(&f, "content/a.md", "a\n");
	put(&f, "content/b.md", "b\n");
	commit(&f, "Aloitus\n");
	put(&f, "content/a.md", "a 2\n");
	commit(&f, "Toinen\n");
	put(&f, "content/a.md", "a 3\n");
	put(&f, "content/b.md", "b 3\n");
	commit(&f, "Kolmas\n");
	put(&f, "content/c.md", "c\n");
	put(&f, "content/a.md", "a 4\n");
	commit(&f, "Neljäs\n\nMuutos: Uusi sivu c\n");
	clone = xasprintf("%s/klooni", f.root);
	args = xasprintf("clone -q --depth 2 file://%s %s", f.repo, clone);
	CHECK(git(&f, f.root, args) == 0);
	if (load_at(&h, clone, "HEAD", "Muutos", NULL) == 0) {
		CHECK(h.shallow == 1);
		/* The boundary, "Kolmas", has no parent here: no changes. */
		CHECK(h.ncommits == 1);
		CHECK(h.walked == 2);
		for (i = 0; i < h.nchanges; i++)
			CHECK(h.changes[i].kind != HIST_ADDED ||
			    strcmp(h.changes[i].path, "c.md") == 0);
		if ((hf = file(&h, "a.md", 1)) != NULL) {
			CHECK(hf->truncated == 1);
			CHECK(hf->v[0]->kind == HIST_MODIFIED);
		}
		if ((hf = file(&h, "b.md", 0)) != NULL)
			CHECK(hf->truncated == 1);
		if ((hf = file(&h, "c.md", 1)) != NULL) {
			CHECK(hf->truncated == 0);
			CHECK(hf->v[0]->kind == HIST_ADDED);
		}
	}
	history_free(&h);
	free(args);
	free(clone);
	teardown(&f);
}

/* Writes n bytes of data to path. */
static void
put_bytes(const char *path, const char *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0 && (n == 0 || write(fd, data, n) == (ssize_t)n));
	close(fd);
}

/* Reads path into b; returns 0. */
static int
get_bytes(const char *path, struct buf *b)
{
	char tmp[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	buf_reset(b);
	if (fd < 0)
		return -1;
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		buf_put(b, tmp, (size_t)n);
	close(fd);
	return 0;
}

TEST(history_cache)
{
	struct fixture f;
	struct history h, again, fresh;
	const struct hist_file *hf;
	struct buf b = BUF_INIT;
	char *cache;
	size_t n;

	if (setup(&f) < 0)
		return;
	/* Where the caller puts it: a folder in the git folder, not there. */
	cache = xasprintf("%s/.git/valo/history", f.repo);
	put(&f, "content/a.md", "a\n");
	put(&f, "content/b.md", "b\n");
	commit(&f, "Aloitus\n\nMuutos: Alku\n");
	put(&f, "content/a.md", "a 2\n");
	commit(&f, "Toinen\n");
	CHECK(git(&f, NULL, "checkout -q -b haara") == 0);
	put(&f, "content/b.md", "b haarassa\n");
	commit(&f, "Haarassa\n\nMuutos: Haaran muutos\n");
	CHECK(git(&f, NULL, "checkout -q main") == 0);
	f.t += 1000;
	CHECK(git(&f, NULL, "merge -q --no-ff -m Yhdistys haara") == 0);
	memset(&again, 0, sizeof(again));
	memset(&fresh, 0, sizeof(fresh));
	if (load_at(&h, f.repo, "HEAD", "Muutos", cache) == 0 &&
	    load_at(&again, f.repo, "HEAD", "Muutos", cache) == 0) {
		CHECK(h.walked == 4);
		CHECK(again.walked == 0);
		CHECK(same_history(&h, &again));
	}
	history_free(&h);
	history_free(&again);

	/* One more commit: only it is walked; old changes follow a rename. */
	CHECK(git(&f, NULL, "mv content/a.md content/uusi.md") == 0);
	commit(&f, "Nimi\n");
	if (load_at(&h, f.repo, "HEAD", "Muutos", cache) == 0 &&
	    load_at(&fresh, f.repo, "HEAD", "Muutos", NULL) == 0) {
		CHECK(h.walked == 1);
		CHECK(same_history(&h, &fresh));
		if ((hf = file(&h, "uusi.md", 3)) != NULL) {
			CHECK(hf->v[0]->kind == HIST_RENAMED);
			CHECK_STR(hf->v[2]->commit->note, "Alku");
		}
		if ((hf = file(&h, "b.md", 2)) != NULL)
			CHECK_STR(hf->v[0]->commit->note, "Haaran muutos");
	}
	history_free(&h);

	/* Every shorter cache, and one with a byte changed, are ignored. */
	CHECK(get_bytes(cache, &b) == 0 && b.len > 100);
	for (n = 0; n < b.len; n++) {
		CHECK(history_cache_parse(&h, b.data, n, "Muutos", "", 0) ==
		    -1);
		CHECK(h.ncommits == 0 && h.nfiles == 0);
	}
	if (history_cache_parse(&h, b.data, b.len, "Muutos", "", 0) == 0)
		CHECK(same_history(&h, &fresh));
	else
		CHECK(!"the whole cache reads");
	history_free(&h);
	CHECK(history_cache_parse(&h, b.data, b.len, "Change", "", 0) == -1);
	CHECK(history_cache_parse(&h, b.data, b.len, "Muutos", "site/", 0) ==
	    -1);
	put_bytes(cache, b.data, b.len / 2);
	if (load_at(&h, f.repo, "HEAD", "Muutos", cache) == 0) {
		CHECK(h.walked == 5);
		CHECK(same_history(&h, &fresh));
	}
	history_free(&h);
	put_bytes(cache, "valo-history 1\n\xff\xff\xff\xff", 19);
	if (load_at(&h, f.repo, "HEAD", "Muutos", cache) == 0) {
		CHECK(h.walked == 5);
		CHECK(same_history(&h, &fresh));
	}
	history_free(&h);
	/* History rewritten: the cached tip is not on the line. */
	CHECK(git(&f, NULL, "reset -q --hard HEAD~1") == 0);
	put(&f, "content/b.md", "b toisin\n");
	commit(&f, "Toisin\n");
	if (load_at(&h, f.repo, "HEAD", "Muutos", cache) == 0)
		CHECK(h.walked == 5);
	history_free(&h);
	/* Another word: the cache of the other is not used. */
	if (load_at(&h, f.repo, "HEAD", "Change", cache) == 0) {
		CHECK(h.walked == 5);
		CHECK(h.commits[0].note == NULL);
	}
	history_free(&h);
	history_free(&fresh);
	buf_free(&b);
	free(cache);
	teardown(&f);
}

TEST(history_branch_rename_then_edit)
{
	struct fixture f;
	struct history h;
	const struct hist_file *hf;

	if (setup(&f) < 0)
		return;
	put(&f, "content/a.md", "a\n");
	commit(&f, "Aloitus\n");
	CHECK(git(&f, NULL, "checkout -q -b haara") == 0);
	CHECK(git(&f, NULL, "mv content/a.md content/r.md") == 0);
	commit(&f, "Nimeksi r\n");
	put(&f, "content/r.md", "r muuttui\n");
	commit(&f, "Muokkaus\n\nMuutos: Haarassa\n");
	CHECK(git(&f, NULL, "checkout -q main") == 0);
	put(&f, "content/m.md", "m\n");
	commit(&f, "Päähaara\n");
	f.t += 1000;
	CHECK(git(&f, NULL, "merge -q --no-ff -m Yhdistys haara") == 0);
	if (load(&h, &f) == 0) {
		CHECK(history_file(&h, "a.md") == NULL);
		if ((hf = file(&h, "r.md", 3)) != NULL) {
			CHECK(hf->v[0]->kind == HIST_MODIFIED);
			CHECK_STR(hf->v[0]->commit->note, "Haarassa");
			CHECK(hf->v[1]->kind == HIST_RENAMED);
			CHECK_STR(hf->v[1]->old_path, "a.md");
			CHECK(hf->v[2]->kind == HIST_ADDED);
			CHECK_STR(hf->v[2]->path, "a.md");
		}
	}
	history_free(&h);
	teardown(&f);
}

TEST(history_shallow_clone_of_a_merge)
{
	struct fixture f;
	struct history h;
	const char *names[] = { "m1.md", "m2.md", "m3.md", "b1.md", "b2.md" };
	const struct hist_file *hf;
	char *clone, *args;
	size_t i;

	if (setup(&f) < 0)
		return;
	put(&f, "content/m1.md", "1\n");
	commit(&f, "m1\n");
	put(&f, "content/m2.md", "2\n");
	commit(&f, "m2\n");
	CHECK(git(&f, NULL, "checkout -q -b haara HEAD~1") == 0);
	put(&f, "content/b1.md", "1\n");
	commit(&f, "b1\n");
	put(&f, "content/b2.md", "2\n");
	commit(&f, "b2\n");
	CHECK(git(&f, NULL, "checkout -q main") == 0);
	put(&f, "content/m3.md", "3\n");
	commit(&f, "m3\n");
	f.t += 1000;
	CHECK(git(&f, NULL, "merge -q --no-ff -m Yhdistys haara") == 0);
	/* The merge and its parents: both parents are boundaries. */
	clone = xasprintf("%s/klooni", f.root);
	args = xasprintf("clone -q --depth 2 file://%s %s", f.repo, clone);
	CHECK(git(&f, f.root, args) == 0);
	if (load_at(&h, clone, "HEAD", "Muutos", NULL) == 0) {
		CHECK(h.shallow == 1);
		CHECK(h.walked == 3);
		CHECK(h.nchanges == 0);
		CHECK(h.nfiles == 5);
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if ((hf = file(&h, names[i], 0)) != NULL)
				CHECK(hf->truncated == 1);
	}
	history_free(&h);
	free(args);
	free(clone);
	teardown(&f);
}

/*
 * Writes to path a fast-import stream of n commits on main, one every
 * 1000 s from time t: edits, additions, deletions, renames (exact and
 * with an edit) in five folders, notes on some, and a branch of six
 * commits from commit 40 merged at commit 71.
 */
static void
many_commits(const char *path, long t, int n)
{
	struct buf b = BUF_INIT;
	const char *dirs[] = { "a", "b", "c/d", "e", "f" };
	char *moving[64], *body;
	int i, k, nmoving = 0, first = 0, mark = 0, merge = 0;

	for (i = 1; i <= n; i++) {
		mark++;
		if (i == 71) {
			/* The branch, from commit 40, then its merge. */
			for (k = 0; k < 6; k++, mark++) {
				buf_printf(&b, "commit refs/heads/haara\n"
				    "mark :%d\ncommitter Aino Aalto "
				    "<aino@example.fi> %ld +0200\ndata <<EOM\n"
				    "Haarassa %d\n\nMuutos: haara %d\nEOM\n",
				    mark, t + 1000L * (40 + k) + 500, k, k);
				if (k == 0)
					buf_printf(&b, "from :40\n");
				buf_printf(&b, "M 100644 inline "
				    "content/h%d.md\n"
				    "data <<EOD\nhaara %d\nEOD\n"
				    "M 100644 inline content/a/p0.md\n"
				    "data <<EOD\nhaarasta %d\nEOD\n", k, k, k);
			}
			merge = mark - 1;
		}
		buf_printf(&b, "commit refs/heads/main\nmark :%d\n"
		    "committer Aino Aalto <aino@example.fi> %ld +0200\n"
		    "data <<EOM\nMuutos %d\n%sEOM\n", mark, t + 1000L * i, i,
		    i % 3 == 0 ? "\nMuutos: kolmas\n" : "");
		if (i > 1)
			buf_printf(&b, "from :%d\n", i == 71 ? 70 : mark - 1);
		if (merge) {
			buf_printf(&b, "merge :%d\n", merge);
			merge = 0;
		}
		for (k = 0; k < 2; k++)
			buf_printf(&b, "M 100644 inline content/%s/p%d.md\n"
			    "data <<EOD\nsivu %d, versio %d\nEOD\n",
			    dirs[(i + k) % 5], (i * 7 + k) % 30, k, i);
		if (i % 13 == 0)
			buf_printf(&b, "D content/%s/p%d.md\n", dirs[i % 5],
			    (i * 3) % 30);
		/* Pages to move: long enough to be found half alike. */
		if ((i == 1 || i % 10 == 0) && nmoving < 64) {
			moving[nmoving] = xasprintf("content/%s/s%d.md",
			    dirs[i % 5], i);
			body = lines(20, "");
			buf_printf(&b, "M 100644 inline %s\ndata %zu\n%s\n",
			    moving[nmoving++], strlen(body), body);
			free(body);
		}
		if (i % 17 == 0 && first < nmoving) {
			body = xasprintf("content/%s/r%d.md", dirs[(i + 1) % 5],
			    i);
			buf_printf(&b, "R %s %s\n", moving[first], body);
			free(moving[first]);
			moving[first] = body;
			first++;
		} else if (i % 23 == 0 && first < nmoving) {
			body = lines(20, "Muokattu.\n");
			buf_printf(&b, "D %s\nM 100644 inline "
			    "content/siirretty%d.md\ndata %zu\n%s\n",
			    moving[first], i, strlen(body), body);
			free(body);
			first++;
		}
	}
	for (k = 0; k < nmoving; k++)
		free(moving[k]);
	put_bytes(path, b.data, b.len);
	buf_free(&b);
}

/* Loads with jobs threads and cache (removed first); returns 0. */
static int
load_with(struct history *h, const char *site, const char *cache,
    int jobs, struct buf *bytes)
{
	int rc;

	unlink(cache);
	load_jobs = jobs;
	rc = load_at(h, site, "HEAD", "Muutos", cache);
	load_jobs = 0;
	CHECK(get_bytes(cache, bytes) == 0 && bytes->len > 0);
	return rc;
}

TEST(history_threads_make_the_same_history)
{
	struct fixture f;
	struct history one, four;
	struct buf b1 = BUF_INIT, b4 = BUF_INIT;
	char *stream, *args, *c1, *c4, *clone;

	if (setup(&f) < 0)
		return;
	stream = xasprintf("%s/stream", f.root);
	c1 = xasprintf("%s/cache1", f.root);
	c4 = xasprintf("%s/cache4", f.root);
	clone = xasprintf("%s/klooni", f.root);
	many_commits(stream, f.t, 300);
	args = xasprintf("fast-import --quiet <'%s'", stream);
	CHECK(git(&f, NULL, args) == 0);
	free(args);
	memset(&one, 0, sizeof(one));
	memset(&four, 0, sizeof(four));
	/* Blocks of 64 commits: several threads take part. */
	if (load_with(&one, f.repo, c1, 1, &b1) == 0 &&
	    load_with(&four, f.repo, c4, 4, &b4) == 0) {
		CHECK(one.walked == 306 && four.walked == 306);
		CHECK(one.ncommits == 306);
		CHECK(same_history(&one, &four));
		CHECK(b1.len == b4.len && memcmp(b1.data, b4.data, b1.len) ==
		    0);
		/* A rename with an edit, found on whichever thread. */
		CHECK(history_file(&one, "siirretty23.md") != NULL &&
		    history_file(&one, "siirretty23.md")->v[0]->kind ==
		    HIST_RENAMED);
		CHECK(history_file(&one, "h5.md") != NULL);
	}
	history_free(&one);
	history_free(&four);
	/* A shallow clone: the boundary is far down the line. */
	args = xasprintf("clone -q --depth 200 file://%s %s", f.repo, clone);
	CHECK(git(&f, f.root, args) == 0);
	free(args);
	if (load_with(&one, clone, c1, 1, &b1) == 0 &&
	    load_with(&four, clone, c4, 4, &b4) == 0) {
		CHECK(one.shallow == 1 && one.nmarks > 0);
		CHECK(one.walked > 64 && one.walked == four.walked);
		CHECK(same_history(&one, &four));
		CHECK(b1.len == b4.len && memcmp(b1.data, b4.data, b1.len) ==
		    0);
	}
	history_free(&one);
	history_free(&four);
	buf_free(&b1);
	buf_free(&b4);
	free(stream);
	free(c1);
	free(c4);
	free(clone);
	teardown(&f);
}
