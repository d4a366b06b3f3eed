/*
 * Search: an index of pages for the theme's search page (search_page.h),
 * in static files that a browser reads with the theme's script alone, no
 * service behind them.
 *
 * The index is split so that one query reads little of it: the words,
 * stemmed, sorted and cut into shards of at most about SEARCH_SHARD_BYTES
 * (a query reads the one shard its word falls in, and for a prefix the
 * shards after it, as far as the script's budget goes), and the pages'
 * titles, addresses and excerpts in chunks of SEARCH_CHUNK pages (a query
 * reads the chunks of the results it shows). Its format is written out
 * above search_index in search.c; themes/default/static/js/search.js
 * reads it, and folds, splits and stems a query exactly as this module
 * does the pages, so the two must change together.
 *
 */
#ifndef VALO_SEARCH_H
#define VALO_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/diag.h"

/*
 * The sizes: a shard's aim in bytes (a word with many pages may pass it
 * alone); the pages a word keeps, those it weighs most in; the pages in
 * a chunk of the page list; the bytes of a word, past which it is no
 * word; the characters of text a result shows. Up to SEARCH_ONE_PAGE
 * pages the search page lists them all, else a page does each letter.
 * With these one query reads at most about 300 kB (search.js's budget).
 */
#define SEARCH_SHARD_BYTES	24576
#define SEARCH_POSTINGS_MAX	3000
#define SEARCH_CHUNK		8
#define SEARCH_WORD_MAX		48
#define SEARCH_EXCERPT		160
#define SEARCH_ONE_PAGE		400

/*
 * Folding and words: what both the index and the script take for a word.
 * A word is a run of letters and digits (ASCII, Latin-1 and Latin
 * Extended-A and B, Greek, Cyrillic); a soft hyphen inside one is
 * dropped; everything else separates words. Folding makes upper case
 * lower in those scripts and nothing else: ä, ö and å stay letters of
 * their own, é stays é.
 */
uint32_t search_fold(uint32_t c);
int	 search_is_word(uint32_t c);

/*
 * Calls fn with each word of UTF-8 text s[0..n), folded, that has at
 * least two characters and at most SEARCH_WORD_MAX bytes. The word is in
 * a scratch buffer valid during the call, NUL bytes after it up to its
 * 16th byte at least (the index compares words of up to 16 bytes as two
 * numbers). Bytes that are not UTF-8 separate words.
 */
void	search_words(const char *s, size_t n,
	    void (*fn)(void *arg, const char *w, size_t len), void *arg);

/*
 * The same, a character at a time: what search_words must agree with,
 * for the tests. search_words is faster on most text.
 */
void	search_words_scalar(const char *s, size_t n,
	    void (*fn)(void *arg, const char *w, size_t len), void *arg);

/*
 * The stem of a folded word: libstemmer's Snowball stemmer for the
 * site's language, and for Finnish two rules it lacks (an -inen word
 * stems as its -ise- forms, and a stem in vowel + "ks" as the same in
 * "s", so that "palvelulupauksen" is "palvelulupaus"). A word with a
 * digit is its own stem, as is every word of a language Snowball does
 * not know. One stemmer is for one thread.
 */
struct search_stemmer;

/* lang: the site's language ("fi"); another, or NULL: no stemming. */
struct search_stemmer *search_stemmer_new(const char *lang);
/* The name the script knows the stemmer by ("finnish"), or "none". */
const char *search_stemmer_name(const struct search_stemmer *);
/* The stem of w[0..n): w, or the stemmer's buffer until its next call. */
const char *search_stem(struct search_stemmer *, const char *w, size_t n,
	    size_t *len);
void	search_stemmer_free(struct search_stemmer *);

/*
 * The text of a Markdown body, crudely but without a second render: the
 * headings (ATX and setext) to heads, everything else that a reader
 * reads to text, one line a paragraph. Link targets, HTML tags, code
 * blocks (charts and tables among them) and reference definitions are
 * left out; an image's description is kept.
 */
void	search_markdown(const char *md, size_t n, struct buf *heads,
	    struct buf *text);

/* One page as the index takes it; the strings are borrowed. */
struct search_page {
	const char	*title;
	const char	*url;
	const char	*section;	/* its section's title, or NULL */
	const char	*about;		/* description, summary, tags; or NULL */
	const char	*excerpt;	/* shown in results; NULL: from md */
	const char	*md;		/* its Markdown body, or NULL */
	size_t		 mdlen;
	/* Its words counted already (search_indexer_count), or NULL. */
	struct search_counted *counted;
};

/*
 * Fills *p with page i, reading into scratch (the thread's own) what it
 * must. Called from several threads at once, each i once. Returns 0, or
 * -1 when the page cannot be read: it is then indexed by its title alone.
 */
typedef int	search_load_fn(void *arg, size_t i, struct search_page *p,
		    struct buf *scratch);

struct search_file {
	char	*name;		/* "index.json", "t3.json" */
	char	*data;
	size_t	 len;
};

/* The files of an index, and how its words were cut into shards. */
struct search_files {
	struct search_file *v;
	size_t		 len;
	char		**firsts;	/* each shard's first word */
	size_t		 nshards;
};

/*
 * Pages counted before they are indexed, where their text is read for
 * something else already (the front matter), so that the index need not
 * read them again. search_indexer_count counts page p on thread worker
 * (0..jobs-1, one call at a time on each) and returns what the load
 * function gives search_index for it in search_page.counted. The
 * indexer outlives the index that takes it.
 */
struct search_counted;
struct search_indexer;
struct search_indexer *search_indexer_new(const char *lang, int jobs);
struct search_counted *search_indexer_count(struct search_indexer *,
	    int worker, const struct search_page *);
void	search_indexer_free(struct search_indexer *);

/*
 * Indexes pages 0..n-1 on jobs threads, with lang's stemmer, into the
 * files of one folder (index.json is the manifest); with the pages that
 * early counted (or NULL). The same pages give the same bytes, whatever
 * jobs is and whichever were counted early.
 */
void	search_index(size_t n, search_load_fn *, void *arg,
	    const char *lang, int jobs, struct search_indexer *early,
	    struct search_files *);
void	search_files_free(struct search_files *);

/* The shard that word (stemmed) is in: the last whose first is <= it. */
size_t	search_shard_of(char *const *firsts, size_t nshards,
	    const char *word);

#endif
