/*
 * Messages in the editor's language: the catalogue (gettext, the po files
 * compiled into LOCALEDIR) and the printing of diagnostics as text for a
 * terminal or as JSON, GitHub annotations or a GitLab Code Quality report
 * for a CI.
 */
#ifndef VALO_MESSAGES_H
#define VALO_MESSAGES_H

#include <stdio.h>

#include "util/diag.h"

struct buf;

enum msg_format { MSG_TEXT, MSG_JSON, MSG_GITHUB, MSG_GITLAB };

/*
 * Chooses the language of messages once, before any thread starts:
 * LANGUAGE where it is set; else Finnish where the site's language
 * (site_lang, may be NULL) or the locale (LC_ALL, LC_MESSAGES, LANG) is
 * Finnish, Swedish likewise, else English. localedir holds the compiled
 * catalogues. Returns "fi", "sv" or "en".
 */
const char	*msg_language(const char *site_lang, const char *localedir);
/* The language chosen: "fi", "sv" or "en". */
const char	*msg_lang(void);
/* The translation of msgid, or msgid itself. */
const char	*msg_tr(const char *msgid)
	    __attribute__((format_arg(1)));
/* Appends text t (English: en) in the chosen language. */
void	msg_text(struct buf *, const struct diag_text *t, const char *en);
/*
 * Appends translation tr filled with the arguments of t: the n-th
 * conversion (or %n$) takes the n-th argument as printed in English.
 */
void	msg_fill(struct buf *, const char *tr, const struct diag_text *t);
/* Appends what g says, without place: its version, message. */
void	msg_message(struct buf *, const struct diag *g);
/* Appends the hint of g, or nothing. */
void	msg_hint(struct buf *, const struct diag *g);
/* "error", "warning", "note" in the chosen language. */
const char	*msg_level(enum diag_level);
/* Parses a --format value; -1 if unknown. */
int	msg_format_parse(const char *, enum msg_format *);
/* Prints every diagnostic of d onto f in format fmt. */
void	msg_print(const struct diags *d, FILE *f, enum msg_format fmt,
	    int color);

#define _(s) msg_tr(s)

#endif
