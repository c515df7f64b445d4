/*
 * chrome.c - the rules that tell site chrome from an article's text.
 *
 * A page copied or saved from a health site carries much that is not the
 * article: breadcrumbs, share bars, "Related articles", footers with
 * addresses and phone numbers, adverts. The rules here judge a line on its
 * own (navigation phrases, phone numbers, addresses, opening hours,
 * adverts, copyright and cookie notices) and in its page (a "Related
 * articles" heading in the second half of a page cuts the teasers after
 * it; a group of short lines holding a phone number or an address is a
 * footer; an exclamation right before an advert is its lead-in).
 *
 * They see lines (text) or blocks (Markdown, HTML) as ms_unit, and only
 * mark them: the parsers drop and count. Lines that recur across a site
 * are the other source of chrome, judged by boilerplate.c.
 */
#include "article/chrome.h"

#include <stdlib.h>
#include <string.h>

#include "article/textutil.h"
#include "base/util.h"

/* ---- phrases ------------------------------------------------------------------------ */

/* Longest line the phrase rules look at: chrome phrases are short, and a long
 * line is prose even when it mentions "cookies" or "consultation". */
#define NORM_MAX 400

/* Lower-cased copy of s with white space collapsed and the decoration that
 * navigation lines carry around their words (arrows, "»", ":", "...")
 * removed from both ends. Returns its length, or 0 when s is too long. */
static size_t norm_line(const char *s, size_t n, char *out)
{
    if (n >= NORM_MAX)
        return 0;
    ms_sbuf b = {.p = out, .cap = NORM_MAX + 1};
    out[0] = '\0';
    ms_text_put(&b, s, n);
    size_t m = b.n;
    for (size_t i = 0; i < m; i++)
        out[i] = (char)ms_lower((unsigned char)out[i]);
    /* each is tried at both ends of every short line, until none is left */
    static const struct {
        const char *s;
        size_t n;
    } deco[] = {
#define D(x) {x, sizeof x - 1}
        D(" "),
        D(":"),
        D("."),
        D("!"),
        D("|"),
        D(">"),
        D("<"),
        D("\xc2\xbb"),
        D("\xc2\xab"),
        D("\xe2\x80\xba"),
        D("\xe2\x80\xb9"),
        D("\xe2\x86\x92"),
        D("\xe2\x86\x90"),
        D("\xe2\x80\xa6"),
        D("\xe2\x9e\x9c"),
#undef D
    };
    size_t a = 0;
    for (bool more = true; more;) {
        more = false;
        for (size_t i = 0; i < sizeof deco / sizeof *deco; i++) {
            const char *t = deco[i].s;
            size_t k = deco[i].n;
            if (m - a >= k && out[m - k] == t[0] && memcmp(out + m - k, t, k) == 0) {
                m -= k;
                more = true;
            }
            if (m - a >= k && out[a] == t[0] && memcmp(out + a, t, k) == 0) {
                a += k;
                more = true;
            }
        }
    }
    memmove(out, out + a, m - a);
    out[m - a] = '\0';
    return m - a;
}

/* Whether s starts with one of list[0..n). */
static bool starts_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strncmp(s, list[i], strlen(list[i])) == 0)
            return true;
    return false;
}

/* Whether ms_find_ci finds one of needles[0..k) in s. */
static bool find_any_ci(const char *s, size_t n, const char *const *needles, size_t k)
{
    for (size_t i = 0; i < k; i++)
        if (ms_find_ci(s, n, needles[i]))
            return true;
    return false;
}

/* Headings after which a page lists other pages. */
static const char *const TAIL_PHRASES[] = {
    "related articles",
    "related posts",
    "related stories",
    "related content",
    "related reading",
    "related pages",
    "related topics",
    "related links",
    "our other articles",
    "other articles",
    "more articles",
    "more stories",
    "more posts",
    "you may also like",
    "you might also like",
    "you may also be interested in",
    "recommended articles",
    "recommended reading",
    "recommended for you",
    "popular articles",
    "popular posts",
    "most popular",
    "most read",
    "latest articles",
    "latest posts",
    "read next",
    "read also",
    "see also",
    "more on this topic",
};

/* Lines that are navigation or widgets whatever page they are on. */
static const char *const CHROME_PHRASES[] = {
    "view all",
    "see all",
    "show all",
    "read more",
    "more",
    "learn more",
    "see more",
    "show more",
    "load more",
    "continue reading",
    "read full article",
    "read the full article",
    "share",
    "share this",
    "share this article",
    "share this page",
    "print",
    "print this page",
    "email",
    "e-mail",
    "back to top",
    "top",
    "next",
    "previous",
    "prev",
    "next article",
    "previous article",
    "advertisement",
    "advertisements",
    "sponsored",
    "sponsored content",
    "skip to content",
    "skip to main content",
    "skip navigation",
    "menu",
    "main menu",
    "search",
    "home",
    "subscribe",
    "sign up",
    "log in",
    "login",
    "sign in",
    "register",
    "table of contents",
    "contents",
    "in this article",
    "on this page",
    "jump to",
    "tags",
    "categories",
    "comments",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "was this article helpful",
    "was this page helpful",
    "was this helpful",
    "feedback",
    "close",
    "cookie settings",
    "accept",
    "accept all",
    "privacy policy",
    "terms of use",
    "terms and conditions",
    "cookie policy",
    "contact us",
    "about us",
    "sitemap",
    "click to enlarge",
    "enlarge image",
    "zoom",
    "go to top",
    "scroll to top",
    "follow us",
};

/* Line starts that mark bylines, credits and widgets wherever they are. */
static const char *const CHROME_PREFIXES[] = {
    "last updated",
    "last reviewed",
    "last modified",
    "updated:",
    "updated on ",
    "reviewed by",
    "medically reviewed",
    "fact checked",
    "fact-checked",
    "published:",
    "published on ",
    "posted on ",
    "posted by ",
    "posted in ",
    "filed under",
    "written by ",
    "tags:",
    "categories:",
    "category:",
    "share on ",
    "share this ",
    "follow us on",
    "image:",
    "photo:",
    "image credit",
    "photo credit",
    "image source",
    "credit:",
    "print this",
    "email this",
    "skip to ",
};

/* Starts of link texts: chrome as a short line of their own, but "Read more
 * about DASH at www.nhlbi.nih.gov." is a sentence of the article. */
static const char *const LINK_PREFIXES[] = {
    "read more", "read also", "see also:", "click here", "continue reading", "learn more about"};

static const char *const SOCIAL_WORDS[] = {
    "facebook", "twitter",  "x",     "instagram", "linkedin",  "pinterest", "youtube",
    "whatsapp", "telegram", "email", "e-mail",    "print",     "share",     "reddit",
    "tumblr",   "vk",       "copy",  "link",      "messenger", "viber",
};

/* ---- line rules --------------------------------------------------------------------- */

/* Every word of the line is the name of a social network or a share action. */
static bool is_share_bar(const char *norm)
{
    char word[32];
    size_t words = 0;
    for (const char *p = norm; *p;) {
        while (*p == ' ' || *p == ',' || *p == '|' || *p == '/')
            p++;
        if (!*p)
            break;
        size_t k = 0;
        while (p[k] && p[k] != ' ' && p[k] != ',' && p[k] != '|' && p[k] != '/')
            k++;
        if (k >= sizeof word)
            return false;
        memcpy(word, p, k);
        word[k] = '\0';
        if (!MS_WORD_IN(SOCIAL_WORDS, word, strlen(word)))
            return false;
        words++;
        p += k;
    }
    return words >= 2;
}

/* "Home > Skin diseases > Eczema": two or more short parts joined by an
 * arrow-like separator (three or more for "|", which also joins menu
 * items), none starting with a digit ("BP > 140/90" is prose). " / " is
 * not one: "Nausea / Vomiting / Diarrhea" is a list of symptoms. */
static bool is_breadcrumb(const char *s, size_t n)
{
    if (!memchr(s, '>', n) && !memchr(s, '|', n) && !memchr(s, 0xc2, n) && !memchr(s, 0xe2, n))
        return false;
    static const char *const seps[] = {" > ", " \xc2\xbb ", " \xe2\x80\xba ", " \xe2\x86\x92 ",
                                       " | "};
    for (size_t k = 0; k < sizeof seps / sizeof *seps; k++) {
        const char *sep = seps[k];
        size_t sl = strlen(sep);
        size_t parts = 1;
        bool ok = true;
        size_t a = 0;
        for (size_t i = 0; i <= n && ok; i++) {
            bool at_sep = i + sl <= n && memcmp(s + i, sep, sl) == 0;
            if (!at_sep && i < n)
                continue;
            const char *p = s + a;
            size_t pn = i - a;
            if (pn == 0 || pn > 80 || ms_count_words(p, pn) > 8 || (p[0] >= '0' && p[0] <= '9') ||
                (pn && (p[pn - 1] == '.' || p[pn - 1] == ',' || p[pn - 1] == ';')))
                ok = false;
            if (at_sep) {
                parts++;
                i += sl - 1;
                a = i + 1;
            }
        }
        size_t need = sep[1] == '|' ? 3 : 2;
        if (ok && parts >= need)
            return true;
    }
    return false;
}

/* A line that is nothing but phone numbers, perhaps after a label. */
static bool is_phone(const char *s, size_t n)
{
    static const char *const labels[] = {"tel", "tel.", "phone",  "telephone", "fax",
                                         "mob", "mob.", "mobile", "call",      "hotline",
                                         "t",   "p",    "m",      "ph",        "ph."};
    size_t i = 0;
    while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
        i++;
    if (i > 0) {
        char lab[16];
        size_t k = i < n && s[i] == '.' ? i + 1 : i;
        if (k >= sizeof lab)
            return false;
        for (size_t j = 0; j < k; j++)
            lab[j] = (char)ms_lower((unsigned char)s[j]);
        lab[k] = '\0';
        if (!MS_WORD_IN(labels, lab, strlen(lab)))
            return false;
        i = k;
        if (i < n && s[i] == ':')
            i++;
        while (i < n && s[i] == ' ')
            i++;
    }
    if (i >= n || !((s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '('))
        return false;
    size_t digits = 0, marks = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (!c || !strchr(" +()-./,;", c))
            return false;
        else
            marks++;
    }
    /* a bare run of digits is a number of some other kind */
    return digits >= 7 && digits <= 30 && marks;
}

static bool is_email_line(const char *s, size_t n, size_t words)
{
    if (words > 6)
        return false;
    const char *at = memchr(s, '@', n);
    if (!at || at == s || !ms_is_alnum((unsigned char)at[-1]))
        return false;
    size_t rest = n - (size_t)(at - s);
    const char *dot = memchr(at, '.', rest);
    return dot && dot > at + 1 && (size_t)(dot - s) + 1 < n && ms_is_alnum((unsigned char)dot[1]);
}

/* A short line with a house number, a comma and a street word
 * ("12 Baker St., London", "Fabijoniskiu g. 99, Vilnius") or a postal code
 * ("LT-08432", "MD 20892"). */
static bool is_address(const char *norm, size_t n, size_t words)
{
    static const char *const streets[] = {
        "st",     "st.",   "street", "ave",     "ave.",          "avenue",
        "rd",     "rd.",   "road",   "blvd",    "blvd.",         "boulevard",
        "lane",   "ln.",   "drive",  "hwy",     "highway",       "suite",
        "ste.",   "floor", "g.",     "gatve",   "gatv\xc4\x97",  "pr.",
        "al.",    "ul.",   "str.",   "strasse", "stra\303\237e", /* straße (octal: "\x9fe" would be
                                                                    one escape) */
        "rue",    "via",   "calle",  "avenida", "plaza",         "sq.",
        "square", "box",
    };
    if (n == 0 || n > 100 || words > 10 || norm[n - 1] == '.')
        return false;
    if (!memchr(norm, ',', n) || !strpbrk(norm, "0123456789"))
        return false;
    char word[24];
    for (size_t i = 0; i < n;) {
        while (i < n && norm[i] == ' ')
            i++;
        size_t k = 0;
        while (i + k < n && norm[i + k] != ' ')
            k++;
        size_t wl = k;
        while (wl && norm[i + wl - 1] == ',')
            wl--;
        if (wl && wl < sizeof word) {
            memcpy(word, norm + i, wl);
            word[wl] = '\0';
            if (MS_WORD_IN(streets, word, strlen(word)))
                return true;
            /* postal codes with a country prefix: "lt-08432" */
            if (wl >= 6 && wl <= 10 && word[0] >= 'a' && word[1] >= 'a' && word[2] == '-' &&
                strspn(word + 3, "0123456789") == wl - 3)
                return true;
        }
        i += k;
    }
    return false;
}

/* "9:00-18:00", "8.00 – 20.00", or a line that announces opening hours. */
static bool is_hours(const char *norm, size_t n, size_t words)
{
    static const char *const heads[] = {"opening hours",  "working hours", "office hours",
                                        "business hours", "hours:",        "open:"};
    if (words > 12)
        return false;
    if (starts_list(norm, heads, sizeof heads / sizeof *heads))
        return true;
    for (size_t i = 0; i < n; i++) {
        /* h[h][:.]mm */
        size_t j = i, d = 0;
        while (j < n && norm[j] >= '0' && norm[j] <= '9' && d < 3)
            j++, d++;
        if (d < 1 || d > 2 || j + 2 >= n || (norm[j] != ':' && norm[j] != '.') ||
            !(norm[j + 1] >= '0' && norm[j + 1] <= '9'))
            continue;
        j += 3;
        while (j < n && norm[j] == ' ')
            j++;
        bool dash = false;
        if (j < n && norm[j] == '-')
            j++, dash = true;
        else if (j + 2 < n && (unsigned char)norm[j] == 0xe2 &&
                 (unsigned char)norm[j + 1] == 0x80 &&
                 ((unsigned char)norm[j + 2] == 0x93 || (unsigned char)norm[j + 2] == 0x94))
            j += 3, dash = true;
        while (j < n && norm[j] == ' ')
            j++;
        if (dash && j < n && norm[j] >= '0' && norm[j] <= '9')
            return true;
    }
    return false;
}

/* Calls to buy. Some words are commercial wherever they stand ("Subscribe
 * to our newsletter"); others ("consultation", "appointment") are also the
 * words of honest advice, so they count only on an exclamation or a short
 * banner that urges ("Dermatologist consultation online"). */
static bool is_advert(const char *s, size_t n, size_t words, bool bang)
{
    static const char *const strong[] = {"sign up",    "subscribe", "newsletter", "book now",
                                         "order now",  "buy now",   "shop now",   "free trial",
                                         "promo code", "coupon",    "discount"};
    static const char *const weak[] = {"consultation", "appointment", "call us", "contact us"};
    static const char *const urgent[] = {"online", "now",   "today", "free",
                                         "book",   "order", "24/7",  "call"};
    if (!bang && words > 8)
        return false;
    if (find_any_ci(s, n, strong, sizeof strong / sizeof *strong))
        return true;
    return find_any_ci(s, n, weak, sizeof weak / sizeof *weak) &&
           (bang || (words <= 6 && find_any_ci(s, n, urgent, sizeof urgent / sizeof *urgent)));
}

/* Past this many words a line is prose, and only the rules that fit
 * sentences apply to it: chrome lines are short, and the phrase rules
 * would cost a normalised copy of every paragraph. */
#define PROSE_WORDS 15

/* Rules for lines of any length: copyright notices, cookie banners and
 * exclamatory adverts. */
static ms_chrome sentence_chrome(const char *s, size_t n, size_t words, bool bang)
{
    if (ms_prefix_ci(s, n, "\xc2\xa9") || ms_prefix_ci(s, n, "(c) ") ||
        ms_prefix_ci(s, n, "copyright") || ms_find_ci(s, n, "all rights reserved"))
        return MS_CHROME_LINE;
    if (ms_find_ci(s, n, "cookie") &&
        (ms_find_ci(s, n, "we use") || ms_find_ci(s, n, "this site") ||
         ms_find_ci(s, n, "this website") || ms_find_ci(s, n, "accept") ||
         ms_find_ci(s, n, "consent")))
        return MS_CHROME_LINE;
    if (is_advert(s, n, words, bang))
        return MS_CHROME_ADVERT;
    return MS_CHROME_NO;
}

ms_chrome ms_chrome_line(const char *s, size_t n)
{
    /* prose is all the rules need to know of a long line */
    size_t words = ms_count_words_upto(s, n, PROSE_WORDS + 1);
    bool bang = n && s[n - 1] == '!';
    if (words > PROSE_WORDS || n >= NORM_MAX)
        return sentence_chrome(s, n, words, bang);
    char norm[NORM_MAX + 1];
    size_t m = norm_line(s, n, norm);
    if (m == 0)
        return MS_CHROME_NO; /* decoration only: ms_doc_add drops it */
    if (MS_WORD_IN(TAIL_PHRASES, norm, m))
        return MS_CHROME_TAIL;
    if (MS_WORD_IN(CHROME_PHRASES, norm, m))
        return MS_CHROME_LINE;
    if (starts_list(norm, CHROME_PREFIXES, sizeof CHROME_PREFIXES / sizeof *CHROME_PREFIXES))
        return MS_CHROME_LINE;
    if (words <= 6 && s[n - 1] != '.' &&
        starts_list(norm, LINK_PREFIXES, sizeof LINK_PREFIXES / sizeof *LINK_PREFIXES))
        return MS_CHROME_LINE;
    if (is_share_bar(norm) || is_breadcrumb(s, n))
        return MS_CHROME_LINE;
    if (is_phone(s, n) || is_email_line(s, n, words) || is_address(norm, m, words) ||
        is_hours(norm, m, words))
        return MS_CHROME_CONTACT;
    return sentence_chrome(s, n, words, bang);
}

/* ---- page rules --------------------------------------------------------------------- */

/* A footer line: short, and not a sentence. */
static bool short_label(const char *s, size_t n)
{
    return ms_count_words_upto(s, n, 9) <= 8 && !(n && s[n - 1] == '.');
}

void ms_chrome_mark(ms_unit *u, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += u[i].n;
    size_t before = 0, cut = n;
    /* the current gap-separated group of lines, for the footer rule */
    size_t group = 0;
    bool all_short = true, contact = false;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || u[i].gap_before) {
            if (i > group && all_short && contact)
                for (size_t j = group; j < i; j++)
                    u[j].drop = true;
            group = i;
            all_short = true;
            contact = false;
        }
        if (i == n)
            break;
        ms_chrome k = ms_chrome_line(u[i].s, u[i].n);
        all_short = all_short && short_label(u[i].s, u[i].n);
        contact = contact || k == MS_CHROME_CONTACT;
        if (k != MS_CHROME_NO)
            u[i].drop = true;
        /* A teaser heading only ends the article in the second half of the
         * page: earlier it is a widget among the content. */
        if (k == MS_CHROME_TAIL && cut == n && total - before - u[i].n <= before)
            cut = i;
        if (k == MS_CHROME_ADVERT || k == MS_CHROME_TAIL)
            for (size_t j = i;
                 j > 0 && !u[j].gap_before && u[j - 1].n && u[j - 1].s[u[j - 1].n - 1] == '!'; j--)
                u[j - 1].drop = true;
        before += u[i].n;
    }
    for (size_t i = cut; i < n; i++)
        u[i].drop = true;
}
