/*
 * Plain language: warnings about Finnish prose that is hard to read, for
 * the editors to weigh. Three measures, each a number in site.conf's
 * [plain] section, where 0 turns that check off:
 *
 * sentence_words = 20: a sentence of more words is reported.
 *	Kotus's virkakielitesti (question 15) counts 15 to 25 words as a
 *	long sentence, to be mixed with short ones of 5 to 7; Selkokeskus's
 *	selkokielen ohjeet (Rakenteet) ask for short sentences with one
 *	important thing in each, and the Selkokielen mittari 2.0 scores
 *	sentence structure. 20 is the middle of Kotus's "long" band, so what
 *	it reports is long even for readers of standard Finnish.
 *
 * word_length = 25: a word (or one part of a hyphenated compound) of more
 *	letters is reported unless the glossary explains it. Selkokeskus's
 *	ohjeet (Sanat) ask for short words, with "opiskelija" rather than
 *	"ammattikorkeakouluopiskelija" (28 letters), and for hard words to be
 *	explained; Kotus's advice on selkokieli says to avoid long words. No
 *	source gives a number: 25 is ours, and lets the long compounds that
 *	official Finnish cannot do without ("hyvinvointialuestrategia", 24)
 *	pass.
 *
 * passive_share = 50: a paragraph (or a whole list) of at least three
 *	sentences and three finite verbs is reported when more than this
 *	percentage of its finite verbs are passive. Kotus's virkakielitesti
 *	(question 6, "Käykö tekstistä ilmi, kuka kulloinkin tekee jotain?")
 *	and Kielikello's "Tekijät ja asioiden suhteet virkakielessä" say the
 *	passive hides who acts, and is fine where the actor is clear from
 *	the sentences nearby; Selkokeskus's ohjeet (Rakenteet) prefer
 *	clauses in which someone does something. So a passive verb is never
 *	reported alone, only paragraphs where most verbs are.
 *
 * Only prose is read: paragraphs, list items, block quotes and headings
 * (headings for long words only: they are short by nature). Code blocks
 * (and so chart and table blocks), tables, raw HTML, images, inline code
 * and link addresses are skipped.
 *
 * Finnish morphology comes from libvoikko. A finite verb is a personal
 * form (indicative, conditional, imperative or potential), a negation
 * verb with its connegative counted once; it is passive when voikko gives
 * it person 4 ("tehdään", "päätettiin", "ei tehdä") or it is "olla" with
 * a passive past participle ("on tehty", "ei ole päätetty").
 */
#ifndef VALO_PLAIN_H
#define VALO_PLAIN_H

#include <stddef.h>

#include "util/diag.h"

#define PLAIN_SENTENCE_WORDS	20
#define PLAIN_WORD_LENGTH	25
#define PLAIN_PASSIVE_SHARE	50
/*
 * A paragraph of fewer sentences, or fewer finite verbs, is not judged
 * passive: a share of two verbs says little.
 */
#define PLAIN_PASSIVE_MIN	3

/* Each 0 turns its check off. */
struct plain_limits {
	int	sentence_words;	/* most words in a sentence */
	int	word_length;	/* most letters in a word */
	int	passive_share;	/* most % of passive finite verbs; 100: off */
};

/* What plain_check saw, added to what the struct held before. */
struct plain_stats {
	size_t	sentences;
	size_t	long_sentences;
	size_t	long_words;	/* different words reported */
	size_t	passive_paragraphs;
};

struct plain;

/*
 * A checker with its own Voikko handle and its own copy of the glossary:
 * nglossary terms in their base forms, such as "palvelulupaus" (a term of
 * several words accepts each of its words too). Returns NULL, with *why
 * set, where libvoikko has no Finnish dictionary. One checker belongs to
 * one thread: libvoikko's handles are not thread-safe.
 */
struct plain	*plain_new(const struct plain_limits *,
		    const char *const *glossary, size_t nglossary,
		    const char **why);
void		 plain_free(struct plain *);

/*
 * Checks the Markdown body of a page (body[0..len), the text after its
 * front matter, whose first line is line first_line of file) and adds a
 * warning to d for each long sentence, long word (once a page, at its first
 * use) and passive paragraph, at the line (and column) where it starts.
 * Adds to *st if st is not NULL. Parses with cmark-gfm, so, as for
 * markdown.c, no other cmark parser may run in the process at the time.
 */
void	plain_check(struct plain *, const char *file, const char *body,
	    size_t len, unsigned first_line, struct diags *d,
	    struct plain_stats *st);

#endif
