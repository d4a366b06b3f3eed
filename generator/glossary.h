/*
 * The glossary: hard words and abbreviations explained in plain language,
 * from data sanasto (content/data/sanasto.yaml, a list of entries with
 * term, forms, abbreviation, explanation and link). The terms are listed
 * A to Ö on the page whose layout is "glossary", and the first use of
 * each on every other page becomes a link to its entry there, with the
 * explanation as the link's description for screen readers: residents
 * asked for big words to be explained where they meet them, and a title
 * attribute shows only to a mouse.
 *
 * A term is found inflected ("hyvinvointialueella" is "hyvinvointialue")
 * by libvoikko's base forms; a word voikko does not know ("soten",
 * "Innokylässä") by a Finnish case ending taken off; a term of several
 * words when all but its last word are as written and the last has the
 * term's base form; an abbreviation only as written, as a whole word
 * ("HYTE", or "HYTE" in "HYTE-neuvottelut"; one in lower case, "sote",
 * also as a sentence starts it). Forms are more spellings, whole words,
 * that count as the term.
 *
 * Built once after the site is resolved; afterwards only looked up. The
 * render workers are forks of the building process, so the glossary that
 * glossary_use makes current before they start is theirs too.
 */
#ifndef VALO_GLOSSARY_H
#define VALO_GLOSSARY_H

#include "site.h"
#include "util/arena.h"
#include "util/diag.h"

/* The data file's name: data sanasto is content/data/sanasto.yaml. */
#define GLOSSARY_DATA	"sanasto"

struct glossary;
struct render_env;
struct cmark_node;
struct cmark_mem;

/*
 * Reads and checks data sanasto of site s: an error at the entry's line
 * for a missing term or explanation, a duplicate, a link to a page that
 * is not there; a note if no page has layout "glossary" (the terms are
 * then not marked). Returns NULL if the site has no such data; else the
 * glossary of the entries that were right (there may have been errors).
 */
struct glossary	*glossary_build(const struct site *s, struct diags *);
/* Also stops it being current. Accepts NULL. */
void		 glossary_free(struct glossary *);

/*
 * Makes g (or none, NULL) the glossary that pages rendered from now on
 * in this process, and in the processes it forks, are marked with.
 */
void			 glossary_use(const struct glossary *g);
const struct glossary	*glossary_current(void);

/* Gives the templates site.glossary: the entries by letter, A to Ö. */
void	glossary_env(struct render_env *, const struct glossary *,
	    struct arena *);

/*
 * Marks the first use of each term of g in the Markdown document doc of
 * page p: in the text of paragraphs, lists, quotes and table cells, not
 * in headings, links, images, code, a table's header or raw HTML, nor on
 * the glossary's own page or the page an entry links to (for that
 * entry). The text node is split and the term becomes raw HTML made with
 * mem, cmark's allocator for doc. Returns 1 if g is not NULL (the page's
 * HTML then depends on data sanasto, marked or not), else 0.
 */
int	glossary_mark(const struct glossary *g, struct cmark_node *doc,
	    const struct page *p, struct cmark_mem *mem);

#endif
