/*
 * Change views: two versions of a page, as HTML written by Valo's Markdown
 * renderer, compared as trees of blocks and then as words inside the
 * blocks that changed. The result keeps the block structure (headings stay
 * headings, list items stay in their lists, table cells in their rows) and
 * marks only what changed: removed words in <del>, inserted in <ins>, each
 * with text that screen readers announce, since colour and strike-through
 * alone say nothing to them.
 *
 * What the output looks like:
 * - Every <ins> (<del>) begins with <span class="visually-hidden">
 *   ins_start (del_start)</span> and ends with one of ins_end (del_end).
 *   The labels are written as given, HTML-escaped; one that should not
 *   run into the word after it must end with a space itself.
 * - An <ins> or <del> never spans a tag and is never directly in a list,
 *   table or row: a removed list item is an <li> with its words in
 *   <del>, a removed row a <tr> whose cells' words are in <del>.
 * - Inside a block that changed, the tags are the new version's; removed
 *   words stand where they were among the new ones, without their old
 *   emphasis or links.
 * - Images, inputs, charts' <svg> and other such atoms are compared whole,
 *   each like one word: the old one in <del>, the new in <ins>, so a
 *   theme may box them (del > svg). A chart's data table is compared cell
 *   by cell like any table.
 * - Nothing copied from the old version has an id of the new one: its
 *   elements lose id, for, headers and aria-labelledby (and such), and a
 *   removed heading its anchor link; in an old atom, ids and references
 *   to them (url(#...), href="#...") are prefixed with "diff-old-" so
 *   that the old chart still draws.
 * - The input's own <ins> and <del> (strikethrough) are written as <u>
 *   and <s>. A '<' or NUL byte in text becomes &lt; or U+FFFD; comments
 *   are left out.
 */
#ifndef VALO_DIFF_H
#define VALO_DIFF_H

#include <stddef.h>

#include "util/buf.h"

/* Visually hidden text around each change: "Lisätty:", "Poistettu:"... */
struct diff_labels {
	const char	*ins_start;
	const char	*ins_end;
	const char	*del_start;
	const char	*del_end;
};

struct diff_stats {
	/* Words (and atoms), in changed blocks and whole ones alike. */
	size_t	words_inserted;
	size_t	words_deleted;
	/* Whole blocks: a list counts once, not with its items. */
	size_t	blocks_inserted;
	size_t	blocks_deleted;
	/* Text of a block (paragraph, item, cell...) that changed inside. */
	size_t	blocks_changed;
	/*
	 * The two differ, but not in their text: only markup changed (a
	 * link's target, emphasis), no word or block came or went.
	 */
	int	markup_only;
};

/*
 * Writes to out (appending) the new version with the changes from the old
 * one marked. Any input is accepted; work is bounded, past which changed
 * blocks are shown whole as removed and inserted. Returns 0, or -1 if the
 * two are the same (out is then unchanged): the same after ignoring the
 * values of id-naming attributes and of links within the page (chart-L18
 * becoming chart-L20 is no change), how much whitespace separates words
 * (outside <pre>), whitespace between blocks, and comments. The stats, if
 * not NULL, are set either way.
 */
int	diff_html(const char *old, size_t oldlen, const char *new_,
	    size_t newlen, const struct diff_labels *, struct buf *out,
	    struct diff_stats *);

#endif
