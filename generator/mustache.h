/*
 * Mustache templates (spec v1.4 with the inheritance extension), compiled
 * once and rendered many times. A set holds named templates that refer to
 * each other as partials ({{>name}}) and parents ({{<name}}).
 *
 * After the last mu_set_add, a set is read-only: any number of threads may
 * render from it at once.
 */
#ifndef VALO_MUSTACHE_H
#define VALO_MUSTACHE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/diag.h"
#include "value.h"

struct mu_set;

struct mu_set	*mu_set_new(void);
void		 mu_set_free(struct mu_set *);

/*
 * Compiles src as template name (copied). file names the template in
 * diagnostics (errors carry file:line:col). Returns 0, or -1 after adding
 * diagnostics; src need not outlive the call.
 */
int	 mu_set_add(struct mu_set *, const char *name, const char *file,
	    const char *src, size_t len, struct diags *);

/* Returns non-zero if the set holds a template of that name. */
int	 mu_set_has(const struct mu_set *, const char *name);

/*
 * Adds an error for every partial or parent tag naming a template the set
 * does not hold, at the tag's file:line:col. Returns the number added.
 * (While rendering, a missing partial is the empty string, as the spec says.)
 */
size_t	 mu_set_check(const struct mu_set *, struct diags *);

/*
 * Renders template name against ctx, the bottom of the context stack,
 * appending to out. Returns 0, or -1 with *err set to a message the caller
 * frees (unknown template, partials nested too deeply).
 */
int	 mu_render(const struct mu_set *, const char *name,
	    const struct value *ctx, struct buf *out, char **err);

/*
 * What a render read, told as it happens: every template it expanded
 * (the first included), and each key of the map watch that a name
 * looked into ("" when the map itself was used whole). For recording
 * what a page depends on; either function may be NULL.
 */
struct mu_trace {
	void			(*tpl)(void *arg, const char *name,
				    size_t len);
	void			(*key)(void *arg, const char *key,
				    size_t len);
	const struct value	*watch;
	void			*arg;
};

/* mu_render, telling trace (which may be NULL) what it reads. */
int	 mu_render_traced(const struct mu_set *, const char *name,
	    const struct value *ctx, struct buf *out, char **err,
	    const struct mu_trace *trace);

/* The number of templates, and the name of the i-th (in name order). */
size_t		 mu_set_len(const struct mu_set *);
const char	*mu_set_name(const struct mu_set *, size_t i);

/* A hash of template name's source, or 0 if there is no such template. */
uint64_t mu_set_hash(const struct mu_set *, const char *name);

#endif
