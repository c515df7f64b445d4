/*
 * byline.c - the lines near an article's top that say who wrote it, when,
 * and for whom.
 *
 * "Nov 28, 2025 Source: X", "By Jane Doe | May 5, 2025", "Dr. Y",
 * "Last updated: ..." are not text to index but metadata: ms_byline reads
 * the date, source and author out of such a line (the first one found
 * wins) and says that the line is a byline, so that the parser drops it.
 * The date is kept as written (date_text); date.c reads its ISO form.
 * A date is a month name next to a number, or a numeric date with one
 * separator (2025-11-28, 28.11.2025, 11/28/25).
 */
#include "article/byline.h"

#include <string.h>

#include "article/date.h"
#include "article/textutil.h"

/* Digits at s[i..n). */
static size_t digits_at(const char *s, size_t i, size_t n)
{
    size_t k = 0;
    while (i + k < n && s[i + k] >= '0' && s[i + k] <= '9')
        k++;
    return k;
}

/* Whether s holds a date: a month name next to a number, or 2025-11-28,
 * 28.11.2025, 11/28/25. */
static bool has_date(const char *s, size_t n)
{
    bool month = false, number = false;
    for (size_t i = 0; i < n;) {
        while (i < n && !ms_is_alnum((unsigned char)s[i]))
            i++;
        size_t k = 0;
        while (i + k < n && ms_is_alnum((unsigned char)s[i + k]))
            k++;
        if (!k)
            break;
        char w[12];
        if (k < sizeof w) {
            for (size_t j = 0; j < k; j++)
                w[j] = (char)ms_lower((unsigned char)s[i + j]);
            w[k] = '\0';
            if (ms_month_name(w, k))
                month = true;
            else if (strspn(w, "0123456789") == k && k <= 4)
                number = true;
        }
        /* numeric dates: digits, separator, digits, same separator, digits */
        if (digits_at(s, i, n) == k && i + k < n &&
            (s[i + k] == '-' || s[i + k] == '.' || s[i + k] == '/')) {
            char sep = s[i + k];
            size_t j = i + k + 1, d2 = digits_at(s, j, n);
            if (d2 >= 1 && d2 <= 4 && j + d2 < n && s[j + d2] == sep) {
                size_t d3 = digits_at(s, j + d2 + 1, n);
                if (d3 >= 2 && d3 <= 4 && (k == 4 || d3 == 4 || d3 == 2))
                    return true;
            }
        }
        i += k;
    }
    return month && number;
}

static bool is_upper_start(const char *s, size_t n)
{
    return n && ((s[0] >= 'A' && s[0] <= 'Z') || (unsigned char)s[0] >= 0xc0);
}

/* Trim s to the text after a prefix of k bytes and any ':' or space. */
static void skip_prefix(const char **s, size_t *n, size_t k)
{
    *s += k;
    *n -= k;
    while (*n && (**s == ' ' || **s == ':' || **s == '-'))
        (*s)++, (*n)--;
}

/* Bytes of the separators at the start of s: " · ", " | ", " — ". */
static size_t separator_len(const char *s, size_t n)
{
    static const char *const seps[] = {
        " ", "|", "-", ",", "\xc2\xb7", "\xe2\x80\x93", "\xe2\x80\x94", "\xe2\x80\xa2"};
    size_t i = 0;
    for (bool more = true; more;) {
        more = false;
        for (size_t k = 0; k < sizeof seps / sizeof *seps; k++)
            if (ms_prefix_ci(s + i, n - i, seps[k])) {
                i += strlen(seps[k]);
                more = true;
            }
    }
    return i;
}

bool ms_byline(ms_article *a, const char *s, size_t n)
{
    if (n == 0 || n > 160 || ms_count_words(s, n) > 14)
        return false;
    const char *src = ms_find_ci(s, n, "source:");
    if (src) {
        size_t before = (size_t)(src - s);
        const char *v = src + 7;
        size_t vn = n - before - 7;
        ms_set_field(&a->source, v, vn, true);
        if (before && has_date(s, before))
            ms_set_field(&a->date_text, s, before, true);
        return true;
    }
    static const char *const date_heads[] = {
        "published on", "published:", "published",        "last updated on", "last updated:",
        "last updated", "updated on", "updated:",         "updated",         "posted on",
        "posted:",      "date:",      "last reviewed on", "last reviewed:",  "last reviewed",
    };
    for (size_t i = 0; i < sizeof date_heads / sizeof *date_heads; i++) {
        if (ms_prefix_ci(s, n, date_heads[i])) {
            const char *v = s;
            size_t vn = n;
            skip_prefix(&v, &vn, strlen(date_heads[i]));
            if (!has_date(v, vn))
                return false;
            ms_set_field(&a->date_text, v, vn, true);
            return true;
        }
    }
    static const char *const quiet_heads[] = {"reviewed by ", "medically reviewed", "fact checked",
                                              "fact-checked"};
    for (size_t i = 0; i < sizeof quiet_heads / sizeof *quiet_heads; i++)
        if (ms_prefix_ci(s, n, quiet_heads[i]))
            return true;
    static const char *const author_heads[] = {"written by ", "authors:", "author:", "by "};
    for (size_t i = 0; i < sizeof author_heads / sizeof *author_heads; i++) {
        if (ms_prefix_ci(s, n, author_heads[i])) {
            const char *v = s;
            size_t vn = n;
            skip_prefix(&v, &vn, strlen(author_heads[i]));
            /* "By Jane Doe | May 5, 2025": the name, then maybe a date */
            static const char *const cuts[] = {" | ", " \xc2\xb7 ", " on ", " - "};
            size_t name = vn, cut = 0;
            for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
                const char *p = ms_find_ci(v, name, cuts[c]);
                if (p) {
                    name = (size_t)(p - v);
                    cut = strlen(cuts[c]);
                }
            }
            if (!is_upper_start(v, vn) || ms_count_words(v, name) > 6 || name == 0 ||
                (name < vn && !has_date(v + name, vn - name)) || v[name - 1] == '.')
                return false;
            ms_set_field(&a->author, v, name, true);
            if (name < vn)
                ms_set_field(&a->date_text, v + name + cut, vn - name - cut, true);
            return true;
        }
    }
    static const char *const titles[] = {"dr. ", "dr ", "prof. ", "professor ", "doctor "};
    size_t words = ms_count_words(s, n);
    bool plain = !ms_ends_terminal(s, n) || s[n - 1] == '.';
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
        if (ms_prefix_ci(s, n, titles[i]) && words >= 2 && words <= 5 && plain &&
            is_upper_start(s + strlen(titles[i]), n - strlen(titles[i])) && !memchr(s, ':', n)) {
            ms_set_field(&a->author, s, n, true);
            return true;
        }
    }
    static const char *const degrees[] = {", md", ", m.d.", ", phd", ", ph.d.", ", rn",
                                          ", do", ", mph",  ", dnp", ", np",    ", pharmd"};
    for (size_t i = 0; i < sizeof degrees / sizeof *degrees; i++) {
        if (words <= 7 && ms_find_ci(s, n, degrees[i]) && is_upper_start(s, n)) {
            ms_set_field(&a->author, s, n, true);
            return true;
        }
    }
    /* "8 Apr 2025 · Medically reviewed by Dr. X": a date, then a byline */
    char iso[11];
    size_t at, dl;
    if (ms_date_find(s, n, iso, &at, &dl) && at == 0 && dl < n) {
        size_t k = separator_len(s + dl, n - dl);
        if (k && dl + k < n && ms_byline(a, s + dl + k, n - dl - k)) {
            ms_set_field(&a->date_text, s, dl, true);
            return true;
        }
    }
    if (words <= 6 && has_date(s, n) && !ms_ends_terminal(s, n)) {
        ms_set_field(&a->date_text, s, n, true);
        return true;
    }
    return false;
}
