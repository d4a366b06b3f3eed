/*
 * The theme: its Mustache templates compiled once, its UI strings for the
 * site's language, and the list of its static files.
 */
#ifndef VALO_THEME_H
#define VALO_THEME_H

#include <stdint.h>

#include "config.h"
#include "mustache.h"
#include "source.h"
#include "util/arena.h"
#include "util/diag.h"
#include "value.h"

struct theme {
	char			*dir;		/* "themes/default" */
	struct mu_set		*templates;
	struct value		*i18n;		/* strings[0] */
	/* key -> text, in the arena, for each of the site's languages. */
	struct value		*strings[LANGS_MAX];
	struct source_list	 statics;	/* below dir/static */
	uint64_t		 hash;		/* of templates and strings */
	uint64_t		 strings_hash;	/* of the strings alone */
};

/*
 * Loads theme name with its strings for each language of c; values go
 * into arena. Templates must define home, section, page and 404, and
 * every partial they name. Every language must have every string that
 * another has and that a template names (i18n.KEY): a missing one is an
 * error naming the key and the file. Returns 0, or -1 after adding
 * diagnostics.
 */
int	theme_load(struct theme *, struct source *, struct arena *,
	    const char *name, const struct config *c, struct diags *);
void	theme_free(struct theme *);

#endif
