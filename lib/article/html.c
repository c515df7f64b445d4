/*
 * html.c - saved web pages, broken markup included.
 *
 * libxml2's HTML parser (in recover mode, quiet, offline) turns whatever the
 * page is into a tree. A page that declares a charset other than UTF-8
 * (charset.c) is decoded from it; any other is read as UTF-8, so the text
 * keeps the bytes of the file (invalid ones pass through) and its words
 * can be found in it again. Then:
 *
 *   - one pass over the whole tree reads the metadata: <title>, the first
 *     <h1>, <meta> author/description/date/keywords, Open Graph title, site
 *     name and url, application-name, article:published_time (else
 *     modified_time), JSON-LD datePublished, <time datetime>, the canonical
 *     link, <html lang> and Content-Language. The title is the <h1>, else
 *     og:title, else <title>, without a " | Site" suffix; the source is
 *     og:site_name, else application-name, else that suffix, else the
 *     site's folder;
 *   - the content is the page's only <main>, else its only <article>, else
 *     <body>. Elements that are never content are skipped: scripts, styles,
 *     forms, frames, hidden elements, and the chrome containers (<nav>,
 *     <header>, <footer>, <aside>, ARIA navigation/banner/contentinfo/
 *     complementary roles, and class or id words such as "breadcrumb",
 *     "share", "related", "sidebar", "cookie"), whose text is counted as
 *     dropped chrome;
 *   - the walk turns the rest into blocks: each block element (<p>, <li>,
 *     <div>, <td>'s row, <br>...) ends one; <h2>-<h4> (and any <h1> but the
 *     title) are headings, <li> items, all else paragraphs. White space is
 *     collapsed and entities are already decoded.
 *
 * The tree is walked without recursion: broken pages nest thousands deep.
 * A block knows the line of its enclosing element's start tag, which comes
 * before its text; ms_passages_build() searches the block's words from the
 * start of that line, in order, to find its bytes.
 */
#include "article/html.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "article/charset.h"
#include "article/date.h"
#include "article/textutil.h"

/* Bounds on the work one page may cost. libxml2 checks every attribute of
 * a tag against the others before it, so a tag of 100,000 attributes took
 * a minute: such a page is refused. The chrome rules look at the ancestors
 * of a block, so 20,000 nested elements holding 20,000 headings took as
 * long: they look at the nearest ANCESTORS_MAX only. Real pages stay far
 * below both (the deepest, of unclosed <font> or <div>, nest a few hundred
 * deep). */
#define HTML_MAX_TAG (64 * 1024)
#define ANCESTORS_MAX 1000

static bool name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

static bool name_in(const xmlNode *n, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (name_is(n, names[i]))
            return true;
    return false;
}

/* Elements whose content is not text for a reader. */
static const char *const SKIP_TAGS[] = {"script",   "style",  "noscript", "iframe",   "svg",
                                        "template", "button", "select",   "textarea", "canvas",
                                        "object",   "embed",  "head",     "math",     "map"};
/* Page furniture: its text is site chrome, and counted as such. */
static const char *const CHROME_TAGS[] = {"nav", "header", "footer", "aside", "form", "dialog"};
static const char *const BLOCK_TAGS[] = {
    "p",          "div",      "li",     "ul",         "ol",      "dl",     "dt", "dd",
    "blockquote", "pre",      "table",  "thead",      "tbody",   "tfoot",  "tr", "section",
    "article",    "main",     "figure", "figcaption", "address", "hr",     "br", "center",
    "details",    "summary",  "h1",     "h2",         "h3",      "h4",     "h5", "h6",
    "caption",    "fieldset", "legend", "body",       "html",    "hgroup",
};
static const char *const CHROME_ROLES[] = {"navigation",    "banner", "contentinfo",
                                           "complementary", "search", "dialog"};
/* Words of class and id attributes that name page furniture. */
static const char *const CHROME_CLASS_WORDS[] = {
    "breadcrumb", "breadcrumbs", "cookie",    "cookies",    "share",   "sharing", "social",
    "sidebar",    "comments",    "comment",   "newsletter", "related", "advert",  "advertisement",
    "ad",         "ads",         "promo",     "popup",      "modal",   "navbar",  "nav",
    "menu",       "footer",      "subscribe", "toc",        "skip",
};

static bool attr_is(const xmlNode *n, const char *attr, const char *value)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    bool yes = v && xmlStrcasecmp(v, (const xmlChar *)value) == 0;
    xmlFree(v);
    return yes;
}

/* Whether a class or id attribute names page furniture: one of its names
 * ("site-sidebar", "share_buttons") has a furniture word, unless the name
 * states a layout ("has-sidebar", "no-toc"), which wraps content. */
static bool chrome_words(const xmlNode *n, const char *attr)
{
    static const char *const layout[] = {"has", "no", "with", "without", "hide", "show"};
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    if (!v)
        return false;
    bool hit = false;
    char w[32];
    for (const xmlChar *p = v; *p && !hit;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        bool first = true, skip_name = false;
        /* the words of one class name */
        while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
            size_t k = 0;
            while (p[k] && ms_is_alnum(p[k]))
                k++;
            if (k && k < sizeof w) {
                for (size_t i = 0; i < k; i++)
                    w[i] = (char)ms_lower(p[i]);
                w[k] = '\0';
                for (size_t i = 0; first && i < sizeof layout / sizeof *layout; i++)
                    skip_name = skip_name || strcmp(w, layout[i]) == 0;
                for (size_t i = 0;
                     !skip_name && i < sizeof CHROME_CLASS_WORDS / sizeof *CHROME_CLASS_WORDS; i++)
                    hit = hit || strcmp(w, CHROME_CLASS_WORDS[i]) == 0;
                first = false;
            }
            p += k;
            while (*p && *p != ' ' && *p != '\t' && *p != '\n' && !ms_is_alnum(*p))
                p++;
        }
    }
    xmlFree(v);
    return hit;
}

static bool hidden(const xmlNode *n)
{
    if (xmlHasProp(n, (const xmlChar *)"hidden") || attr_is(n, "aria-hidden", "true"))
        return true;
    xmlChar *style = xmlGetProp(n, (const xmlChar *)"style");
    bool none = false;
    if (style) {
        /* "display:none" with any spacing */
        char compact[64];
        size_t k = 0;
        for (const xmlChar *p = style; *p && k + 1 < sizeof compact; p++)
            if (*p != ' ')
                compact[k++] = (char)ms_lower(*p);
        compact[k] = '\0';
        none = strstr(compact, "display:none") != NULL;
        xmlFree(style);
    }
    return none;
}

/* Elements that hold the page or the article: whatever their class says
 * ("page-template-sidebar"), they are not furniture. */
static const char *const FRAME_TAGS[] = {"html", "body", "main", "article"};

static bool is_chrome_element(const xmlNode *n)
{
    if (name_in(n, CHROME_TAGS, sizeof CHROME_TAGS / sizeof *CHROME_TAGS))
        return true;
    if (name_in(n, FRAME_TAGS, sizeof FRAME_TAGS / sizeof *FRAME_TAGS))
        return false;
    for (size_t i = 0; i < sizeof CHROME_ROLES / sizeof *CHROME_ROLES; i++)
        if (attr_is(n, "role", CHROME_ROLES[i]))
            return true;
    return chrome_words(n, "class") || chrome_words(n, "id");
}

/* Whether n sits in page furniture: a site logo in a <header> <h1> is not
 * the article's title, but the <header> of an <article> is the article's. */
static bool in_chrome(const xmlNode *n)
{
    int up = 0;
    for (const xmlNode *p = n->parent; p && p->type == XML_ELEMENT_NODE && up++ < ANCESTORS_MAX;
         p = p->parent) {
        if (name_is(p, "article") || name_is(p, "main"))
            return false;
        if (is_chrome_element(p))
            return true;
    }
    return false;
}

/* Iterative pre-order walk: the next node after n within root; descend
 * into n's children unless skip. */
static xmlNode *walk_next(xmlNode *n, const xmlNode *root, bool skip)
{
    if (!skip && n->children)
        return n->children;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

/* Collapsed text of a subtree, skipping scripts and styles. */
static void subtree_text(ms_sbuf *b, xmlNode *root)
{
    for (xmlNode *n = root->children; n;) {
        bool skip = name_in(n, SKIP_TAGS, sizeof SKIP_TAGS / sizeof *SKIP_TAGS);
        if (n->type == XML_TEXT_NODE && n->content)
            ms_text_put(b, (const char *)n->content, strlen((const char *)n->content));
        else if (name_is(n, "br"))
            ms_text_put(b, " ", 1);
        n = walk_next(n, root, skip);
    }
    ms_text_trim(b);
}

/* Count the text of a skipped chrome element as dropped lines. */
static void count_chrome(ms_doc *d, xmlNode *root)
{
    for (xmlNode *n = root->children; n;) {
        bool skip = name_in(n, SKIP_TAGS, sizeof SKIP_TAGS / sizeof *SKIP_TAGS);
        if (n->type == XML_TEXT_NODE && n->content) {
            const char *t = (const char *)n->content;
            if (ms_has_word_char(t, strlen(t)))
                ms_doc_drop(d, strlen(t));
        }
        n = walk_next(n, root, skip);
    }
}

/* ---- metadata ---------------------------------------------------------------- */

typedef struct meta {
    ms_sbuf h1, og_title, title;
    ms_sbuf app_name; /* <meta name="application-name"> */
    ms_sbuf modified; /* article:modified_time: the date when no other says */
    xmlNode *h1_node;
    xmlNode *main, *article, *body;
    int n_main, n_article;
} meta;

/* A date of the page's metadata (v: ISO 8601 or a written form; written:
 * how the page shows it, or v): the article's date unless one came first. */
static void meta_date(ms_doc *d, const char *v, size_t vn, const char *written, size_t wn)
{
    char iso[11];
    size_t at, len;
    if (d->a->date || !ms_date_find(v, vn, iso, &at, &len))
        return;
    ms_set_field(&d->a->date, iso, strlen(iso), false);
    if (wn >= sizeof d->date_meta)
        wn = 0;
    memcpy(d->date_meta, written, wn);
    d->date_meta[wn] = '\0';
}

/* "datePublished": "2025-04-08" in a JSON-LD script, read as text. */
static void json_ld_date(ms_doc *d, xmlNode *script)
{
    for (xmlNode *c = script->children; c; c = c->next) {
        const char *t = c->content ? (const char *)c->content : NULL;
        const char *k = t ? strstr(t, "\"datePublished\"") : NULL;
        if (!k)
            continue;
        k += strlen("\"datePublished\"");
        k += strspn(k, " \t\r\n");
        if (*k++ != ':')
            continue;
        k += strspn(k, " \t\r\n");
        if (*k++ != '"')
            continue;
        size_t vn = strcspn(k, "\"");
        meta_date(d, k, vn, k, vn);
    }
}

static void meta_tag(ms_doc *d, meta *m, xmlNode *n)
{
    xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
    if (!name)
        name = xmlGetProp(n, (const xmlChar *)"property");
    if (!name)
        name = xmlGetProp(n, (const xmlChar *)"http-equiv");
    xmlChar *content = xmlGetProp(n, (const xmlChar *)"content");
    if (name && content) {
        const char *v = (const char *)content;
        size_t vn = strlen(v);
        ms_article *a = d->a;
        char **field = NULL;
        if (!xmlStrcasecmp(name, (const xmlChar *)"author") ||
            !xmlStrcasecmp(name, (const xmlChar *)"article:author"))
            field = &a->author;
        else if (!xmlStrcasecmp(name, (const xmlChar *)"description") ||
                 !xmlStrcasecmp(name, (const xmlChar *)"og:description"))
            field = &a->description;
        else if (!xmlStrcasecmp(name, (const xmlChar *)"date") ||
                 !xmlStrcasecmp(name, (const xmlChar *)"dc.date") ||
                 !xmlStrcasecmp(name, (const xmlChar *)"dcterms.date") ||
                 !xmlStrcasecmp(name, (const xmlChar *)"publish-date") ||
                 !xmlStrcasecmp(name, (const xmlChar *)"pubdate") ||
                 !xmlStrcasecmp(name, (const xmlChar *)"article:published_time"))
            meta_date(d, v, vn, v, vn);
        else if (!xmlStrcasecmp(name, (const xmlChar *)"article:modified_time") && !m->modified.n)
            ms_text_put(&m->modified, v, vn);
        else if (!xmlStrcasecmp(name, (const xmlChar *)"application-name") && !m->app_name.n)
            ms_text_put(&m->app_name, v, vn);
        else if (!xmlStrcasecmp(name, (const xmlChar *)"keywords"))
            field = &a->tags;
        else if (!xmlStrcasecmp(name, (const xmlChar *)"og:site_name"))
            field = &a->source;
        else if (!xmlStrcasecmp(name, (const xmlChar *)"og:url"))
            field = &a->url;
        else if (!xmlStrcasecmp(name, (const xmlChar *)"content-language") ||
                 !xmlStrcasecmp(name, (const xmlChar *)"language"))
            field = &a->lang;
        if (field)
            ms_set_field(field, v, vn, true);
        else if (!xmlStrcasecmp(name, (const xmlChar *)"og:title") && !m->og_title.n)
            ms_text_put(&m->og_title, v, vn);
    }
    xmlFree(name);
    xmlFree(content);
}

static void read_meta(ms_doc *d, meta *m, xmlNode *root)
{
    for (xmlNode *n = root; n;) {
        bool skip = false;
        if (n->type == XML_ELEMENT_NODE) {
            if (name_is(n, "title") && !m->title.n) {
                subtree_text(&m->title, n);
                skip = true;
            } else if (name_is(n, "h1") && !m->h1_node && !in_chrome(n)) {
                subtree_text(&m->h1, n);
                if (m->h1.n)
                    m->h1_node = n;
                skip = true;
            } else if (name_is(n, "meta")) {
                meta_tag(d, m, n);
            } else if (name_is(n, "script") && attr_is(n, "type", "application/ld+json")) {
                json_ld_date(d, n);
                skip = true;
            } else if (name_is(n, "time") && !in_chrome(n)) {
                xmlChar *dt = xmlGetProp(n, (const xmlChar *)"datetime");
                if (dt) {
                    ms_sbuf shown = {0};
                    subtree_text(&shown, n);
                    const char *w = shown.n ? shown.p : (const char *)dt;
                    meta_date(d, (const char *)dt, strlen((const char *)dt), w, strlen(w));
                    free(shown.p);
                }
                xmlFree(dt);
            } else if (name_is(n, "link") && attr_is(n, "rel", "canonical")) {
                xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
                if (href)
                    ms_set_field(&d->a->url, (const char *)href, strlen((char *)href), true);
                xmlFree(href);
            } else if (name_is(n, "main") || attr_is(n, "role", "main")) {
                m->n_main++;
                m->main = n;
            } else if (name_is(n, "article")) {
                m->n_article++;
                m->article = n;
            } else if (name_is(n, "html") && !d->a->lang) {
                /* <html lang> says the page's language, before any meta */
                xmlChar *l = xmlGetProp(n, (const xmlChar *)"lang");
                if (!l)
                    l = xmlGetProp(n, (const xmlChar *)"xml:lang");
                if (l && l[0])
                    ms_set_field(&d->a->lang, (const char *)l, strlen((const char *)l), false);
                xmlFree(l);
            } else if (name_is(n, "body") && !m->body) {
                m->body = n;
            } else if (name_in(n, SKIP_TAGS, sizeof SKIP_TAGS / sizeof *SKIP_TAGS) &&
                       !name_is(n, "head")) {
                skip = true; /* scripts hold no metadata; the head does */
            }
        }
        n = walk_next(n, root, skip);
    }
}

/* "Eczema - Symptoms and causes | Mayo Clinic" -> without the site's name:
 * the last part after " | ", " - ", " – " or " — ", when short. Returns
 * where the separator starts (n: none), *suffix where the name does. */
static size_t strip_site(const char *t, size_t n, size_t *suffix)
{
    static const char *const seps[] = {" | ",  " - ",       " \xe2\x80\x93 ", " \xe2\x80\x94 ",
                                       " :: ", " \xc2\xb7 "};
    size_t best = 0, best_k = 0;
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
        size_t k = strlen(seps[i]);
        for (size_t j = n; j-- > 0;)
            if (j + k <= n && memcmp(t + j, seps[i], k) == 0) {
                if (j > best)
                    best = j, best_k = k;
                break;
            }
    }
    *suffix = n;
    if (best && ms_count_words(t + best, n - best) <= 5) {
        *suffix = best + best_k;
        return best;
    }
    return n;
}

/* Whether a title's suffix reads as a site's name: every word but the
 * small ones capitalised ("Derma Clinic Kaunas", "NHS inform" no), not a
 * part of the title ("Eczema - Symptoms and causes"). */
static bool names_site(const char *s, size_t n)
{
    static const char *const small[] = {"of", "and", "for", "the", "in", "on", "at", "&"};
    if (!n)
        return false;
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        while (i + k < n && s[i + k] != ' ')
            k++;
        bool lower = s[i] >= 'a' && s[i] <= 'z';
        bool is_small = false;
        for (size_t j = 0; j < sizeof small / sizeof *small; j++)
            is_small = is_small || ms_equal_ci(s + i, k, small[j], strlen(small[j]));
        if (lower && !is_small)
            return false;
        i += k + 1;
    }
    return true;
}

/* The source: og:site_name (read with the metadata), application-name,
 * the site's name at the end of <title>, the site's folder. */
static void set_source(ms_doc *d, const meta *m)
{
    size_t suffix;
    ms_article *a = d->a;
    if (!a->source && m->app_name.n)
        ms_set_field(&a->source, m->app_name.p, m->app_name.n, false);
    if (!a->source && m->title.n && strip_site(m->title.p, m->title.n, &suffix) < m->title.n &&
        names_site(m->title.p + suffix, m->title.n - suffix))
        ms_set_field(&a->source, m->title.p + suffix, m->title.n - suffix, false);
    if (!a->source && d->opts && d->opts->site && d->opts->site[0])
        ms_set_field(&a->source, d->opts->site, strlen(d->opts->site), false);
}

/* t without its site suffix when the suffix is the source ("Acne | Derma
 * Clinic" -> "Acne"), else as it is. */
static size_t without_source(const ms_doc *d, const char *t, size_t n)
{
    size_t suffix, cut = strip_site(t, n, &suffix);
    const char *src = d->a->source;
    if (cut < n && src && ms_equal_ci(t + suffix, n - suffix, src, strlen(src)))
        return cut;
    return n;
}

static void set_title(ms_doc *d, meta *m)
{
    size_t suffix;
    if (m->h1.n)
        ms_set_field(&d->a->title, m->h1.p, without_source(d, m->h1.p, m->h1.n), false);
    else if (m->og_title.n)
        ms_set_field(&d->a->title, m->og_title.p, without_source(d, m->og_title.p, m->og_title.n),
                     false);
    else if (m->title.n)
        ms_set_field(&d->a->title, m->title.p, strip_site(m->title.p, m->title.n, &suffix), false);
}

/* ---- blocks ---------------------------------------------------------------------- */

typedef struct hwalk {
    ms_doc *d;
    ms_sbuf text;
    ms_blk_kind kind;
    size_t lo;           /* the block's words come after this byte */
    const size_t *lines; /* offsets of line starts */
    size_t n_lines;
    const xmlNode *title; /* the <h1> that gave the title */
} hwalk;

static size_t line_start(const hwalk *w, long line)
{
    /* libxml2 stores lines in 16 bits: 65535 means "this or later" */
    if (line < 1 || line >= 65535 || (size_t)line > w->n_lines)
        return w->d->body;
    return w->lines[line - 1];
}

static int flush(hwalk *w)
{
    if (!w->text.n)
        return 0;
    return ms_doc_add(w->d, w->kind, &w->text, w->lo, w->d->len, false);
}

/* The block element a text node belongs to, and the block's kind. */
static const xmlNode *block_of(const xmlNode *n, ms_blk_kind *kind)
{
    int up = 0;
    for (const xmlNode *p = n->parent; p && up++ < ANCESTORS_MAX; p = p->parent) {
        if (p->type != XML_ELEMENT_NODE ||
            !name_in(p, BLOCK_TAGS, sizeof BLOCK_TAGS / sizeof *BLOCK_TAGS))
            continue;
        if (name_is(p, "li"))
            *kind = MS_BLK_ITEM;
        else if (name_is(p, "h1") || name_is(p, "h2") || name_is(p, "h3") || name_is(p, "h4"))
            *kind = MS_BLK_HEADING;
        else
            *kind = MS_BLK_PARA;
        return p;
    }
    *kind = MS_BLK_PARA;
    return n->parent;
}

/* Entering node n: flush before block elements and skipped chrome, start
 * a block at the first text. *descend says whether to visit the children. */
static int enter(hwalk *w, xmlNode *n, bool *descend)
{
    if (n->type == XML_TEXT_NODE && n->content) {
        const char *t = (const char *)n->content;
        if (!w->text.n) {
            ms_blk_kind kind;
            const xmlNode *blk = block_of(n, &kind);
            w->kind = kind;
            w->lo = line_start(w, blk ? xmlGetLineNo(blk) : -1);
        }
        ms_text_put(&w->text, t, strlen(t));
        return 0;
    }
    if (n->type != XML_ELEMENT_NODE) {
        *descend = false;
        return 0;
    }
    bool skip =
        name_in(n, SKIP_TAGS, sizeof SKIP_TAGS / sizeof *SKIP_TAGS) || hidden(n) || n == w->title;
    bool chrome = !skip && is_chrome_element(n);
    *descend = !skip && !chrome;
    if (name_is(n, "td") || name_is(n, "th"))
        ms_text_put(&w->text, " ", 1);
    if (chrome)
        count_chrome(w->d, n);
    /* An inline script or button inside a sentence does not end it. */
    if (chrome || name_in(n, BLOCK_TAGS, sizeof BLOCK_TAGS / sizeof *BLOCK_TAGS))
        return flush(w);
    return 0;
}

static int walk(hwalk *w, xmlNode *root)
{
    int rc = 0;
    xmlNode *n = root->children;
    while (n && !rc) {
        bool descend = true;
        rc = enter(w, n, &descend);
        if (!rc && descend && n->children) {
            n = n->children;
            continue;
        }
        /* Leave n, and the ancestors whose last child it is. */
        while (n && !rc) {
            if (name_in(n, BLOCK_TAGS, sizeof BLOCK_TAGS / sizeof *BLOCK_TAGS))
                rc = flush(w);
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            if (n == root)
                n = NULL;
        }
    }
    if (!rc)
        rc = flush(w);
    return rc;
}

static size_t *line_starts(const char *s, size_t len, size_t *n)
{
    size_t count = 1;
    for (const char *p = s; (p = memchr(p, '\n', len - (size_t)(p - s))); p++)
        count++;
    size_t *lines = malloc(count * sizeof *lines);
    if (!lines)
        return NULL;
    lines[0] = 0;
    size_t k = 1;
    for (const char *p = s; (p = memchr(p, '\n', len - (size_t)(p - s))); p++)
        lines[k++] = (size_t)(p - s) + 1;
    *n = count;
    return lines;
}

/* Whether s[0..len) has a tag (from '<' to its '>', quoted values skipped)
 * longer than HTML_MAX_TAG bytes. */
static bool has_huge_tag(const char *s, size_t len)
{
    for (const char *p = s, *end = s + len; (p = memchr(p, '<', (size_t)(end - p)));) {
        const char *t = p++;
        char quote = 0;
        for (; p < end && (quote || *p != '>'); p++) {
            if (quote ? *p == quote : (*p == '"' || *p == '\''))
                quote = quote ? 0 : *p;
            if (p - t > HTML_MAX_TAG)
                return true;
        }
    }
    return false;
}

int ms_html_blocks(ms_doc *d)
{
    /* XML_PARSE_HUGE: without it libxml2 drops everything nested deeper
     * than 256 elements (pages of unclosed <div> or <font> reach that) and
     * text nodes over 10 MB. The input is a local file, not a stream. */
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
               HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT | XML_PARSE_HUGE;
    if (d->len - d->body > (size_t)0x7fffffff)
        return -1; /* libxml2 takes an int length */
    if (has_huge_tag(d->data + d->body, d->len - d->body)) {
        d->refused = "an HTML tag over 64 KB (too many attributes)";
        return 0;
    }
    /* A declared charset that iconv knows: the page decoded from it. */
    d->charset[0] = '\0';
    char *utf8 = NULL;
    size_t utf8_n = 0;
    if (ms_html_charset(d->data + d->body, d->len - d->body, d->charset, sizeof d->charset) &&
        !(utf8 = ms_charset_decode(d->charset, d->data + d->body, d->len - d->body, &utf8_n)))
        d->charset[0] = '\0';
    if (utf8 && utf8_n > (size_t)0x7fffffff) {
        free(utf8);
        return -1;
    }
    htmlDocPtr doc =
        utf8 ? htmlReadMemory(utf8, (int)utf8_n, NULL, "UTF-8", opts)
             : htmlReadMemory(d->data + d->body, (int)(d->len - d->body), NULL, "UTF-8", opts);
    free(utf8);
    if (!doc)
        return 0; /* nothing libxml2 could make a tree of: no text */
    meta m;
    memset(&m, 0, sizeof m);
    hwalk w = {.d = d};
    int rc = -1;
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) {
        rc = 0;
        goto out;
    }
    /* Offsets of the lines libxml2 counts, from the start of its input. */
    size_t *lines = line_starts(d->data + d->body, d->len - d->body, &w.n_lines);
    if (!lines)
        goto out;
    for (size_t i = 0; i < w.n_lines; i++)
        lines[i] += d->body;
    w.lines = lines;
    read_meta(d, &m, root);
    set_source(d, &m);
    set_title(d, &m);
    if (!d->a->date && m.modified.n)
        meta_date(d, m.modified.p, m.modified.n, m.modified.p, m.modified.n);
    xmlNode *content = m.n_main == 1      ? m.main
                       : m.n_article == 1 ? m.article
                       : m.body           ? m.body
                                          : root;
    w.title = m.h1_node;
    if (m.h1_node)
        d->title_start = line_start(&w, xmlGetLineNo(m.h1_node));
    rc = walk(&w, content);
    free(lines);
out:
    free(w.text.p);
    free(m.h1.p);
    free(m.og_title.p);
    free(m.title.p);
    free(m.app_name.p);
    free(m.modified.p);
    xmlFreeDoc(doc);
    return rc;
}

int ms_parse_html(ms_doc *d)
{
    if (ms_html_blocks(d))
        return -1;
    for (size_t i = 0; i < d->n; i++)
        d->b[i].repeated = ms_doc_repeated(d, d->b[i].text, d->b[i].len);
    ms_doc_drop_chrome(d, true);
    return 0;
}
