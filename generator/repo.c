#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#include "repo.h"
#include "util/buf.h"
#include "util/mem.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;

/*
 * Once per process: a site builds the same wherever it is built, so the
 * user's and the machine's git settings (templates, filters, safe
 * folders, hooks paths) must not reach libgit2. Only the repository's own
 * configuration is read.
 */
static void
init(void)
{
	static const int levels[] = {
		GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM,
		GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL
	};
	size_t i;

	init_rc = git_libgit2_init() < 0 ? -1 : 0;
	/*
	 * Every object read would be hashed again (SHA-1 with collision
	 * detection): a third of a build from a commit. Loose objects and
	 * packs carry checksums of their own against damage.
	 */
	if (init_rc == 0 && git_libgit2_opts(
	    GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0) < 0)
		init_rc = -1;
	/*
	 * Trees and commits written by publish refer to objects it has just
	 * written or found; looking each up again costs a rescan of the
	 * packs per miss.
	 */
	if (init_rc == 0 && git_libgit2_opts(
	    GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0) < 0)
		init_rc = -1;
	for (i = 0; init_rc == 0 && i < sizeof(levels) / sizeof(levels[0]);
	    i++)
		if (git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i], "") < 0)
			init_rc = -1;
}

void
repo_error(struct diags *d, const char *file, const char *hint,
    const char *fmt, ...)
{
	const git_error *e = git_error_last();
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, DIAG_ERROR, file, 0, 0, hint, fmt, ap);
	va_end(ap);
	if (e != NULL && e->message != NULL && *e->message) {
		buf_printf(&b, "git: %s", e->message);
		diag_detail(d, b.data);
	}
	buf_free(&b);
}

const char *
repo_short(const git_oid *id)
{
	static _Thread_local char s[GIT_OID_HEXSZ + 1];

	git_oid_tostr(s, 9, id);
	return s;
}

/* Returns 1 if real (a canonical path) is dir or inside it. */
static int
under(const char *real, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(real, dir, n) == 0 && (real[n] == '/' || real[n] == 0);
}

struct repo *
repo_open(const char *root, struct diags *d)
{
	struct repo *r = NULL;
	git_repository *git = NULL;
	const char *work;
	char *realroot = NULL, *realwork = NULL;
	size_t n;

	pthread_once(&init_once, init);
	if (init_rc == -1) {
		repo_error(d, root, "Reinstall libgit2 (Debian: libgit2-1.5).",
		    "cannot start libgit2");
		return NULL;
	}
	if ((realroot = realpath(root, NULL)) == NULL) {
		diag_error(d, root, 0, 0, "Check the -C folder.",
		    "cannot open the site folder: %s", strerror(errno));
		return NULL;
	}
	if (git_repository_open_ext(&git, realroot, 0, NULL) < 0) {
		repo_error(d, root, "Run valo in the site's repository, or give "
		    "--source and publish only inside one.",
		    "not a git repository");
		goto fail;
	}
	r = xcalloc(1, sizeof(*r));
	r->git = git;
	pthread_mutex_init(&r->lock, NULL);
	r->objects = xasprintf("%sobjects", git_repository_commondir(git));
	if ((work = git_repository_workdir(git)) == NULL) {
		/* A bare repository has no folders to be inside of. */
		r->prefix = xstrdup("");
	} else {
		if ((realwork = realpath(work, NULL)) == NULL ||
		    !under(realroot, realwork)) {
			diag_error(d, root, 0, 0, "Run valo inside the "
			    "repository's working tree.",
			    "the site folder is not inside the repository");
			goto fail;
		}
		n = strlen(realwork);
		r->prefix = realroot[n] ? xasprintf("%s/", realroot + n + 1) :
		    xstrdup("");
	}
	free(realroot);
	free(realwork);
	return r;
fail:
	free(realroot);
	free(realwork);
	if (r != NULL)
		repo_free(r);
	else
		git_repository_free(git);
	return NULL;
}

static void
writer_free(struct repo_writer *w)
{
	if (w == NULL)
		return;
	git_repository_free(w->git);
	git_odb_free(w->odb);
	free(w);
}

void
repo_free(struct repo *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nidle; i++)
		git_odb_free(r->idle[i]);
	free(r->idle);
	for (i = 0; i < r->nidlew; i++)
		writer_free(r->idlew[i]);
	free(r->idlew);
	pthread_mutex_destroy(&r->lock);
	git_repository_free(r->git);
	free(r->prefix);
	free(r->objects);
	free(r);
}

git_commit *
repo_commit(struct repo *r, const char *ref, struct diags *d)
{
	git_object *obj = NULL, *peeled = NULL;

	if (git_revparse_single(&obj, r->git, ref) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		repo_error(d, "", "Give a branch, a tag or a commit id; "
		    "\"git log --oneline\" lists the commits.",
		    "--source \"%s\" is not a commit in this repository", ref);
		git_object_free(obj);
		return NULL;
	}
	git_object_free(obj);
	return (git_commit *)peeled;
}

git_odb *
repo_odb_take(struct repo *r)
{
	git_odb *odb = NULL;

	pthread_mutex_lock(&r->lock);
	if (r->nidle > 0)
		odb = r->idle[--r->nidle];
	pthread_mutex_unlock(&r->lock);
	/* Opened outside the lock: it reads the pack indexes. */
	if (odb == NULL && git_odb_open(&odb, r->objects) < 0)
		return NULL;
	return odb;
}

void
repo_odb_give(struct repo *r, git_odb *odb)
{
	pthread_mutex_lock(&r->lock);
	r->idle = xgrow(r->idle, &r->capidle, r->nidle + 1,
	    sizeof(*r->idle));
	r->idle[r->nidle++] = odb;
	pthread_mutex_unlock(&r->lock);
}

struct repo_writer *
repo_writer_take(struct repo *r)
{
	struct repo_writer *w = NULL;
	git_config *cfg;

	pthread_mutex_lock(&r->lock);
	if (r->nidlew > 0)
		w = r->idlew[--r->nidlew];
	pthread_mutex_unlock(&r->lock);
	if (w != NULL)
		return w;
	w = xcalloc(1, sizeof(*w));
	/* Compression level 1: the site is written whole every time. */
	if (git_odb_new(&w->odb) < 0 || git_odb_backend_loose(&w->loose,
	    r->objects, 1, 0, 0, 0) < 0) {
		writer_free(w);
		return NULL;
	}
	if (git_odb_add_backend(w->odb, w->loose, 1) < 0) {
		w->loose->free(w->loose);
		writer_free(w);
		return NULL;
	}
	/*
	 * An empty configuration of its own: without one, libgit2 looks for
	 * configuration files again for every tree entry it checks.
	 */
	if (git_repository_wrap_odb(&w->git, w->odb) < 0 ||
	    git_config_new(&cfg) < 0) {
		writer_free(w);
		return NULL;
	}
	git_repository_set_config(w->git, cfg);
	git_config_free(cfg);
	return w;
}

void
repo_writer_give(struct repo *r, struct repo_writer *w)
{
	pthread_mutex_lock(&r->lock);
	r->idlew = xgrow(r->idlew, &r->capidlew, r->nidlew + 1,
	    sizeof(*r->idlew));
	r->idlew[r->nidlew++] = w;
	pthread_mutex_unlock(&r->lock);
}

int
repo_has(git_odb *odb, const git_oid *id)
{
	return git_odb_exists_ext(odb, id, GIT_ODB_LOOKUP_NO_REFRESH);
}
