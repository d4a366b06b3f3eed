/*
 * site.conf: the site's settings, read with libinih. Every key is known;
 * a misspelt one is an error with its line, not silently ignored.
 */
#ifndef VALO_CONFIG_H
#define VALO_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "source.h"
#include "util/diag.h"

/*
 * The languages of a site: the first is the site's own (its pages at the
 * root), the others have theirs below /code/. A section [code] in
 * site.conf gives one its title and description.
 */
#define LANGS_MAX	8

struct config_lang {
	char		*code;		/* "sv": 2 or 3 lower case letters */
	char		*title;		/* the site's in that language */
	char		*description;
	unsigned	 line;		/* of its [code] section; 0: none */
};

struct config {
	char	*title;
	char	*description;
	char	*base_url;	/* absolute, always ends with '/' */
	char	*base_path;	/* path part of base_url: "/" or "/sub/" */
	char	*language;	/* "fi": langs[0].code */
	char	*languages;	/* [site] languages as written, or NULL */
	unsigned languages_line;	/* its line in site.conf */
	struct config_lang langs[LANGS_MAX];
	int	 nlangs;	/* at least 1 */
	char	*theme;		/* folder name under themes/ */
	char	*output;	/* output folder, relative to the site */
	char	*feedback_email;
	char	*feedback_url;	/* a form; the page's address goes as sivu= */
	int	 unsafe_html;	/* pass raw HTML in Markdown through */
	int	 drafts;	/* build pages marked draft */
	int	 jobs;		/* render threads; 0: one per core */
	/*
	 * [history]: pages show their changes from the git history. note is
	 * the trailer word of change notes ("Muutos"); versions a pattern of
	 * the tags that are approved versions ("strategia-*"), or NULL.
	 */
	int	 history;
	char	*history_note;
	int	 history_authors;	/* show who made each change */
	char	*versions;
	/* [check]: limits of what the checks accept; 0 turns one off. */
	int	 title_length;	/* characters of a page's title */
	/* [plain]: plain-language limits (plain.h); 0 turns one off. */
	int	 plain_sentence_words;	/* words in a sentence */
	int	 plain_word_length;	/* letters in a word */
	int	 plain_passive_share;	/* % of a paragraph's verbs */
};

/*
 * Reads file name of src into cfg, filling defaults first. Returns 0, or
 * -1 after adding diagnostics.
 */
int	config_load(struct config *, struct source *src, const char *name,
	    struct diags *);
/* The same from the text of the file. */
int	config_parse(struct config *, const char *text, size_t len,
	    const char *name, struct diags *);
/* Replaces base_url (and base_path) after checking it; -1 if invalid. */
int	config_set_base_url(struct config *, const char *, struct diags *);
void	config_free(struct config *);

/* A hash of every setting that can change what a page looks like. */
uint64_t	config_hash(const struct config *);

#endif
