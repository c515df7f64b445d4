/*
 * medsearch/lexicon.h - drugs, symptoms and conditions as first-class terms.
 *
 * The lexicon is loaded from TSV files (format in lexicon/README.md). Every
 * name, alias, brand and abbreviation is run through the analyzer, so the
 * tagger matches on the very terms the analyzer gives for text: case, accents,
 * hyphens versus spaces, curly apostrophes and a trailing 's make no
 * difference. The tagger takes the longest match at each token; a drug
 * mention extends over the salt and dosage-form words that follow it
 * (`cetirizine hydrochloride tablets`), a brand or combination product
 * resolves to its generic ingredient(s), and an unknown word with an INN
 * ending (-azole, -asone, -tadine, ...) counts as a drug when its context
 * says so: a salt or dosage form follows it, a verb of use precedes it
 * (take, apply, use, prescribe, receive), "with" after a treatment word
 * ("treated with"), a drug noun ("the drug", "medicines such as"), or a list
 * that goes on from a drug ("cetirizine, X or Y").
 */
#ifndef MEDSEARCH_LEXICON_H
#define MEDSEARCH_LEXICON_H

#include <stddef.h>

#include "analysis/analyze.h"
#include "base/error.h"

typedef enum ms_entkind { MS_ENT_DRUG = 0, MS_ENT_SYMPTOM, MS_ENT_CONDITION } ms_entkind;

/* Term prefixes of the entity kinds: XDRUG, XSYM, XCOND. */
const char *ms_entkind_prefix(ms_entkind k);
/* Field names: drug, symptom, condition. */
const char *ms_entkind_name(ms_entkind k);

typedef struct ms_entity {
    ms_entkind kind;
    int entry;         /* the lexicon entry (see ms_lexicon_entry_*) */
    size_t tok_first;  /* primary tokens [tok_first, tok_end) of the mention, */
    size_t tok_end;    /* as indices into the ms_tokens that were tagged */
    size_t start, end; /* byte span of the mention in the text */
    int inferred;      /* a drug recognised by its INN ending only */
} ms_entity;

typedef struct ms_entities {
    ms_entity *v;
    size_t n, cap;
} ms_entities;

void ms_entities_init(ms_entities *e);
void ms_entities_free(ms_entities *e);

typedef struct ms_lexicon ms_lexicon;

/* An empty lexicon that analyzes its names with a (which must outlive it). */
ms_lexicon *ms_lexicon_new(ms_analyzer *a, ms_error *err);
void ms_lexicon_free(ms_lexicon *lx);
/* Load one TSV file; a malformed line fails with "FILE:LINE: message". */
int ms_lexicon_load_file(ms_lexicon *lx, const char *path, ms_error *err);
/* Load every *.tsv file of dir, in name order. */
int ms_lexicon_load_dir(ms_lexicon *lx, const char *dir, ms_error *err);
/* The lexicon of the *.tsv files of dir (in name order) and then of
 * files[0..n), as those calls would load it. With cache_dir, a compiled
 * image of it is kept there: read back when it was saved from the very same
 * files (paths, sizes, modification times) and analyzer settings, else
 * written after the files are loaded. An image that is missing, stale or
 * has a damaged header is ignored; failing to write one is no error. */
ms_lexicon *ms_lexicon_open(ms_analyzer *a, const char *dir, const char *const *files, size_t n,
                            const char *cache_dir, ms_error *err);
/* Whether lx was read from an image (such a lexicon loads no more files). */
int ms_lexicon_from_image(const ms_lexicon *lx);
/* Save lx as an image for stamp at path; -1 on a write error. */
int ms_lexicon_save_image(const ms_lexicon *lx, const char *path, const char *stamp);
/* A lexicon read from a copy of the image in data[0..len), or NULL when its
 * header, stamp or sections are not those of an image for stamp. What the
 * sections hold is checked where it is used: damage there can make a lookup
 * miss, never read outside the image. */
ms_lexicon *ms_lexicon_read_image(ms_analyzer *a, const char *data, size_t len, const char *stamp);
/* The directory of the lexicon shipped with medsearch: $MEDSEARCH_LEXICON,
 * else the one installed with the running program (found relative to it, so
 * an install under another prefix finds its own), else the configured
 * installed data directory, else the source tree's lexicon/. */
const char *ms_lexicon_default_dir(void);
/* Hex digest of every entry line loaded, in load order (comments, blank
 * lines and line ends do not count: they change nothing an index holds). */
const char *ms_lexicon_digest(const ms_lexicon *lx);
/* Number of entries of a kind (drugs count combination products apart). */
size_t ms_lexicon_count(const ms_lexicon *lx, ms_entkind k);
/* Number of entries of every kind (salts, dosage forms and INN endings
 * too): the entry numbers are 0 to this, less one. */
size_t ms_lexicon_size(const ms_lexicon *lx);

/* Find the entities in text, whose tokens (from the same analyzer) are toks.
 * Appends to out in text order; entities of a combination product come once
 * per ingredient. */
void ms_lexicon_tag(const ms_lexicon *lx, const char *text, const ms_tokens *toks,
                    ms_entities *out);

/* Canonical name of entry i ("atopic dermatitis"). An entity that names an
 * inferred drug has entry -1: use ms_entity_name() for any entity. */
const char *ms_lexicon_entry_name(const ms_lexicon *lx, int i);
const char *ms_lexicon_entry_class(const ms_lexicon *lx, int i); /* or NULL */
/* The number of surface forms of entry i (names, aliases, brands,
 * abbreviations), and form j of them (j = 0: the name's), as its folded
 * terms joined by single spaces. */
size_t ms_lexicon_entry_n_forms(const ms_lexicon *lx, int i);
const char *ms_lexicon_entry_form(const ms_lexicon *lx, int i, size_t j);
/* Find the entry of kind k whose canonical name or any form is name (folded
 * terms joined by spaces); -1 if none. */
int ms_lexicon_find(const ms_lexicon *lx, ms_entkind k, const char *name);

/* The canonical name of an entity (for inferred drugs, the folded word, a
 * term of toks). */
const char *ms_entity_name(const ms_lexicon *lx, const ms_entity *e, const ms_tokens *toks);

/* The entity term for kind and canonical name: prefix + name with spaces as
 * '_' ("XCONDatopic_dermatitis"), into buf; returns its length. */
size_t ms_entity_term(ms_entkind k, const char *name, char *buf, size_t cap);

#endif
