/* The classifier's hot path in C: text normalisation, the alias automaton and the resolution
 * of its hits into entity matches, and the claim detector's fold and the boundary rules of its
 * phrases. Each is an exact port of its Python reference in text.py (`normalize_py`),
 * matching.py (`Matcher.find_py`) and claims_text.py (`lower_fold_py`, `PhraseSet.find_py`);
 * the unit tests hold the two to the same output, and the automaton's hits to ahocorasick_rs's.
 *
 * fold(text) -> str
 *     `normalize(text)`'s text with its white space collapsed to single spaces and trimmed.
 *
 * normalize(text) -> (norm, index)
 *     `index` is None when every character of `norm` sits at the same offset in `text`, else a
 *     bytes object of native int32: the original offset of each character of `norm`. The fold
 *     of each character comes from a table the Python side computes once (`configure`).
 *
 * Automaton(keys, *, dense_cells), .hits(text) -> list of (key index, start, end)
 *     An Aho-Corasick automaton over the code points of `keys` (a list of non-empty str, read
 *     in place, whatever their kind): every occurrence of every key, overlapping, by where it
 *     ends, the longest first among those that end together (as ahocorasick_rs reports them).
 *
 * scan(automaton, text, values, arabic_suffixes, proclitics, match_type)
 *     -> (list of match_type(entity, alias, start, end, ambiguous), trigger bits)
 *     `normalize`, the automaton's hits over the normalised text and their resolution, in one
 *     call and without a Python object per hit; `values` is, per key, (key length, patterns,
 *     arabic, trigger bits). See matching.py for the rules.
 *
 * phrases(text, hits, table, offset, stop, clitics, hit_type) -> list of hit_type
 *     `hits` are (key index, start, end) from an automaton over text[offset:stop]; `table` is,
 *     per key, a tuple of (kind, value, open_left, open_right, arabic) entries. Every entry
 *     that stands by its boundary rules gives hit_type(start, end, kind, value, clitic), by
 *     start, then longest first.
 *
 * lower_fold(text, table) -> (raw, folded, index or None), or None
 *     The claim detector's `lower` and `fold` in one pass (None: a capital sigma, which the
 *     caller lower-cases in Python).
 *
 * No global state but the fold table, which is written once before any call and then only read;
 * an automaton is only read once built, so searches of one automaton may run in several threads.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Fold table                                                                               */

#define IDENTITY (-1)
/* An entry >= 0 packs (length << 24) | offset into `pool`; length 0 means "removed". */
static int32_t *bmp_table = NULL; /* 0x10000 entries */
static Py_UCS4 *astral_cp = NULL; /* sorted */
static int32_t *astral_value = NULL;
static Py_ssize_t astral_count = 0;
static Py_UCS4 *pool = NULL;
static Py_ssize_t pool_len = 0;
static int max_expansion = 1;

static inline int32_t
lookup(Py_UCS4 cp)
{
    if (cp < 0x10000) {
        return bmp_table[cp];
    }
    Py_ssize_t lo = 0, hi = astral_count;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (astral_cp[mid] < cp) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    if (lo < astral_count && astral_cp[lo] == cp) {
        return astral_value[lo];
    }
    return IDENTITY;
}

static int
cmp_ucs4(const void *a, const void *b)
{
    Py_UCS4 x = *(const Py_UCS4 *)a, y = *(const Py_UCS4 *)b;
    return (x > y) - (x < y);
}

/* configure(mapping: dict[str, str]): the fold of every character that does not fold to
 * itself. Replaces any earlier table. */
static PyObject *
configure(PyObject *self, PyObject *mapping)
{
    if (!PyDict_Check(mapping)) {
        PyErr_SetString(PyExc_TypeError, "configure() takes a dict of str to str");
        return NULL;
    }
    Py_ssize_t total = 0, astral = 0, pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(mapping, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || PyUnicode_GET_LENGTH(key) != 1 || !PyUnicode_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "configure() maps one character to a string");
            return NULL;
        }
        if (PyUnicode_GET_LENGTH(value) >= 256) {
            PyErr_SetString(PyExc_ValueError, "a fold longer than 255 characters");
            return NULL;
        }
        total += PyUnicode_GET_LENGTH(value);
        if (PyUnicode_READ_CHAR(key, 0) >= 0x10000) {
            astral++;
        }
    }
    int32_t *table = PyMem_RawMalloc(sizeof(int32_t) * 0x10000);
    Py_UCS4 *new_pool = PyMem_RawMalloc(sizeof(Py_UCS4) * (total + 1));
    Py_UCS4 *cps = PyMem_RawMalloc(sizeof(Py_UCS4) * (astral + 1));
    int32_t *values = PyMem_RawMalloc(sizeof(int32_t) * (astral + 1));
    Py_UCS4 *pairs = PyMem_RawMalloc(sizeof(Py_UCS4) * 2 * (astral + 1));
    if (!table || !new_pool || !cps || !values || !pairs || total >= (1 << 24)) {
        PyMem_RawFree(table);
        PyMem_RawFree(new_pool);
        PyMem_RawFree(cps);
        PyMem_RawFree(values);
        PyMem_RawFree(pairs);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < 0x10000; i++) {
        table[i] = IDENTITY;
    }
    Py_ssize_t used = 0, n_astral = 0;
    int longest = 1;
    pos = 0;
    while (PyDict_Next(mapping, &pos, &key, &value)) {
        Py_UCS4 cp = PyUnicode_READ_CHAR(key, 0);
        Py_ssize_t len = PyUnicode_GET_LENGTH(value);
        for (Py_ssize_t k = 0; k < len; k++) {
            new_pool[used + k] = PyUnicode_READ_CHAR(value, k);
        }
        int32_t packed = (int32_t)((len << 24) | used);
        used += len;
        if (len > longest) {
            longest = (int)len;
        }
        if (cp < 0x10000) {
            table[cp] = packed;
        }
        else {
            pairs[2 * n_astral] = cp;
            pairs[2 * n_astral + 1] = (Py_UCS4)packed;
            n_astral++;
        }
    }
    qsort(pairs, n_astral, 2 * sizeof(Py_UCS4), cmp_ucs4);
    for (Py_ssize_t i = 0; i < n_astral; i++) {
        cps[i] = pairs[2 * i];
        values[i] = (int32_t)pairs[2 * i + 1];
    }
    PyMem_RawFree(pairs);
    PyMem_RawFree(bmp_table);
    PyMem_RawFree(pool);
    PyMem_RawFree(astral_cp);
    PyMem_RawFree(astral_value);
    bmp_table = table;
    pool = new_pool;
    pool_len = used;
    astral_cp = cps;
    astral_value = values;
    astral_count = n_astral;
    max_expansion = longest;
    Py_RETURN_NONE;
}

/* A normalised text: either the original text's own data (nothing folds), or a buffer of code
 * points with, once offsets drift, the original offset of each. */
typedef struct {
    const void *data;
    int kind;
    Py_ssize_t n;
    Py_UCS4 maxchar;
    Py_UCS4 *buffer;  /* owned, or NULL when `data` is the original text's */
    int32_t *index;   /* owned, or NULL when every character sits at its own offset */
} Norm;

static void
norm_free(Norm *nb)
{
    PyMem_Free(nb->buffer);
    PyMem_Free(nb->index);
    nb->buffer = NULL;
    nb->index = NULL;
}

/* Normalises `text` (a str) into `nb`: 0, or -1 with an exception set. */
static int
normalize_into(PyObject *text, Norm *nb)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t i = 0;
    nb->buffer = NULL;
    nb->index = NULL;
    /* The common case for ASCII and much of the rest: nothing folds. */
    for (; i < n; i++) {
        if (lookup(PyUnicode_READ(kind, data, i)) != IDENTITY) {
            break;
        }
    }
    if (i == n) {
        nb->data = data;
        nb->kind = kind;
        nb->n = n;
        nb->maxchar = 0;
        return 0;
    }
    Py_ssize_t cap = n + 16;
    Py_UCS4 *out = PyMem_Malloc(sizeof(Py_UCS4) * cap);
    int32_t *index = NULL;
    if (out == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t o = 0;
    Py_UCS4 maxchar = 0;
    for (Py_ssize_t j = 0; j < i; j++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, j);
        out[o++] = cp;
        if (cp > maxchar) {
            maxchar = cp;
        }
    }
    for (; i < n; i++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        int32_t v = lookup(cp);
        Py_ssize_t len;
        const Py_UCS4 *src;
        if (v == IDENTITY) {
            len = 1;
            src = &cp;
        }
        else {
            len = (Py_ssize_t)(((uint32_t)v) >> 24);
            src = pool + (v & 0xFFFFFF);
        }
        if (len != 1 && index == NULL) {
            /* From here on offsets drift: record them, the ones so far being the identity. */
            index = PyMem_Malloc(sizeof(int32_t) * cap);
            if (index == NULL) {
                PyMem_Free(out);
                PyErr_NoMemory();
                return -1;
            }
            for (Py_ssize_t j = 0; j < o; j++) {
                index[j] = (int32_t)j;
            }
        }
        if (o + len > cap) {
            Py_ssize_t grown = cap * 2 + len;
            Py_UCS4 *bigger = PyMem_Realloc(out, sizeof(Py_UCS4) * grown);
            if (bigger == NULL) {
                PyMem_Free(out);
                PyMem_Free(index);
                PyErr_NoMemory();
                return -1;
            }
            out = bigger;
            if (index != NULL) {
                int32_t *bigger_index = PyMem_Realloc(index, sizeof(int32_t) * grown);
                if (bigger_index == NULL) {
                    PyMem_Free(out);
                    PyMem_Free(index);
                    PyErr_NoMemory();
                    return -1;
                }
                index = bigger_index;
            }
            cap = grown;
        }
        for (Py_ssize_t k = 0; k < len; k++) {
            Py_UCS4 c = src[k];
            if (c > maxchar) {
                maxchar = c;
            }
            if (index != NULL) {
                index[o] = (int32_t)i;
            }
            out[o++] = c;
        }
    }
    nb->data = out;
    nb->kind = PyUnicode_4BYTE_KIND;
    nb->n = o;
    nb->maxchar = maxchar;
    nb->buffer = out;
    nb->index = index;
    return 0;
}

/* normalize(text) -> (norm, index or None) */
static PyObject *
normalize(PyObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "normalize() takes a str");
        return NULL;
    }
    if (bmp_table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "normalize() before configure()");
        return NULL;
    }
    Norm nb;
    if (normalize_into(text, &nb) < 0) {
        return NULL;
    }
    if (nb.buffer == NULL) {
        return Py_BuildValue("(OO)", text, Py_None);
    }
    PyObject *norm = PyUnicode_New(nb.n, nb.maxchar);
    if (norm == NULL) {
        norm_free(&nb);
        return NULL;
    }
    int okind = PyUnicode_KIND(norm);
    void *odata = PyUnicode_DATA(norm);
    for (Py_ssize_t j = 0; j < nb.n; j++) {
        PyUnicode_WRITE(okind, odata, j, nb.buffer[j]);
    }
    PyObject *index_obj;
    if (nb.index != NULL) {
        index_obj = PyBytes_FromStringAndSize((const char *)nb.index, sizeof(int32_t) * nb.n);
        if (index_obj == NULL) {
            norm_free(&nb);
            Py_DECREF(norm);
            return NULL;
        }
    }
    else {
        index_obj = Py_NewRef(Py_None);
    }
    norm_free(&nb);
    PyObject *result = PyTuple_Pack(2, norm, index_obj);
    Py_DECREF(norm);
    Py_DECREF(index_obj);
    return result;
}

/* fold(text) -> str: normalize(text)'s text with every run of white space made one space and
 * the ends trimmed, as `" ".join(norm.split())`: the form of watchlist aliases, folded by the
 * hundred thousand when a large watchlist is built. */
static PyObject *
fold(PyObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "fold() takes a str");
        return NULL;
    }
    if (bmp_table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "fold() before configure()");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_UCS4 small[256];
    Py_UCS4 *out = small;
    if (n > (Py_ssize_t)(sizeof(small) / sizeof(small[0])) / max_expansion) {
        if (n > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(Py_UCS4) / max_expansion) {
            return PyErr_NoMemory();
        }
        out = PyMem_Malloc(sizeof(Py_UCS4) * n * max_expansion);
        if (out == NULL) {
            return PyErr_NoMemory();
        }
    }
    Py_ssize_t o = 0;
    int space = 0; /* white space seen since the last character written */
    Py_UCS4 maxchar = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        int32_t v = lookup(cp);
        Py_ssize_t len = 1;
        const Py_UCS4 *src = &cp;
        if (v != IDENTITY) {
            len = (Py_ssize_t)(((uint32_t)v) >> 24);
            src = pool + (v & 0xFFFFFF);
        }
        for (Py_ssize_t k = 0; k < len; k++) {
            Py_UCS4 c = src[k];
            if (Py_UNICODE_ISSPACE(c)) {
                space = 1;
                continue;
            }
            if (space && o > 0) {
                out[o++] = ' ';
                if (maxchar < ' ') {
                    maxchar = ' ';
                }
            }
            space = 0;
            if (c > maxchar) {
                maxchar = c;
            }
            out[o++] = c;
        }
    }
    PyObject *result = PyUnicode_New(o, maxchar);
    if (result != NULL) {
        int okind = PyUnicode_KIND(result);
        void *odata = PyUnicode_DATA(result);
        for (Py_ssize_t j = 0; j < o; j++) {
            PyUnicode_WRITE(okind, odata, j, out[j]);
        }
    }
    if (out != small) {
        PyMem_Free(out);
    }
    return result;
}

/* ---------------------------------------------------------------------------------------- */
/* Resolving automaton hits into matches (see matching.py for the rules)                     */

enum { ROLE_ALIAS = 0, ROLE_AMBIGUOUS = 1, ROLE_CONTEXT = 2 };
/* Pattern fields (a named tuple): entity, alias, role, first, rest, arabic */
enum { P_ENTITY = 0, P_ALIAS, P_ROLE, P_FIRST, P_REST, P_ARABIC, P_FIELDS };
#define MAX_ENDING 4

typedef struct {
    const void *data; /* the normalised text */
    int kind;
    Py_ssize_t n;
    const void *odata; /* the original text */
    int okind;
    Py_ssize_t on;
    const int32_t *index; /* original offset per normalised char, or NULL */
    PyObject *arabic_suffixes;
    int tags; /* -1 unknown, else whether the text has '#' or '@' */
    /* The last run of letters and digits read back by `run_start`: norm[run_lo:run_hi + 1]
     * is all letters and digits, and run_lo starts a run (empty while run_hi < run_lo). */
    Py_ssize_t run_lo, run_hi;
} Text;

static inline Py_UCS4
ch(const Text *t, Py_ssize_t i)
{
    return PyUnicode_READ(t->kind, t->data, i);
}

static inline int
is_alnum(Py_UCS4 c)
{
    return Py_UNICODE_ISALNUM(c);
}

static inline Py_ssize_t
orig(const Text *t, Py_ssize_t pos)
{
    if (t->index == NULL) {
        return pos;
    }
    return pos < t->n ? t->index[pos] : t->on;
}

/* Where the run of letters and digits that ends before `pos` starts. The run read last is
 * remembered: the hits inside one long hashtag would each read it back again (quadratic). */
static Py_ssize_t
run_start(Text *t, Py_ssize_t pos)
{
    Py_ssize_t i = pos;
    while (i > 0 && is_alnum(ch(t, i - 1))) {
        i--;
        if (t->run_lo <= i && i <= t->run_hi) {
            i = t->run_lo;
            break;
        }
    }
    if (i < pos) {
        if (i == t->run_lo) {
            if (pos - 1 > t->run_hi) {
                t->run_hi = pos - 1;
            }
        }
        else {
            t->run_lo = i;
            t->run_hi = pos - 1;
        }
    }
    return i;
}

/* True when `pos` is a CamelCase word boundary inside a hashtag or @-handle. */
static int
camel_at(Text *t, Py_ssize_t pos)
{
    if (pos <= 0 || pos >= t->n) {
        return 0;
    }
    Py_ssize_t o = orig(t, pos);
    if (o <= 0 || o >= t->on) {
        return 0;
    }
    Py_UCS4 prev = PyUnicode_READ(t->okind, t->odata, o - 1);
    Py_UCS4 cur = PyUnicode_READ(t->okind, t->odata, o);
    int upper_after_lower =
        Py_UNICODE_ISUPPER(cur) && (Py_UNICODE_ISLOWER(prev) || Py_UNICODE_ISDIGIT(prev));
    int digit_after_letter = Py_UNICODE_ISDIGIT(cur) && Py_UNICODE_ISALPHA(prev);
    if (!upper_after_lower && !digit_after_letter) {
        return 0;
    }
    Py_ssize_t i = run_start(t, pos);
    if (i <= 0) {
        return 0;
    }
    Py_UCS4 c = ch(t, i - 1);
    return c == '#' || c == '@';
}

/* Whether the substring norm[a:b] is in `set` (a frozenset of str): 1, 0, or -1 on error. */
static int
slice_in(const Text *t, Py_ssize_t a, Py_ssize_t b, PyObject *set)
{
    PyObject *s = PyUnicode_FromKindAndData(t->kind, (const char *)t->data + a * t->kind, b - a);
    if (s == NULL) {
        return -1;
    }
    int found = PySet_Contains(set, s);
    Py_DECREF(s);
    return found;
}

/* End of the word whose stem ends at `pos`, if what follows is an allowed ending; -1 when not;
 * -2 on error. `endings` is a frozenset or None. */
static Py_ssize_t
word_end(Text *t, Py_ssize_t pos, PyObject *endings, int arabic)
{
    Py_ssize_t n = t->n;
    if (pos >= n || !is_alnum(ch(t, pos))) {
        if (endings == Py_None) {
            return pos;
        }
        PyObject *empty = PyUnicode_New(0, 0);
        if (empty == NULL) {
            return -2;
        }
        int found = PySet_Contains(endings, empty);
        Py_DECREF(empty);
        if (found < 0) {
            return -2;
        }
        return found ? pos : -1;
    }
    Py_ssize_t j = pos, limit = pos + MAX_ENDING + 1;
    while (j < n && j < limit && Py_UNICODE_ISALPHA(ch(t, j))) {
        j++;
    }
    if (j < n && is_alnum(ch(t, j))) {
        return (endings == Py_None && camel_at(t, pos)) ? pos : -1;
    }
    if (endings != Py_None) {
        int found = slice_in(t, pos, j, endings);
        if (found < 0) {
            return -2;
        }
        return found ? j : -1;
    }
    if (arabic) {
        int found = slice_in(t, pos, j, t->arabic_suffixes);
        if (found < 0) {
            return -2;
        }
        if (found) {
            return pos;
        }
    }
    return camel_at(t, pos) ? pos : -1;
}

/* Whether norm[pos:] starts with `stem`. */
static int
starts_with(const Text *t, Py_ssize_t pos, PyObject *stem)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(stem);
    if (pos + len > t->n) {
        return 0;
    }
    int skind = PyUnicode_KIND(stem);
    const void *sdata = PyUnicode_DATA(stem);
    for (Py_ssize_t k = 0; k < len; k++) {
        if (ch(t, pos + k) != PyUnicode_READ(skind, sdata, k)) {
            return 0;
        }
    }
    return 1;
}

/* Where the match of `p` whose key ends at `pos` ends: -1 when it does not match, -2 on error. */
static Py_ssize_t
match_end(Text *t, Py_ssize_t pos, PyObject *p)
{
    PyObject *first = PyTuple_GET_ITEM(p, P_FIRST);
    PyObject *rest = PyTuple_GET_ITEM(p, P_REST);
    int arabic = PyTuple_GET_ITEM(p, P_ARABIC) == Py_True;
    pos = word_end(t, pos, first, arabic);
    if (pos < 0) {
        return pos;
    }
    Py_ssize_t words = PyTuple_GET_SIZE(rest);
    for (Py_ssize_t w = 0; w < words; w++) {
        PyObject *pair = PyTuple_GET_ITEM(rest, w);
        PyObject *stem = PyTuple_GET_ITEM(pair, 0);
        PyObject *endings = PyTuple_GET_ITEM(pair, 1);
        if (pos >= t->n || ch(t, pos) != ' ' || !starts_with(t, pos + 1, stem)) {
            return -1;
        }
        pos = word_end(t, pos + 1 + PyUnicode_GET_LENGTH(stem), endings, 0);
        if (pos < 0) {
            return pos;
        }
    }
    return pos;
}

/* Whether the letters before `start` (at most three, the whole run back to a non-letter) are an
 * Arabic proclitic. */
static int
arabic_prefix(const Text *t, Py_ssize_t start, PyObject *proclitics)
{
    Py_ssize_t i = start;
    while (i > 0 && is_alnum(ch(t, i - 1)) && start - i < 4) {
        i--;
    }
    if (i > 0 && is_alnum(ch(t, i - 1))) {
        return 0;
    }
    return slice_in(t, i, start, proclitics);
}

typedef struct {
    Py_ssize_t start, end;
    PyObject *pattern; /* borrowed */
} Found;

static int
cmp_found(const void *a, const void *b)
{
    const Found *x = a, *y = b;
    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    Py_ssize_t lx = x->end - x->start, ly = y->end - y->start;
    if (lx != ly) {
        return lx > ly ? -1 : 1; /* longest first */
    }
    return 0;
}

typedef struct {
    Py_ssize_t *items;
    Py_ssize_t len, cap;
} IntSet; /* a small set of entity indexes, linear search (a post has few) */

static int
intset_add(IntSet *s, Py_ssize_t v)
{
    for (Py_ssize_t i = 0; i < s->len; i++) {
        if (s->items[i] == v) {
            return 0;
        }
    }
    if (s->len == s->cap) {
        Py_ssize_t cap = s->cap ? s->cap * 2 : 8;
        Py_ssize_t *bigger = PyMem_Realloc(s->items, sizeof(Py_ssize_t) * cap);
        if (bigger == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        s->items = bigger;
        s->cap = cap;
    }
    s->items[s->len++] = v;
    return 0;
}

static int
intset_has(const IntSet *s, Py_ssize_t v)
{
    for (Py_ssize_t i = 0; i < s->len; i++) {
        if (s->items[i] == v) {
            return 1;
        }
    }
    return 0;
}

/* The resolution of one text's hits: the candidates found so far, the entities confirmed, the
 * trigger bits. */
typedef struct {
    Text t;
    PyObject *values; /* list, per key: (key length, patterns, arabic, bits) */
    PyObject *proclitics;
    Found *found;
    Py_ssize_t n_found, cap_found;
    IntSet confirmed;
    long mask;
} Resolver;

static void
resolver_init(Resolver *r, const void *data, int kind, Py_ssize_t n, const int32_t *index,
              PyObject *text, PyObject *values, PyObject *suffixes, PyObject *proclitics)
{
    memset(r, 0, sizeof(*r));
    r->t.data = data;
    r->t.kind = kind;
    r->t.n = n;
    r->t.odata = PyUnicode_DATA(text);
    r->t.okind = PyUnicode_KIND(text);
    r->t.on = PyUnicode_GET_LENGTH(text);
    r->t.index = index;
    r->t.arabic_suffixes = suffixes;
    r->t.tags = -1;
    r->t.run_lo = 0;
    r->t.run_hi = -1;
    r->values = values;
    r->proclitics = proclitics;
}

static void
resolver_free(Resolver *r)
{
    PyMem_Free(r->found);
    PyMem_Free(r->confirmed.items);
    r->found = NULL;
    r->confirmed.items = NULL;
}

static int
has_tag_char(const Text *t)
{
    for (Py_ssize_t i = 0; i < t->n; i++) {
        Py_UCS4 c = ch(t, i);
        if (c == '#' || c == '@') {
            return 1;
        }
    }
    return 0;
}

/* One hit: key `key` at norm[start:key_end] (checked by the caller). 0, or -1 on error. */
static int
resolve_hit(Resolver *r, Py_ssize_t key, Py_ssize_t start, Py_ssize_t key_end)
{
    Text *t = &r->t;
    PyObject *value = PyList_GET_ITEM(r->values, key);
    if (!PyTuple_Check(value) || PyTuple_GET_SIZE(value) != 4) {
        PyErr_SetString(PyExc_TypeError, "resolve(): a value is (length, patterns, arabic, bits)");
        return -1;
    }
    PyObject *patterns = PyTuple_GET_ITEM(value, 1);
    int key_arabic = PyTuple_GET_ITEM(value, 2) == Py_True;
    r->mask |= PyLong_AsLong(PyTuple_GET_ITEM(value, 3));
    if (PyErr_Occurred()) {
        return -1;
    }
    if (PyTuple_GET_SIZE(patterns) == 0) {
        return 0;
    }
    int arabic_only = 0;
    if (start > 0 && is_alnum(ch(t, start - 1))) {
        /* Inside a run of letters: only after an Arabic proclitic, or at a CamelCase
         * boundary of a hashtag or handle. */
        int prefixed = 0;
        if (key_arabic) {
            prefixed = arabic_prefix(t, start, r->proclitics);
            if (prefixed < 0) {
                return -1;
            }
        }
        if (prefixed) {
            arabic_only = 1;
        }
        else {
            if (t->tags < 0) {
                t->tags = has_tag_char(t);
            }
            if (!t->tags || !camel_at(t, start)) {
                return 0;
            }
        }
    }
    Py_ssize_t n_patterns = PyTuple_GET_SIZE(patterns);
    for (Py_ssize_t k = 0; k < n_patterns; k++) {
        PyObject *p = PyTuple_GET_ITEM(patterns, k);
        if (arabic_only && PyTuple_GET_ITEM(p, P_ARABIC) != Py_True) {
            continue;
        }
        Py_ssize_t end = match_end(t, key_end, p);
        if (end == -2) {
            return -1;
        }
        if (end < 0) {
            continue;
        }
        long role = PyLong_AsLong(PyTuple_GET_ITEM(p, P_ROLE));
        if (role == ROLE_CONTEXT) {
            Py_ssize_t entity = PyLong_AsSsize_t(PyTuple_GET_ITEM(p, P_ENTITY));
            if (intset_add(&r->confirmed, entity) < 0) {
                return -1;
            }
            continue;
        }
        if (r->n_found == r->cap_found) {
            Py_ssize_t cap = r->cap_found ? r->cap_found * 2 : 16;
            Found *bigger = PyMem_Realloc(r->found, sizeof(Found) * cap);
            if (bigger == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            r->found = bigger;
            r->cap_found = cap;
        }
        r->found[r->n_found].start = start;
        r->found[r->n_found].end = end;
        r->found[r->n_found].pattern = p;
        r->n_found++;
    }
    return 0;
}

/* The matches of the hits resolved so far: (list of match_type, trigger bits), or NULL. */
static PyObject *
resolve_finish(Resolver *r, PyTypeObject *match_type)
{
    Text *t = &r->t;
    Found *found = r->found;
    Py_ssize_t n_found = r->n_found;
    PyObject *out = PyList_New(0);
    if (out == NULL || n_found == 0) {
        goto done;
    }
    /* Leftmost longest: by start, longest first, in hit order among equals (a stable sort). */
    if (n_found > 1) {
        /* qsort is not stable: insertion sort, which is stable and fast for a handful. */
        for (Py_ssize_t i = 1; i < n_found; i++) {
            Found f = found[i];
            Py_ssize_t j = i;
            while (j > 0 && cmp_found(&found[j - 1], &f) > 0) {
                found[j] = found[j - 1];
                j--;
            }
            found[j] = f;
        }
    }
    Py_ssize_t reach = -1, n_chosen = 0;
    for (Py_ssize_t i = 0; i < n_found; i++) {
        if (found[i].start < reach) {
            continue;
        }
        found[n_chosen++] = found[i];
        reach = found[i].end;
        PyObject *p = found[i].pattern;
        if (PyLong_AsLong(PyTuple_GET_ITEM(p, P_ROLE)) == ROLE_ALIAS) {
            if (intset_add(&r->confirmed, PyLong_AsSsize_t(PyTuple_GET_ITEM(p, P_ENTITY))) < 0) {
                goto fail;
            }
        }
    }
    for (Py_ssize_t i = 0; i < n_chosen; i++) {
        PyObject *p = found[i].pattern;
        PyObject *entity = PyTuple_GET_ITEM(p, P_ENTITY);
        int ambiguous = PyLong_AsLong(PyTuple_GET_ITEM(p, P_ROLE)) == ROLE_AMBIGUOUS;
        if (ambiguous && !intset_has(&r->confirmed, PyLong_AsSsize_t(entity))) {
            continue;
        }
        Py_ssize_t s = found[i].start, e = found[i].end, os, oe;
        if (t->index == NULL) {
            os = s;
            oe = e;
        }
        else if (e <= s) {
            os = oe = orig(t, s);
        }
        else {
            os = orig(t, s);
            oe = orig(t, e - 1) + 1;
        }
        PyObject *m = match_type->tp_alloc(match_type, 5);
        if (m == NULL) {
            goto fail;
        }
        PyObject *alias = PyTuple_GET_ITEM(p, P_ALIAS);
        PyObject *ostart = PyLong_FromSsize_t(os), *oend = PyLong_FromSsize_t(oe);
        if (ostart == NULL || oend == NULL) {
            Py_XDECREF(ostart);
            Py_XDECREF(oend);
            Py_DECREF(m);
            goto fail;
        }
        PyTuple_SET_ITEM(m, 0, Py_NewRef(entity));
        PyTuple_SET_ITEM(m, 1, Py_NewRef(alias));
        PyTuple_SET_ITEM(m, 2, ostart);
        PyTuple_SET_ITEM(m, 3, oend);
        PyTuple_SET_ITEM(m, 4, Py_NewRef(ambiguous ? Py_True : Py_False));
        int appended = PyList_Append(out, m);
        Py_DECREF(m);
        if (appended < 0) {
            goto fail;
        }
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    if (out == NULL) {
        return NULL;
    }
    return Py_BuildValue("(Nl)", out, r->mask);
}

/* ---------------------------------------------------------------------------------------- */
/* An Aho-Corasick automaton over code points                                               */

/* Every code point that occurs in a key has a class, 1 and up in code point order; any other
 * has class 0 and sends the search back to the root. The states are numbered breadth first
 * from the root (0), so the children of a state are consecutive and sorted by class: those of
 * state s are first[s] to first[s + 1] - 1, each with the class of its edge in `edge`. The
 * shallow states, 0 to n_dense - 1 (the root and the levels below it whose rows fit in
 * `dense_cells` cells, DENSE_CELLS unless the caller says otherwise), also have a full row by
 * class of the state after each class, failure links followed: most positions of a text are at
 * most a few letters deep, and a search that falls back down the failure links stops at the
 * first shallow state. A step gives the next state with one more bit, whether any key ends
 * there (`edge` is class << 1 and that bit, a row's cell the state << 1 and that bit), so that
 * the search reads nothing more of a state where none does (most). `out` is the first key that
 * ends at a state, `dict` the nearest state down the failure links where one ends
 * (overlapping matches), `same` the next key of the same string. */
#define DENSE_CELLS (1 << 18)

typedef struct {
    PyObject_HEAD
    Py_ssize_t n_keys;
    int32_t n_states;
    int32_t n_classes;
    int32_t *pages[256]; /* BMP classes, 256 code points a page; NULL where none occurs */
    Py_UCS4 *astral_cps; /* sorted */
    int32_t *astral_classes;
    Py_ssize_t n_astral;
    int32_t n_dense;
    int32_t *rows;  /* n_dense rows of n_classes + 1 */
    int32_t *first; /* n_states + 1 */
    int32_t *edge, *fail, *out, *dict; /* n_states each */
    int32_t *same, *key_len;            /* n_keys each */
    Py_ssize_t nbytes;
} Automaton;

static inline int32_t
ac_class(const Automaton *a, Py_UCS4 cp)
{
    if (cp < 0x10000) {
        const int32_t *page = a->pages[cp >> 8];
        return page != NULL ? page[cp & 0xFF] : 0;
    }
    Py_ssize_t lo = 0, hi = a->n_astral;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (a->astral_cps[mid] < cp) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return lo < a->n_astral && a->astral_cps[lo] == cp ? a->astral_classes[lo] : 0;
}

/* The child of state s (not the root) by class c, as state << 1 and its bit, or 0 for none. */
static inline int32_t
ac_child(const Automaton *a, int32_t s, int32_t c)
{
    int32_t lo = a->first[s], hi = a->first[s + 1], c2 = c << 1;
    const int32_t *edge = a->edge;
    while (hi - lo > 8) {
        int32_t mid = lo + (hi - lo) / 2;
        if (edge[mid] < c2) {
            lo = mid + 1;
        }
        else {
            hi = mid + 1; /* edge[mid] may be c's */
        }
    }
    for (; lo < hi; lo++) {
        if (edge[lo] >= c2) {
            return (edge[lo] >> 1) == c ? (lo << 1) | (edge[lo] & 1) : 0;
        }
    }
    return 0;
}

/* The state after reading class c in state s, as state << 1 and its bit. */
static inline int32_t
ac_step(const Automaton *a, int32_t s, int32_t c)
{
    if (c == 0) {
        return 0;
    }
    while (s >= a->n_dense) {
        int32_t t = ac_child(a, s, c);
        if (t != 0) {
            return t;
        }
        s = a->fail[s];
    }
    return a->rows[(size_t)s * (a->n_classes + 1) + c];
}

typedef struct {
    int32_t key, start, end;
} Hit;

typedef struct {
    Hit *items;
    Py_ssize_t len, cap;
    Hit small[32];
} Hits;

static int
hits_push(Hits *h, int32_t key, int32_t start, int32_t end)
{
    if (h->len == h->cap) {
        Py_ssize_t cap = h->cap * 2;
        Hit *bigger;
        if (h->items == h->small) {
            bigger = PyMem_Malloc(sizeof(Hit) * cap);
            if (bigger != NULL) {
                memcpy(bigger, h->small, sizeof(h->small));
            }
        }
        else {
            bigger = PyMem_Realloc(h->items, sizeof(Hit) * cap);
        }
        if (bigger == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        h->items = bigger;
        h->cap = cap;
    }
    h->items[h->len++] = (Hit){key, start, end};
    return 0;
}

static void
hits_init(Hits *h)
{
    h->items = h->small;
    h->len = 0;
    h->cap = (Py_ssize_t)(sizeof(h->small) / sizeof(h->small[0]));
}

static void
hits_free(Hits *h)
{
    if (h->items != h->small) {
        PyMem_Free(h->items);
    }
    h->items = h->small;
}

/* Every occurrence of every key in the text (overlapping), by where it ends, the longest
 * first among those that end together. 0, or -1 on error. */
static int
ac_search(const Automaton *a, int kind, const void *data, Py_ssize_t n, Hits *h)
{
    if (a->n_keys == 0) {
        return 0;
    }
    int32_t s = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 cp = kind == PyUnicode_1BYTE_KIND   ? ((const Py_UCS1 *)data)[i]
                     : kind == PyUnicode_2BYTE_KIND ? ((const Py_UCS2 *)data)[i]
                                                    : ((const Py_UCS4 *)data)[i];
        int32_t next = ac_step(a, s, ac_class(a, cp));
        s = next >> 1;
        if (!(next & 1)) {
            continue;
        }
        for (int32_t d = a->out[s] >= 0 ? s : a->dict[s]; d > 0; d = a->dict[d]) {
            for (int32_t k = a->out[d]; k >= 0; k = a->same[k]) {
                if (hits_push(h, k, (int32_t)(i + 1) - a->key_len[k], (int32_t)(i + 1)) < 0) {
                    return -1;
                }
            }
        }
    }
    return 0;
}

static void
automaton_dealloc(Automaton *a)
{
    for (int p = 0; p < 256; p++) {
        PyMem_RawFree(a->pages[p]);
    }
    PyMem_RawFree(a->astral_cps);
    PyMem_RawFree(a->astral_classes);
    PyMem_RawFree(a->rows);
    PyMem_RawFree(a->first);
    PyMem_RawFree(a->edge);
    PyMem_RawFree(a->fail);
    PyMem_RawFree(a->out);
    PyMem_RawFree(a->dict);
    PyMem_RawFree(a->same);
    PyMem_RawFree(a->key_len);
    Py_TYPE(a)->tp_free((PyObject *)a);
}

/* A key while building: its code points, read in place. */
typedef struct {
    const void *data;
    int kind;
    int32_t len;
    int32_t index;
} Key;

static inline Py_UCS4
key_at(const Key *k, int32_t i)
{
    return PyUnicode_READ(k->kind, k->data, i);
}

static int
cmp_key(const void *pa, const void *pb)
{
    const Key *x = pa, *y = pb;
    int32_t n = x->len < y->len ? x->len : y->len;
    for (int32_t i = 0; i < n; i++) {
        Py_UCS4 a = key_at(x, i), b = key_at(y, i);
        if (a != b) {
            return a < b ? -1 : 1;
        }
    }
    if (x->len != y->len) {
        return x->len < y->len ? -1 : 1;
    }
    return (x->index > y->index) - (x->index < y->index);
}

static int
automaton_build(Automaton *a, PyObject *keys, Py_ssize_t dense_cells)
{
    Py_ssize_t n_keys = PyList_GET_SIZE(keys);
    if (n_keys >= INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "Automaton(): too many keys");
        return -1;
    }
    a->n_keys = n_keys;
    Key *sorted = PyMem_RawMalloc(sizeof(Key) * (n_keys + 1));
    uint8_t *seen = PyMem_RawCalloc(0x10000 / 8, 1);
    Py_UCS4 *astral = NULL;
    Py_ssize_t n_astral = 0, cap_astral = 0;
    int32_t *lo = NULL, *hi = NULL;
    int result = -1;
    a->same = PyMem_RawMalloc(sizeof(int32_t) * (n_keys + 1));
    a->key_len = PyMem_RawMalloc(sizeof(int32_t) * (n_keys + 1));
    if (sorted == NULL || seen == NULL || a->same == NULL || a->key_len == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* The keys, and which code points occur in them. */
    int64_t total = 0;
    for (Py_ssize_t k = 0; k < n_keys; k++) {
        PyObject *key = PyList_GET_ITEM(keys, k);
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "Automaton(): a key is a str");
            goto done;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        if (len == 0) {
            PyErr_SetString(PyExc_ValueError, "Automaton(): an empty key");
            goto done;
        }
        total += len;
        if (len >= INT32_MAX || total >= INT32_MAX) {
            PyErr_SetString(PyExc_ValueError, "Automaton(): keys too long");
            goto done;
        }
        Key *kk = &sorted[k];
        kk->data = PyUnicode_DATA(key);
        kk->kind = PyUnicode_KIND(key);
        kk->len = (int32_t)len;
        kk->index = (int32_t)k;
        a->key_len[k] = (int32_t)len;
        a->same[k] = -1;
        for (int32_t i = 0; i < kk->len; i++) {
            Py_UCS4 cp = key_at(kk, i);
            if (cp < 0x10000) {
                seen[cp >> 3] |= (uint8_t)(1 << (cp & 7));
            }
            else {
                if (n_astral == cap_astral) {
                    cap_astral = cap_astral ? cap_astral * 2 : 16;
                    Py_UCS4 *bigger = PyMem_RawRealloc(astral, sizeof(Py_UCS4) * cap_astral);
                    if (bigger == NULL) {
                        PyErr_NoMemory();
                        goto done;
                    }
                    astral = bigger;
                }
                astral[n_astral++] = cp;
            }
        }
    }
    /* Classes in code point order, so that keys sorted by code point are sorted by class. */
    int32_t n_classes = 0;
    for (Py_UCS4 cp = 0; cp < 0x10000; cp++) {
        if (!(seen[cp >> 3] & (1 << (cp & 7)))) {
            continue;
        }
        int32_t **page = &a->pages[cp >> 8];
        if (*page == NULL) {
            *page = PyMem_RawCalloc(256, sizeof(int32_t));
            if (*page == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            a->nbytes += 256 * sizeof(int32_t);
        }
        (*page)[cp & 0xFF] = ++n_classes;
    }
    qsort(astral, n_astral, sizeof(Py_UCS4), cmp_ucs4);
    Py_ssize_t distinct = 0;
    for (Py_ssize_t i = 0; i < n_astral; i++) {
        if (distinct == 0 || astral[distinct - 1] != astral[i]) {
            astral[distinct++] = astral[i];
        }
    }
    a->astral_cps = PyMem_RawMalloc(sizeof(Py_UCS4) * (distinct + 1));
    a->astral_classes = PyMem_RawMalloc(sizeof(int32_t) * (distinct + 1));
    if (a->astral_cps == NULL || a->astral_classes == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < distinct; i++) {
        a->astral_cps[i] = astral[i];
        a->astral_classes[i] = ++n_classes;
    }
    a->n_astral = distinct;
    a->n_classes = n_classes;
    /* The trie, breadth first from the keys in code point order: a state stands for the keys
     * sorted[lo[s]:hi[s]], which share its prefix; its children split them by their next
     * code point. First the number of states: one per distinct prefix. */
    qsort(sorted, n_keys, sizeof(Key), cmp_key);
    int64_t n_states = 1;
    for (Py_ssize_t k = 0; k < n_keys; k++) {
        int32_t common = 0;
        if (k > 0) {
            const Key *x = &sorted[k - 1], *y = &sorted[k];
            int32_t m = x->len < y->len ? x->len : y->len;
            while (common < m && key_at(x, common) == key_at(y, common)) {
                common++;
            }
        }
        n_states += sorted[k].len - common;
    }
    if (n_states >= INT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "Automaton(): too many states");
        goto done;
    }
    a->n_states = (int32_t)n_states;
    a->rows = PyMem_RawCalloc(n_classes + 1, sizeof(int32_t)); /* the root's, for now */
    a->first = PyMem_RawMalloc(sizeof(int32_t) * (n_states + 1));
    a->edge = PyMem_RawMalloc(sizeof(int32_t) * n_states);
    a->out = PyMem_RawMalloc(sizeof(int32_t) * n_states);
    lo = PyMem_RawMalloc(sizeof(int32_t) * n_states);
    hi = PyMem_RawMalloc(sizeof(int32_t) * n_states);
    if (a->rows == NULL || a->first == NULL || a->edge == NULL || a->out == NULL || lo == NULL ||
        hi == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    lo[0] = 0;
    hi[0] = (int32_t)n_keys;
    a->edge[0] = 0;
    int32_t next = 1, depth = 0, level_end = 1, n_dense = 1;
    for (int32_t s = 0; s < n_states; s++) {
        if (s == level_end) {
            /* States 0 to next - 1 are those up to this depth. */
            depth++;
            level_end = next;
            if (n_dense == s && (int64_t)next * (n_classes + 1) <= dense_cells) {
                n_dense = next;
            }
        }
        int32_t i = lo[s], stop = hi[s];
        /* The keys that end here come first; the same string twice, in key order. */
        a->out[s] = -1;
        int32_t *tail = &a->out[s];
        for (; i < stop && sorted[i].len == depth; i++) {
            *tail = sorted[i].index;
            tail = &a->same[sorted[i].index];
        }
        a->first[s] = next;
        while (i < stop) {
            Py_UCS4 cp = key_at(&sorted[i], depth);
            int32_t j = i + 1;
            while (j < stop && key_at(&sorted[j], depth) == cp) {
                j++;
            }
            if (next >= n_states) {
                PyErr_SetString(PyExc_SystemError, "Automaton(): state count");
                goto done;
            }
            a->edge[next] = ac_class(a, cp) << 1;
            lo[next] = i;
            hi[next] = j;
            next++;
            i = j;
        }
    }
    a->first[n_states] = next;
    PyMem_RawFree(lo);
    PyMem_RawFree(hi);
    lo = hi = NULL;
    PyMem_RawFree(sorted);
    sorted = NULL;
    for (int32_t t = a->first[0]; t < a->first[1]; t++) {
        a->rows[a->edge[t] >> 1] = t << 1;
    }
    a->n_dense = 1;
    /* Failure and dictionary links, breadth first: a state's failure target is shallower. */
    a->fail = PyMem_RawMalloc(sizeof(int32_t) * n_states);
    a->dict = PyMem_RawMalloc(sizeof(int32_t) * n_states);
    if (a->fail == NULL || a->dict == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    a->fail[0] = 0;
    a->dict[0] = -1;
    for (int32_t s = 0; s < n_states; s++) {
        for (int32_t t = a->first[s]; t < a->first[s + 1]; t++) {
            int32_t f = s == 0 ? 0 : ac_step(a, a->fail[s], a->edge[t] >> 1) >> 1;
            a->fail[t] = f;
            a->dict[t] = a->out[f] >= 0 ? f : a->dict[f];
            if (a->out[t] >= 0 || a->dict[t] >= 0) {
                a->edge[t] |= 1;
            }
        }
    }
    for (int32_t t = a->first[0]; t < a->first[1]; t++) {
        a->rows[a->edge[t] >> 1] = (t << 1) | (a->edge[t] & 1);
    }
    /* The rows of the shallow states: a state's is its failure target's (shallower, so done
     * already) with its own children over it. */
    size_t width = (size_t)n_classes + 1;
    int32_t *rows = PyMem_RawRealloc(a->rows, sizeof(int32_t) * width * n_dense);
    if (rows == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    a->rows = rows;
    for (int32_t s = 1; s < n_dense; s++) {
        memcpy(rows + width * s, rows + width * a->fail[s], sizeof(int32_t) * width);
        for (int32_t t = a->first[s]; t < a->first[s + 1]; t++) {
            rows[width * s + (a->edge[t] >> 1)] = (t << 1) | (a->edge[t] & 1);
        }
    }
    a->n_dense = n_dense;
    a->nbytes += sizeof(int32_t) * (width * n_dense + 5 * n_states + 1 + 2 * n_keys) +
                 (sizeof(Py_UCS4) + sizeof(int32_t)) * distinct;
    result = 0;
done:
    PyMem_RawFree(sorted);
    PyMem_RawFree(seen);
    PyMem_RawFree(astral);
    PyMem_RawFree(lo);
    PyMem_RawFree(hi);
    return result;
}

static PyObject *
automaton_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *keys;
    Py_ssize_t dense_cells = DENSE_CELLS;
    static char *kwlist[] = {"keys", "dense_cells", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!|$n:Automaton", kwlist, &PyList_Type,
                                     &keys, &dense_cells)) {
        return NULL;
    }
    Automaton *a = (Automaton *)type->tp_alloc(type, 0);
    if (a == NULL) {
        return NULL;
    }
    if (automaton_build(a, keys, dense_cells) < 0) {
        Py_DECREF(a);
        return NULL;
    }
    a->nbytes += sizeof(Automaton);
    return (PyObject *)a;
}

/* hits(text) -> list of (key index, start, end) */
static PyObject *
automaton_hits(Automaton *a, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "hits() takes a str");
        return NULL;
    }
    Hits h;
    hits_init(&h);
    PyObject *out = NULL;
    if (ac_search(a, PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text),
                  &h) < 0) {
        goto done;
    }
    out = PyList_New(h.len);
    if (out == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < h.len; i++) {
        PyObject *hit = Py_BuildValue("(iii)", h.items[i].key, h.items[i].start, h.items[i].end);
        if (hit == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, i, hit);
    }
done:
    hits_free(&h);
    return out;
}

static PyMethodDef automaton_methods[] = {
    {"hits", (PyCFunction)automaton_hits, METH_O,
     "hits(text) -> list of (key index, start, end): every occurrence of every key, overlapping, "
     "by end, the longest first among those that end together."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef automaton_members[] = {
    {"keys", T_PYSSIZET, offsetof(Automaton, n_keys), READONLY, "the number of keys"},
    {"states", T_INT, offsetof(Automaton, n_states), READONLY, "the number of states"},
    {"nbytes", T_PYSSIZET, offsetof(Automaton, nbytes), READONLY, "the memory it holds"},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject AutomatonType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "services.classifier._native.Automaton",
    .tp_basicsize = sizeof(Automaton),
    .tp_dealloc = (destructor)automaton_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Automaton(keys, *, dense_cells=1 << 18): an Aho-Corasick automaton over the code "
              "points of a list of non-empty str; the shallow states whose rows by class fit in "
              "`dense_cells` cells (the root always) step by a table lookup.",
    .tp_methods = automaton_methods,
    .tp_members = automaton_members,
    .tp_new = automaton_new,
};

/* scan(automaton, text, values, arabic_suffixes, proclitics, match_type)
 *     -> (list of match_type, trigger bits): normalize, search and resolve in one call. */
static PyObject *
scan(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError,
                        "scan(automaton, text, values, arabic_suffixes, proclitics, match_type)");
        return NULL;
    }
    Automaton *a = (Automaton *)args[0];
    PyObject *text = args[1], *values = args[2];
    if (!PyObject_TypeCheck(args[0], &AutomatonType) || !PyUnicode_Check(text) ||
        !PyList_Check(values) || !PyType_Check(args[5])) {
        PyErr_SetString(PyExc_TypeError, "scan(): bad argument types");
        return NULL;
    }
    if (PyList_GET_SIZE(values) != a->n_keys) {
        PyErr_SetString(PyExc_ValueError, "scan(): a value for each key of the automaton");
        return NULL;
    }
    if (bmp_table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "scan() before configure()");
        return NULL;
    }
    Norm nb;
    if (normalize_into(text, &nb) < 0) {
        return NULL;
    }
    Hits h;
    hits_init(&h);
    PyObject *result = NULL;
    if (ac_search(a, nb.kind, nb.data, nb.n, &h) < 0) {
        goto done;
    }
    Resolver r;
    resolver_init(&r, nb.data, nb.kind, nb.n, nb.index, text, values, args[3], args[4]);
    for (Py_ssize_t i = 0; i < h.len; i++) {
        if (resolve_hit(&r, h.items[i].key, h.items[i].start, h.items[i].end) < 0) {
            resolver_free(&r);
            goto done;
        }
    }
    result = resolve_finish(&r, (PyTypeObject *)args[5]);
    resolver_free(&r);
done:
    hits_free(&h);
    norm_free(&nb);
    return result;
}

/* ---------------------------------------------------------------------------------------- */
/* Phrase hits of the claim detector (see claims_text.py for the rules)                       */

/* Entry fields (a named tuple): kind, value, open_left, open_right, arabic */
enum { E_KIND = 0, E_VALUE, E_OPEN_LEFT, E_OPEN_RIGHT, E_ARABIC, E_FIELDS };
#define MAX_CLITIC_REACH 4

typedef struct {
    const void *data;
    int kind;
    Py_ssize_t n;
    PyObject *text;
} Plain;

static inline Py_UCS4
pch(const Plain *t, Py_ssize_t i)
{
    return PyUnicode_READ(t->kind, t->data, i);
}

/* Whether the phrase `entry` stands at text[start:end] by its boundary rules (`stop` is where
 * the text ends for the right boundary): 1 with `*clitic` set to the joined prefix it carries
 * (a new reference, or NULL for none), 0 when it does not, -1 on error. */
static int
phrase_at(const Plain *t, Py_ssize_t start, Py_ssize_t end, PyObject *entry, Py_ssize_t stop,
          PyObject *clitics, PyObject **clitic)
{
    *clitic = NULL;
    if (PyTuple_GET_ITEM(entry, E_OPEN_RIGHT) != Py_True && end < stop && is_alnum(pch(t, end))) {
        return 0;
    }
    if (PyTuple_GET_ITEM(entry, E_OPEN_LEFT) == Py_True || start == 0 ||
        !is_alnum(pch(t, start - 1))) {
        return 1;
    }
    if (PyTuple_GET_ITEM(entry, E_ARABIC) != Py_True) {
        return 0;
    }
    Py_ssize_t word_start = start;
    while (word_start > 0 && start - word_start < MAX_CLITIC_REACH &&
           is_alnum(pch(t, word_start - 1))) {
        word_start--;
    }
    if (word_start > 0 && is_alnum(pch(t, word_start - 1))) {
        return 0;
    }
    PyObject *prefix = PyUnicode_Substring(t->text, word_start, start);
    if (prefix == NULL) {
        return -1;
    }
    int found = PySet_Contains(clitics, prefix);
    if (found <= 0) {
        Py_DECREF(prefix);
        return found;
    }
    *clitic = prefix;
    return 1;
}

/* Reads one automaton hit (key index, start, end) and the entries of its key. */
static int
read_hit(PyObject *hit, PyObject *table, Py_ssize_t offset, Py_ssize_t n, PyObject **entries,
         Py_ssize_t *start, Py_ssize_t *end)
{
    if (!PyTuple_Check(hit) || PyTuple_GET_SIZE(hit) != 3) {
        PyErr_SetString(PyExc_TypeError, "a hit is (index, start, end)");
        return -1;
    }
    Py_ssize_t key = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 0));
    *start = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 1)) + offset;
    *end = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 2)) + offset;
    if (PyErr_Occurred()) {
        return -1;
    }
    if (key < 0 || key >= PyList_GET_SIZE(table) || *start < 0 || *end > n || *start > *end) {
        PyErr_SetString(PyExc_ValueError, "a hit outside the text or the keys");
        return -1;
    }
    *entries = PyList_GET_ITEM(table, key);
    return 0;
}

static int
check_entry(PyObject *entry)
{
    if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != E_FIELDS) {
        PyErr_SetString(PyExc_TypeError, "an entry is (kind, value, open_left, open_right, arabic)");
        return -1;
    }
    return 0;
}

typedef struct {
    Py_ssize_t start, end;
    PyObject *entry;  /* borrowed */
    PyObject *clitic; /* owned, or NULL */
} PhraseHit;

/* phrases(text, hits, table, offset, stop, clitics, hit_type) -> list of hit_type */
static PyObject *
phrases(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError,
                        "phrases(text, hits, table, offset, stop, clitics, hit_type)");
        return NULL;
    }
    PyObject *text = args[0], *hits = args[1], *table = args[2], *clitics = args[5];
    PyTypeObject *hit_type = (PyTypeObject *)args[6];
    if (!PyUnicode_Check(text) || !PyList_Check(hits) || !PyList_Check(table) ||
        !PyAnySet_Check(clitics) || !PyType_Check(args[6])) {
        PyErr_SetString(PyExc_TypeError, "phrases(): bad argument types");
        return NULL;
    }
    Py_ssize_t offset = PyLong_AsSsize_t(args[3]), stop = PyLong_AsSsize_t(args[4]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Plain t = {PyUnicode_DATA(text), PyUnicode_KIND(text), PyUnicode_GET_LENGTH(text), text};
    if (offset < 0 || stop > t.n || offset > stop) {
        PyErr_SetString(PyExc_ValueError, "phrases(): a window outside the text");
        return NULL;
    }
    Py_ssize_t n_hits = PyList_GET_SIZE(hits), n_found = 0, cap = 0;
    PhraseHit *found = NULL;
    PyObject *out = NULL;
    for (Py_ssize_t h = 0; h < n_hits; h++) {
        PyObject *entries;
        Py_ssize_t start, end;
        if (read_hit(PyList_GET_ITEM(hits, h), table, offset, stop, &entries, &start, &end) < 0) {
            goto done;
        }
        if (!PyTuple_Check(entries)) {
            PyErr_SetString(PyExc_TypeError, "phrases(): a key's entries are a tuple");
            goto done;
        }
        Py_ssize_t n_entries = PyTuple_GET_SIZE(entries);
        for (Py_ssize_t k = 0; k < n_entries; k++) {
            PyObject *entry = PyTuple_GET_ITEM(entries, k), *clitic;
            if (check_entry(entry) < 0) {
                goto done;
            }
            int at = phrase_at(&t, start, end, entry, stop, clitics, &clitic);
            if (at < 0) {
                goto done;
            }
            if (!at) {
                continue;
            }
            if (n_found == cap) {
                Py_ssize_t grown = cap ? cap * 2 : 32;
                PhraseHit *bigger = PyMem_Realloc(found, sizeof(PhraseHit) * grown);
                if (bigger == NULL) {
                    Py_XDECREF(clitic);
                    PyErr_NoMemory();
                    goto done;
                }
                found = bigger;
                cap = grown;
            }
            PhraseHit f = {start, end, entry, clitic};
            /* By start, then longest first, in arrival order among equals: an insertion sort,
             * stable, and short because hits arrive nearly in order. */
            Py_ssize_t j = n_found++;
            while (j > 0 && (found[j - 1].start > start ||
                             (found[j - 1].start == start && found[j - 1].end < end))) {
                found[j] = found[j - 1];
                j--;
            }
            found[j] = f;
        }
    }
    out = PyList_New(n_found);
    if (out == NULL) {
        goto done;
    }
    PyObject *empty = PyUnicode_New(0, 0);
    if (empty == NULL) {
        Py_CLEAR(out);
        goto done;
    }
    for (Py_ssize_t i = 0; i < n_found; i++) {
        PyObject *hit = hit_type->tp_alloc(hit_type, 5);
        PyObject *start = PyLong_FromSsize_t(found[i].start);
        PyObject *end = PyLong_FromSsize_t(found[i].end);
        if (hit == NULL || start == NULL || end == NULL) {
            Py_XDECREF(hit);
            Py_XDECREF(start);
            Py_XDECREF(end);
            Py_DECREF(empty);
            Py_CLEAR(out);
            goto done;
        }
        PyTuple_SET_ITEM(hit, 0, start);
        PyTuple_SET_ITEM(hit, 1, end);
        PyTuple_SET_ITEM(hit, 2, Py_NewRef(PyTuple_GET_ITEM(found[i].entry, E_KIND)));
        PyTuple_SET_ITEM(hit, 3, Py_NewRef(PyTuple_GET_ITEM(found[i].entry, E_VALUE)));
        PyTuple_SET_ITEM(hit, 4, found[i].clitic != NULL ? found[i].clitic : Py_NewRef(empty));
        found[i].clitic = NULL;
        PyList_SET_ITEM(out, i, hit);
    }
    Py_DECREF(empty);
done:
    for (Py_ssize_t i = 0; i < n_found; i++) {
        Py_XDECREF(found[i].clitic);
    }
    PyMem_Free(found);
    return out;
}

/* ---------------------------------------------------------------------------------------- */
/* The claim detector's fold (see claims_text.py: `lower`, then `fold`)                       */

#define FOLD_KEEP (-1)
#define FOLD_DROP (-2)
#define CAPITAL_SIGMA 0x3A3

/* lower_fold(text, table) -> (raw, folded, index or None), or None for a text with a capital
 * sigma (whose lower case depends on its place in a word: the caller lower-cases in Python).
 * `raw` is the text lower-cased a character for a character (the first of a lower case of
 * several), `folded` the raw text, unless it is ASCII, with each character c < 0x10000 replaced
 * by table[c] (int32: FOLD_KEEP, FOLD_DROP or a code point), `index` a tuple of the offset of each folded character,
 * None when nothing was dropped. */
static PyObject *
lower_fold(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyBytes_Check(args[1]) ||
        PyBytes_GET_SIZE(args[1]) != (Py_ssize_t)sizeof(int32_t) * 0x10000) {
        PyErr_SetString(PyExc_TypeError, "lower_fold(text, table of 0x10000 int32)");
        return NULL;
    }
    PyObject *text = args[0];
    const int32_t *table = (const int32_t *)PyBytes_AS_STRING(args[1]);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (PyUnicode_FindChar(text, CAPITAL_SIGMA, 0, n, 1) >= 0) {
        Py_RETURN_NONE;
    }
    Py_UCS4 *raw = PyMem_Malloc(sizeof(Py_UCS4) * (n + 1));
    Py_UCS4 *folded = PyMem_Malloc(sizeof(Py_UCS4) * (n + 1));
    Py_ssize_t *index = PyMem_Malloc(sizeof(Py_ssize_t) * (n + 1));
    PyObject *raw_obj = NULL, *folded_obj = NULL, *index_obj = NULL, *result = NULL;
    if (raw == NULL || folded == NULL || index == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_UCS4 widest = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        raw[i] = Py_UNICODE_TOLOWER(PyUnicode_READ(kind, data, i));
        widest |= raw[i];
    }
    Py_ssize_t o = 0;
    if (widest < 0x80) {
        /* An ASCII text is folded by lower-casing alone (as `fold` does: even "`" stays). */
        memcpy(folded, raw, sizeof(Py_UCS4) * n);
        o = n;
    }
    else {
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS4 c = raw[i];
            int32_t to = c < 0x10000 ? table[c] : FOLD_KEEP;
            if (to == FOLD_DROP) {
                continue;
            }
            folded[o] = to == FOLD_KEEP ? c : (Py_UCS4)to;
            index[o++] = i;
        }
    }
    raw_obj = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, raw, n);
    folded_obj = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, folded, o);
    if (raw_obj == NULL || folded_obj == NULL) {
        goto done;
    }
    if (o == n) {
        index_obj = Py_NewRef(Py_None);
    }
    else {
        index_obj = PyTuple_New(o);
        if (index_obj == NULL) {
            goto done;
        }
        for (Py_ssize_t k = 0; k < o; k++) {
            PyObject *offset = PyLong_FromSsize_t(index[k]);
            if (offset == NULL) {
                goto done;
            }
            PyTuple_SET_ITEM(index_obj, k, offset);
        }
    }
    result = PyTuple_Pack(3, raw_obj, folded_obj, index_obj);
done:
    PyMem_Free(raw);
    PyMem_Free(folded);
    PyMem_Free(index);
    Py_XDECREF(raw_obj);
    Py_XDECREF(folded_obj);
    Py_XDECREF(index_obj);
    return result;
}

/* ---------------------------------------------------------------------------------------- */
/* Skeletons: listed names in unlisted spellings (see skeleton.py for the rules)             */
/*                                                                                          */
/* skeleton(word) -> str                                                                    */
/*     The consonant classes of a folded word: skeleton.py's `skeleton`, its reference.      */
/* skeleton_table(keys) -> bytes                                                            */
/*     Built once per watchlist: the hashes of the skeletons that may start a name.          */
/* skeleton_candidates(text, table, skip) -> list of (start, end), or None                  */
/*     One pass over a post: the words skeleton.py's `find` is to judge (a superset of those */
/*     it takes), None for the common post. Reads only the table and the fold table.        */

/* A skeleton is a run of consonant classes, coded 1 to 15 in the order of SK_LETTERS (the
 * letters skeleton.py writes them with). */
static const Py_UCS4 SK_LETTERS[16] = {
    0, 'K', 'H', 'S', 'Z', 0x160 /* Š */, 'J', 'C', 'T', 'D', 'B', 'F', 'L', 'M', 'N', 'R',
};
#define SK_VOWEL (-1)
#define SK_X 16 /* x: k and s */
#define SK_HASH_START 0xcbf29ce484222325ULL
#define SK_HASH_STEP 0x100000001b3ULL
/* The kinds of key in a skeleton table: a skeleton a capitalised Latin or Cyrillic word may
 * start a name with; a listed name's (the one an Arabic-script word may start a name with,
 * and what two or three words in a row may make); a one-word name's, with whether it ends in
 * a vowel and whether it has a letter doubled. */
#define SK_LATIN 1
#define SK_NAME 2
#define SK_WHOLE 3

/* The class of one character: 1..15, SK_X, SK_VOWEL or 0 (neither: skipped). */
static int
sk_class_of(Py_UCS4 c)
{
    switch (c) {
    case 'k': case 'q': case 'g': case 'c': case 0x643: case 0x642: case 0x6af: case 0x63a:
    case 0x43a: case 0x433: case 0x491:
        return 1;
    case 'h': case 0x62d: case 0x62e: case 0x647: case 0x445:
        return 2;
    case 's': case 0x635: case 0x633: case 0x62b: case 0x441: case 0x446:
        return 3;
    case 'z': case 0x632: case 0x630: case 0x638: case 0x636: case 0x437:
        return 4;
    case 0x634: case 0x448: case 0x449:
        return 5;
    case 'j': case 0x62c: case 0x698: case 0x436:
        return 6;
    case 0x686: case 0x447:
        return 7;
    case 't': case 0x62a: case 0x637: case 0x442:
        return 8;
    case 'd': case 0x62f: case 0x434:
        return 9;
    case 'b': case 'p': case 0x628: case 0x67e: case 0x431: case 0x43f:
        return 10;
    case 'f': case 'v': case 0x641: case 0x432: case 0x444:
        return 11;
    case 'l': case 0x644: case 0x43b:
        return 12;
    case 'm': case 0x645: case 0x43c:
        return 13;
    case 'n': case 0x646: case 0x43d:
        return 14;
    case 'r': case 0x631: case 0x440:
        return 15;
    case 'x':
        return SK_X;
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y': case 'w':
    case 0x627: case 0x648: case 0x64a: case 0x649: case 0x639: case 0x621:
    case 0x430: case 0x435: case 0x438: case 0x43e: case 0x443: case 0x44b: case 0x44d:
    case 0x44e: case 0x44f: case 0x454: case 0x456: case 0x457: case 0x439: case 0x44c:
    case 0x44a: case 0x451:
        return SK_VOWEL;
    default:
        return 0;
    }
}

/* The characters of skeleton.py's _WORD: a capital followed by two lower-case letters or more
 * (Latin or Cyrillic), or three Arabic-script letters or more. */
#define SK_UPPER 1
#define SK_LOWER 2
#define SK_ARABIC_LETTER 4

/* For every character below U+0700 (Latin, Cyrillic, Arabic): sk_class_of, and which of
 * _WORD's characters it is. Constant tables, filled on first use. */
static signed char sk_classes[0x700];
static unsigned char sk_chars[0x700];
static int sk_classes_ready = 0;

static void
sk_init_classes(void)
{
    for (Py_UCS4 c = 0; c < 0x700; c++) {
        sk_classes[c] = (signed char)sk_class_of(c);
        int upper = (c >= 'A' && c <= 'Z') || (c >= 0x410 && c <= 0x42f) || c == 0x401 ||
                    c == 0x406 || c == 0x407 || c == 0x404 || c == 0x490;
        int lower = (c >= 'a' && c <= 'z') || (c >= 0x430 && c <= 0x44f) || c == 0x451 ||
                    c == 0x456 || c == 0x457 || c == 0x454 || c == 0x491 || c == '\'';
        int arabic = (c >= 0x620 && c <= 0x64a) || (c >= 0x66e && c <= 0x6d3);
        sk_chars[c] = (unsigned char)((upper ? SK_UPPER : 0) | (lower ? SK_LOWER : 0) |
                                      (arabic ? SK_ARABIC_LETTER : 0));
    }
    sk_classes_ready = 1;
}

static inline int
sk_class(Py_UCS4 c)
{
    return c < 0x700 ? sk_classes[c] : 0;
}

/* Multigraphs, replaced in this order, each everywhere, as str.replace does: sch, tsch, kh, sh,
 * zh, ch, gh, ph, th, dj, dh, ck, дж, кс. */
static const Py_UCS4 SK_DIGRAPHS[][4] = {
    {'s', 'c', 'h', 0}, {'t', 's', 'c', 'h'}, {'k', 'h', 0, 0}, {'s', 'h', 0, 0},
    {'z', 'h', 0, 0}, {'c', 'h', 0, 0}, {'g', 'h', 0, 0}, {'p', 'h', 0, 0},
    {'t', 'h', 0, 0}, {'d', 'j', 0, 0}, {'d', 'h', 0, 0}, {'c', 'k', 0, 0},
    {0x434, 0x436, 0, 0}, {0x43a, 0x441, 0, 0},
};
static const Py_UCS4 SK_DIGRAPH_TO[] = {
    0x448, 0x447, 'h', 0x448, 0x436, 0x447, 'g', 'f', 't', 0x436, 'z', 'k', 0x436, 'x',
};

/* The last letter of each multigraph, as a flag: only the passes whose last letter the word
 * has are run. */
#define SK_LAST_H 1
#define SK_LAST_J 4
#define SK_LAST_K 8
#define SK_LAST_ZHE 16
#define SK_LAST_ES 32
static const int SK_DIGRAPH_LAST[] = {
    SK_LAST_H, SK_LAST_H, SK_LAST_H, SK_LAST_H, SK_LAST_H, SK_LAST_H, SK_LAST_H,
    SK_LAST_H, SK_LAST_H, SK_LAST_J, SK_LAST_H, SK_LAST_K, SK_LAST_ZHE, SK_LAST_ES,
};

/* Replaces the multigraphs of w[0:n] in place; returns the new length. */
static Py_ssize_t
sk_digraphs(Py_UCS4 *w, Py_ssize_t n)
{
    int last = 0;
    for (Py_ssize_t i = 1; i < n; i++) {
        Py_UCS4 c = w[i];
        last |= c == 'h'     ? SK_LAST_H
                : c == 'j'   ? SK_LAST_J
                : c == 'k'   ? SK_LAST_K
                : c == 0x436 ? SK_LAST_ZHE
                : c == 0x441 ? SK_LAST_ES
                             : 0;
    }
    if (!last) {
        return n;
    }
    for (size_t d = 0; d < sizeof(SK_DIGRAPH_TO) / sizeof(SK_DIGRAPH_TO[0]); d++) {
        if (!(last & SK_DIGRAPH_LAST[d])) {
            continue;
        }
        const Py_UCS4 *g = SK_DIGRAPHS[d];
        Py_ssize_t len = g[2] == 0 ? 2 : g[3] == 0 ? 3 : 4;
        Py_ssize_t o = 0, i = 0;
        while (i < n) {
            if (i + len <= n && w[i] == g[0] && w[i + 1] == g[1] &&
                (len < 3 || w[i + 2] == g[2]) && (len < 4 || w[i + 3] == g[3])) {
                w[o++] = SK_DIGRAPH_TO[d];
                i += len;
                if (SK_DIGRAPH_TO[d] == 0x436) {
                    last |= SK_LAST_ZHE; /* zh and dj make a ж that may follow a д */
                }
            }
            else {
                w[o++] = w[i++];
            }
        }
        n = o;
    }
    return n;
}

/* The skeleton of w[0:n], multigraphs already replaced, as class codes into `out` (room for
 * 2 * n): returns its length. */
static Py_ssize_t
sk_codes(const Py_UCS4 *w, Py_ssize_t n, unsigned char *out)
{
    if (n > 2 && (w[n - 1] == 'h' || w[n - 1] == 0x647) && sk_class(w[n - 2]) == SK_VOWEL) {
        n--; /* Hezbollah, الله, سوريه */
    }
    Py_ssize_t o = 0;
    int last = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int cls = sk_class(w[i]);
        if (cls == SK_VOWEL) {
            last = 0;
        }
        else if (cls == SK_X) {
            out[o++] = 1;
            out[o++] = 3;
            last = 3;
        }
        else if (cls != 0) {
            if (cls != last) {
                out[o++] = (unsigned char)cls;
            }
            last = cls;
        }
    }
    return o;
}

/* The skeleton of the (folded) word w[0:n], which it overwrites, as class codes into `out`
 * (room for 2 * n): returns its length. */
static Py_ssize_t
sk_skeleton(Py_UCS4 *w, Py_ssize_t n, unsigned char *out)
{
    return sk_codes(w, sk_digraphs(w, n), out);
}

/* FNV-1a over symbols: the kind of key first (a symbol of its own, above the classes'), then
 * the class codes, then, for a SK_WHOLE key, 16 + ends in a vowel and 18 + a letter doubled;
 * mixed at the end. */
static inline uint64_t
sk_feed(uint64_t h, const unsigned char *codes, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        h = (h ^ codes[i]) * SK_HASH_STEP;
    }
    return h;
}

static inline uint64_t
sk_begin(int kind)
{
    return (SK_HASH_START ^ (uint64_t)(32 + kind)) * SK_HASH_STEP;
}

static inline uint64_t
sk_finish(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* A table slot holds the high half of a hash, never 0 (an empty slot): two hashes that share
 * it only make a candidate more, for Python to judge. A table small enough to stay in cache. */
static inline uint32_t
sk_print(uint64_t h)
{
    return (uint32_t)(h >> 32) | 1;
}

/* Whether `h` is in the table (open addressing, linear probing, a power of two of slots). */
static inline int
sk_has(const uint32_t *slots, uint64_t mask, uint64_t h)
{
    uint32_t print = sk_print(h);
    for (uint64_t i = h & mask;; i = (i + 1) & mask) {
        if (slots[i] == print) {
            return 1;
        }
        if (slots[i] == 0) {
            return 0;
        }
    }
}

/* skeleton(word) -> str: the consonant classes of a folded word (skeleton.py's `skeleton`). */
static PyObject *
skeleton(PyObject *self, PyObject *word)
{
    if (!PyUnicode_Check(word)) {
        PyErr_SetString(PyExc_TypeError, "skeleton() takes a str");
        return NULL;
    }
    if (!sk_classes_ready) {
        sk_init_classes();
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    Py_UCS4 *w = PyUnicode_AsUCS4Copy(word);
    unsigned char *codes = PyMem_Malloc(2 * (size_t)n + 1);
    Py_UCS4 *letters = PyMem_Malloc(sizeof(Py_UCS4) * (2 * (size_t)n + 1));
    PyObject *result = NULL;
    if (w == NULL || codes == NULL || letters == NULL) {
        if (w != NULL) {
            PyErr_NoMemory();
        }
        goto done;
    }
    Py_ssize_t len = sk_skeleton(w, n, codes);
    for (Py_ssize_t i = 0; i < len; i++) {
        letters[i] = SK_LETTERS[codes[i]];
    }
    result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, letters, len);
done:
    PyMem_Free(w);
    PyMem_Free(codes);
    PyMem_Free(letters);
    return result;
}

/* The shortest and the longest skeleton of the table's SK_LATIN keys, and of its SK_NAME keys:
 * a word's skeleton outside them is not looked up. */
typedef struct {
    uint16_t min[2], max[2];
} SkBounds;

/* skeleton_table(keys) -> bytes: the table `skeleton_candidates` reads. Each key is (kind,
 * skeleton as `skeleton` writes it), or (SK_WHOLE, skeleton, ends in a vowel, doubled): a hash
 * set of the high halves of 64-bit hashes (see sk_print), open addressing, at most half full. */
static PyObject *
skeleton_table(PyObject *self, PyObject *keys)
{
    if (!PyList_Check(keys)) {
        PyErr_SetString(PyExc_TypeError, "skeleton_table() takes a list of tuples");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(keys);
    uint64_t size = 16;
    while (size < 2 * (uint64_t)count + 16) {
        size *= 2;
    }
    /* A header (SkBounds), then the slots. */
    PyObject *table = PyBytes_FromStringAndSize(
        NULL, (Py_ssize_t)(sizeof(SkBounds) + size * sizeof(uint32_t)));
    if (table == NULL) {
        return NULL;
    }
    SkBounds *bounds = (SkBounds *)PyBytes_AS_STRING(table);
    uint32_t *slots = (uint32_t *)(PyBytes_AS_STRING(table) + sizeof(SkBounds));
    memset(slots, 0, size * sizeof(uint32_t));
    bounds->min[0] = bounds->min[1] = UINT16_MAX;
    bounds->max[0] = bounds->max[1] = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *skel;
        int kind, vowel = -1, doubled = 0;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(keys, k), "iU|ii", &kind, &skel, &vowel, &doubled)) {
            Py_DECREF(table);
            return NULL;
        }
        uint64_t h = sk_begin(kind);
        Py_ssize_t n = PyUnicode_GET_LENGTH(skel);
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS4 c = PyUnicode_READ_CHAR(skel, i);
            unsigned char code = 0;
            for (unsigned char j = 1; j < 16; j++) {
                if (SK_LETTERS[j] == c) {
                    code = j;
                }
            }
            if (code == 0) {
                Py_DECREF(table);
                PyErr_Format(PyExc_ValueError, "not a skeleton: %R", skel);
                return NULL;
            }
            h = sk_feed(h, &code, 1);
        }
        if (kind == SK_LATIN || kind == SK_NAME) {
            uint16_t len = n < UINT16_MAX ? (uint16_t)n : UINT16_MAX;
            int b = kind == SK_LATIN ? 0 : 1;
            bounds->min[b] = len < bounds->min[b] ? len : bounds->min[b];
            bounds->max[b] = len > bounds->max[b] ? len : bounds->max[b];
        }
        if (vowel >= 0) {
            unsigned char tail[2] = {(unsigned char)(16 + (vowel != 0)),
                                     (unsigned char)(18 + (doubled != 0))};
            h = sk_feed(h, tail, 2);
        }
        h = sk_finish(h);
        uint64_t i = h & (size - 1);
        while (slots[i] != 0 && slots[i] != sk_print(h)) {
            i = (i + 1) & (size - 1);
        }
        slots[i] = sk_print(h);
    }
    return table;
}

/* Which of _WORD's characters `c` is (SK_UPPER, SK_LOWER, SK_ARABIC_LETTER or 0). */
static inline int
sk_char(Py_UCS4 c)
{
    if (c < 0x700) {
        return sk_chars[c];
    }
    return c == 0x200c ? SK_ARABIC_LETTER : c == 0x2019 ? SK_LOWER : 0;
}

/* Where the run from `i` of characters that have (`want` 1) or lack (`want` 0) one of `flags`
 * ends: the switch on the string's kind taken once. */
#define SK_RUN(type)                                                                            \
    do {                                                                                        \
        const type *d = (const type *)data;                                                     \
        while (i < n && ((sk_char(d[i]) & flags) != 0) == want) {                               \
            i++;                                                                                \
        }                                                                                       \
    } while (0)

static inline Py_ssize_t
sk_run(int kind, const void *data, Py_ssize_t i, Py_ssize_t n, int flags, int want)
{
    if (kind == PyUnicode_1BYTE_KIND) {
        SK_RUN(Py_UCS1);
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        SK_RUN(Py_UCS2);
    }
    else {
        SK_RUN(Py_UCS4);
    }
    return i;
}

/* The length of an Arabic article at the start of a folded word, with a proclitic before it
 * (وال بال فال كال ال), when the word goes on for more than two letters after it; else 0. */
static Py_ssize_t
sk_article(const Py_UCS4 *w, Py_ssize_t n)
{
    static const Py_UCS4 first[] = {0x648, 0x628, 0x641, 0x643};
    for (int p = 0; p < 4; p++) {
        if (n > 5 && w[0] == first[p] && w[1] == 0x627 && w[2] == 0x644) {
            return 3;
        }
    }
    if (n > 4 && w[0] == 0x627 && w[1] == 0x644) {
        return 2;
    }
    return 0;
}

/* One word of a post: where it is, and its skeletons as it is and without an article. */
typedef struct {
    Py_ssize_t start, end;
    int latin, vowel, doubled, n_skel;
    Py_ssize_t skel_at[2], skel_len[2]; /* into the pool of codes */
} SkWord;

static inline int
sk_in(const uint32_t *slots, uint64_t mask, uint64_t h)
{
    return sk_has(slots, mask, sk_finish(h));
}

/* Whether word `i` of `words` may start a name skeleton.py's `find` would take: a skeleton of
 * it that starts a name (SK_LATIN for a capitalised word, SK_NAME for an Arabic-script one),
 * and either a one-word name's with its vowel and doubling, or a listed name's made with one
 * or two of the next two words (each within six characters of the last: an article between is
 * one of them). */
static int
sk_may_start(const SkWord *words, Py_ssize_t count, Py_ssize_t i, const unsigned char *pool,
             const SkBounds *bounds, const uint32_t *slots, uint64_t mask)
{
    const SkWord *w = &words[i];
    int starts = 0, b = w->latin ? 0 : 1;
    for (int v = 0; v < w->n_skel && !starts; v++) {
        Py_ssize_t len = w->skel_len[v];
        if (len >= bounds->min[b] && len <= bounds->max[b]) {
            uint64_t h = sk_feed(sk_begin(w->latin ? SK_LATIN : SK_NAME), pool + w->skel_at[v], len);
            starts = sk_in(slots, mask, h);
        }
    }
    if (!starts) {
        return 0;
    }
    unsigned char tail[2] = {(unsigned char)(16 + w->vowel), (unsigned char)(18 + w->doubled)};
    for (int v = 0; v < w->n_skel; v++) {
        uint64_t h = sk_feed(sk_begin(SK_WHOLE), pool + w->skel_at[v], w->skel_len[v]);
        if (sk_in(slots, mask, sk_feed(h, tail, 2))) {
            return 1;
        }
    }
    /* Names of several words: this word's skeleton, then the next word's, the one after, or
     * both. */
    const SkWord *next = NULL, *after = NULL;
    if (i + 1 < count && words[i + 1].start - w->end >= 1 && words[i + 1].start - w->end <= 6) {
        next = &words[i + 1];
        if (i + 2 < count && words[i + 2].start - next->end >= 1 &&
            words[i + 2].start - next->end <= 6) {
            after = &words[i + 2];
        }
    }
    if (next == NULL) {
        return 0;
    }
    for (int v = 0; v < w->n_skel; v++) {
        uint64_t h = sk_feed(sk_begin(SK_NAME), pool + w->skel_at[v], w->skel_len[v]);
        for (int x = 0; x < next->n_skel; x++) {
            uint64_t hx = sk_feed(h, pool + next->skel_at[x], next->skel_len[x]);
            if (sk_in(slots, mask, hx)) {
                return 1;
            }
            for (int y = 0; after != NULL && y < after->n_skel; y++) {
                if (sk_in(slots, mask, sk_feed(hx, pool + after->skel_at[y], after->skel_len[y]))) {
                    return 1;
                }
            }
        }
        for (int y = 0; after != NULL && y < after->n_skel; y++) {
            if (sk_in(slots, mask, sk_feed(h, pool + after->skel_at[y], after->skel_len[y]))) {
                return 1;
            }
        }
    }
    return 0;
}

/* The fold of text[start:end] into `w` (room for (end - start) * max_expansion): its length. */
static Py_ssize_t
sk_fold(int kind, const void *data, Py_ssize_t start, Py_ssize_t end, Py_UCS4 *w)
{
    Py_ssize_t len = 0;
    for (Py_ssize_t j = start; j < end; j++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, j);
        int32_t v = lookup(cp);
        if (v == IDENTITY) {
            w[len++] = cp;
        }
        else {
            Py_ssize_t m = (Py_ssize_t)(((uint32_t)v) >> 24);
            memcpy(w + len, pool + (v & 0xFFFFFF), sizeof(Py_UCS4) * (size_t)m);
            len += m;
        }
    }
    return len;
}

/* skeleton_candidates(text, table, skip) -> list of (start, end), or None
 * The words of `text` (skeleton.py's _WORD) that may start a name by their skeletons (see
 * `sk_may_start`) and whose fold is not in `skip` (a frozenset): a superset of the words
 * skeleton.py's `find` takes, for it to judge. None when there is none: the common post. */
static PyObject *
skeleton_candidates(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyBytes_Check(args[1]) ||
        !PyAnySet_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "skeleton_candidates(text, table, skip)");
        return NULL;
    }
    if (bmp_table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "skeleton_candidates() before configure()");
        return NULL;
    }
    if (!sk_classes_ready) {
        sk_init_classes();
    }
    PyObject *text = args[0];
    Py_ssize_t size = (PyBytes_GET_SIZE(args[1]) - (Py_ssize_t)sizeof(SkBounds)) /
                      (Py_ssize_t)sizeof(uint32_t);
    if (size < 1 || (size & (size - 1)) != 0) {
        PyErr_SetString(PyExc_ValueError, "skeleton_candidates(): not a skeleton table");
        return NULL;
    }
    const SkBounds *bounds = (const SkBounds *)PyBytes_AS_STRING(args[1]);
    const uint32_t *slots = (const uint32_t *)(PyBytes_AS_STRING(args[1]) + sizeof(SkBounds));
    uint64_t mask = (uint64_t)size - 1;
    PyObject *skip = args[2];
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    /* Room for every word (one in three characters at most) and every code of their skeletons
     * (two of them, two codes a folded character at most); on the stack for a post's length. */
    SkWord small_words[128];
    unsigned char small_pool[4096];
    Py_UCS4 small_w[512], small_scratch[512];
    Py_ssize_t n_words_cap = n / 3 + 1;
    Py_ssize_t pool_cap = 4 * n * max_expansion + 4;
    Py_ssize_t w_cap = n * max_expansion + 1;
    SkWord *words = small_words;
    unsigned char *codes = small_pool;
    Py_UCS4 *w = small_w, *scratch = small_scratch;
    PyObject *out = NULL;
    if (n_words_cap > 128 || pool_cap > 4096 || w_cap > 512) {
        words = PyMem_Malloc(sizeof(SkWord) * (size_t)n_words_cap);
        codes = PyMem_Malloc((size_t)pool_cap);
        w = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)w_cap);
        scratch = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)w_cap);
        if (words == NULL || codes == NULL || w == NULL || scratch == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }
    Py_ssize_t count = 0, used = 0, i = 0;
    while (i < n) {
        i = sk_run(kind, data, i, n, SK_UPPER | SK_ARABIC_LETTER, 0);
        if (i >= n) {
            break;
        }
        int flags = sk_char(PyUnicode_READ(kind, data, i));
        Py_ssize_t start = i, end;
        int latin;
        if (flags & SK_UPPER) {
            end = sk_run(kind, data, i + 1, n, SK_LOWER, 1);
            if (end - start < 3) {
                i++;
                continue;
            }
            latin = 1;
        }
        else {
            end = sk_run(kind, data, i + 1, n, SK_ARABIC_LETTER, 1);
            i = end;
            if (end - start < 3) {
                continue;
            }
            latin = 0;
        }
        i = end;
        Py_ssize_t len = sk_fold(kind, data, start, end, w);
        SkWord *word = &words[count++];
        word->start = start;
        word->end = end;
        word->latin = latin;
        /* skeleton.py's _ends_in_vowel and _doubled, on the folded word */
        Py_ssize_t last = len;
        if (last > 2 && (w[last - 1] == 'h' || w[last - 1] == 0x647) &&
            sk_class(w[last - 2]) == SK_VOWEL) {
            last--;
        }
        word->vowel = last > 0 && sk_class(w[last - 1]) == SK_VOWEL;
        word->doubled = 0;
        for (Py_ssize_t j = 1; j < len && !word->doubled; j++) {
            word->doubled = w[j] == w[j - 1] && Py_UNICODE_ISALPHA(w[j]);
        }
        word->n_skel = 0;
        /* An Arabic-script word folds to Arabic letters alone: no multigraphs to replace. */
        Py_ssize_t article = sk_article(w, len);
        if (article) {
            word->skel_at[0] = used;
            if (latin) {
                memcpy(scratch, w + article, sizeof(Py_UCS4) * (size_t)(len - article));
                word->skel_len[0] = sk_skeleton(scratch, len - article, codes + used);
            }
            else {
                word->skel_len[0] = sk_codes(w + article, len - article, codes + used);
            }
            used += word->skel_len[0];
            word->n_skel = 1;
        }
        Py_ssize_t at = word->n_skel;
        word->skel_at[at] = used;
        if (latin) {
            memcpy(scratch, w, sizeof(Py_UCS4) * (size_t)len);
            word->skel_len[at] = sk_skeleton(scratch, len, codes + used);
        }
        else {
            word->skel_len[at] = sk_codes(w, len, codes + used);
        }
        if (at == 1 && word->skel_len[1] == word->skel_len[0] &&
            memcmp(codes + word->skel_at[0], codes + used, (size_t)word->skel_len[1]) == 0) {
            continue; /* the same skeleton twice */
        }
        used += word->skel_len[at];
        word->n_skel = at + 1;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        if (!sk_may_start(words, count, k, codes, bounds, slots, mask)) {
            continue;
        }
        Py_ssize_t len = sk_fold(kind, data, words[k].start, words[k].end, w);
        PyObject *key = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, w, len);
        if (key == NULL) {
            goto error;
        }
        int skipped = PySet_Contains(skip, key);
        Py_DECREF(key);
        if (skipped < 0) {
            goto error;
        }
        if (skipped) {
            continue;
        }
        PyObject *span = Py_BuildValue("(nn)", words[k].start, words[k].end);
        if (span == NULL) {
            goto error;
        }
        if (out == NULL) {
            out = PyList_New(0);
        }
        if (out == NULL || PyList_Append(out, span) < 0) {
            Py_DECREF(span);
            goto error;
        }
        Py_DECREF(span);
    }
    if (out == NULL) {
        out = Py_NewRef(Py_None);
    }
    goto done;
error:
    Py_CLEAR(out);
done:
    if (words != small_words) {
        PyMem_Free(words);
        PyMem_Free(codes);
        PyMem_Free(w);
        PyMem_Free(scratch);
    }
    return out;
}

static PyMethodDef methods[] = {
    {"configure", (PyCFunction)configure, METH_O,
     "configure(mapping): the fold of every character that does not fold to itself."},
    {"normalize", (PyCFunction)normalize, METH_O,
     "normalize(text) -> (norm, index): see text.py."},
    {"fold", (PyCFunction)fold, METH_O,
     "fold(text) -> str: the normalised text, white space collapsed and trimmed."},
    {"scan", (PyCFunction)(void (*)(void))scan, METH_FASTCALL,
     "scan(automaton, text, values, arabic_suffixes, proclitics, match_type): normalize, "
     "search and resolve in one call; see matching.py."},
    {"phrases", (PyCFunction)(void (*)(void))phrases, METH_FASTCALL,
     "phrases(text, hits, table, offset, stop, clitics, hit_type): see claims_text.py."},
    {"lower_fold", (PyCFunction)(void (*)(void))lower_fold, METH_FASTCALL,
     "lower_fold(text, table): see claims_text.py."},
    {"skeleton", (PyCFunction)skeleton, METH_O,
     "skeleton(word) -> str: the consonant classes of a folded word; see skeleton.py."},
    {"skeleton_table", (PyCFunction)skeleton_table, METH_O,
     "skeleton_table(keys) -> bytes: see skeleton.py."},
    {"skeleton_candidates", (PyCFunction)(void (*)(void))skeleton_candidates, METH_FASTCALL,
     "skeleton_candidates(text, table, skip): see skeleton.py."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native",
    "The classifier's hot path in C: normalisation, match resolution, phrase hits.", -1, methods,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    if (PyType_Ready(&AutomatonType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "Automaton", (PyObject *)&AutomatonType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
