#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "publish.h"
#include "repo.h"
#include "source.h"
#include "util/buf.h"
#include "util/mem.h"

int
git_site_open(struct git_site *g, const char *root, const char *ref,
    struct diags *d)
{
	memset(g, 0, sizeof(*g));
	if ((g->repo = repo_open(root, d)) == NULL ||
	    (g->commit = repo_commit(g->repo, ref, d)) == NULL ||
	    (g->src = source_git_open(g->repo, g->commit, d)) == NULL)
		return -1;
	return 0;
}

void
git_site_close(struct git_site *g)
{
	source_free(g->src);
	git_commit_free(g->commit);
	repo_free(g->repo);
	memset(g, 0, sizeof(*g));
}

static const char *
change_name(unsigned st)
{
	if (st & (GIT_STATUS_WT_NEW | GIT_STATUS_INDEX_NEW))
		return st & GIT_STATUS_INDEX_NEW ? W_("added, not committed") :
		    W_("new, not committed");
	if (st & (GIT_STATUS_WT_DELETED | GIT_STATUS_INDEX_DELETED))
		return W_("deleted, not committed");
	if (st & (GIT_STATUS_WT_RENAMED | GIT_STATUS_INDEX_RENAMED))
		return W_("renamed, not committed");
	return W_("changed, not committed");
}

/*
 * Adds an error for every file of the site's inputs that differs from
 * HEAD in the index or the working tree. Returns the number of them, or
 * -1 after a diagnostic.
 */
static int
uncommitted(struct repo *r, struct diags *d)
{
	static const char *const inputs[] = { "site.conf", "content",
	    "themes" };
	git_status_options opts;
	git_status_list *list = NULL;
	char *spec[3];
	size_t i, n, plen = strlen(r->prefix);
	int count = 0;

	for (i = 0; i < 3; i++)
		spec[i] = xasprintf("%s%s", r->prefix, inputs[i]);
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
	    GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
	    GIT_STATUS_OPT_EXCLUDE_SUBMODULES |
	    GIT_STATUS_OPT_SORT_CASE_SENSITIVELY;
	opts.pathspec.strings = spec;
	opts.pathspec.count = 3;
	if (git_status_list_new(&list, r->git, &opts) < 0) {
		repo_error(d, "", "Check the repository with \"git status\", or "
		    "publish anyway with --allow-dirty.", "cannot compare the working tree with "
		    "HEAD");
		count = -1;
		goto out;
	}
	n = git_status_list_entrycount(list);
	for (i = 0; i < n; i++) {
		const git_status_entry *e = git_status_byindex(list, i);
		const git_diff_delta *dd = e->index_to_workdir ?
		    e->index_to_workdir : e->head_to_index;
		const char *path;
		if (dd == NULL || e->status == GIT_STATUS_CURRENT)
			continue;
		path = dd->new_file.path ? dd->new_file.path :
		    dd->old_file.path;
		if (strncmp(path, r->prefix, plen) == 0)
			path += plen;
		diag_error(d, path, 0, 0, count ? NULL : N_("Commit the "
		    "changes first, or publish what is committed with "
		    "--allow-dirty."),
		    "%s", change_name(e->status));
		count++;
	}
out:
	git_status_list_free(list);
	for (i = 0; i < 3; i++)
		free(spec[i]);
	return count;
}

/* "TEXT\n\nPublished by Valo from commit ID.\n", TEXT naming it too. */
static char *
message(const char *text, git_commit *c)
{
	struct buf b = BUF_INIT;
	char id[GIT_OID_HEXSZ + 1];
	const char *summary = git_commit_summary(c);

	git_oid_tostr(id, sizeof(id), git_commit_id(c));
	if (text != NULL)
		buf_puts(&b, text);
	else
		buf_printf(&b, "Publish %.8s: %s", id, summary ? summary : "");
	buf_printf(&b, "\n\nBuilt by Valo %s from commit %s.\n",
	    VALO_VERSION, id);
	return buf_detach(&b);
}

int
publish_site(const struct publish_opts *po, struct publish_result *res,
    struct diags *d)
{
	struct build_opts o = po->build;
	struct git_site g;
	struct output *out = NULL;
	const char *ref = po->ref ? po->ref : "HEAD";
	char *msg = NULL;
	git_oid tip;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (git_site_open(&g, o.root, ref, d) == -1)
		goto out;
	git_oid_tostr(res->source, sizeof(res->source),
	    git_commit_id(g.commit));
	/* Changes not in the commit would silently stay unpublished. */
	if (po->ref == NULL && !po->allow_dirty &&
	    git_repository_workdir(g.repo->git) != NULL &&
	    uncommitted(g.repo, d) != 0)
		goto out;
	msg = message(po->message, g.commit);
	if ((out = output_git_new(g.repo, po->branch ? po->branch : "pages",
	    msg, d)) == NULL)
		goto out;
	o.src = g.src;
	o.repo = g.repo;
	o.commit = git_commit_id(g.commit);
	o.out = out;
	if (build_site(&o, &res->stats, d) == -1)
		goto out;
	res->committed = output_git_result(out, &tip);
	git_oid_tostr(res->tip, sizeof(res->tip), &tip);
	rc = 0;
out:
	output_free(out);
	free(msg);
	git_site_close(&g);
	return rc;
}
