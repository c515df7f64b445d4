/*
 * date.c - dates as articles write them -> ISO 8601.
 *
 * The written forms read: a month name next to a day and a year ("Nov 28,
 * 2025", "March 3rd, 2024", "8 Apr 2025", "28 November 2025"), a month
 * name and a year ("March 2024", which gives 2024-03), and the numeric
 * forms whose order is not in doubt: 2025-11-28 (or 2025/11/28, perhaps
 * followed by a time) and 28.11.2025. Slashed dates of two short numbers
 * (11/28/25, 03/04/2025) are month-first in one country and day-first in
 * the rest: they are kept as text, without an ISO form.
 */
#include "article/date.h"

#include <stdlib.h>
#include <string.h>

#include "article/textutil.h"

static const struct {
    const char *name;
    int month;
} MONTHS[] = {
    {"jan", 1},       {"feb", 2},      {"mar", 3},       {"apr", 4},       {"may", 5},
    {"jun", 6},       {"jul", 7},      {"aug", 8},       {"sep", 9},       {"sept", 9},
    {"oct", 10},      {"nov", 11},     {"dec", 12},      {"january", 1},   {"february", 2},
    {"march", 3},     {"april", 4},    {"june", 6},      {"july", 7},      {"august", 8},
    {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
};

int ms_month_name(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof MONTHS / sizeof *MONTHS; i++)
        if (ms_equal_ci(w, n, MONTHS[i].name, strlen(MONTHS[i].name)))
            return MONTHS[i].month;
    return 0;
}

/* A number of 1 to max digits at s[i..n), not followed by another digit:
 * its digits (0: none) and value. */
static size_t number_at(const char *s, size_t n, size_t i, size_t max, int *v)
{
    size_t k = 0;
    *v = 0;
    while (i + k < n && s[i + k] >= '0' && s[i + k] <= '9') {
        if (++k > max)
            return 0;
        *v = *v * 10 + (s[i + k - 1] - '0');
    }
    return k;
}

static bool letter(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* A month name at s[i..n) (a whole word, a '.' after an abbreviation
 * taken with it): its bytes (0: none) and month. */
static size_t month_at(const char *s, size_t n, size_t i, int *month)
{
    size_t k = 0;
    while (i + k < n && letter((unsigned char)s[i + k]))
        k++;
    if (!k || k > 9 || (i + k < n && ms_is_alnum((unsigned char)s[i + k])))
        return 0;
    *month = ms_month_name(s + i, k);
    if (!*month)
        return 0;
    return k + (i + k < n && s[i + k] == '.');
}

/* Skip spaces and, when comma, one comma. */
static size_t skip_gap(const char *s, size_t n, size_t i, bool comma)
{
    while (i < n && s[i] == ' ')
        i++;
    if (comma && i < n && s[i] == ',')
        i++;
    while (i < n && s[i] == ' ')
        i++;
    return i;
}

/* "28th", "3rd": the letters after a day. */
static size_t ordinal_at(const char *s, size_t n, size_t i)
{
    static const char *const sfx[] = {"st", "nd", "rd", "th"};
    for (size_t k = 0; k < 4; k++)
        if (i + 2 <= n && ms_equal_ci(s + i, 2, sfx[k], 2) &&
            (i + 2 == n || !ms_is_alnum((unsigned char)s[i + 2])))
            return 2;
    return 0;
}

static bool valid(int y, int m, int d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 0 && d <= days[m - 1];
}

/* A date starting at s[i]: its end, and y, m, d (d == 0: no day). */
static size_t date_at(const char *s, size_t n, size_t i, int *y, int *m, int *d)
{
    int a, b, c;
    size_t k = number_at(s, n, i, 4, &a), j;
    if (k == 4 && i + k < n && (s[i + k] == '-' || s[i + k] == '/')) {
        char sep = s[i + k]; /* 2025-11-28 */
        j = i + k + 1;
        size_t k2 = number_at(s, n, j, 2, &b);
        if (k2 && j + k2 < n && s[j + k2] == sep) {
            size_t k3 = number_at(s, n, j + k2 + 1, 2, &c);
            if (k3 && valid(a, b, c) && c) {
                *y = a, *m = b, *d = c;
                return j + k2 + 1 + k3;
            }
            return 0;
        }
        if (sep == '-' && k2 == 2 && valid(a, b, 0) &&
            !(j + k2 < n && ms_is_alnum((unsigned char)s[j + k2]))) {
            *y = a, *m = b, *d = 0; /* 2024-12: ISO 8601 without a day */
            return j + k2;
        }
        return 0;
    }
    if (k >= 1 && k <= 2 && i + k < n && s[i + k] == '.') {
        j = i + k + 1; /* 28.11.2025 */
        size_t k2 = number_at(s, n, j, 2, &b);
        if (k2 && j + k2 < n && s[j + k2] == '.') {
            size_t k3 = number_at(s, n, j + k2 + 1, 4, &c);
            if (k3 == 4 && valid(c, b, a) && a) {
                *y = c, *m = b, *d = a;
                return j + k2 + 1 + k3;
            }
        }
        return 0;
    }
    if (k >= 1 && k <= 2) { /* 8 Apr 2025, 28th November 2025 */
        j = skip_gap(s, n, i + k + ordinal_at(s, n, i + k), false);
        size_t km = j > i + k ? month_at(s, n, j, &b) : 0;
        if (!km)
            return 0;
        j = skip_gap(s, n, j + km, true);
        size_t k3 = number_at(s, n, j, 4, &c);
        if (k3 == 4 && valid(c, b, a) && a) {
            *y = c, *m = b, *d = a;
            return j + k3;
        }
        return 0;
    }
    size_t km = month_at(s, n, i, &b); /* Nov 28, 2025; March 2024 */
    if (!km)
        return 0;
    j = skip_gap(s, n, i + km, false);
    size_t k2 = number_at(s, n, j, 4, &a);
    if (k2 == 4 && valid(a, b, 0)) {
        *y = a, *m = b, *d = 0;
        return j + k2;
    }
    if (!k2 || k2 > 2 || j == i + km)
        return 0;
    size_t end = j + k2 + ordinal_at(s, n, j + k2);
    j = skip_gap(s, n, end, true);
    size_t k3 = number_at(s, n, j, 4, &c);
    if (k3 == 4 && j > end && valid(c, b, a) && a) {
        *y = c, *m = b, *d = a;
        return j + k3;
    }
    return 0;
}

bool ms_date_find(const char *s, size_t n, char iso[11], size_t *at, size_t *len)
{
    for (size_t i = 0; i < n; i++) {
        if (!ms_is_alnum((unsigned char)s[i]) || (i && ms_is_alnum((unsigned char)s[i - 1])))
            continue;
        int y, m, d;
        size_t end = date_at(s, n, i, &y, &m, &d);
        if (!end)
            continue;
        /* valid(): 1900 <= y <= 2199, 1 <= m <= 12, 0 <= d <= 31 */
        const char form[] = {(char)('0' + y / 1000),
                             (char)('0' + y / 100 % 10),
                             (char)('0' + y / 10 % 10),
                             (char)('0' + y % 10),
                             '-',
                             (char)('0' + m / 10),
                             (char)('0' + m % 10),
                             '-',
                             (char)('0' + d / 10),
                             (char)('0' + d % 10)};
        memcpy(iso, form, d ? 10 : 7);
        iso[d ? 10 : 7] = '\0';
        *at = i;
        *len = end - i;
        return true;
    }
    return false;
}

int ms_date_settle(ms_article *a, const char *meta)
{
    char iso[11];
    size_t at, len;
    size_t tl = a->date_text ? strlen(a->date_text) : 0;
    if (tl == 4 && strspn(a->date_text, "0123456789") == 4 && !a->date) {
        /* a year alone, as front matter may give it: ISO 8601's YYYY */
        int y = atoi(a->date_text);
        if (valid(y, 1, 0) && !(a->date = strdup(a->date_text)))
            return -1;
    }
    if (a->date_text && ms_date_find(a->date_text, strlen(a->date_text), iso, &at, &len)) {
        memmove(a->date_text, a->date_text + at, len);
        a->date_text[len] = '\0';
        if (!a->date && !(a->date = strdup(iso)))
            return -1;
    }
    if (!a->date_text && meta && meta[0] && !(a->date_text = strdup(meta)))
        return -1;
    return 0;
}
