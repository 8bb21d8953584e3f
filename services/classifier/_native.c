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
 * find_phrases(automaton, text, table, clitics, hit_type) -> list of hit_type, or bool
 *     `phrases` of the automaton's hits over the whole text in one call, with no Python object
 *     per automaton hit; with hit_type None, only whether any phrase stands.
 *
 * lower_fold(text, table[, raw]) -> (raw or None, folded, index or None), or None
 *     The claim detector's `lower` and `fold` in one pass (None: a capital sigma, which the
 *     caller lower-cases in Python); raw False: the folded text alone.
 *
 * has_digit(text, start, end) -> bool
 *     Whether text[start:end] has a decimal digit (what `\d` reads), without a regex.
 *
 * compile_setup(...), compile_table(entries, bits) -> (keys, values)
 *     The build of the alias automaton's table, off the hot path: see the build section at the
 *     end and matching.py (`compile_table_py` is its Python reference).
 *
 * No global state but the fold table (with its one-for-one form and what the resolution asks of
 * each BMP character, made with it), the lower case of each BMP character and whether it is a
 * decimal digit (each made by the first call that reads it, under the GIL) and the build's
 * tables, each written once before any call and then only read; an automaton's search only
 * reads it once built, so searches of one automaton may run in several threads (its cache of
 * the sets of endings `scan` has read is written under the GIL).
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
/* The same folds for `normalize_into`'s fast path, one uint16 per BMP character: the one BMP
 * character it folds to (itself included), FAST_GONE when it is removed, FAST_SLOW when it
 * expands, folds to an astral character or is one of the two code points used as marks. */
#define FAST_GONE 0xFFFE
#define FAST_SLOW 0xFFFF
static uint16_t *fast_table = NULL;
/* What the resolution asks of a BMP character, a bit each, read off Python's own predicates
 * when the table is configured (an astral character asks them directly). */
enum { CT_ALPHA = 1, CT_ALNUM = 2, CT_UPPER = 4, CT_LOWER = 8, CT_DIGIT = 16 };
static uint8_t *ctype_bmp = NULL;
/* Whether the skeleton pass's table of what each character's fold gives (`sk_word_info`) is
 * that of the fold table now configured: configure() makes it stale. */
static int sk_info_ready = 0;

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
    uint16_t *fast = PyMem_RawMalloc(sizeof(uint16_t) * 0x10000);
    Py_UCS4 *new_pool = PyMem_RawMalloc(sizeof(Py_UCS4) * (total + 1));
    Py_UCS4 *cps = PyMem_RawMalloc(sizeof(Py_UCS4) * (astral + 1));
    int32_t *values = PyMem_RawMalloc(sizeof(int32_t) * (astral + 1));
    Py_UCS4 *pairs = PyMem_RawMalloc(sizeof(Py_UCS4) * 2 * (astral + 1));
    if (!table || !fast || !new_pool || !cps || !values || !pairs || total >= (1 << 24)) {
        PyMem_RawFree(table);
        PyMem_RawFree(fast);
        PyMem_RawFree(new_pool);
        PyMem_RawFree(cps);
        PyMem_RawFree(values);
        PyMem_RawFree(pairs);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < 0x10000; i++) {
        table[i] = IDENTITY;
        fast[i] = (uint16_t)i;
    }
    fast[FAST_GONE] = fast[FAST_SLOW] = FAST_SLOW;
    if (ctype_bmp == NULL) {
        ctype_bmp = PyMem_RawMalloc(0x10000);
        if (ctype_bmp == NULL) {
            PyMem_RawFree(table);
            PyMem_RawFree(fast);
            PyMem_RawFree(new_pool);
            PyMem_RawFree(cps);
            PyMem_RawFree(values);
            PyMem_RawFree(pairs);
            return PyErr_NoMemory();
        }
        for (Py_UCS4 c = 0; c < 0x10000; c++) {
            ctype_bmp[c] = (uint8_t)((Py_UNICODE_ISALPHA(c) ? CT_ALPHA : 0) |
                                     (Py_UNICODE_ISALNUM(c) ? CT_ALNUM : 0) |
                                     (Py_UNICODE_ISUPPER(c) ? CT_UPPER : 0) |
                                     (Py_UNICODE_ISLOWER(c) ? CT_LOWER : 0) |
                                     (Py_UNICODE_ISDIGIT(c) ? CT_DIGIT : 0));
        }
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
            if (len == 0) {
                fast[cp] = FAST_GONE;
            }
            else if (len == 1 && new_pool[used - 1] < FAST_GONE) {
                fast[cp] = (uint16_t)new_pool[used - 1];
            }
            else {
                fast[cp] = FAST_SLOW;
            }
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
    PyMem_RawFree(fast_table);
    fast_table = fast;
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
    sk_info_ready = 0;
    Py_RETURN_NONE;
}

/* A normalised text: either the original text's own data (nothing folds), or a buffer of
 * characters of `kind` with, once offsets drift, the original offset of each. A text of the
 * one- or two-byte kind whose characters each fold to one character of that kind or are
 * removed (most text, ASCII, Cyrillic and Arabic script alike) is folded by `fast_table` into a
 * buffer of its own kind, the inline one when it is short; any other, character by character
 * through `lookup` into a buffer of code points. */
#define NORM_SMALL 512
typedef struct {
    const void *data;
    int kind;
    Py_ssize_t n;
    void *buffer;        /* owned, or NULL when `data` is the original text's or `small` */
    int32_t *index;      /* NULL when every character sits at its own offset */
    int32_t *index_heap; /* owned, or NULL when `index` is NULL or `small_index` */
    Py_UCS4 small[NORM_SMALL];
    int32_t small_index[NORM_SMALL];
} Norm;

static void
norm_free(Norm *nb)
{
    PyMem_Free(nb->buffer);
    PyMem_Free(nb->index_heap);
    nb->buffer = NULL;
    nb->index = NULL;
    nb->index_heap = NULL;
}

/* The fold of in[0:n] one for one into `out` (of the same kind) by `fast_table`, where `i` is
 * the first character that does not fold to itself: its length, with the original offset of
 * each character in `index` (room for n) when some character was removed (`*indexed`), or -1
 * when some character needs the general path (it expands or folds to a wider character). */
#define FAST_FOLD(NAME, T, LIMIT)                                                            \
    static Py_ssize_t NAME(const T *in, Py_ssize_t n, Py_ssize_t i, T *out, int32_t *index,   \
                           int *indexed)                                                     \
    {                                                                                        \
        memcpy(out, in, sizeof(T) * (size_t)i);                                              \
        for (; i < n; i++) {                                                                 \
            unsigned f = fast_table[in[i]];                                                  \
            if (f >= (LIMIT)) {                                                              \
                break;                                                                       \
            }                                                                                \
            out[i] = (T)f;                                                                   \
        }                                                                                    \
        *indexed = 0;                                                                        \
        if (i == n) {                                                                        \
            return n;                                                                        \
        }                                                                                    \
        if (fast_table[in[i]] != FAST_GONE) {                                                \
            return -1;                                                                       \
        }                                                                                    \
        /* From here on offsets drift: record them, the ones so far being the identity. */   \
        Py_ssize_t o = i;                                                                    \
        for (Py_ssize_t j = 0; j < o; j++) {                                                 \
            index[j] = (int32_t)j;                                                           \
        }                                                                                    \
        for (i++; i < n; i++) {                                                              \
            unsigned f = fast_table[in[i]];                                                  \
            if (f < (LIMIT)) {                                                               \
                out[o] = (T)f;                                                               \
                index[o++] = (int32_t)i;                                                     \
            }                                                                                \
            else if (f != FAST_GONE) {                                                       \
                return -1;                                                                   \
            }                                                                                \
        }                                                                                    \
        *indexed = 1;                                                                        \
        return o;                                                                            \
    }
FAST_FOLD(fast_fold_ucs1, Py_UCS1, 0x100)
FAST_FOLD(fast_fold_ucs2, Py_UCS2, FAST_GONE)
#undef FAST_FOLD

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
    nb->index_heap = NULL;
    /* The common case for ASCII and much of the rest: nothing folds. */
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *in = data;
        while (i < n && fast_table[in[i]] == in[i]) {
            i++;
        }
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *in = data;
        while (i < n && fast_table[in[i]] == in[i]) {
            i++;
        }
    }
    else {
        while (i < n && lookup(PyUnicode_READ(kind, data, i)) == IDENTITY) {
            i++;
        }
    }
    if (i == n) {
        nb->data = data;
        nb->kind = kind;
        nb->n = n;
        return 0;
    }
    if (kind != PyUnicode_4BYTE_KIND) {
        void *fast_out = nb->small;
        int32_t *fast_index = nb->small_index;
        if (n > NORM_SMALL) {
            nb->buffer = fast_out = PyMem_Malloc((size_t)kind * n);
            nb->index_heap = fast_index = PyMem_Malloc(sizeof(int32_t) * n);
            if (fast_out == NULL || fast_index == NULL) {
                norm_free(nb);
                PyErr_NoMemory();
                return -1;
            }
        }
        int indexed;
        Py_ssize_t o = kind == PyUnicode_1BYTE_KIND
                           ? fast_fold_ucs1(data, n, i, fast_out, fast_index, &indexed)
                           : fast_fold_ucs2(data, n, i, fast_out, fast_index, &indexed);
        if (o >= 0) {
            nb->data = fast_out;
            nb->kind = kind;
            nb->n = o;
            nb->index = indexed ? fast_index : NULL;
            return 0;
        }
        norm_free(nb);
    }
    Py_ssize_t cap = n + 16;
    Py_UCS4 *out = PyMem_Malloc(sizeof(Py_UCS4) * cap);
    int32_t *index = NULL;
    if (out == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t o = 0;
    for (Py_ssize_t j = 0; j < i; j++) {
        out[o++] = PyUnicode_READ(kind, data, j);
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
            if (index != NULL) {
                index[o] = (int32_t)i;
            }
            out[o++] = src[k];
        }
    }
    nb->data = out;
    nb->kind = PyUnicode_4BYTE_KIND;
    nb->n = o;
    nb->buffer = out;
    nb->index = nb->index_heap = index;
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
    if (nb.data == PyUnicode_DATA(text)) {
        return Py_BuildValue("(OO)", text, Py_None);
    }
    PyObject *norm = PyUnicode_FromKindAndData(nb.kind, nb.data, nb.n);
    if (norm == NULL) {
        norm_free(&nb);
        return NULL;
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

/* Py_UNICODE_ISSPACE, without a call for the letters of most scripts: no white space lies
 * between U+00A0 and U+1680, nor above U+3000. */
static inline int
fold_space(Py_UCS4 c)
{
    if (c < 0x80) {
        return _Py_ascii_whitespace[c];
    }
    if ((c > 0xA0 && c < 0x1680) || c > 0x3000) {
        return 0;
    }
    return Py_UNICODE_ISSPACE(c);
}

/* Write one folded character `c` at out[*o]: a run of white space becomes one space before the
 * next character written (none at the start), and `*top` is raised to the largest written. */
static inline void
fold_put(Py_UCS4 c, Py_UCS4 *out, Py_ssize_t *o, int *space, Py_UCS4 *top)
{
    if (fold_space(c)) {
        *space = 1;
        return;
    }
    if (*space && *o > 0) {
        out[(*o)++] = ' ';
        if (*top < ' ') {
            *top = ' ';
        }
    }
    *space = 0;
    if (c > *top) {
        *top = c;
    }
    out[(*o)++] = c;
}

/* The fold of text[start:end] (see `fold`) into `out`, room for (end - start) * max_expansion:
 * its length; `*maxchar` is raised to its largest character. */
static Py_ssize_t
fold_into(int kind, const void *data, Py_ssize_t start, Py_ssize_t end, Py_UCS4 *out,
          Py_UCS4 *maxchar)
{
    Py_ssize_t o = 0;
    int space = 0; /* white space seen since the last character written */
    Py_UCS4 top = *maxchar;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        if (cp < 0x10000) {
            /* Most characters: one BMP character of their own, or none, off the fast table. */
            Py_UCS4 c = fast_table[cp];
            if (c == FAST_GONE) {
                continue;
            }
            if (c != FAST_SLOW) {
                fold_put(c, out, &o, &space, &top);
                continue;
            }
        }
        int32_t v = lookup(cp);
        Py_ssize_t len = 1;
        const Py_UCS4 *src = &cp;
        if (v != IDENTITY) {
            len = (Py_ssize_t)(((uint32_t)v) >> 24);
            src = pool + (v & 0xFFFFFF);
        }
        for (Py_ssize_t k = 0; k < len; k++) {
            fold_put(src[k], out, &o, &space, &top);
        }
    }
    *maxchar = top;
    return o;
}

/* A str of the code points w[0:n] whose largest is `maxchar`. */
static PyObject *
str_of(const Py_UCS4 *w, Py_ssize_t n, Py_UCS4 maxchar)
{
    PyObject *result = PyUnicode_New(n, maxchar);
    if (result != NULL) {
        int okind = PyUnicode_KIND(result);
        void *odata = PyUnicode_DATA(result);
        for (Py_ssize_t j = 0; j < n; j++) {
            PyUnicode_WRITE(okind, odata, j, w[j]);
        }
    }
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
    Py_UCS4 small[1024]; /* an alias of 56 characters, of any fold */
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
    Py_UCS4 maxchar = 0;
    Py_ssize_t o = fold_into(kind, data, 0, n, out, &maxchar);
    PyObject *result = str_of(out, o, maxchar);
    if (out != small) {
        PyMem_Free(out);
    }
    return result;
}

/* ---------------------------------------------------------------------------------------- */
/* Resolving automaton hits into matches (see matching.py for the rules)                     */

/* The sets of short strings the resolution looks pieces of the text up in (the case endings of
 * a word, the Arabic suffixes and proclitics), each read once into a sorted array of keys, so
 * that a look-up makes no str: a key packs a string of at most END_MAX characters, each from 1
 * to 0xFFF, twelve bits a character (distinct strings, distinct keys). A set with any other
 * element is not read (`usable` 0) and is looked up as a set. The cache belongs to an automaton
 * and holds a reference to each set it has read, so that a set's address stays its own. */
#define END_MAX 5
#define END_SLOTS 64 /* a power of two; at most half of them used */
typedef struct {
    PyObject *set; /* a strong reference, or NULL for an empty slot */
    int usable;
    Py_ssize_t n;
    uint64_t *keys; /* sorted */
} EndSet;

typedef struct {
    EndSet *slots; /* END_SLOTS, or NULL until the first set is read */
    int used;
} EndCache;

static void
end_cache_clear(EndCache *cache)
{
    if (cache->slots != NULL) {
        for (int i = 0; i < END_SLOTS; i++) {
            Py_XDECREF(cache->slots[i].set);
            PyMem_Free(cache->slots[i].keys);
        }
    }
    PyMem_Free(cache->slots);
    cache->slots = NULL;
    cache->used = 0;
}

/* The key of w[a:b] (of `kind`), or 0 with *ok 0 when no usable set can hold it. */
static inline uint64_t
end_key(int kind, const void *data, Py_ssize_t a, Py_ssize_t b, int *ok)
{
    uint64_t key = 0;
    *ok = 0;
    if (b - a > END_MAX) {
        return 0;
    }
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == 0 || c > 0xFFF) {
            return 0;
        }
        key = (key << 12) | c;
    }
    *ok = 1;
    return key;
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Reads `set` into `e`: 0, or -1 with an exception set. */
static int
end_set_read(EndSet *e, PyObject *set)
{
    e->usable = 0;
    e->n = 0;
    e->keys = NULL;
    if (!PyFrozenSet_CheckExact(set)) {
        return 0;
    }
    Py_ssize_t size = PySet_GET_SIZE(set);
    uint64_t *keys = PyMem_Malloc(sizeof(uint64_t) * (size_t)(size + 1));
    if (keys == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyObject *it = PyObject_GetIter(set), *item;
    if (it == NULL) {
        PyMem_Free(keys);
        return -1;
    }
    Py_ssize_t n = 0;
    int usable = 1;
    while (usable && n < size && (item = PyIter_Next(it)) != NULL) {
        int ok = 0;
        if (PyUnicode_CheckExact(item)) {
            keys[n] = end_key(PyUnicode_KIND(item), PyUnicode_DATA(item), 0,
                              PyUnicode_GET_LENGTH(item), &ok);
        }
        Py_DECREF(item);
        usable = ok;
        n++;
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        PyMem_Free(keys);
        return -1;
    }
    if (!usable || n != size) {
        PyMem_Free(keys);
        return 0;
    }
    qsort(keys, (size_t)n, sizeof(uint64_t), cmp_u64);
    e->usable = 1;
    e->n = n;
    e->keys = keys;
    return 0;
}

/* The cache's reading of `set` in `*e`, read now if it was not yet; NULL when the cache is full
 * (the caller looks the set up itself). 0, or -1 with an exception set. */
static int
end_set(EndCache *cache, PyObject *set, const EndSet **e)
{
    *e = NULL;
    if (cache->slots == NULL) {
        cache->slots = PyMem_Calloc(END_SLOTS, sizeof(EndSet));
        if (cache->slots == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    }
    size_t i = ((uintptr_t)set >> 4) & (END_SLOTS - 1);
    while (cache->slots[i].set != NULL) {
        if (cache->slots[i].set == set) {
            *e = &cache->slots[i];
            return 0;
        }
        i = (i + 1) & (END_SLOTS - 1);
    }
    if (cache->used >= END_SLOTS / 2) {
        return 0;
    }
    if (end_set_read(&cache->slots[i], set) < 0) {
        return -1;
    }
    cache->slots[i].set = Py_NewRef(set);
    cache->used++;
    *e = &cache->slots[i];
    return 0;
}

/* Whether the key is in the set's sorted keys. */
static inline int
end_has(const EndSet *e, uint64_t key)
{
    Py_ssize_t lo = 0, hi = e->n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (e->keys[mid] < key) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return lo < e->n && e->keys[lo] == key;
}

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
    EndCache *endings; /* the automaton's */
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

/* The same predicates by `ctype_bmp`, for the resolution (after `configure`, as `scan` is). */
static inline int
ct_alnum(Py_UCS4 c)
{
    return c < 0x10000 ? ctype_bmp[c] & CT_ALNUM : Py_UNICODE_ISALNUM(c);
}

static inline int
ct_alpha(Py_UCS4 c)
{
    return c < 0x10000 ? ctype_bmp[c] & CT_ALPHA : Py_UNICODE_ISALPHA(c);
}

static inline int
ct_upper(Py_UCS4 c)
{
    return c < 0x10000 ? ctype_bmp[c] & CT_UPPER : Py_UNICODE_ISUPPER(c);
}

static inline int
ct_lower(Py_UCS4 c)
{
    return c < 0x10000 ? ctype_bmp[c] & CT_LOWER : Py_UNICODE_ISLOWER(c);
}

static inline int
ct_digit(Py_UCS4 c)
{
    return c < 0x10000 ? ctype_bmp[c] & CT_DIGIT : Py_UNICODE_ISDIGIT(c);
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
    while (i > 0 && ct_alnum(ch(t, i - 1))) {
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
    int upper_after_lower = ct_upper(cur) && (ct_lower(prev) || ct_digit(prev));
    int digit_after_letter = ct_digit(cur) && ct_alpha(prev);
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
    const EndSet *e;
    if (end_set(t->endings, set, &e) < 0) {
        return -1;
    }
    if (e != NULL && e->usable) {
        int ok;
        uint64_t key = end_key(t->kind, t->data, a, b, &ok);
        return ok && end_has(e, key);
    }
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
    if (pos >= n || !ct_alnum(ch(t, pos))) {
        if (endings == Py_None) {
            return pos;
        }
        int found = slice_in(t, pos, pos, endings);
        if (found < 0) {
            return -2;
        }
        return found ? pos : -1;
    }
    Py_ssize_t j = pos, limit = pos + MAX_ENDING + 1;
    while (j < n && j < limit && ct_alpha(ch(t, j))) {
        j++;
    }
    if (j < n && ct_alnum(ch(t, j))) {
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
    while (i > 0 && ct_alnum(ch(t, i - 1)) && start - i < 4) {
        i--;
    }
    if (i > 0 && ct_alnum(ch(t, i - 1))) {
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
    PyObject *no_bits; /* a value's bits object known to be 0 (borrowed), or NULL */
} Resolver;

static void
resolver_init(Resolver *r, const void *data, int kind, Py_ssize_t n, const int32_t *index,
              PyObject *text, PyObject *values, PyObject *suffixes, PyObject *proclitics,
              EndCache *endings)
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
    r->t.endings = endings;
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
    PyObject *bits = PyTuple_GET_ITEM(value, 3);
    if (bits != r->no_bits) { /* most keys share one object 0 */
        long b = PyLong_AsLong(bits);
        if (b == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (b == 0) {
            r->no_bits = bits;
        }
        r->mask |= b;
    }
    if (PyTuple_GET_SIZE(patterns) == 0) {
        return 0;
    }
    int arabic_only = 0;
    if (start > 0 && ct_alnum(ch(t, start - 1))) {
        /* Inside a run of letters: only after an Arabic proclitic, or at a CamelCase
         * boundary of a hashtag or handle. */
        int prefixed = 0;
        Py_UCS4 before = ch(t, start - 1);
        if (key_arabic || (before >= 0x600 && before <= 0x6FF)) {
            /* (A Latin name may follow an Arabic proclitic too, written on: الـIRGC.) */
            prefixed = arabic_prefix(t, start, r->proclitics);
            if (prefixed < 0) {
                return -1;
            }
        }
        if (prefixed) {
            arabic_only = key_arabic;
        }
        else if (!camel_at(t, start)) {
            /* (A boundary of a hashtag or handle is after a '#' or '@' of the text: the rules'
             * look for either in the whole text first would change nothing.) */
            return 0;
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
    PyObject *mask = PyLong_FromLong(r->mask), *result = mask ? PyTuple_New(2) : NULL;
    if (result == NULL) {
        Py_XDECREF(mask);
        Py_DECREF(out);
        return NULL;
    }
    PyTuple_SET_ITEM(result, 0, out);
    PyTuple_SET_ITEM(result, 1, mask);
    return result;
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
    const int32_t *classes[256]; /* the same pages, `no_classes` where none occurs (searches) */
    uint16_t *bmp_classes; /* the class of each BMP code point when all fit, else NULL */
    Py_UCS4 *astral_cps; /* sorted */
    int32_t *astral_classes;
    Py_ssize_t n_astral;
    int32_t n_dense;
    int32_t *rows;  /* n_dense rows of n_classes + 1 */
    int32_t *first; /* n_states + 1 */
    int32_t *edge, *fail, *out, *dict; /* n_states each */
    int32_t *same, *key_len;            /* n_keys each */
    Py_ssize_t nbytes;
    EndCache endings; /* the sets of endings its scans have read (written under the GIL) */
} Automaton;

static const int32_t no_classes[256] = {0};

static int32_t
ac_astral_class(const Automaton *a, Py_UCS4 cp)
{
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

static inline int32_t
ac_class(const Automaton *a, Py_UCS4 cp)
{
    if (cp < 0x10000) {
        const int32_t *page = a->pages[cp >> 8];
        return page != NULL ? page[cp & 0xFF] : 0;
    }
    return ac_astral_class(a, cp);
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

/* While the automaton is built: the state after reading class c in state s, as state << 1 and
 * its bit (the rows still hold states, not yet the cells of a search: see `ac_encode`). */
static inline int32_t
ac_build_step(const Automaton *a, int32_t s, int32_t c)
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

/* A search reads the rows as cells of its own form: 2 * at + the bit, where `at` is the state's
 * row (state * width, at which its cells start) when it has one, else ~state (negative); the
 * search reads `at` back with an arithmetic shift. So a step from a state with a row is one
 * lookup, rows[at + class], with no multiplication. */
static inline int32_t
ac_encode(const Automaton *a, int32_t t)
{
    int32_t s = t >> 1;
    int32_t at = s < a->n_dense ? s * (a->n_classes + 1) : ~s;
    return at * 2 + (t & 1);
}

/* A search's step from a state s with no row by class c (not 0): the cell of the child by c of
 * s, or of the first state down its failure links that has one, or else of the first state
 * with a row. A child of a state with no row has none either. */
static int32_t
ac_step_deep(const Automaton *a, int32_t s, int32_t c)
{
    while (s >= a->n_dense) {
        int32_t t = ac_child(a, s, c);
        if (t != 0) {
            return ~(t >> 1) * 2 + (t & 1);
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

/* The keys that end at the state of `at` (a row or ~state), where text[i] was read last: 0, or
 * -1 on error. */
static int
ac_report(const Automaton *a, int32_t at, Py_ssize_t i, Hits *h)
{
    int32_t s = at >= 0 ? at / (a->n_classes + 1) : ~at;
    for (int32_t d = a->out[s] >= 0 ? s : a->dict[s]; d > 0; d = a->dict[d]) {
        for (int32_t k = a->out[d]; k >= 0; k = a->same[k]) {
            if (hits_push(h, k, (int32_t)(i + 1) - a->key_len[k], (int32_t)(i + 1)) < 0) {
                return -1;
            }
        }
    }
    return 0;
}

/* What a search reads only off its hot path: a step from a state with no row, and the keys
 * that end at a state, kept in memory so that the loop keeps its registers for itself. */
typedef struct {
    const Automaton *a;
    Hits *h;
} AcCold;

static int
ac_cold_report(const AcCold *cold, Py_ssize_t at, Py_ssize_t i)
{
    return ac_report(cold->a, (int32_t)at, i, cold->h);
}

static int32_t
ac_cold_step(const AcCold *cold, Py_ssize_t at, int32_t c)
{
    return ac_step_deep(cold->a, ~(int32_t)at, c);
}

/* The search loop for one kind of text, reading the class of a character with CLASS(cp). A
 * state with a row steps by one lookup, class 0 included (its cell is the root's, 0). */
#define AC_SEARCH(NAME, T, CLASS)                                                            \
    static int NAME(const Automaton *a, const T *text, Py_ssize_t n, Hits *h)                \
    {                                                                                        \
        AcCold cold = {a, h};                                                                \
        const int32_t *const *classes = a->classes;                                          \
        const uint16_t *flat = a->bmp_classes;                                               \
        const int32_t *rows = a->rows;                                                       \
        Py_ssize_t at = 0; /* the root's row */                                              \
        (void)classes;                                                                       \
        (void)flat;                                                                          \
        for (Py_ssize_t i = 0; i < n; i++) {                                                 \
            Py_UCS4 cp = text[i];                                                            \
            int32_t c = CLASS(cp), cell;                                                     \
            if (at >= 0) {                                                                   \
                cell = rows[at + c];                                                         \
            }                                                                                \
            else {                                                                           \
                cell = c != 0 ? ac_cold_step(&cold, at, c) : 0;                              \
            }                                                                                \
            at = cell >> 1;                                                                  \
            if ((cell & 1) && ac_cold_report(&cold, at, i) < 0) {                            \
                return -1;                                                                   \
            }                                                                                \
        }                                                                                    \
        return 0;                                                                            \
    }
#define AC_CLASS1(cp) classes[0][cp]
#define AC_CLASS2(cp) classes[(cp) >> 8][(cp) & 0xFF]
#define AC_CLASS2_FLAT(cp) flat[cp]
#define AC_CLASS4(cp) ((cp) < 0x10000 ? AC_CLASS2(cp) : ac_astral_class(a, cp))
AC_SEARCH(ac_search_ucs1, Py_UCS1, AC_CLASS1)
AC_SEARCH(ac_search_ucs2, Py_UCS2, AC_CLASS2)
AC_SEARCH(ac_search_ucs2_flat, Py_UCS2, AC_CLASS2_FLAT)
AC_SEARCH(ac_search_ucs4, Py_UCS4, AC_CLASS4)
#undef AC_SEARCH
#undef AC_CLASS1
#undef AC_CLASS2
#undef AC_CLASS2_FLAT
#undef AC_CLASS4

/* Every occurrence of every key in the text (overlapping), by where it ends, the longest
 * first among those that end together. 0, or -1 on error. */
static int
ac_search(const Automaton *a, int kind, const void *data, Py_ssize_t n, Hits *h)
{
    if (a->n_keys == 0) {
        return 0;
    }
    if (kind == PyUnicode_1BYTE_KIND) {
        return ac_search_ucs1(a, data, n, h);
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        return a->bmp_classes != NULL ? ac_search_ucs2_flat(a, data, n, h)
                                      : ac_search_ucs2(a, data, n, h);
    }
    return ac_search_ucs4(a, data, n, h);
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
    PyMem_RawFree(a->bmp_classes);
    end_cache_clear(&a->endings);
    Py_TYPE(a)->tp_free((PyObject *)a);
}

/* A key while building: its code points, read in place, its length and kind (len << 3 |
 * kind: a key has fewer than 2**28 characters) and its number. The keys of a state lie side by side, so that the build reads them
 * in order (reached through the list, the keys of a state were as many jumps in memory). */
typedef struct {
    const void *data;
    int32_t len_kind;
    int32_t index;
} Key;

static inline Py_UCS4
key_at(const Key *k, int32_t i)
{
    return PyUnicode_READ(k->len_kind & 7, k->data, i);
}

/* Stable-sort keys[0:n] by cls[0:n] (the class of each key at the depth being split, 0 for a
 * key that ends there); `tmp` and `tmp_cls` room for n and `count` for n_classes + 1. By
 * insertion when n is small (most states split few keys), else by counting. */
static void
ac_split_sort(Key *keys, int32_t *cls, int32_t n, Key *tmp, int32_t *tmp_cls, int32_t *count,
              int32_t n_classes)
{
    if (n <= 32) {
        for (int32_t i = 1; i < n; i++) {
            int32_t c = cls[i];
            if (cls[i - 1] <= c) {
                continue;
            }
            Key k = keys[i];
            int32_t j = i;
            for (; j > 0 && cls[j - 1] > c; j--) {
                cls[j] = cls[j - 1];
                keys[j] = keys[j - 1];
            }
            cls[j] = c;
            keys[j] = k;
        }
        return;
    }
    memset(count, 0, sizeof(int32_t) * (n_classes + 1));
    for (int32_t i = 0; i < n; i++) {
        count[cls[i]]++;
    }
    int32_t total = 0;
    for (int32_t c = 0; c <= n_classes; c++) {
        int32_t m = count[c];
        count[c] = total;
        total += m;
    }
    for (int32_t i = 0; i < n; i++) {
        int32_t at = count[cls[i]]++;
        tmp[at] = keys[i];
        tmp_cls[at] = cls[i];
    }
    memcpy(keys, tmp, sizeof(Key) * n);
    memcpy(cls, tmp_cls, sizeof(int32_t) * n);
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
    if (dense_cells > (1 << 28)) {
        dense_cells = 1 << 28; /* a search's cells hold 2 * row (see `ac_encode`) in an int32 */
    }
    uint8_t *seen = PyMem_RawCalloc(0x10000 / 8, 1);
    Py_UCS4 *astral = NULL;
    Py_ssize_t n_astral = 0, cap_astral = 0;
    Key *order = NULL, *tmp = NULL;
    int32_t *cls = NULL, *tmp_cls = NULL, *count = NULL;
    int result = -1;
    a->same = PyMem_RawMalloc(sizeof(int32_t) * (n_keys + 1));
    a->key_len = PyMem_RawMalloc(sizeof(int32_t) * (n_keys + 1));
    if (seen == NULL || a->same == NULL || a->key_len == NULL) {
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
        if (len >= (1 << 28) || total >= INT32_MAX) {
            PyErr_SetString(PyExc_ValueError, "Automaton(): keys too long");
            goto done;
        }
        a->key_len[k] = (int32_t)len;
        a->same[k] = -1;
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        for (int32_t i = 0; i < (int32_t)len; i++) {
            Py_UCS4 cp = PyUnicode_READ(kind, data, i);
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
    /* Classes in code point order, so that keys in code point order are in class order. */
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
    /* The trie, breadth first: a state stands for the keys order[lo[s]:hi[s]], which share its
     * prefix, in key order; its children split them by their next code point (by its class:
     * the classes are in code point order), the keys that end at it first. Each split is
     * stable, so each state's keys stay in key order, with no sort of the whole list. A state
     * per character of the keys at most, and the root: the arrays have that room, of which
     * only the states made are written (the rest is never touched, and given back after).
     * `lo` and `hi` are the room of the failure and dictionary links, made after them. */
    int64_t room = total + 1;
    if (room >= INT32_MAX / 2) {
        room = INT32_MAX / 2;
    }
    a->rows = PyMem_RawCalloc(n_classes + 1, sizeof(int32_t)); /* the root's, for now */
    a->first = PyMem_RawMalloc(sizeof(int32_t) * (room + 1));
    a->edge = PyMem_RawMalloc(sizeof(int32_t) * room);
    a->out = PyMem_RawMalloc(sizeof(int32_t) * room);
    a->fail = PyMem_RawMalloc(sizeof(int32_t) * room);
    a->dict = PyMem_RawMalloc(sizeof(int32_t) * room);
    order = PyMem_RawMalloc(sizeof(Key) * (n_keys + 1));
    cls = PyMem_RawMalloc(sizeof(int32_t) * (n_keys + 1));
    tmp = PyMem_RawMalloc(sizeof(Key) * (n_keys + 1));
    tmp_cls = PyMem_RawMalloc(sizeof(int32_t) * (n_keys + 1));
    count = PyMem_RawMalloc(sizeof(int32_t) * (n_classes + 1));
    if (a->rows == NULL || a->first == NULL || a->edge == NULL || a->out == NULL ||
        a->fail == NULL || a->dict == NULL || order == NULL || cls == NULL || tmp == NULL ||
        tmp_cls == NULL || count == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int32_t *lo = a->fail, *hi = a->dict;
    for (int32_t k = 0; k < n_keys; k++) {
        PyObject *key = PyList_GET_ITEM(keys, k);
        order[k].data = PyUnicode_DATA(key);
        order[k].len_kind = (int32_t)(PyUnicode_GET_LENGTH(key) << 3) | PyUnicode_KIND(key);
        order[k].index = k;
    }
    lo[0] = 0;
    hi[0] = (int32_t)n_keys;
    a->edge[0] = 0;
    int32_t next = 1, depth = 0, level_end = 1, n_dense = 1;
    for (int32_t s = 0; s < next; s++) {
        if (s == level_end) {
            /* States 0 to next - 1 are those up to this depth. */
            depth++;
            level_end = next;
            if (n_dense == s && (int64_t)next * (n_classes + 1) <= dense_cells) {
                n_dense = next;
            }
        }
        int32_t i = lo[s], stop = hi[s];
        for (int32_t j = i; j < stop; j++) {
            const Key *k = &order[j];
            cls[j] = (k->len_kind >> 3) == depth ? 0 : ac_class(a, key_at(k, depth));
        }
        ac_split_sort(order + i, cls + i, stop - i, tmp, tmp_cls, count, n_classes);
        /* The keys that end here come first; the same string twice, in key order. */
        a->out[s] = -1;
        int32_t *tail = &a->out[s];
        for (; i < stop && cls[i] == 0; i++) {
            *tail = order[i].index;
            tail = &a->same[order[i].index];
        }
        a->first[s] = next;
        while (i < stop) {
            int32_t c = cls[i];
            int32_t j = i + 1;
            while (j < stop && cls[j] == c) {
                j++;
            }
            if (next >= room) {
                PyErr_SetString(PyExc_ValueError, "Automaton(): too many states");
                goto done;
            }
            a->edge[next] = c << 1;
            lo[next] = i;
            hi[next] = j;
            next++;
            i = j;
        }
    }
    int32_t n_states = next;
    a->n_states = n_states;
    a->first[n_states] = next;
    PyMem_RawFree(order);
    PyMem_RawFree(cls);
    PyMem_RawFree(tmp);
    PyMem_RawFree(tmp_cls);
    PyMem_RawFree(count);
    order = tmp = NULL;
    cls = tmp_cls = count = NULL;
    /* Give back the room of the states not made. */
    int32_t **arrays[] = {&a->edge, &a->out, &a->fail, &a->dict};
    for (size_t j = 0; j < sizeof(arrays) / sizeof(arrays[0]); j++) {
        int32_t *smaller = PyMem_RawRealloc(*arrays[j], sizeof(int32_t) * n_states);
        if (smaller != NULL) {
            *arrays[j] = smaller;
        }
    }
    int32_t *first = PyMem_RawRealloc(a->first, sizeof(int32_t) * (n_states + 1));
    if (first != NULL) {
        a->first = first;
    }
    for (int32_t t = a->first[0]; t < a->first[1]; t++) {
        a->rows[a->edge[t] >> 1] = t << 1;
    }
    a->n_dense = 1;
    /* Failure and dictionary links, breadth first: a state's failure target is shallower (and
     * its links written before they are read over the ranges that stood there). */
    a->fail[0] = 0;
    a->dict[0] = -1;
    for (int32_t s = 0; s < n_states; s++) {
        for (int32_t t = a->first[s]; t < a->first[s + 1]; t++) {
            int32_t f = s == 0 ? 0 : ac_build_step(a, a->fail[s], a->edge[t] >> 1) >> 1;
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
    for (size_t cell = 0; cell < width * n_dense; cell++) {
        rows[cell] = ac_encode(a, rows[cell]);
    }
    for (int p = 0; p < 256; p++) {
        a->classes[p] = a->pages[p] != NULL ? a->pages[p] : no_classes;
    }
    if (n_classes <= UINT16_MAX) {
        a->bmp_classes = PyMem_RawMalloc(sizeof(uint16_t) * 0x10000);
        if (a->bmp_classes == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_UCS4 cp = 0; cp < 0x10000; cp++) {
            a->bmp_classes[cp] = (uint16_t)a->classes[cp >> 8][cp & 0xFF];
        }
        a->nbytes += sizeof(uint16_t) * 0x10000;
    }
    a->nbytes += sizeof(int32_t) * (width * n_dense + 5 * n_states + 1 + 2 * n_keys) +
                 (sizeof(Py_UCS4) + sizeof(int32_t)) * distinct;
    result = 0;
done:
    PyMem_RawFree(seen);
    PyMem_RawFree(astral);
    PyMem_RawFree(order);
    PyMem_RawFree(cls);
    PyMem_RawFree(tmp);
    PyMem_RawFree(tmp_cls);
    PyMem_RawFree(count);
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
    resolver_init(&r, nb.data, nb.kind, nb.n, nb.index, text, values, args[3], args[4],
                  &a->endings);
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

typedef struct {
    PhraseHit *items;
    Py_ssize_t len, cap;
} PhraseHits;

static void
phrase_hits_free(PhraseHits *f)
{
    for (Py_ssize_t i = 0; i < f->len; i++) {
        Py_XDECREF(f->items[i].clitic);
    }
    PyMem_Free(f->items);
    f->items = NULL;
    f->len = f->cap = 0;
}

/* Judges every entry of one automaton hit at text[start:end] (`entries`, a tuple) and adds
 * those that stand to `found`, by start, then longest first, in arrival order among equals.
 * With `found` NULL, only says whether one stands: 1 or 0 (-1 on error) */
static int
phrase_collect(const Plain *t, Py_ssize_t start, Py_ssize_t end, PyObject *entries,
               Py_ssize_t stop, PyObject *clitics, PhraseHits *found)
{
    if (!PyTuple_Check(entries)) {
        PyErr_SetString(PyExc_TypeError, "phrases(): a key's entries are a tuple");
        return -1;
    }
    Py_ssize_t n_entries = PyTuple_GET_SIZE(entries);
    int any = 0;
    for (Py_ssize_t k = 0; k < n_entries; k++) {
        PyObject *entry = PyTuple_GET_ITEM(entries, k), *clitic;
        if (check_entry(entry) < 0) {
            return -1;
        }
        int at = phrase_at(t, start, end, entry, stop, clitics, &clitic);
        if (at < 0) {
            return -1;
        }
        if (!at) {
            continue;
        }
        if (found == NULL) {
            Py_XDECREF(clitic);
            return 1;
        }
        any = 1;
        if (found->len == found->cap) {
            Py_ssize_t grown = found->cap ? found->cap * 2 : 32;
            PhraseHit *bigger = PyMem_Realloc(found->items, sizeof(PhraseHit) * grown);
            if (bigger == NULL) {
                Py_XDECREF(clitic);
                PyErr_NoMemory();
                return -1;
            }
            found->items = bigger;
            found->cap = grown;
        }
        PhraseHit f = {start, end, entry, clitic};
        /* An insertion sort, stable, and short because hits arrive nearly in order. */
        PhraseHit *items = found->items;
        Py_ssize_t j = found->len++;
        while (j > 0 &&
               (items[j - 1].start > start || (items[j - 1].start == start && items[j - 1].end < end))) {
            items[j] = items[j - 1];
            j--;
        }
        items[j] = f;
    }
    return any;
}

/* The list of hit_type(start, end, kind, value, clitic) of `found`, whose clitics it takes. */
static PyObject *
phrase_list(PhraseHits *found, PyTypeObject *hit_type)
{
    PyObject *out = PyList_New(found->len);
    if (out == NULL) {
        return NULL;
    }
    PyObject *empty = PyUnicode_New(0, 0);
    if (empty == NULL) {
        Py_DECREF(out);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < found->len; i++) {
        PhraseHit *f = &found->items[i];
        PyObject *hit = hit_type->tp_alloc(hit_type, 5);
        PyObject *start = PyLong_FromSsize_t(f->start);
        PyObject *end = PyLong_FromSsize_t(f->end);
        if (hit == NULL || start == NULL || end == NULL) {
            Py_XDECREF(hit);
            Py_XDECREF(start);
            Py_XDECREF(end);
            Py_DECREF(empty);
            Py_DECREF(out);
            return NULL;
        }
        PyTuple_SET_ITEM(hit, 0, start);
        PyTuple_SET_ITEM(hit, 1, end);
        PyTuple_SET_ITEM(hit, 2, Py_NewRef(PyTuple_GET_ITEM(f->entry, E_KIND)));
        PyTuple_SET_ITEM(hit, 3, Py_NewRef(PyTuple_GET_ITEM(f->entry, E_VALUE)));
        PyTuple_SET_ITEM(hit, 4, f->clitic != NULL ? f->clitic : Py_NewRef(empty));
        f->clitic = NULL;
        PyList_SET_ITEM(out, i, hit);
    }
    Py_DECREF(empty);
    return out;
}

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
    Py_ssize_t n_hits = PyList_GET_SIZE(hits);
    PhraseHits found = {NULL, 0, 0};
    PyObject *out = NULL;
    for (Py_ssize_t h = 0; h < n_hits; h++) {
        PyObject *entries;
        Py_ssize_t start, end;
        if (read_hit(PyList_GET_ITEM(hits, h), table, offset, stop, &entries, &start, &end) < 0 ||
            phrase_collect(&t, start, end, entries, stop, clitics, &found) < 0) {
            goto done;
        }
    }
    out = phrase_list(&found, hit_type);
done:
    phrase_hits_free(&found);
    return out;
}

/* find_phrases(automaton, text, table, clitics, hit_type) -> list of hit_type, or, with
 * hit_type None, whether any phrase stands (True or False, no object made): `phrases` over the
 * automaton's hits of the whole text, in one call (PhraseSet.find and PhraseSet.any). */
static PyObject *
find_phrases(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "find_phrases(automaton, text, table, clitics, hit_type)");
        return NULL;
    }
    const Automaton *a = (const Automaton *)args[0];
    PyObject *text = args[1], *table = args[2], *clitics = args[3];
    int any_only = args[4] == Py_None;
    if (!PyObject_TypeCheck(args[0], &AutomatonType) || !PyUnicode_Check(text) ||
        !PyList_Check(table) || !PyAnySet_Check(clitics) || (!any_only && !PyType_Check(args[4]))) {
        PyErr_SetString(PyExc_TypeError, "find_phrases(): bad argument types");
        return NULL;
    }
    if (PyList_GET_SIZE(table) != a->n_keys) {
        PyErr_SetString(PyExc_ValueError, "find_phrases(): entries for each key of the automaton");
        return NULL;
    }
    Plain t = {PyUnicode_DATA(text), PyUnicode_KIND(text), PyUnicode_GET_LENGTH(text), text};
    Hits h;
    hits_init(&h);
    PhraseHits found = {NULL, 0, 0};
    PyObject *out = NULL;
    if (ac_search(a, t.kind, t.data, t.n, &h) < 0) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < h.len; i++) {
        int got = phrase_collect(&t, h.items[i].start, h.items[i].end,
                                 PyList_GET_ITEM(table, h.items[i].key), t.n, clitics,
                                 any_only ? NULL : &found);
        if (got < 0) {
            goto done;
        }
        if (got && any_only) {
            out = Py_NewRef(Py_True);
            goto done;
        }
    }
    out = any_only ? Py_NewRef(Py_False) : phrase_list(&found, (PyTypeObject *)args[4]);
done:
    phrase_hits_free(&found);
    hits_free(&h);
    return out;
}

/* ---------------------------------------------------------------------------------------- */
/* The claim detector's fold (see claims_text.py: `lower`, then `fold`)                       */

#define FOLD_KEEP (-1)
#define FOLD_DROP (-2)
#define CAPITAL_SIGMA 0x3A3
/* Texts shorter than this are lower-cased and folded in buffers on the stack. */
#define LOWER_FOLD_SMALL 1024

/* The simple lower case of each BMP code point (`Py_UNICODE_TOLOWER`, a lookup through the
 * Unicode database), read off once on the first fold: 0 where it is not in the BMP itself
 * (none in Unicode 15) or for NUL, and then asked again. */
static uint16_t *lower_bmp = NULL;

static int
lower_bmp_ready(void)
{
    if (lower_bmp != NULL) {
        return 0;
    }
    uint16_t *table = PyMem_RawMalloc(sizeof(uint16_t) * 0x10000);
    if (table == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_UCS4 c = 0; c < 0x10000; c++) {
        Py_UCS4 low = Py_UNICODE_TOLOWER(c);
        table[c] = low < 0x10000 ? (uint16_t)low : 0;
    }
    lower_bmp = table;
    return 0;
}

static inline Py_UCS4
lower_of(Py_UCS4 c)
{
    if (c < 0x10000) {
        Py_UCS4 low = lower_bmp[c];
        if (low != 0 || c == 0) {
            return low;
        }
    }
    return Py_UNICODE_TOLOWER(c);
}

/* A str of the code points w[0:n], whose bitwise or is `widest` (in the same width class as
 * the largest, so the str is made at its own width with no pass to find the largest). */
static PyObject *
str_of_ucs4(const Py_UCS4 *w, Py_ssize_t n, Py_UCS4 widest)
{
    Py_UCS4 maxchar = widest < 0x80 ? 0x7F : widest < 0x100 ? 0xFF : widest < 0x10000 ? 0xFFFF
                                                                                     : 0x10FFFF;
    PyObject *out = PyUnicode_New(n, maxchar);
    if (out == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(out);
    void *data = PyUnicode_DATA(out);
    if (kind == PyUnicode_1BYTE_KIND) {
        Py_UCS1 *d = data;
        for (Py_ssize_t i = 0; i < n; i++) {
            d[i] = (Py_UCS1)w[i];
        }
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        Py_UCS2 *d = data;
        for (Py_ssize_t i = 0; i < n; i++) {
            d[i] = (Py_UCS2)w[i];
        }
    }
    else {
        memcpy(data, w, sizeof(Py_UCS4) * n);
    }
    return out;
}

/* lower_fold(text, table[, raw]) -> (raw, folded, index or None), or None for a text with a
 * capital sigma (whose lower case depends on its place in a word: the caller lower-cases in
 * Python). `raw` is the text lower-cased a character for a character (the first of a lower
 * case of several; None when the third argument is False: a caller with no use for it),
 * `folded` the raw text, unless it is ASCII, with each character c < 0x10000 replaced by
 * table[c] (int32: FOLD_KEEP, FOLD_DROP or a code point), `index` a tuple of the offset of
 * each folded character, None when nothing was dropped. */
static PyObject *
lower_fold(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 2 || nargs > 3 || !PyUnicode_Check(args[0]) || !PyBytes_Check(args[1]) ||
        PyBytes_GET_SIZE(args[1]) != (Py_ssize_t)sizeof(int32_t) * 0x10000) {
        PyErr_SetString(PyExc_TypeError, "lower_fold(text, table of 0x10000 int32[, raw])");
        return NULL;
    }
    int want_raw = nargs < 3 || PyObject_IsTrue(args[2]);
    if (want_raw < 0 || lower_bmp_ready() < 0) {
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
    /* A post's text fits on the stack; a longer one goes to the heap. */
    Py_UCS4 small_raw[LOWER_FOLD_SMALL], small_folded[LOWER_FOLD_SMALL];
    Py_ssize_t small_index[LOWER_FOLD_SMALL];
    int small = n < LOWER_FOLD_SMALL;
    Py_UCS4 *raw = small ? small_raw : PyMem_Malloc(sizeof(Py_UCS4) * (n + 1));
    Py_UCS4 *folded = small ? small_folded : PyMem_Malloc(sizeof(Py_UCS4) * (n + 1));
    Py_ssize_t *index = small ? small_index : PyMem_Malloc(sizeof(Py_ssize_t) * (n + 1));
    PyObject *raw_obj = NULL, *folded_obj = NULL, *index_obj = NULL, *result = NULL;
    if (raw == NULL || folded == NULL || index == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* One pass lower-cases and folds (the fold is thrown away for an ASCII text, which is
     * folded by lower-casing alone, as `fold` does: even "`" stays), the switch on the
     * string's kind taken once. */
    Py_UCS4 widest = 0, widest_folded = 0;
    Py_ssize_t o = 0;
/* Up to the first character the fold drops (most texts have none), a folded character's offset
 * is its own: the index is written only from there on, its first part in one go. */
#define LOWER_FOLD_PASS(type)                                                                   \
    do {                                                                                        \
        const type *d = (const type *)data;                                                     \
        Py_ssize_t i = 0;                                                                       \
        for (; i < n; i++) {                                                                    \
            Py_UCS4 c = lower_of(d[i]);                                                         \
            raw[i] = c;                                                                         \
            widest |= c;                                                                        \
            int32_t to = c < 0x10000 ? table[c] : FOLD_KEEP;                                    \
            if (to == FOLD_DROP) {                                                              \
                break;                                                                          \
            }                                                                                   \
            c = to == FOLD_KEEP ? c : (Py_UCS4)to;                                              \
            folded[i] = c;                                                                      \
            widest_folded |= c;                                                                 \
        }                                                                                       \
        o = i;                                                                                  \
        if (i == n) {                                                                           \
            break;                                                                              \
        }                                                                                       \
        for (Py_ssize_t k = 0; k < o; k++) {                                                    \
            index[k] = k;                                                                       \
        }                                                                                       \
        for (i++; i < n; i++) {                                                                 \
            Py_UCS4 c = lower_of(d[i]);                                                         \
            raw[i] = c;                                                                         \
            widest |= c;                                                                        \
            int32_t to = c < 0x10000 ? table[c] : FOLD_KEEP;                                    \
            if (to == FOLD_DROP) {                                                              \
                continue;                                                                       \
            }                                                                                   \
            c = to == FOLD_KEEP ? c : (Py_UCS4)to;                                              \
            folded[o] = c;                                                                      \
            widest_folded |= c;                                                                 \
            index[o++] = i;                                                                     \
        }                                                                                       \
    } while (0)
    if (kind == PyUnicode_1BYTE_KIND) {
        LOWER_FOLD_PASS(Py_UCS1);
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        LOWER_FOLD_PASS(Py_UCS2);
    }
    else {
        LOWER_FOLD_PASS(Py_UCS4);
    }
#undef LOWER_FOLD_PASS
    if (widest < 0x80) {
        widest_folded = widest;
        o = n;
    }
    raw_obj = want_raw ? str_of_ucs4(raw, n, widest) : Py_NewRef(Py_None);
    folded_obj = str_of_ucs4(widest < 0x80 ? raw : folded, o, widest_folded);
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
    if (!small) {
        PyMem_Free(raw);
        PyMem_Free(folded);
        PyMem_Free(index);
    }
    Py_XDECREF(raw_obj);
    Py_XDECREF(folded_obj);
    Py_XDECREF(index_obj);
    return result;
}

/* ---------------------------------------------------------------------------------------- */
/* Small reads of a claim's sentence (see claims.py and counts.py)                          */

/* Whether each BMP code point is a decimal digit (`Py_UNICODE_ISDECIMAL`), a byte each (one
 * load a character, as `has_any` reads its sets), read off once on the first `has_digit`. */
static uint8_t *decimal_bmp = NULL;

static int
decimal_bmp_ready(void)
{
    if (decimal_bmp != NULL) {
        return 0;
    }
    uint8_t *digit = PyMem_RawCalloc(0x10000, 1);
    if (digit == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_UCS4 c = 0; c < 0x10000; c++) {
        digit[c] = Py_UNICODE_ISDECIMAL(c) ? 1 : 0;
    }
    decimal_bmp = digit;
    return 0;
}

/* has_digit(text, start, end) -> bool: whether text[start:end] (clamped to the text) has a
 * decimal digit, as `\d` of a str pattern reads one (`counts.has_digit_py`, its reference). */
static PyObject *
has_digit(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "has_digit(text, start, end)");
        return NULL;
    }
    Py_ssize_t start = PyLong_AsSsize_t(args[1]), end = PyLong_AsSsize_t(args[2]);
    if (PyErr_Occurred() || decimal_bmp_ready() < 0) {
        return NULL;
    }
    PyObject *text = args[0];
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    start = start < 0 ? 0 : start;
    end = end > n ? n : end;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *c = data;
        for (Py_ssize_t i = start; i < end; i++) {
            /* Latin-1 has no decimal digit but 0-9. */
            if (c[i] >= '0' && c[i] <= '9') {
                Py_RETURN_TRUE;
            }
        }
        Py_RETURN_FALSE;
    }
    const uint8_t *digit = decimal_bmp;
    if (kind == PyUnicode_2BYTE_KIND) {
        /* Four characters or-ed before a branch, as `has_any` reads them. */
        const Py_UCS2 *d = data;
        Py_ssize_t i = start;
        for (; i + 4 <= end; i += 4) {
            if (digit[d[i]] | digit[d[i + 1]] | digit[d[i + 2]] | digit[d[i + 3]]) {
                Py_RETURN_TRUE;
            }
        }
        for (; i < end; i++) {
            if (digit[d[i]]) {
                Py_RETURN_TRUE;
            }
        }
        Py_RETURN_FALSE;
    }
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x10000 ? digit[c] : Py_UNICODE_ISDECIMAL(c)) {
            Py_RETURN_TRUE;
        }
    }
    Py_RETURN_FALSE;
}

/* has_any(text, table, start, end) -> bool: whether text[start:end] (clamped to the text) has
 * a character of the set `table`, a byte for each BMP code point, 1 for a member (0x10000
 * bytes; no code point beyond the BMP is in a set): one pass, where a `str.__contains__` a
 * character of the set or a regular expression of its class costs several
 * (`claims_text.has_any_py`, its reference). A byte, not a bit, a code point: one load a
 * character, and four characters or-ed before a branch (most texts have none of the set and
 * are read whole). */
/* astral(text) -> bool: whether text has a code point above the BMP (a pictograph, a flag):
 * a str is stored in its narrowest kind, so its kind answers, with no read of the text. */
static PyObject *
astral(PyObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "astral(text): text must be a str");
        return NULL;
    }
    return PyBool_FromLong(PyUnicode_KIND(text) == PyUnicode_4BYTE_KIND);
}

static PyObject *
has_any(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyUnicode_Check(args[0]) || !PyBytes_Check(args[1]) ||
        PyBytes_GET_SIZE(args[1]) != 0x10000) {
        PyErr_SetString(PyExc_TypeError, "has_any(text, table of 0x10000 bytes, start, end)");
        return NULL;
    }
    Py_ssize_t start = PyLong_AsSsize_t(args[2]), end = PyLong_AsSsize_t(args[3]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    PyObject *text = args[0];
    const uint8_t *member = (const uint8_t *)PyBytes_AS_STRING(args[1]);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    start = start < 0 ? 0 : start;
    end = end > n ? n : end;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (kind == PyUnicode_1BYTE_KIND) {
        /* A set of other scripts (Arabic) has nothing in a Latin-1 text: no pass. */
        uint64_t any = 0;
        for (int w = 0; w < 0x100 / 8; w++) {
            uint64_t word;
            memcpy(&word, member + 8 * w, sizeof(word));
            any |= word;
        }
        if (any == 0) {
            Py_RETURN_FALSE;
        }
    }
#define HAS_ANY_NARROW(type)                                                                    \
    do {                                                                                        \
        const type *d = (const type *)data;                                                     \
        Py_ssize_t i = start;                                                                   \
        for (; i + 4 <= end; i += 4) {                                                          \
            if (member[d[i]] | member[d[i + 1]] | member[d[i + 2]] | member[d[i + 3]]) {        \
                Py_RETURN_TRUE;                                                                 \
            }                                                                                   \
        }                                                                                       \
        for (; i < end; i++) {                                                                  \
            if (member[d[i]]) {                                                                 \
                Py_RETURN_TRUE;                                                                 \
            }                                                                                   \
        }                                                                                       \
    } while (0)
    if (kind == PyUnicode_1BYTE_KIND) {
        HAS_ANY_NARROW(Py_UCS1);
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        HAS_ANY_NARROW(Py_UCS2);
    }
    else {
        const Py_UCS4 *d = (const Py_UCS4 *)data;
        for (Py_ssize_t i = start; i < end; i++) {
            if (d[i] < 0x10000 && member[d[i]]) {
                Py_RETURN_TRUE;
            }
        }
    }
#undef HAS_ANY_NARROW
    Py_RETURN_FALSE;
}

/* ==========================================================================================
 * Build: the automaton's table of a watchlist (matching.compile_table), in C.
 *
 * `compile_table(entries, bits)` makes the same keys, in the same order, and the same values
 * as `matching.compile_table_py` (the Python reference: `compile_keys` for every alias, then the
 * grouping of the keys by their first two characters); `compile_setup` hands over the tables it
 * shares with the Python build (the Pattern type, the case endings, the common words) once, at
 * import. The per-alias work (fold, hyphen spellings, inflections, transliterations) runs on
 * the characters of the folded alias and makes a str only for a key. Per build, each word's
 * stems are worked out once.
 * ========================================================================================== */

static PyObject *b_pattern = NULL;          /* matching.Pattern (a named tuple of 6) */
static PyObject *b_declensions = NULL;      /* nominative ending -> its case endings */
static PyObject *b_endings[2] = {NULL};     /* [proper]: ending key -> endings */
static PyObject *b_not_bare[2] = {NULL};    /* [proper]: the same without the bare form */
static PyObject *b_bare = NULL;             /* frozenset({""}) */
static PyObject *b_common = NULL;           /* folded common words */
static PyObject *b_key_hash = NULL, *b_key_dash = NULL, *b_key_none = NULL; /* "#", "-", "" */
static PyObject *b_key_velar = NULL; /* "к": after a velar or hissing consonant */
/* The nominative endings of `_DECLENSIONS` and their endings, read off the tables once. */
#define B_MAX_NOMS 64
typedef struct {
    Py_UCS4 c[2];
    Py_ssize_t n;
    PyObject *endings[2][2]; /* [proper][not bare], borrowed from the tables */
} BNom;
static BNom b_noms[B_MAX_NOMS];
static int b_nnoms = 0;

#define B_SPACE 0x20
#define B_HYPHEN 0x2D

static inline int
b_cyr(Py_UCS4 c)
{
    return c >= 0x400 && c <= 0x4FF;
}

static inline int
b_ar(Py_UCS4 c)
{
    return (c >= 0x600 && c <= 0x6FF) || (c >= 0x750 && c <= 0x77F);
}

static inline int
b_uk(Py_UCS4 c) /* і ї є ґ */
{
    return c == 0x456 || c == 0x457 || c == 0x454 || c == 0x491;
}

static inline int
b_letter(Py_UCS4 c) /* the regular expressions' [^\W\d_] */
{
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

static inline int
b_az(Py_UCS4 c)
{
    return c >= 'a' && c <= 'z';
}

/* A str of a piece of characters. */
static inline PyObject *
b_str(const Py_UCS4 *s, Py_ssize_t n)
{
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, s, n);
}

/* `o` (a new tuple, or NULL) out of the cyclic collector's reach. The table's tuples (each
 * pattern, each key's tuple of patterns and value, the stems) hold only str, int, bool, None,
 * frozensets of str and such tuples: immutable, so no cycle can ever pass through them, as
 * CPython itself concludes of a tuple of atoms, but only once a collection has walked it. The
 * table of a large watchlist is hundreds of thousands of them, which the first collection
 * after the build would walk (a fifth of the build's CPU time), and every full one after. */
static inline PyObject *
b_untracked(PyObject *o)
{
    if (o != NULL)
        PyObject_GC_UnTrack(o);
    return o;
}

/* One key's characters, read once into a buffer of its own. */
typedef struct {
    PyObject *obj; /* the str (borrowed) */
    Py_UCS4 *s;
    Py_ssize_t n;
} BKey;

static int
bkey_init(BKey *k, PyObject *obj)
{
    k->obj = obj;
    k->n = PyUnicode_GET_LENGTH(obj);
    k->s = PyUnicode_AsUCS4Copy(obj);
    return k->s == NULL ? -1 : 0;
}

static void
bkey_free(BKey *k)
{
    PyMem_Free(k->s);
    k->s = NULL;
}

/* s[:start] + rep + s[end:] */
static PyObject *
b_splice(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t start, Py_ssize_t end, const Py_UCS4 *rep,
         Py_ssize_t rep_n)
{
    Py_ssize_t len = start + rep_n + (n - end);
    Py_UCS4 small[256];
    Py_UCS4 *buf = len <= 256 ? small : PyMem_New(Py_UCS4, len);
    if (buf == NULL)
        return PyErr_NoMemory();
    memcpy(buf, s, start * sizeof(Py_UCS4));
    memcpy(buf + start, rep, rep_n * sizeof(Py_UCS4));
    memcpy(buf + start + rep_n, s + end, (n - end) * sizeof(Py_UCS4));
    PyObject *out = b_str(buf, len);
    if (buf != small)
        PyMem_Free(buf);
    return out;
}

/* s without its spaces (a name run together, for hashtags and handles) */
static PyObject *
b_joined(const Py_UCS4 *s, Py_ssize_t n)
{
    Py_UCS4 small[256];
    small[0] = 0; /* read by nothing when n is 0; said for the compiler's sake */
    Py_UCS4 *buf = n <= 256 ? small : PyMem_New(Py_UCS4, n);
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_ssize_t j = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (s[i] != B_SPACE)
            buf[j++] = s[i];
    PyObject *out = b_str(buf, j);
    if (buf != small)
        PyMem_Free(buf);
    return out;
}

/* `_long_enough`: whether the word (between spaces) holding s[start:end] has `least` letters. */
static int
b_long_enough(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t start, Py_ssize_t end, Py_ssize_t least)
{
    Py_ssize_t a = start;
    while (a > 0 && s[a - 1] != B_SPACE)
        a--;
    Py_ssize_t b = end;
    while (b < n && s[b] != B_SPACE)
        b++;
    return b - a >= least;
}

typedef struct {
    PyObject *by_key;     /* listed key -> (pattern,) shared by one alias's keys, or a list */
    PyObject *extra;      /* the same for the other transliterations */
    PyObject *alone;      /* (last pattern,) */
    PyObject *stems[2];   /* [proper]: word -> stems, this build's */
    PyObject *empty;      /* () */
    PyObject *entity, *alias, *role;
    PyObject *first;      /* the alias's first pattern (owned), the variants' pattern */
    int proper;           /* the alias is written capitalised */
    int variant;          /* emit to the variants */
} Build;

/* Add `pattern` to `table[key]` as `compile_table_py` does: a new key gets the tuple of the
 * last pattern (shared by the keys of one alias), a key met before gets the pattern unless it
 * has an equal one. */
static int
b_put(Build *B, PyObject *table, PyObject *key, PyObject *pattern)
{
    if (B->alone == NULL || PyTuple_GET_ITEM(B->alone, 0) != pattern) {
        PyObject *alone = b_untracked(PyTuple_Pack(1, pattern));
        if (alone == NULL)
            return -1;
        Py_XSETREF(B->alone, alone);
    }
    PyObject *have = PyDict_SetDefault(table, key, B->alone);
    if (have == NULL)
        return -1;
    if (have == B->alone)
        return 0; /* new, or it has this very pattern alone */
    int has = PySequence_Contains(have, pattern);
    if (has != 0)
        return has < 0 ? -1 : 0;
    if (PyList_CheckExact(have))
        return PyList_Append(have, pattern);
    PyObject *list = PySequence_List(have);
    if (list == NULL)
        return -1;
    int rc = PyList_Append(list, pattern);
    if (rc == 0)
        rc = PyDict_SetItem(table, key, list);
    Py_DECREF(list);
    return rc;
}

/* One (key, pattern) of the alias being compiled: a listed key, or another transliteration
 * (kept apart: it is dropped at the end when some alias is listed with it). Steals neither. */
static int
b_emit(Build *B, PyObject *key, PyObject *pattern)
{
    if (B->first == NULL)
        B->first = Py_NewRef(pattern);
    if (!B->variant)
        return b_put(B, B->by_key, key, pattern);
    int common = PySet_Contains(b_common, key);
    if (common != 0)
        return common < 0 ? -1 : 0;
    return b_put(B, B->extra, key, pattern);
}

/* The order of the automaton's keys: by their first two characters, then as met (the order
 * of `compile_table_py`). */
typedef struct {
    uint64_t prefix;
    PyObject *key, *value; /* owned until they move to the lists */
} BOrder;

/* Sort `order` by prefix, keeping the order met within a prefix: a radix sort, 11 bits a
 * pass (a prefix has 43), a pass skipped where every key has the same digit. */
static int
b_order_sort(BOrder *order, Py_ssize_t n)
{
    BOrder *tmp = PyMem_New(BOrder, n > 0 ? n : 1);
    Py_ssize_t *count = PyMem_New(Py_ssize_t, 2048);
    if (tmp == NULL || count == NULL) {
        PyMem_Free(tmp);
        PyMem_Free(count);
        PyErr_NoMemory();
        return -1;
    }
    BOrder *src = order, *dst = tmp;
    for (int shift = 0; shift < 44; shift += 11) {
        memset(count, 0, 2048 * sizeof(Py_ssize_t));
        for (Py_ssize_t i = 0; i < n; i++)
            count[(src[i].prefix >> shift) & 2047]++;
        if (n == 0 || count[(src[0].prefix >> shift) & 2047] == n)
            continue;
        Py_ssize_t total = 0;
        for (int d = 0; d < 2048; d++) {
            Py_ssize_t c = count[d];
            count[d] = total;
            total += c;
        }
        for (Py_ssize_t i = 0; i < n; i++)
            dst[count[(src[i].prefix >> shift) & 2047]++] = src[i];
        BOrder *swap = src;
        src = dst;
        dst = swap;
    }
    if (src != order)
        memcpy(order, src, n * sizeof(BOrder));
    PyMem_Free(tmp);
    PyMem_Free(count);
    return 0;
}

/* key[:2] as a number that sorts as the str does ("" < "a" < "a\0" < "ab" < "b"). */
static uint64_t
b_prefix(PyObject *key)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    int kind = PyUnicode_KIND(key);
    const void *data = PyUnicode_DATA(key);
    uint64_t first = n > 0 ? (uint64_t)PyUnicode_READ(kind, data, 0) + 1 : 0;
    uint64_t second = n > 1 ? (uint64_t)PyUnicode_READ(kind, data, 1) + 1 : 0;
    return first << 22 | second;
}

static PyObject *
b_new_pattern(Build *B, PyObject *first, PyObject *rest, int arabic)
{
    PyTypeObject *type = (PyTypeObject *)b_pattern;
    PyObject *p = type->tp_alloc(type, 6);
    if (p == NULL)
        return NULL;
    PyTuple_SET_ITEM(p, 0, Py_NewRef(B->entity));
    PyTuple_SET_ITEM(p, 1, Py_NewRef(B->alias));
    PyTuple_SET_ITEM(p, 2, Py_NewRef(B->role));
    PyTuple_SET_ITEM(p, 3, Py_NewRef(first));
    PyTuple_SET_ITEM(p, 4, Py_NewRef(rest));
    PyTuple_SET_ITEM(p, 5, Py_NewRef(arabic ? Py_True : Py_False));
    return b_untracked(p);
}

static PyObject *
b_pair(PyObject *stem, PyObject *endings) /* steals stem */
{
    if (stem == NULL)
        return NULL;
    PyObject *pair = b_untracked(PyTuple_Pack(2, stem, endings));
    Py_DECREF(stem);
    return pair;
}

static PyObject *
b_lookup(PyObject *table, PyObject *key) /* borrowed; a KeyError when missing */
{
    PyObject *v = PyDict_GetItemWithError(table, key);
    if (v == NULL && !PyErr_Occurred())
        PyErr_SetObject(PyExc_KeyError, key);
    return v;
}

/* `_stems(word, proper)`: the word as (stem, endings) pairs. */
static PyObject *
b_stems_of(Build *B, const Py_UCS4 *w, Py_ssize_t n)
{
    PyObject *word = b_str(w, n);
    if (word == NULL)
        return NULL;
    PyObject *cache = B->stems[B->proper];
    PyObject *out = PyDict_GetItemWithError(cache, word);
    if (out != NULL) {
        Py_DECREF(word);
        return Py_NewRef(out);
    }
    if (PyErr_Occurred())
        goto fail;
    /* An ordinal written with digits, "76-я": ([0-9]+)-[\u0400-\u04ff]{1,3} */
    Py_ssize_t d = 0;
    while (d < n && w[d] >= '0' && w[d] <= '9')
        d++;
    if (d > 0 && d < n && w[d] == B_HYPHEN && n - d - 1 >= 1 && n - d - 1 <= 3) {
        int cyr = 1;
        for (Py_ssize_t i = d + 1; i < n; i++)
            cyr &= b_cyr(w[i]);
        if (cyr) {
            PyObject *hash_endings = b_lookup(b_endings[0], b_key_hash);
            if (hash_endings == NULL)
                goto fail;
            PyObject *a = b_pair(b_str(w, d + 1), hash_endings);
            PyObject *b = a == NULL ? NULL : b_pair(b_str(w, d), b_bare);
            out = b == NULL ? NULL : b_untracked(PyTuple_Pack(2, a, b));
            Py_XDECREF(a);
            Py_XDECREF(b);
            goto done;
        }
    }
    int word_like = n > 3;
    for (Py_ssize_t i = 0; i < n && word_like; i++)
        word_like = b_cyr(w[i]) || w[i] == B_HYPHEN;
    if (!word_like) {
        PyObject *a = b_untracked(PyTuple_Pack(2, word, Py_None));
        out = a == NULL ? NULL : b_untracked(PyTuple_Pack(1, a));
        Py_XDECREF(a);
        goto done;
    }
    for (Py_ssize_t len = 2; len >= 1; len--) { /* the longest nominative ending first */
        if (n - len < 3)
            continue;
        for (int j = 0; j < b_nnoms; j++) {
            const BNom *nom = &b_noms[j];
            if (nom->n != len || nom->c[0] != w[n - len] || (len == 2 && nom->c[1] != w[n - 1]))
                continue;
            /* A stem of three letters never matches bare ("Мали": "мал"). */
            Py_ssize_t stem_n = n - len;
            PyObject *a = b_pair(b_str(w, stem_n), nom->endings[B->proper][stem_n < 4]);
            out = a == NULL ? NULL : b_untracked(PyTuple_Pack(1, a));
            Py_XDECREF(a);
            goto done;
        }
    }
    {
        Py_UCS4 last = w[n - 1];
        /* г к х ж ш щ ч: the plural in -и too (Хезболлахи) */
        int velar = last == 0x433 || last == 0x43A || last == 0x445 || last == 0x436 ||
                    last == 0x448 || last == 0x449 || last == 0x447;
        PyObject *bare_endings = b_lookup(b_endings[B->proper], velar ? b_key_velar : b_key_none);
        if (bare_endings == NULL)
            goto fail;
        PyObject *a = b_untracked(PyTuple_Pack(2, word, bare_endings));
        if (a == NULL)
            goto fail;
        int vowel = last == 0x430 || last == 0x435 || last == 0x451 || last == 0x438 ||
                    last == 0x43E || last == 0x443 || last == 0x44B || last == 0x44D ||
                    last == 0x44E || last == 0x44F || last == 0x456 || last == 0x457 ||
                    last == 0x454;
        if (n >= 4 && w[n - 2] == 0x456 && !vowel) {
            /* Ukrainian і/о alternation in the last syllable: Харків, Харкова. */
            PyObject *dash = b_lookup(b_endings[B->proper], b_key_dash);
            Py_UCS4 o = 0x43E;
            PyObject *b = dash == NULL ? NULL : b_pair(b_splice(w, n, n - 2, n - 1, &o, 1), dash);
            out = b == NULL ? NULL : b_untracked(PyTuple_Pack(2, a, b));
            Py_XDECREF(b);
        }
        else {
            out = b_untracked(PyTuple_Pack(1, a));
        }
        Py_DECREF(a);
    }
done:
    if (out != NULL && PyDict_SetItem(cache, word, out) < 0)
        Py_CLEAR(out);
    Py_DECREF(word);
    return out;
fail:
    Py_DECREF(word);
    return NULL;
}

/* `_compile_key` for a Cyrillic key: the stems of each word, every combination of them. */
static int
b_cyrillic_key(Build *B, const BKey *k)
{
    const Py_UCS4 *s = k->s;
    Py_ssize_t n = k->n, nwords = 1;
    for (Py_ssize_t i = 0; i < n; i++)
        nwords += s[i] == B_SPACE;
    PyObject **alts = PyMem_New(PyObject *, nwords);
    Py_ssize_t *at = PyMem_New(Py_ssize_t, nwords);
    int rc = -1;
    Py_ssize_t got = 0;
    if (alts == NULL || at == NULL) {
        PyErr_NoMemory();
        goto out;
    }
    for (Py_ssize_t i = 0, start = 0; i <= n; i++) {
        if (i == n || s[i] == B_SPACE) {
            alts[got] = b_stems_of(B, s + start, i - start);
            if (alts[got] == NULL)
                goto out;
            at[got++] = 0;
            start = i + 1;
        }
    }
    for (;;) {
        PyObject *first = PyTuple_GET_ITEM(alts[0], at[0]);
        PyObject *rest = PyTuple_New(nwords - 1);
        if (rest == NULL)
            goto out;
        for (Py_ssize_t j = 1; j < nwords; j++)
            PyTuple_SET_ITEM(rest, j - 1, Py_NewRef(PyTuple_GET_ITEM(alts[j], at[j])));
        b_untracked(rest);
        PyObject *p = b_new_pattern(B, PyTuple_GET_ITEM(first, 1), rest, 0);
        Py_DECREF(rest);
        if (p == NULL)
            goto out;
        int e = b_emit(B, PyTuple_GET_ITEM(first, 0), p);
        Py_DECREF(p);
        if (e < 0)
            goto out;
        /* The next combination, the last word's stems varying fastest. */
        Py_ssize_t j = nwords - 1;
        while (j >= 0 && ++at[j] == PyTuple_GET_SIZE(alts[j])) {
            at[j] = 0;
            j--;
        }
        if (j < 0)
            break;
    }
    if (nwords > 1) {
        PyObject *joined = b_joined(s, n);
        PyObject *p = joined == NULL ? NULL : b_new_pattern(B, Py_None, B->empty, 0);
        int e = p == NULL ? -1 : b_emit(B, joined, p);
        Py_XDECREF(joined);
        Py_XDECREF(p);
        if (e < 0)
            goto out;
    }
    rc = 0;
out:
    for (Py_ssize_t j = 0; j < got; j++)
        Py_DECREF(alts[j]);
    PyMem_Free(alts);
    PyMem_Free(at);
    return rc;
}

#define AR_WAW 0x648
#define AR_NOON 0x646
#define AR_YEH 0x64A
#define AR_ALEF 0x627
#define AR_LAM 0x644
#define AR_HEH 0x647

static int
b_emit_new(Build *B, PyObject *key, PyObject *p) /* steals key */
{
    if (key == NULL)
        return -1;
    int rc = b_emit(B, key, p);
    Py_DECREF(key);
    return rc;
}

/* `_compile_key` for an Arabic-script key: the key, the other forms of a plural in -ون, the
 * article after ل, the Persian ezafe, the article dropped, the words run together. */
static int
b_arabic_key(Build *B, const BKey *k)
{
    const Py_UCS4 *s = k->s;
    Py_ssize_t n = k->n;
    Py_ssize_t first_end = n, last_start = 0, nwords = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] == B_SPACE) {
            if (nwords == 1)
                first_end = i;
            last_start = i + 1;
            nwords++;
        }
    }
    Py_ssize_t last_n = n - last_start, first_n = first_end;
    PyObject *p = b_new_pattern(B, Py_None, B->empty, 1);
    if (p == NULL)
        return -1;
    int rc = -1;
    if (b_emit(B, k->obj, p) < 0)
        goto out;
    if (n >= 2 && s[n - 2] == AR_WAW && s[n - 1] == AR_NOON && last_n >= 5) {
        const Py_UCS4 yn[] = {AR_YEH, AR_NOON}, w[] = {AR_WAW}, y[] = {AR_YEH};
        if (b_emit_new(B, b_splice(s, n, n - 2, n, yn, 2), p) < 0 ||
            b_emit_new(B, b_splice(s, n, n - 2, n, w, 1), p) < 0 ||
            b_emit_new(B, b_splice(s, n, n, n, y, 1), p) < 0)
            goto out;
    }
    else if (nwords > 1 && first_n >= 5 && s[first_n - 2] == AR_WAW &&
             s[first_n - 1] == AR_NOON) {
        const Py_UCS4 yn[] = {AR_YEH, AR_NOON};
        if (b_emit_new(B, b_splice(s, n, first_n - 2, first_n, yn, 2), p) < 0)
            goto out;
    }
    if (n > 3 && s[0] == AR_ALEF && s[1] == AR_LAM) {
        const Py_UCS4 ll[] = {AR_LAM, AR_LAM};
        if (b_emit_new(B, b_splice(s, n, 0, 2, ll, 2), p) < 0)
            goto out;
    }
    if ((n >= 2 && s[n - 2] == AR_YEH && s[n - 1] == AR_HEH && last_n >= 4) ||
        (n >= 1 && (s[n - 1] == AR_ALEF || s[n - 1] == 0x648) && last_n >= 4)) {
        /* The Persian ezafe after the silent h of a name in -یه (سوریه‌ی), or after a final long
         * a or u (سپاه آفریقای، باماکوی). */
        const Py_UCS4 y[] = {AR_YEH};
        if (b_emit_new(B, b_splice(s, n, n, n, y, 1), p) < 0)
            goto out;
    }
    if (nwords == 2 && !(first_n >= 2 && s[0] == AR_ALEF && s[1] == AR_LAM) && last_n >= 5 &&
        s[last_start] == AR_ALEF && s[last_start + 1] == AR_LAM) {
        /* دير الزور: دير زور، ديرزور */
        if (b_emit_new(B, b_splice(s, n, last_start, last_start + 2, NULL, 0), p) < 0 ||
            b_emit_new(B, b_splice(s, n, first_end, last_start + 2, NULL, 0), p) < 0)
            goto out;
    }
    if (nwords > 1 && b_emit_new(B, b_joined(s, n), p) < 0)
        goto out;
    rc = 0;
out:
    Py_DECREF(p);
    return rc;
}

static int
b_ends(const Py_UCS4 *w, Py_ssize_t n, const char *tail)
{
    Py_ssize_t t = (Py_ssize_t)strlen(tail);
    if (t > n)
        return 0;
    for (Py_ssize_t i = 0; i < t; i++)
        if (w[n - t + i] != (Py_UCS4)(unsigned char)tail[i])
            return 0;
    return 1;
}

/* `_compile_key` for any other key: the English singular or plural of its last word, the
 * words run together. */
static int
b_latin_key(Build *B, const BKey *k)
{
    const Py_UCS4 *s = k->s;
    Py_ssize_t n = k->n, last_start = 0, nwords = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] == B_SPACE) {
            last_start = i + 1;
            nwords++;
        }
    }
    PyObject *p = b_new_pattern(B, Py_None, B->empty, 0);
    if (p == NULL)
        return -1;
    int rc = -1;
    if (b_emit(B, k->obj, p) < 0)
        goto out;
    const Py_UCS4 *w = s + last_start;
    Py_ssize_t wn = n - last_start;
    int alpha = wn >= 4;
    for (Py_ssize_t i = 0; i < wn && alpha; i++)
        alpha = (w[i] >= 'a' && w[i] <= 'z') || (w[i] >= 'A' && w[i] <= 'Z');
    if (alpha) {
        /* `_english_forms`: the word, then its singular or plural, then its plural. */
        Py_UCS4 forms[2][8];
        Py_ssize_t cut[2], add_n[2];
        int nforms = 0;
        if (b_ends(w, wn, "ies") && wn > 4) {
            cut[nforms] = 3, forms[nforms][0] = 'y', add_n[nforms++] = 1;
        }
        else if (b_ends(w, wn, "ches") || b_ends(w, wn, "shes") || b_ends(w, wn, "sses") ||
                 b_ends(w, wn, "xes")) {
            cut[nforms] = 2, add_n[nforms++] = 0;
        }
        else if (b_ends(w, wn, "s") && !b_ends(w, wn, "ss") && !b_ends(w, wn, "us") &&
                 !b_ends(w, wn, "is") && !b_ends(w, wn, "os") && !b_ends(w, wn, "as") &&
                 wn > 4) {
            cut[nforms] = 1, add_n[nforms++] = 0;
        }
        Py_UCS4 before = w[wn - 2];
        if (b_ends(w, wn, "y") && before != 'a' && before != 'e' && before != 'i' &&
            before != 'o' && before != 'u') {
            cut[nforms] = 1, forms[nforms][0] = 'i', forms[nforms][1] = 'e',
            forms[nforms][2] = 's', add_n[nforms++] = 3;
        }
        else if (b_ends(w, wn, "ch") || b_ends(w, wn, "sh") || b_ends(w, wn, "ss") ||
                 b_ends(w, wn, "x")) {
            cut[nforms] = 0, forms[nforms][0] = 'e', forms[nforms][1] = 's', add_n[nforms++] = 2;
        }
        else if (!b_ends(w, wn, "s")) {
            cut[nforms] = 0, forms[nforms][0] = 's', add_n[nforms++] = 1;
        }
        PyObject *made[2] = {NULL, NULL};
        for (int f = 0; f < nforms; f++) {
            made[f] = b_splice(s, n, n - cut[f], n, forms[f], add_n[f]);
            if (made[f] == NULL)
                goto forms_fail;
            /* Once each, and not the word itself. */
            int dup = PyUnicode_Compare(made[f], k->obj) == 0 ||
                      (f == 1 && PyUnicode_Compare(made[1], made[0]) == 0);
            if (!dup && b_emit(B, made[f], p) < 0)
                goto forms_fail;
        }
        Py_XDECREF(made[0]);
        Py_XDECREF(made[1]);
        goto joined;
    forms_fail:
        Py_XDECREF(made[0]);
        Py_XDECREF(made[1]);
        goto out;
    }
joined:
    if (nwords > 1 && b_emit_new(B, b_joined(s, n), p) < 0)
        goto out;
    rc = 0;
out:
    Py_DECREF(p);
    return rc;
}

/* `_compile_key`: the keys and patterns of one spelling of the alias. */
static int
b_compile(Build *B, const BKey *k)
{
    int cyr = 0, ar = 0;
    if (!PyUnicode_IS_ASCII(k->obj)) {
        for (Py_ssize_t i = 0; i < k->n && !cyr; i++)
            cyr = b_cyr(k->s[i]);
        for (Py_ssize_t i = 0; i < k->n && !cyr && !ar; i++)
            ar = b_ar(k->s[i]);
    }
    return cyr ? b_cyrillic_key(B, k) : ar ? b_arabic_key(B, k) : b_latin_key(B, k);
}

/* Apply `fn` to the characters of `key`, read into a buffer of their own. */
static int
b_with_key(Build *B, PyObject *key, int (*fn)(Build *, const BKey *))
{
    BKey k;
    if (bkey_init(&k, key) < 0)
        return -1;
    int rc = fn(B, &k);
    bkey_free(&k);
    return rc;
}

static int
b_compile_key(Build *B, PyObject *key)
{
    return b_with_key(B, key, b_compile);
}

/* `_spellings`: the folded alias, then the other ways of writing its hyphens, then all of them
 * in Russian letters for a Ukrainian name of six letters or more. */
static PyObject *
b_spellings(const BKey *k, int uk)
{
    const Py_UCS4 *s = k->s;
    Py_ssize_t n = k->n;
    PyObject *out = PyList_New(1);
    if (out == NULL)
        return NULL;
    PyList_SET_ITEM(out, 0, Py_NewRef(k->obj));
    Py_ssize_t seps[4], nseps = 0;
    int hyphen = 0;
    for (Py_ssize_t i = 1; i + 1 < n; i++) {
        if ((s[i] == B_SPACE || s[i] == B_HYPHEN) && b_letter(s[i - 1]) && b_letter(s[i + 1])) {
            if (nseps < 4)
                seps[nseps] = i;
            nseps++;
            hyphen |= s[i] == B_HYPHEN;
        }
    }
    if (hyphen && nseps <= 3) {
        int nchoice[3], at[3] = {0, 0, 0};
        const Py_UCS4 *opts[3];
        static const Py_UCS4 for_hyphen[3] = {B_HYPHEN, B_SPACE, 0}; /* 0: nothing */
        static const Py_UCS4 for_space[2] = {B_SPACE, B_HYPHEN};
        for (Py_ssize_t j = 0; j < nseps; j++) {
            if (s[seps[j]] == B_HYPHEN)
                opts[j] = for_hyphen, nchoice[j] = 3;
            else if (nseps <= 2)
                opts[j] = for_space, nchoice[j] = 2;
            else
                opts[j] = for_space, nchoice[j] = 1;
        }
        Py_UCS4 *buf = PyMem_New(Py_UCS4, n + 1);
        if (buf == NULL) {
            Py_DECREF(out);
            return PyErr_NoMemory();
        }
        for (;;) {
            Py_ssize_t len = 0, j = 0;
            for (Py_ssize_t i = 0; i < n; i++) {
                if (j < nseps && i == seps[j]) {
                    Py_UCS4 c = opts[j][at[j]];
                    if (c != 0)
                        buf[len++] = c;
                    j++;
                }
                else {
                    buf[len++] = s[i];
                }
            }
            PyObject *spelled = b_str(buf, len);
            int has = spelled == NULL ? -1 : PySequence_Contains(out, spelled);
            if (has == 0)
                has = PyList_Append(out, spelled);
            Py_XDECREF(spelled);
            if (has < 0) {
                PyMem_Free(buf);
                Py_DECREF(out);
                return NULL;
            }
            Py_ssize_t m = nseps - 1;
            while (m >= 0 && ++at[m] == nchoice[m]) {
                at[m] = 0;
                m--;
            }
            if (m < 0)
                break;
        }
        PyMem_Free(buf);
    }
    if (uk && n >= 6) {
        /* Not for short words: Ukrainian "Малі" in Russian letters is "мали", "had". */
        Py_ssize_t count = PyList_GET_SIZE(out);
        for (Py_ssize_t j = 0; j < count; j++) {
            BKey o;
            if (bkey_init(&o, PyList_GET_ITEM(out, j)) < 0) {
                Py_DECREF(out);
                return NULL;
            }
            for (Py_ssize_t i = 0; i < o.n; i++) {
                Py_UCS4 c = o.s[i];
                o.s[i] = c == 0x456 || c == 0x457 ? 0x438 : c == 0x454 ? 0x435 : c == 0x491 ? 0x433 : c;
            }
            PyObject *ru = b_str(o.s, o.n);
            bkey_free(&o);
            if (ru == NULL || PyList_Append(out, ru) < 0) {
                Py_XDECREF(ru);
                Py_DECREF(out);
                return NULL;
            }
            Py_DECREF(ru);
        }
    }
    return out;
}

/* `_TRANSLIT` at s[i]: the length of the site there (0: none) and its other spellings. */
static Py_ssize_t
b_translit_site(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t i, const char *reps[3])
{
    Py_UCS4 c = s[i], d = i + 1 < n ? s[i + 1] : 0;
    reps[0] = reps[1] = reps[2] = NULL;
    if (c == 'i' && i + 3 < n && d == 'y' && s[i + 2] == 'o' && s[i + 3] == 'u') {
        reps[0] = "iyu", reps[1] = "iyo", reps[2] = "iu";
        return 4;
    }
    if (d == 'h' && (c == 'g' || c == 'k' || c == 'z')) {
        reps[0] = c == 'g' ? "q" : c == 'k' ? "h" : "j";
        return 2;
    }
    if (c == 'e' && d == 'i')
        return reps[0] = "ey", reps[1] = "ai", 2;
    if (c == 'e' && d == 'y')
        return reps[0] = "ei", reps[1] = "ay", 2;
    if (c == 'a' && d == 'i')
        return reps[0] = "ay", reps[1] = "ei", 2;
    if (c == 'a' && d == 'y')
        return reps[0] = "ai", reps[1] = "ey", 2;
    if (c == 'o' && d == 'u')
        return reps[0] = "u", reps[1] = "o", 2;
    if (c == 'q')
        return reps[0] = "gh", reps[1] = "k", 1;
    int end_of_word = i + 2 >= n || !b_az(s[i + 2]);
    if (c == 'a' && d == 'h' && end_of_word)
        return reps[0] = "a", 2;
    if (d == 'v' && (c == 'o' || c == 'e') && end_of_word)
        return reps[0] = c == 'o' ? "ow" : "ew", 2;
    if (d == c && c < 128 && strchr("bcdfgklmnprstvz", (int)c) != NULL) {
        static const char singles[] = "a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0n\0o\0p\0q\0r\0s\0t\0u\0v\0w\0x\0y\0z";
        reps[0] = singles + 2 * (c - 'a');
        return 2;
    }
    return 0;
}

/* `_transliterations` of one spelling, to the variants. */
static int
b_transliterations(Build *B, const BKey *kp)
{
    const BKey k = *kp;
    int rc = 0;
    for (Py_ssize_t i = 0; i < k.n && rc == 0;) {
        const char *reps[3];
        Py_ssize_t len = b_translit_site(k.s, k.n, i, reps);
        if (len == 0) {
            i++;
            continue;
        }
        if (b_long_enough(k.s, k.n, i, i + len, 5)) {
            for (int r = 0; r < 3 && reps[r] != NULL && rc == 0; r++) {
                Py_UCS4 rep[4];
                Py_ssize_t rn = (Py_ssize_t)strlen(reps[r]);
                for (Py_ssize_t j = 0; j < rn; j++)
                    rep[j] = (Py_UCS4)reps[r][j];
                rc = b_emit_new(B, b_splice(k.s, k.n, i, i + len, rep, rn), B->first);
            }
        }
        i += len;
    }
    return rc;
}

/* `_LATIN_ARTICLE` at s[i]: the length of the article there, 0 when none. */
static Py_ssize_t
b_article_at(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t i)
{
    if (i < 2 || !b_az(s[i - 2]) || (s[i - 1] != B_SPACE && s[i - 1] != B_HYPHEN))
        return 0;
    for (Py_ssize_t len = 2; len <= 3; len++) {
        if (i + len + 1 >= n || (s[i + len] != B_SPACE && s[i + len] != B_HYPHEN) ||
            !b_az(s[i + len + 1]))
            continue;
        Py_UCS4 a = s[i], b = s[i + 1];
        if (len == 2 && ((b == 'l' && (a == 'a' || a == 'e' || a == 'u')) ||
                         ((a == 'a' || a == 'e') && b < 128 && b != 0 && strchr("dnrstz", (int)b))))
            return 2;
        if (len == 3 && (a == 'a' || a == 'e') && b == 's' && s[i + 2] == 'h')
            return 3;
    }
    return 0;
}

static int
b_has_article(const BKey *k)
{
    for (Py_ssize_t i = 0; i < k->n; i++)
        if (b_article_at(k->s, k->n, i) > 0)
            return 1;
    return 0;
}

/* `_article_variants` of one spelling, to the variants. */
static int
b_article_variants(Build *B, const BKey *kp)
{
    const BKey k = *kp;
    int rc = 0;
    for (Py_ssize_t i = 0; i < k.n && rc == 0;) {
        Py_ssize_t len = b_article_at(k.s, k.n, i);
        if (len == 0) {
            i++;
            continue;
        }
        static const Py_UCS4 forms[2][2] = {{'a', 'l'}, {'e', 'l'}};
        for (int f = 0; f < 2 && rc == 0; f++)
            if (!(len == 2 && k.s[i] == forms[f][0] && k.s[i + 1] == forms[f][1]))
                rc = b_emit_new(B, b_splice(k.s, k.n, i, i + len, forms[f], 2), B->first);
        if (rc == 0) /* left out, with the separator after it */
            rc = b_emit_new(B, b_splice(k.s, k.n, i, i + len + 1, NULL, 0), B->first);
        i += len;
    }
    return rc;
}

static int
b_doubled_cyrillic(Py_UCS4 c) /* бвгджзклмнпрстфхц */
{
    return c == 0x431 || c == 0x432 || c == 0x433 || c == 0x434 || c == 0x436 || c == 0x437 ||
           c == 0x43A || c == 0x43B || c == 0x43C || c == 0x43D || c == 0x43F || c == 0x440 ||
           c == 0x441 || c == 0x442 || c == 0x444 || c == 0x445 || c == 0x446;
}

/* `_cyrillic_variants` of one spelling, each compiled to the variants. */
static int
b_cyrillic_variants(Build *B, const BKey *kp)
{
    const BKey k = *kp;
    int rc = 0;
    for (Py_ssize_t i = 0; i < k.n && rc == 0;) {
        Py_UCS4 c = k.s[i];
        Py_ssize_t len = 0;
        Py_UCS4 rep = c;
        if (b_doubled_cyrillic(c) && i + 1 < k.n && k.s[i + 1] == c)
            len = 2;
        else if (c == 0x44D) /* э: е */
            len = 1, rep = 0x435;
        if (len == 0) {
            i++;
            continue;
        }
        if (b_long_enough(k.s, k.n, i, i + len, 6)) {
            PyObject *variant = b_splice(k.s, k.n, i, i + len, &rep, 1);
            rc = variant == NULL ? -1 : b_compile_key(B, variant);
            Py_XDECREF(variant);
        }
        i += len;
    }
    if (rc == 0 && k.n > 0 && k.s[0] == 0x445 && b_long_enough(k.s, k.n, 0, 1, 6)) {
        Py_UCS4 g = 0x433; /* the Ukrainian г for an initial х, the foreign h */
        PyObject *variant = b_splice(k.s, k.n, 0, 1, &g, 1);
        rc = variant == NULL ? -1 : b_compile_key(B, variant);
        Py_XDECREF(variant);
    }
    return rc;
}

/* `compile_keys` of one entry, its listed keys to the table and its variants to the list. */
static int
b_alias(Build *B, PyObject *entry)
{
    if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 3 ||
        !PyUnicode_Check(PyTuple_GET_ITEM(entry, 1))) {
        PyErr_SetString(PyExc_TypeError, "an entry is (entity, alias, role)");
        return -1;
    }
    B->entity = PyTuple_GET_ITEM(entry, 0);
    B->alias = PyTuple_GET_ITEM(entry, 1);
    B->role = PyTuple_GET_ITEM(entry, 2);
    long role = PyLong_AsLong(B->role);
    if (role == -1 && PyErr_Occurred())
        return -1;
    PyObject *folded = fold(NULL, B->alias);
    if (folded == NULL)
        return -1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(folded), a = 0, b = n;
    int kind = PyUnicode_KIND(folded);
    const void *data = PyUnicode_DATA(folded);
    while (a < b && (PyUnicode_READ(kind, data, a) == '#' || PyUnicode_READ(kind, data, a) == '@'))
        a++;
    while (a < b && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a)))
        a++;
    while (b > a && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b - 1)))
        b--;
    PyObject *key = a == 0 && b == n ? Py_NewRef(folded) : PyUnicode_Substring(folded, a, b);
    Py_DECREF(folded);
    if (key == NULL)
        return -1;
    BKey k;
    if (bkey_init(&k, key) < 0) {
        Py_DECREF(key);
        return -1;
    }
    int alnum = 0, hyphen = 0, uk = 0, cyr = 0;
    for (Py_ssize_t i = 0; i < k.n; i++) {
        Py_UCS4 c = k.s[i];
        if (!alnum)
            alnum = Py_UNICODE_ISALNUM(c) != 0;
        hyphen |= c == B_HYPHEN;
        uk |= b_uk(c);
        cyr |= b_cyr(c);
    }
    int rc = 0;
    PyObject *spellings = NULL;
    if (!alnum)
        goto out;
    int latin = PyUnicode_IS_ASCII(key);
    /* `proper`: the alias is written capitalised (a name, which has no plural). */
    {
        PyObject *alias = B->alias;
        Py_ssize_t an = PyUnicode_GET_LENGTH(alias), i = 0;
        int akind = PyUnicode_KIND(alias);
        const void *adata = PyUnicode_DATA(alias);
        while (i < an) {
            Py_UCS4 c = PyUnicode_READ(akind, adata, i);
            if (c != '#' && c != '@' && c != ' ')
                break;
            i++;
        }
        B->proper = i < an && Py_UNICODE_ISUPPER(PyUnicode_READ(akind, adata, i));
    }
    Py_CLEAR(B->first);
    B->variant = 0;
    rc = -1;
    if (!hyphen && (latin || !uk)) {
        if (b_compile(B, &k) < 0)
            goto out;
    }
    else {
        spellings = b_spellings(&k, uk);
        if (spellings == NULL)
            goto out;
        for (Py_ssize_t j = 0; j < PyList_GET_SIZE(spellings); j++)
            if (b_compile_key(B, PyList_GET_ITEM(spellings, j)) < 0)
                goto out;
    }
    rc = 0;
    if (role == 2) /* CONTEXT */
        goto out;
    B->variant = 1;
    rc = -1;
    Py_ssize_t count = spellings == NULL ? 1 : PyList_GET_SIZE(spellings);
    /* Each spelling's variants: the key's own characters for the first, which is the key. */
    if (latin) {
        if (b_transliterations(B, &k) < 0)
            goto out;
        for (Py_ssize_t j = 1; j < count; j++)
            if (b_with_key(B, PyList_GET_ITEM(spellings, j), b_transliterations) < 0)
                goto out;
        if (b_has_article(&k)) {
            if (b_article_variants(B, &k) < 0)
                goto out;
            for (Py_ssize_t j = 1; j < count; j++)
                if (b_with_key(B, PyList_GET_ITEM(spellings, j), b_article_variants) < 0)
                    goto out;
        }
    }
    else if (cyr) {
        if (b_cyrillic_variants(B, &k) < 0)
            goto out;
        for (Py_ssize_t j = 1; j < count; j++)
            if (b_with_key(B, PyList_GET_ITEM(spellings, j), b_cyrillic_variants) < 0)
                goto out;
    }
    rc = 0;
out:
    B->variant = 0;
    Py_XDECREF(spellings);
    bkey_free(&k);
    Py_DECREF(key);
    return rc;
}

static PyObject *
compile_setup(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 8 || !PyType_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError,
                        "compile_setup(pattern, declensions, endings, endings_not_bare, "
                        "proper_endings, proper_not_bare, bare, common)");
        return NULL;
    }
    for (Py_ssize_t i = 1; i < 6; i++) {
        if (!PyDict_Check(args[i])) {
            PyErr_SetString(PyExc_TypeError, "compile_setup: the ending tables are dicts");
            return NULL;
        }
    }
    Py_XSETREF(b_pattern, Py_NewRef(args[0]));
    Py_XSETREF(b_declensions, Py_NewRef(args[1]));
    Py_XSETREF(b_endings[0], Py_NewRef(args[2]));
    Py_XSETREF(b_not_bare[0], Py_NewRef(args[3]));
    Py_XSETREF(b_endings[1], Py_NewRef(args[4]));
    Py_XSETREF(b_not_bare[1], Py_NewRef(args[5]));
    Py_XSETREF(b_bare, Py_NewRef(args[6]));
    Py_XSETREF(b_common, Py_NewRef(args[7]));
    b_nnoms = 0;
    PyObject *nom, *ignored;
    Py_ssize_t pos = 0;
    while (PyDict_Next(args[1], &pos, &nom, &ignored)) {
        Py_ssize_t len = PyUnicode_Check(nom) ? PyUnicode_GET_LENGTH(nom) : 0;
        if (len < 1 || len > 2 || b_nnoms == B_MAX_NOMS) {
            PyErr_SetString(PyExc_ValueError, "compile_setup: a nominative ending of 1 or 2");
            return NULL;
        }
        BNom *b = &b_noms[b_nnoms++];
        b->n = len;
        for (Py_ssize_t i = 0; i < len; i++)
            b->c[i] = PyUnicode_READ_CHAR(nom, i);
        for (int proper = 0; proper < 2; proper++) {
            for (int not_bare = 0; not_bare < 2; not_bare++) {
                PyObject *table = not_bare ? b_not_bare[proper] : b_endings[proper];
                b->endings[proper][not_bare] = b_lookup(table, nom);
                if (b->endings[proper][not_bare] == NULL)
                    return NULL;
            }
        }
    }
    if (b_key_hash == NULL) {
        b_key_hash = PyUnicode_InternFromString("#");
        b_key_dash = PyUnicode_InternFromString("-");
        b_key_none = PyUnicode_InternFromString("");
        b_key_velar = PyUnicode_InternFromString("\u043a");
        if (b_key_hash == NULL || b_key_dash == NULL || b_key_none == NULL || b_key_velar == NULL)
            return NULL;
    }
    Py_RETURN_NONE;
}

/* compile_table(entries, bits) -> (keys, values): see matching.compile_table_py. `bits`: the
 * trigger keys and their bits, in the order met. */
static PyObject *
compile_table(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "compile_table(entries, bits: dict)");
        return NULL;
    }
    if (b_pattern == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "compile_setup() first");
        return NULL;
    }
    PyObject *bits = args[1], *result = NULL, *keys = NULL, *values = NULL, *seq = NULL;
    BOrder *order = NULL;
    Py_ssize_t at = 0; /* entries of `order` made */
    Build B = {0};
    B.by_key = PyDict_New();
    B.extra = PyDict_New();
    B.stems[0] = PyDict_New();
    B.stems[1] = PyDict_New();
    B.empty = PyTuple_New(0);
    if (!B.by_key || !B.extra || !B.stems[0] || !B.stems[1] || !B.empty)
        goto out;
    /* The trigger keys first, without patterns of their own. */
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(bits, &pos, &key, &value)) {
        PyObject *none = PyList_New(0);
        int rc = none == NULL ? -1 : PyDict_SetItem(B.by_key, key, none);
        Py_XDECREF(none);
        if (rc < 0)
            goto out;
    }
    seq = PySequence_Fast(args[0], "compile_table: entries must be a sequence");
    if (seq == NULL)
        goto out;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++)
        if (b_alias(&B, PySequence_Fast_GET_ITEM(seq, i)) < 0)
            goto out;
    Py_CLEAR(seq);
    Py_CLEAR(B.stems[0]);
    Py_CLEAR(B.stems[1]);
    /* Other transliterations, unless some alias is listed with the same key: a spelling the
     * operator wrote keeps the entity and role the operator gave it. */
    pos = 0;
    while (PyDict_Next(B.extra, &pos, &key, &value)) {
        PyObject *have = PyDict_GetItemWithError(B.by_key, key);
        if (have == NULL && PyErr_Occurred())
            goto out;
        if (have != NULL && Py_SIZE(have) > 0) /* a tuple or a list */
            continue;
        if (PyDict_SetItem(B.by_key, key, value) < 0)
            goto out;
    }
    Py_CLEAR(B.extra);
    /* Each key's value, in the order met, then the keys by their first two characters. */
    Py_ssize_t count = PyDict_GET_SIZE(B.by_key);
    order = PyMem_New(BOrder, count > 0 ? count : 1);
    if (order == NULL) {
        PyErr_NoMemory();
        goto out;
    }
    int any_bits = PyDict_GET_SIZE(bits) > 0;
    pos = 0;
    while (at < count && PyDict_Next(B.by_key, &pos, &key, &value)) {
        PyObject *bit = any_bits ? PyDict_GetItemWithError(bits, key) : NULL;
        if (bit == NULL && PyErr_Occurred())
            goto out;
        PyObject *patterns = PyList_CheckExact(value) ? b_untracked(PyList_AsTuple(value))
                                                      : Py_NewRef(value);
        if (patterns == NULL)
            goto out;
        int arabic = 0;
        for (Py_ssize_t p = 0; p < PyTuple_GET_SIZE(patterns) && !arabic; p++)
            arabic = PyTuple_GET_ITEM(PyTuple_GET_ITEM(patterns, p), 5) == Py_True;
        PyObject *length = PyLong_FromSsize_t(PyUnicode_GET_LENGTH(key));
        PyObject *mask = bit == NULL ? PyLong_FromLong(0) : Py_NewRef(bit);
        PyObject *v = length && mask
                          ? b_untracked(PyTuple_Pack(4, length, patterns,
                                                     arabic ? Py_True : Py_False, mask))
                          : NULL;
        Py_XDECREF(length);
        Py_XDECREF(mask);
        Py_DECREF(patterns);
        if (v == NULL)
            goto out;
        order[at].prefix = b_prefix(key);
        order[at].key = Py_NewRef(key);
        order[at].value = v;
        at++;
    }
    Py_CLEAR(B.by_key); /* before the lists: the largest table of the build */
    if (b_order_sort(order, at) < 0)
        goto out;
    keys = PyList_New(at);
    values = PyList_New(at);
    if (keys == NULL || values == NULL)
        goto out;
    for (Py_ssize_t i = 0; i < at; i++) { /* the references move to the lists */
        PyList_SET_ITEM(keys, i, order[i].key);
        PyList_SET_ITEM(values, i, order[i].value);
        order[i].key = order[i].value = NULL;
    }
    result = PyTuple_Pack(2, keys, values);
out:
    if (order != NULL) {
        for (Py_ssize_t i = 0; i < at; i++) {
            Py_XDECREF(order[i].key);
            Py_XDECREF(order[i].value);
        }
        PyMem_Free(order);
    }
    Py_XDECREF(seq);
    Py_XDECREF(keys);
    Py_XDECREF(values);
    Py_XDECREF(B.by_key);
    Py_XDECREF(B.extra);
    Py_XDECREF(B.stems[0]);
    Py_XDECREF(B.stems[1]);
    Py_XDECREF(B.empty);
    Py_XDECREF(B.alone);
    Py_XDECREF(B.first);
    return result;
}

/* ============================ end of the build section ============================ */

/* ---------------------------------------------------------------------------------------- */
/* Skeletons: listed names in unlisted spellings (see skeleton.py for the rules)             */
/*                                                                                          */
/* skeleton(word) -> str                                                                    */
/*     The consonant classes of a folded word: skeleton.py's `skeleton`, its reference.      */
/* skeleton_table(keys) -> bytes                                                            */
/*     Built once per watchlist: the hashes of the skeletons that may start a name.          */
/* skeleton_candidates(text, table, skip, matches) -> list of (start, end), or None         */
/*     One pass over a post: the words skeleton.py's `find` is to judge (a superset of those */
/*     it takes), None for the common post. Reads only the table and the fold table.        */
/* skeleton_index(entries, aliases, articles, common, least)                                */
/*     -> (index, listed, skip, starts, longest, table)                                     */
/*     Built once per watchlist: skeleton.py's `Skeletons.build_py`, its reference, in C.     */

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

/* One consonant class into a skeleton being written at out[o]: a vowel breaks a run, x is two
 * classes (k and s), a class repeated in a run counts once. The new length. */
static inline Py_ssize_t
sk_emit(int cls, unsigned char *out, Py_ssize_t o, int *last)
{
    if (cls == SK_VOWEL) {
        *last = 0;
    }
    else if (cls == SK_X) {
        out[o++] = 1;
        out[o++] = 3;
        *last = 3;
    }
    else if (cls != 0) {
        if (cls != *last) {
            out[o++] = (unsigned char)cls;
        }
        *last = cls;
    }
    return o;
}

/* The class codes of w[0:n], as sk_codes reads them, with the class of the consonant before
 * (`*last`, 0 after a vowel or at the start) carried in and out: a doubled class counts once. */
static inline Py_ssize_t
sk_codes_run(const Py_UCS4 *w, Py_ssize_t n, unsigned char *out, int *last_io)
{
    Py_ssize_t o = 0;
    int last = *last_io;
    for (Py_ssize_t i = 0; i < n; i++) {
        o = sk_emit(sk_class(w[i]), out, o, &last);
    }
    *last_io = last;
    return o;
}

/* The length of w[0:n] that its skeleton reads: without a final h after a vowel. */
static inline Py_ssize_t
sk_read_len(const Py_UCS4 *w, Py_ssize_t n)
{
    if (n > 2 && (w[n - 1] == 'h' || w[n - 1] == 0x647) && sk_class(w[n - 2]) == SK_VOWEL) {
        return n - 1; /* Hezbollah, الله, سوريه */
    }
    return n;
}

/* The skeleton of w[0:n], multigraphs already replaced, as class codes into `out` (room for
 * 2 * n): returns its length. */
static Py_ssize_t
sk_codes(const Py_UCS4 *w, Py_ssize_t n, unsigned char *out)
{
    int last = 0;
    return sk_codes_run(w, sk_read_len(w, n), out, &last);
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

/* The keys of a skeleton table while it is built: their finished hashes, and the bounds. */
typedef struct {
    uint64_t *h;
    Py_ssize_t n, cap;
    SkBounds bounds;
} SkKeys;

static void
sk_keys_init(SkKeys *keys)
{
    keys->h = NULL;
    keys->n = keys->cap = 0;
    keys->bounds.min[0] = keys->bounds.min[1] = UINT16_MAX;
    keys->bounds.max[0] = keys->bounds.max[1] = 0;
}

/* Adds the key (kind, codes[0:n]), and for a SK_WHOLE key (vowel >= 0) its ending and
 * doubling: 0, or -1 with an exception set. */
static int
sk_keys_add(SkKeys *keys, int kind, const unsigned char *codes, Py_ssize_t n, int vowel,
            int doubled)
{
    if (keys->n == keys->cap) {
        Py_ssize_t cap = keys->cap ? keys->cap * 2 : 1024;
        uint64_t *bigger = PyMem_Realloc(keys->h, sizeof(uint64_t) * (size_t)cap);
        if (bigger == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        keys->h = bigger;
        keys->cap = cap;
    }
    uint64_t h = sk_feed(sk_begin(kind), codes, n);
    if (kind == SK_LATIN || kind == SK_NAME) {
        uint16_t len = n < UINT16_MAX ? (uint16_t)n : UINT16_MAX;
        int b = kind == SK_LATIN ? 0 : 1;
        keys->bounds.min[b] = len < keys->bounds.min[b] ? len : keys->bounds.min[b];
        keys->bounds.max[b] = len > keys->bounds.max[b] ? len : keys->bounds.max[b];
    }
    if (vowel >= 0) {
        unsigned char tail[2] = {(unsigned char)(16 + (vowel != 0)),
                                 (unsigned char)(18 + (doubled != 0))};
        h = sk_feed(h, tail, 2);
    }
    keys->h[keys->n++] = sk_finish(h);
    return 0;
}

/* Sorts h[0:n], 16 bits a pass from the lowest: 0, or -1 with an exception set. */
static int
sk_sort_hashes(uint64_t *h, Py_ssize_t n)
{
    uint64_t *other = PyMem_Malloc(sizeof(uint64_t) * (size_t)n);
    Py_ssize_t *count = PyMem_Malloc(sizeof(Py_ssize_t) * 0x10000);
    if (other == NULL || count == NULL) {
        PyMem_Free(other);
        PyMem_Free(count);
        PyErr_NoMemory();
        return -1;
    }
    uint64_t *from = h, *to = other;
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, sizeof(Py_ssize_t) * 0x10000);
        for (Py_ssize_t k = 0; k < n; k++) {
            count[(from[k] >> shift) & 0xffff]++;
        }
        Py_ssize_t at = 0;
        for (Py_ssize_t d = 0; d < 0x10000; d++) {
            Py_ssize_t c = count[d];
            count[d] = at;
            at += c;
        }
        for (Py_ssize_t k = 0; k < n; k++) {
            to[count[(from[k] >> shift) & 0xffff]++] = from[k];
        }
        uint64_t *swap = from;
        from = to;
        to = swap;
    }
    /* Four passes: the sorted hashes are back in `h`. */
    PyMem_Free(other);
    PyMem_Free(count);
    return 0;
}

/* The table of the keys (which it sorts): a header (SkBounds), then a hash set of the high
 * halves of the keys' hashes (see sk_print), open addressing, at most half full. The keys go in
 * by their hashes, each once, so that the same keys make the same bytes whatever their order. */
static PyObject *
sk_keys_table(SkKeys *keys)
{
    if (keys->n > 1 && sk_sort_hashes(keys->h, keys->n) < 0) {
        return NULL;
    }
    Py_ssize_t count = 0;
    for (Py_ssize_t k = 0; k < keys->n; k++) {
        if (k == 0 || keys->h[k] != keys->h[count - 1]) {
            keys->h[count++] = keys->h[k];
        }
    }
    keys->n = count;
    uint64_t size = 16;
    while (size < 2 * (uint64_t)count + 16) {
        size *= 2;
    }
    PyObject *table = PyBytes_FromStringAndSize(
        NULL, (Py_ssize_t)(sizeof(SkBounds) + size * sizeof(uint32_t)));
    if (table == NULL) {
        return NULL;
    }
    memcpy(PyBytes_AS_STRING(table), &keys->bounds, sizeof(SkBounds));
    uint32_t *slots = (uint32_t *)(PyBytes_AS_STRING(table) + sizeof(SkBounds));
    memset(slots, 0, size * sizeof(uint32_t));
    for (Py_ssize_t k = 0; k < count; k++) {
        uint64_t h = keys->h[k];
        uint64_t i = h & (size - 1);
        while (slots[i] != 0 && slots[i] != sk_print(h)) {
            i = (i + 1) & (size - 1);
        }
        slots[i] = sk_print(h);
    }
    return table;
}

/* skeleton_table(keys) -> bytes: the table `skeleton_candidates` reads (see sk_keys_table).
 * Each key is (kind, skeleton as `skeleton` writes it), or (SK_WHOLE, skeleton, ends in a
 * vowel, doubled). */
static PyObject *
skeleton_table(PyObject *self, PyObject *keys)
{
    if (!PyList_Check(keys)) {
        PyErr_SetString(PyExc_TypeError, "skeleton_table() takes a list of tuples");
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(keys);
    SkKeys found;
    sk_keys_init(&found);
    unsigned char *codes = NULL;
    PyObject *table = NULL;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *skel;
        int kind, vowel = -1, doubled = 0;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(keys, k), "iU|ii", &kind, &skel, &vowel, &doubled)) {
            goto done;
        }
        Py_ssize_t n = PyUnicode_GET_LENGTH(skel);
        unsigned char *more = PyMem_Realloc(codes, (size_t)n + 1);
        if (more == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        codes = more;
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS4 c = PyUnicode_READ_CHAR(skel, i);
            unsigned char code = 0;
            for (unsigned char j = 1; j < 16; j++) {
                if (SK_LETTERS[j] == c) {
                    code = j;
                }
            }
            if (code == 0) {
                PyErr_Format(PyExc_ValueError, "not a skeleton: %R", skel);
                goto done;
            }
            codes[i] = code;
        }
        if (sk_keys_add(&found, kind, codes, n, vowel, doubled) < 0) {
            goto done;
        }
    }
    table = sk_keys_table(&found);
done:
    PyMem_Free(found.h);
    PyMem_Free(codes);
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

/* The length of an Arabic article at the start of a folded word, with a proclitic before it
 * (وال بال فال كال ال), when the word goes on for more than two letters after it; else 0. */
static inline Py_ssize_t
sk_article(const Py_UCS4 *w, Py_ssize_t n)
{
    if (n > 4 && w[0] == 0x627 && w[1] == 0x644) {
        return 2;
    }
    if (n > 5 && w[1] == 0x627 && w[2] == 0x644 &&
        (w[0] == 0x648 || w[0] == 0x628 || w[0] == 0x641 || w[0] == 0x643)) {
        return 3;
    }
    return 0;
}

/* One word of a post: where it is, the most classes its skeleton may have, and, once read
 * (`sk_read`), its skeletons as it is and without an article. */
typedef struct {
    Py_ssize_t start, end;
    int latin, most, read, ended, vowel, doubled, n_skel;
    Py_ssize_t skel_at[2], skel_len[2]; /* into the pool of codes */
} SkWord;

/* One pass over a post: the text, the pool of skeleton codes and the room to fold one word
 * in, on the stack for a post's usual words and grown on the heap as the post needs. */
typedef struct {
    int kind;
    const void *data;
    unsigned char *codes;
    Py_ssize_t used, pool_cap, w_cap, scratch_cap;
    Py_UCS4 *w, *scratch;
    unsigned char small_pool[4096];
    Py_UCS4 small_w[512], small_scratch[512];
} SkPass;

/* The codes a character's fold gives a skeleton at most: one a consonant, two an x. */
static inline int
sk_codes_of(Py_UCS4 c)
{
    int cls = sk_class(c);
    return cls == SK_X ? 2 : cls > 0;
}

/* The most classes the fold of one character gives a skeleton: one a consonant, two an x
 * (multigraphs, doubles, a final h and an article only take classes away, so a word's sum
 * bounds its skeleton's length). */
static int
sk_fold_codes(Py_UCS4 cp)
{
    int32_t v = lookup(cp);
    if (v == IDENTITY) {
        return sk_codes_of(cp);
    }
    int most = 0;
    Py_ssize_t m = (Py_ssize_t)(((uint32_t)v) >> 24);
    for (Py_ssize_t x = 0; x < m; x++) {
        most += sk_codes_of(pool[(v & 0xFFFFFF) + x]);
    }
    return most;
}

static inline int
sk_in(const uint32_t *slots, uint64_t mask, uint64_t h)
{
    return sk_has(slots, mask, sk_finish(h));
}

static int sk_read(SkPass *p, SkWord *word);
static void sk_ending(SkPass *p, SkWord *word);

/* How much of a fold w[0:n] is read for a doubled consonant: all of it, less the last f of
 * the -off spelling of a surname's -ov at its end (Алаудінофф, Kadyroff): skeleton.py's
 * `_doubled`. */
static Py_ssize_t
sk_doubled_end(const Py_UCS4 *w, Py_ssize_t n)
{
    if (n >= 3 && w[n - 1] == w[n - 2] && (w[n - 1] == 'f' || w[n - 1] == 0x444) &&
        (w[n - 3] == 'o' || w[n - 3] == 0x43e)) {
        return n - 1;
    }
    return n;
}

/* The end of a word without a possessive ending: 's or ’s, or the apostrophe alone (Latin:
 * "Soleimany's", "Soleimany’", "the Norks’"). skeleton.py's `_trim` is its reference. */
static Py_ssize_t
sk_trim(int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    Py_UCS4 last = PyUnicode_READ(kind, data, end - 1);
    if ((last == 's' || last == 'S') && end - start > 2) {
        Py_UCS4 before = PyUnicode_READ(kind, data, end - 2);
        if (before == '\'' || before == 0x2019) {
            return end - 2;
        }
    }
    if (last == '\'' || last == 0x2019) {
        return end - 1;
    }
    return end;
}

/* Whether a character is a Cyrillic letter. */
static inline int
sk_cyrillic(Py_UCS4 c)
{
    return c >= 0x400 && c <= 0x4ff;
}

/* The lower case of a Cyrillic capital (Ѐ-Я, the Ukrainian ones above them), else the
 * letter. */
static inline Py_UCS4
sk_cyrillic_lower(Py_UCS4 c)
{
    return c >= 0x410 && c <= 0x42f ? c + 0x20 : c >= 0x400 && c <= 0x40f ? c + 0x50 : c;
}

/* Whether a Cyrillic vowel or weak letter (skeleton.py's _CYRILLIC_VOWELS), in lower case. */
static inline int
sk_cyrillic_vowel(Py_UCS4 c)
{
    switch (c) {
    case 0x430: case 0x435: case 0x438: case 0x43e: case 0x443: case 0x44b: case 0x44d:
    case 0x44e: case 0x44f: case 0x454: case 0x456: case 0x457: case 0x439: case 0x44c:
    case 0x451:
        return 1;
    default:
        return 0;
    }
}

/* Whether a word ends in a case ending with a consonant of its own after a Cyrillic consonant
 * (Хмемимом, Алаудыновым): skeleton.py's `_case_stem`, whose skeleton is the word's less its
 * last class (a vowel stands between the stem's last consonant and the ending's). */
static int
sk_case_stem(const SkPass *p, const SkWord *w)
{
    Py_ssize_t n = w->end - w->start;
    if (n < 3) {
        return 0;
    }
    Py_UCS4 c[3];
    for (int j = 0; j < 3; j++) {
        c[j] = sk_cyrillic_lower(PyUnicode_READ(p->kind, p->data, w->end - 3 + j));
    }
    Py_ssize_t ending;
    if (c[1] == 0x43c && c[2] == 0x438 && (c[0] == 0x430 || c[0] == 0x44f)) {
        ending = 3; /* ами, ями */
    }
    else if ((c[2] == 0x43c && (c[1] == 0x43e || c[1] == 0x435 || c[1] == 0x451 ||
                                c[1] == 0x454 || c[1] == 0x430 || c[1] == 0x44f ||
                                c[1] == 0x44b || c[1] == 0x438)) ||
             (c[2] == 0x445 && (c[1] == 0x430 || c[1] == 0x44f)) ||
             (c[2] == 0x432 && (c[1] == 0x43e || c[1] == 0x435 || c[1] == 0x456))) {
        ending = 2; /* ом ем ём єм ам ям ым им, ах ях, ов ев ів */
    }
    else {
        return 0;
    }
    if (n <= ending) {
        return 0;
    }
    Py_UCS4 last = sk_cyrillic_lower(PyUnicode_READ(p->kind, p->data, w->end - ending - 1));
    return sk_cyrillic(last) && !sk_cyrillic_vowel(last);
}

/* Whether word `i` of `words` may start a name skeleton.py's `find` would take: a skeleton of
 * it that starts a name (SK_LATIN for a capitalised word, SK_NAME for an Arabic-script one),
 * and either a one-word name's with its vowel and doubling, or a listed name's made with one
 * or two of the next two words (each within six characters of the last: an article between is
 * one of them). Reads word `i` and, as they are needed, the next two (`sk_read`): 1 or 0,
 * or -1 with an exception set. */
static int
sk_may_start(SkWord *words, Py_ssize_t count, Py_ssize_t i, SkPass *p, const SkBounds *bounds,
             const uint32_t *slots, uint64_t mask)
{
    if (sk_read(p, &words[i]) < 0) {
        return -1;
    }
    const SkWord *w = &words[i];
    const unsigned char *pool = p->codes;
    int starts = 0, b = w->latin ? 0 : 1;
    for (int v = 0; v < w->n_skel && !starts; v++) {
        Py_ssize_t len = w->skel_len[v];
        if (len >= bounds->min[b] && len <= bounds->max[b]) {
            uint64_t h = sk_feed(sk_begin(w->latin ? SK_LATIN : SK_NAME), pool + w->skel_at[v], len);
            starts = sk_in(slots, mask, h);
        }
    }
    /* A case ending with a consonant of its own: the stem may be a one-word name (a Cyrillic
     * word is capitalised, so its skeleton as it is is the only one). */
    int as_is = w->n_skel - 1; /* the word's skeleton as it is, not without an article */
    if (w->latin && as_is >= 0 && w->skel_len[as_is] > 1 && sk_case_stem(p, w)) {
        Py_ssize_t len = w->skel_len[as_is] - 1;
        const unsigned char *codes = pool + w->skel_at[as_is];
        if (len >= bounds->min[0] && len <= bounds->max[0] &&
            sk_in(slots, mask, sk_feed(sk_begin(SK_LATIN), codes, len))) {
            sk_ending(p, &words[i]);
            unsigned char bare[2] = {16, (unsigned char)(18 + w->doubled)};
            uint64_t h = sk_feed(sk_begin(SK_WHOLE), codes, len);
            if (sk_in(slots, mask, sk_feed(h, bare, 2))) {
                return 1;
            }
        }
    }
    if (!starts) {
        return 0;
    }
    sk_ending(p, &words[i]);
    unsigned char tail[2] = {(unsigned char)(16 + w->vowel), (unsigned char)(18 + w->doubled)};
    /* A Cyrillic word ending in a vowel may be a case of a name that ends in a consonant
     * (Хмэймима, Хмеймим's genitive): skeleton.py's `_case_ending`. */
    int cases = w->vowel && sk_cyrillic(PyUnicode_READ(p->kind, p->data, w->end - 1));
    for (int v = 0; v < w->n_skel; v++) {
        uint64_t h = sk_feed(sk_begin(SK_WHOLE), pool + w->skel_at[v], w->skel_len[v]);
        if (sk_in(slots, mask, sk_feed(h, tail, 2))) {
            return 1;
        }
        unsigned char bare[2] = {16, tail[1]};
        if (cases && sk_in(slots, mask, sk_feed(h, bare, 2))) {
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
    if (sk_read(p, &words[i + 1]) < 0 || (after != NULL && sk_read(p, &words[i + 2]) < 0)) {
        return -1;
    }
    pool = p->codes; /* the reads may have moved it */
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

/* Room for `need` items of `size` bytes in *buffer, which starts as the stack's `small`: a
 * bigger one on the heap, with the first `keep` items copied. 0, or -1 with an exception set. */
static int
sk_grow(void **buffer, Py_ssize_t *cap, Py_ssize_t need, size_t size, void *small,
        Py_ssize_t keep)
{
    if (need <= *cap) {
        return 0;
    }
    Py_ssize_t grown = *cap * 2 > need ? *cap * 2 : need;
    void *bigger = PyMem_Malloc(size * (size_t)grown);
    if (bigger == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memcpy(bigger, *buffer, size * (size_t)keep);
    if (*buffer != small) {
        PyMem_Free(*buffer);
    }
    *buffer = bigger;
    *cap = grown;
    return 0;
}

/* Whether a read word ends in a vowel and whether it has a consonant doubled (skeleton.py's
 * _ends_in_vowel and _doubled), from its fold again: asked only of a word whose skeleton may
 * start a name, once. */
static void
sk_ending(SkPass *p, SkWord *word)
{
    if (word->ended) {
        return;
    }
    /* sk_read made room for the word's fold. */
    Py_UCS4 *w = p->scratch;
    Py_ssize_t len = sk_fold(p->kind, p->data, word->start, word->end, w);
    Py_ssize_t last = len;
    if (last > 2 && (w[last - 1] == 'h' || w[last - 1] == 0x647) &&
        sk_class(w[last - 2]) == SK_VOWEL) {
        last--;
    }
    word->vowel = last > 0 && sk_class(w[last - 1]) == SK_VOWEL;
    word->doubled = 0;
    for (Py_ssize_t j = 1, end = sk_doubled_end(w, len); j < end && !word->doubled; j++) {
        word->doubled = w[j] == w[j - 1] && Py_UNICODE_ISALPHA(w[j]) &&
                        sk_class(w[j]) != SK_VOWEL;
    }
    word->ended = 1;
}

/* What the pass reads of each character of the BMP: which of _WORD's characters it is
 * (sk_char, the low bits) and, above SK_INFO_SHIFT, the most classes its fold gives a skeleton
 * (sk_fold_codes, at most 2 * 255). Filled from the fold table on first use, again after each
 * configure(); a text of one or two bytes a character reads it with no bounds to check. */
#define SK_INFO_SHIFT 3
static uint16_t sk_info[0x10000];

/* The class of the one character each character of the BMP folds to (itself included), or
 * SK_FOLDS_OTHER when its fold is none or several: what sk_read_arabic reads a word by. */
#define SK_FOLDS_OTHER 127
static signed char sk_fold_class[0x10000];

static void
sk_init_info(void)
{
    for (Py_UCS4 c = 0; c < 0x10000; c++) {
        sk_info[c] = (uint16_t)(sk_char(c) | (sk_fold_codes(c) << SK_INFO_SHIFT));
        int32_t v = lookup(c);
        int folded = v == IDENTITY              ? sk_class(c)
                     : ((uint32_t)v >> 24) == 1 ? sk_class(pool[v & 0xFFFFFF])
                                                : SK_FOLDS_OTHER;
        sk_fold_class[c] = (signed char)folded;
    }
    sk_info_ready = 1;
}

static inline unsigned int
sk_word_info(Py_UCS4 c)
{
    if (c < 0x10000) {
        return sk_info[c];
    }
    return (unsigned int)(sk_char(c) | (sk_fold_codes(c) << SK_INFO_SHIFT));
}

/* The class codes of the classes cls[0:n], as sk_codes_run reads characters. */
static inline Py_ssize_t
sk_classes_run(const signed char *cls, Py_ssize_t n, unsigned char *out, int *last_io)
{
    Py_ssize_t o = 0;
    int last = *last_io;
    for (Py_ssize_t i = 0; i < n; i++) {
        o = sk_emit(cls[i], out, o, &last);
    }
    *last_io = last;
    return o;
}

/* The one character `c` folds to (sk_fold_class says it has one). */
static inline Py_UCS4
sk_fold_one(Py_UCS4 c)
{
    int32_t v = lookup(c);
    return v == IDENTITY ? c : pool[v & 0xFFFFFF];
}

/* The classes of the folds of the word's characters into `cls`, `folds_one` cleared at the
 * first character that folds to none or several: the switch on the text's kind taken once. */
#define SK_FOLD_CLASSES(type)                                                                   \
    do {                                                                                        \
        const type *d = (const type *)p->data + word->start;                                    \
        for (Py_ssize_t j = 0; j < len; j++) {                                                  \
            Py_UCS4 c = d[j];                                                                   \
            int k = c < 0x10000 ? sk_fold_class[c] : SK_FOLDS_OTHER;                            \
            if (k == SK_FOLDS_OTHER) {                                                          \
                folds_one = 0;                                                                  \
                break;                                                                          \
            }                                                                                   \
            cls[j] = (signed char)k;                                                            \
        }                                                                                       \
    } while (0)

/* sk_read for an Arabic-script word: its skeletons (as it is and without its article) from
 * the classes of its fold. Most words have every letter fold to one letter: the classes are
 * read from the text, without folding it; else the word is folded. The caller made room for
 * the fold in p->w, for the classes in p->scratch and for the codes in the pool. */
static void
sk_read_arabic(SkPass *p, SkWord *word)
{
    Py_ssize_t len = word->end - word->start;
    signed char *cls = (signed char *)p->scratch;
    int folds_one = 1;
    if (p->kind == PyUnicode_1BYTE_KIND) {
        SK_FOLD_CLASSES(Py_UCS1);
    }
    else if (p->kind == PyUnicode_2BYTE_KIND) {
        SK_FOLD_CLASSES(Py_UCS2);
    }
    else {
        SK_FOLD_CLASSES(Py_UCS4);
    }
    Py_ssize_t article, n;
    if (!folds_one) {
        /* An Arabic-script word folds to Arabic letters alone: no multigraphs to replace. */
        Py_UCS4 *w = p->w;
        len = sk_fold(p->kind, p->data, word->start, word->end, w);
        for (Py_ssize_t j = 0; j < len; j++) {
            cls[j] = (signed char)sk_class(w[j]);
        }
        article = sk_article(w, len);
        n = sk_read_len(w, len);
    }
    else {
        /* An article (ال, or وال بال فال كال) opens on a vowel's class and a ل's, or one
         * more before them, and a final h after a vowel has the class of an h: only then are
         * the letters themselves read, as they fold. A word has three letters or more. */
        article = 0;
        if (len > 4 && cls[1] == 12 && cls[0] == SK_VOWEL &&
            sk_fold_one(PyUnicode_READ(p->kind, p->data, word->start)) == 0x627 &&
            sk_fold_one(PyUnicode_READ(p->kind, p->data, word->start + 1)) == 0x644) {
            article = 2;
        }
        else if (len > 5 && cls[2] == 12 && cls[1] == SK_VOWEL) {
            Py_UCS4 head3[3];
            for (int j = 0; j < 3; j++) {
                head3[j] = sk_fold_one(PyUnicode_READ(p->kind, p->data, word->start + j));
            }
            article = sk_article(head3, len);
        }
        n = len;
        if (cls[len - 1] == 2 && cls[len - 2] == SK_VOWEL) {
            Py_UCS4 final = sk_fold_one(PyUnicode_READ(p->kind, p->data, word->end - 1));
            if (final == 'h' || final == 0x647) {
                n--; /* Hezbollah, الله, سوريه */
            }
        }
    }
    unsigned char *codes = p->codes;
    Py_ssize_t used = p->used;
    word->skel_at[0] = used;
    if (!article) {
        int last = 0;
        word->skel_len[0] = sk_classes_run(cls, n, codes + used, &last);
        word->n_skel = 1;
        p->used = used + word->skel_len[0];
        return;
    }
    /* The word without its article, then with it: the article's codes, then the rest's, less
     * the first when the rest opens on the article's last consonant (a doubled class counts
     * once). The rest is three letters or more: its final h is the word's. */
    int last = 0;
    Py_ssize_t rest = sk_classes_run(cls + article, n - article, codes + used, &last);
    word->skel_len[0] = rest;
    used += rest;
    int before = 0;
    Py_ssize_t head = sk_classes_run(cls, article, codes + used, &before);
    int first = 0;
    for (Py_ssize_t j = article; j < n && first == 0; j++) {
        first = cls[j];
    }
    Py_ssize_t skip = first > 0 && first != SK_X && first == before;
    memcpy(codes + used + head, codes + word->skel_at[0] + skip, (size_t)(rest - skip));
    word->skel_at[1] = used;
    word->skel_len[1] = head + rest - skip;
    if (!(word->skel_len[1] == rest &&
          memcmp(codes + word->skel_at[0], codes + used, (size_t)rest) == 0)) {
        used += word->skel_len[1];
        word->n_skel = 2;
    }
    else {
        word->n_skel = 1; /* the same skeleton twice */
    }
    p->used = used;
}

/* Folds a word and works out its skeletons (as it is and without an article), once: 0, or -1
 * with an exception set. */
static int
sk_read(SkPass *p, SkWord *word)
{
    if (word->read) {
        return 0;
    }
    Py_ssize_t room = (word->end - word->start) * max_expansion + 1;
    if (room > p->w_cap &&
        (sk_grow((void **)&p->w, &p->w_cap, room, sizeof(Py_UCS4), p->small_w, 0) < 0 ||
         sk_grow((void **)&p->scratch, &p->scratch_cap, room, sizeof(Py_UCS4), p->small_scratch,
                 0) < 0)) {
        return -1;
    }
    /* Two skeletons, two codes a folded character at most. */
    Py_ssize_t need = p->used + 4 * (room - 1);
    if (need > p->pool_cap &&
        sk_grow((void **)&p->codes, &p->pool_cap, need, 1, p->small_pool, p->used) < 0) {
        return -1;
    }
    int latin = word->latin;
    word->n_skel = 0;
    word->read = 1;
    word->ended = 0;
    if (!latin) {
        sk_read_arabic(p, word);
        return 0;
    }
    Py_UCS4 *w = p->w, *scratch = p->scratch;
    Py_ssize_t len = sk_fold(p->kind, p->data, word->start, word->end, w);
    unsigned char *codes = p->codes;
    Py_ssize_t used = p->used;
    Py_ssize_t article = sk_article(w, len);
    if (article) {
        word->skel_at[0] = used;
        memcpy(scratch, w + article, sizeof(Py_UCS4) * (size_t)(len - article));
        word->skel_len[0] = sk_skeleton(scratch, len - article, codes + used);
        used += word->skel_len[0];
        word->n_skel = 1;
    }
    Py_ssize_t at = word->n_skel;
    word->skel_at[at] = used;
    /* The fold is not read again: the multigraphs may be replaced in place. */
    word->skel_len[at] = sk_skeleton(w, len, codes + used);
    if (!(at == 1 && word->skel_len[1] == word->skel_len[0] &&
          memcmp(codes + word->skel_at[0], codes + used, (size_t)word->skel_len[1]) == 0)) {
        used += word->skel_len[at];
        word->n_skel = at + 1; /* else the same skeleton twice */
    }
    p->used = used;
    return 0;
}

static int ty_overlaps(PyObject *matches, Py_ssize_t start, Py_ssize_t end);

/* The words of the post as skeleton.py's _WORD finds them (a capitalised word without its
 * possessive ending: see sk_trim), each with the most classes its skeleton may have, counted
 * as the words are found: one read of each character, the switch on the text's kind taken
 * once. (A word too short from a capital is all lower case: no word starts inside it.) */
#define SK_SPLIT(type)                                                                          \
    do {                                                                                        \
        const type *d = (const type *)data;                                                     \
        Py_ssize_t i = 0;                                                                       \
        while (i < n) {                                                                         \
            unsigned int info = sk_word_info(d[i]);                                             \
            if (!(info & (SK_UPPER | SK_ARABIC_LETTER))) {                                      \
                i++;                                                                            \
                continue;                                                                       \
            }                                                                                   \
            Py_ssize_t start = i++;                                                             \
            int latin = (info & SK_UPPER) != 0;                                                 \
            unsigned int want = latin ? SK_LOWER : SK_ARABIC_LETTER;                            \
            Py_ssize_t most = info >> SK_INFO_SHIFT;                                            \
            while (i < n) {                                                                     \
                unsigned int next = sk_word_info(d[i]);                                         \
                if (!(next & want)) {                                                           \
                    break;                                                                      \
                }                                                                               \
                most += next >> SK_INFO_SHIFT;                                                  \
                i++;                                                                            \
            }                                                                                   \
            Py_ssize_t end = i;                                                                 \
            if (end - start < 3) {                                                              \
                continue;                                                                       \
            }                                                                                   \
            if (latin) {                                                                        \
                Py_ssize_t kept = sk_trim(kind, data, start, end);                              \
                for (Py_ssize_t j = kept; j < end; j++) {                                       \
                    most -= sk_word_info(d[j]) >> SK_INFO_SHIFT;                                \
                }                                                                               \
                end = kept;                                                                     \
                if (end - start < 3) {                                                          \
                    continue;                                                                   \
                }                                                                               \
            }                                                                                   \
            if (count == words_cap && sk_grow((void **)&words, &words_cap, count + 1,          \
                                              sizeof(SkWord), small_words, count) < 0) {        \
                goto error;                                                                     \
            }                                                                                   \
            SkWord *word = &words[count++];                                                     \
            word->start = start;                                                                \
            word->end = end;                                                                    \
            word->latin = latin;                                                                \
            word->read = 0;                                                                     \
            word->most = most < INT_MAX ? (int)most : INT_MAX;                                  \
        }                                                                                       \
    } while (0)

/* The spans of `matches` (tuples whose items 2 and 3 are a start and an end) into `spans`,
 * `room` of them at most: their count (more than `room`: only counted, for ty_overlaps to
 * read), or -1 with an exception set. */
#define SK_SPANS 32
static Py_ssize_t
sk_spans(PyObject *matches, Py_ssize_t *spans, Py_ssize_t room)
{
    Py_ssize_t count = PyList_GET_SIZE(matches);
    if (count > room) {
        return count;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *m = PyList_GET_ITEM(matches, k);
        if (!PyTuple_Check(m) || PyTuple_GET_SIZE(m) < 4) {
            PyErr_SetString(PyExc_TypeError, "a match is a tuple of entity, alias, start, end");
            return -1;
        }
        spans[2 * k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(m, 2));
        spans[2 * k + 1] = PyLong_AsSsize_t(PyTuple_GET_ITEM(m, 3));
        if ((spans[2 * k] == -1 || spans[2 * k + 1] == -1) && PyErr_Occurred()) {
            return -1;
        }
    }
    return count;
}

/* skeleton_candidates(text, table, skip, matches) -> list of (start, end), or None
 * The words of `text` (skeleton.py's _WORD) that may start a name by their skeletons (see
 * `sk_may_start`), whose fold is not in `skip` (a frozenset) and that no match of `matches`
 * (tuples whose items 2 and 3 are a start and an end) overlaps: a superset of the words
 * skeleton.py's `find` takes, for it to judge. None when there is none: the common post. */
static PyObject *
skeleton_candidates(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyUnicode_Check(args[0]) || !PyBytes_Check(args[1]) ||
        !PyAnySet_Check(args[2]) || !PyList_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "skeleton_candidates(text, table, skip, matches)");
        return NULL;
    }
    if (bmp_table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "skeleton_candidates() before configure()");
        return NULL;
    }
    if (!sk_classes_ready) {
        sk_init_classes();
    }
    if (!sk_info_ready) {
        sk_init_info();
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
    /* Room for the words on the stack for a post's usual words, grown on the heap as the post
     * needs (bounds from the whole text's length, with a fold table whose longest fold is 18
     * characters, put every post of more than 28 on the heap). */
    SkWord small_words[128];
    Py_ssize_t words_cap = 128;
    SkWord *words = small_words;
    SkPass pass;
    SkPass *p = &pass;
    p->kind = kind;
    p->data = data;
    p->codes = p->small_pool;
    p->used = 0;
    p->pool_cap = sizeof(p->small_pool);
    p->w = p->small_w;
    p->scratch = p->small_scratch;
    p->w_cap = p->scratch_cap = 512;
    /* The matches' spans, read when a word first asks (most posts, none). */
    Py_ssize_t spans[2 * SK_SPANS];
    Py_ssize_t n_spans = -1;
    PyObject *out = NULL;
    Py_ssize_t count = 0;
    if (kind == PyUnicode_1BYTE_KIND) {
        SK_SPLIT(Py_UCS1);
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        SK_SPLIT(Py_UCS2);
    }
    else {
        SK_SPLIT(Py_UCS4);
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        if (words[k].most < bounds->min[!words[k].latin]) {
            continue; /* no skeleton of it is long enough to start a name */
        }
        if (n_spans < 0) {
            n_spans = sk_spans(args[3], spans, SK_SPANS);
            if (n_spans < 0) {
                goto error;
            }
        }
        int covered = 0;
        if (n_spans > SK_SPANS) {
            covered = ty_overlaps(args[3], words[k].start, words[k].end);
            if (covered < 0) {
                goto error;
            }
        }
        else {
            for (Py_ssize_t j = 0; j < n_spans && !covered; j++) {
                covered = spans[2 * j] < words[k].end && words[k].start < spans[2 * j + 1];
            }
        }
        if (covered) {
            continue; /* a listed name the main pass found */
        }
        int may = sk_may_start(words, count, k, p, bounds, slots, mask);
        if (may < 0) {
            goto error;
        }
        if (!may) {
            continue;
        }
        Py_UCS4 *w = p->w;
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
    }
    if (p->codes != p->small_pool) {
        PyMem_Free(p->codes);
    }
    if (p->w != p->small_w) {
        PyMem_Free(p->w);
    }
    if (p->scratch != p->small_scratch) {
        PyMem_Free(p->scratch);
    }
    return out;
}

/* ---------------------------------------------------------------------------------------- */
/* Typos: the words typos.py reads for one-edit slips of long names                          */
/*                                                                                          */
/* typo_words(text, matches) -> list of (start, end), or None                               */
/*     typos.py's _NAME as re.finditer finds it (a capital, Latin or Cyrillic, then five or  */
/*     more of [^\W\d_]), less the words right after a letter (inside a CamelCase word) and */
/*     those a match (a tuple whose items 2 and 3 are its start and end) overlaps:           */
/*     `typo_words_py`, its reference. None when there is none: most posts, Arabic script,  */
/*     and a post whose long words are the names the main pass found.                       */

/* _NAME's first character: [A-ZА-ЯЁІЇЄҐ]. */
static inline int
ty_capital(Py_UCS4 c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 0x410 && c <= 0x42f) || c == 0x401 || c == 0x406 ||
           c == 0x407 || c == 0x404 || c == 0x490;
}

/* [^\W\d_] as the re module reads it in a str pattern: alphanumeric, not a decimal digit, not
 * the underscore. */
static inline int
ty_letter(Py_UCS4 c)
{
    if (c < 128) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

#define TY_SCAN(type)                                                                           \
    do {                                                                                        \
        const type *d = (const type *)data;                                                     \
        Py_ssize_t i = 0;                                                                       \
        while (i < n) {                                                                         \
            if (!ty_capital(d[i])) {                                                            \
                i++;                                                                            \
                continue;                                                                       \
            }                                                                                   \
            Py_ssize_t j = i + 1;                                                               \
            while (j < n && ty_letter(d[j])) {                                                  \
                j++;                                                                            \
            }                                                                                   \
            /* Too short: so is every run from a capital inside it, and d[j] is no letter. */  \
            int overlaps = 0;                                                                   \
            if (j - i > 5 && (i == 0 || !Py_UNICODE_ISALPHA(d[i - 1])) &&                       \
                (overlaps = ty_overlaps(matches, i, j)) == 0) {                                 \
                PyObject *span = Py_BuildValue("(nn)", i, j);                                   \
                if (span == NULL) {                                                             \
                    goto error;                                                                 \
                }                                                                               \
                if (out == NULL) {                                                              \
                    out = PyList_New(0);                                                        \
                }                                                                               \
                if (out == NULL || PyList_Append(out, span) < 0) {                              \
                    Py_DECREF(span);                                                            \
                    goto error;                                                                 \
                }                                                                               \
                Py_DECREF(span);                                                                \
            }                                                                                   \
            if (overlaps < 0) {                                                                 \
                goto error;                                                                     \
            }                                                                                   \
            i = j;                                                                              \
        }                                                                                       \
    } while (0)

/* Whether a match of `matches` overlaps [start, end): 1 or 0, or -1 with an exception set. */
static int
ty_overlaps(PyObject *matches, Py_ssize_t start, Py_ssize_t end)
{
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(matches); k++) {
        PyObject *m = PyList_GET_ITEM(matches, k);
        if (!PyTuple_Check(m) || PyTuple_GET_SIZE(m) < 4) {
            PyErr_SetString(PyExc_TypeError, "a match is a tuple of entity, alias, start, end");
            return -1;
        }
        Py_ssize_t m_start = PyLong_AsSsize_t(PyTuple_GET_ITEM(m, 2));
        Py_ssize_t m_end = PyLong_AsSsize_t(PyTuple_GET_ITEM(m, 3));
        if ((m_start == -1 || m_end == -1) && PyErr_Occurred()) {
            return -1;
        }
        if (m_start < end && start < m_end) {
            return 1;
        }
    }
    return 0;
}

/* typo_words(text, matches) -> list of (start, end), or None (see above). */
static PyObject *
typo_words(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "typo_words(text, matches)");
        return NULL;
    }
    PyObject *text = args[0], *matches = args[1];
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = NULL;
    if (kind == PyUnicode_1BYTE_KIND) {
        TY_SCAN(Py_UCS1);
    }
    else if (kind == PyUnicode_2BYTE_KIND) {
        TY_SCAN(Py_UCS2);
    }
    else {
        TY_SCAN(Py_UCS4);
    }
    if (out == NULL) {
        out = Py_NewRef(Py_None);
    }
    return out;
error:
    Py_CLEAR(out);
    return NULL;
}

/* A buffer that grows: room for `need` items of `size` bytes. 0, or -1 with an exception set. */
static int
sk_room(void **buffer, Py_ssize_t *cap, Py_ssize_t need, size_t size)
{
    if (need <= *cap) {
        return 0;
    }
    Py_ssize_t grown = *cap * 2 > need ? *cap * 2 : need + 64;
    void *bigger = PyMem_Realloc(*buffer, size * (size_t)grown);
    if (bigger == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *buffer = bigger;
    *cap = grown;
    return 0;
}

/* Whether `c` parts the words of a name, as skeleton.py's _APART and split do. */
static inline int
sk_apart(Py_UCS4 c)
{
    return c == ' ' || c == '-' || c == '\'' || c == 0x2019;
}

/* The next word of w[0:n] from `*at` by sk_apart: its start (*at past it), or -1. */
static inline Py_ssize_t
sk_next_word(const Py_UCS4 *w, Py_ssize_t n, Py_ssize_t *at, Py_ssize_t *len)
{
    Py_ssize_t i = *at;
    while (i < n && sk_apart(w[i])) {
        i++;
    }
    if (i >= n) {
        *at = n;
        return -1;
    }
    Py_ssize_t start = i;
    while (i < n && !sk_apart(w[i])) {
        i++;
    }
    *len = i - start;
    *at = i;
    return start;
}

/* The build of skeleton.py's `Skeletons`, for its index, its spellings and its table (see
 * skeleton_index below): what one call keeps between aliases. */
typedef struct {
    PyObject *articles; /* the words left out after a name's first word */
    Py_ssize_t article_len; /* the longest of them */
    Py_UCS4 *w, *scratch;
    Py_ssize_t w_cap, scratch_cap;
    unsigned char *codes;
    Py_ssize_t codes_cap;
} SkBuild;

/* fold(alias.strip()) into b->w: its length, or -1 with an exception set. */
static Py_ssize_t
sk_fold_alias(SkBuild *b, PyObject *alias)
{
    int kind = PyUnicode_KIND(alias);
    const void *data = PyUnicode_DATA(alias);
    Py_ssize_t start = 0, end = PyUnicode_GET_LENGTH(alias);
    while (start < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start))) {
        start++;
    }
    while (end > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1))) {
        end--;
    }
    if ((end - start) > PY_SSIZE_T_MAX / 8 / max_expansion) {
        PyErr_NoMemory();
        return -1;
    }
    if (sk_room((void **)&b->w, &b->w_cap, (end - start) * max_expansion + 1, sizeof(Py_UCS4)) <
        0) {
        return -1;
    }
    Py_UCS4 maxchar = 0;
    return fold_into(kind, data, start, end, b->w, &maxchar);
}

/* The listed spelling `alias` (an entry's): its fold to `listed` and its words to `words` (a
 * frozenset not yet shared). 0, or -1 with an exception set. */
static int
sk_add_spelling(SkBuild *b, PyObject *alias, PyObject *listed, PyObject *words)
{
    Py_ssize_t n = sk_fold_alias(b, alias);
    if (n < 0) {
        return -1;
    }
    PyObject *key = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, b->w, n);
    if (key == NULL) {
        return -1;
    }
    int err = PySet_Add(listed, key) < 0;
    Py_ssize_t at = 0, len, start;
    start = sk_next_word(b->w, n, &at, &len);
    if (!err && start >= 0) {
        Py_ssize_t again = at, next_len;
        if (sk_next_word(b->w, n, &again, &next_len) >= 0) {
            /* The first word of a name of several words may start a misspelt one (Dayr
             * al-Zur's, Дейр Зору): the words after it tell. The others are skipped. */
            start = sk_next_word(b->w, n, &at, &len);
        }
    }
    for (; !err && start >= 0; start = sk_next_word(b->w, n, &at, &len)) {
        if (len == n) {
            err = PySet_Add(words, key) < 0; /* a word of its own */
            break;
        }
        PyObject *word = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, b->w + start, len);
        err = word == NULL || PySet_Add(words, word) < 0;
        Py_XDECREF(word);
    }
    Py_DECREF(key);
    return err ? -1 : 0;
}

/* Whether w[0:n] is one of the articles: 1, 0, or -1 with an exception set. */
static int
sk_is_article(SkBuild *b, const Py_UCS4 *w, Py_ssize_t n)
{
    if (n > b->article_len) {
        return 0;
    }
    PyObject *word = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, w, n);
    if (word == NULL) {
        return -1;
    }
    int found = PySet_Contains(b->articles, word);
    Py_DECREF(word);
    return found;
}

/* A str of the skeleton codes[0:n], as `skeleton` writes it. */
static PyObject *
sk_letters(const unsigned char *codes, Py_ssize_t n)
{
    Py_UCS4 letters[64];
    Py_UCS4 *out = n <= 64 ? letters : PyMem_Malloc(sizeof(Py_UCS4) * (size_t)n);
    if (out == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        out[i] = SK_LETTERS[codes[i]];
    }
    PyObject *result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, n);
    if (out != letters) {
        PyMem_Free(out);
    }
    return result;
}

/* One of the operator's aliases, `alias` of entity `entity`: its value to `index` under its
 * skeleton, that skeleton and its first word's (a name of several words) to `starts` (a
 * frozenset not yet shared), and its keys to `keys`, as skeleton.py's `build_py` does. 0, or
 * -1 with an exception set. */
static int
sk_add_name(SkBuild *b, Py_ssize_t entity, PyObject *alias, Py_ssize_t least, PyObject *index,
            PyObject *starts, SkKeys *keys, Py_ssize_t *longest)
{
    Py_ssize_t n = sk_fold_alias(b, alias);
    if (n <= 0) {
        return (int)n;
    }
    const Py_UCS4 *w = b->w;
    int doubled = 0;
    for (Py_ssize_t j = 1, end = sk_doubled_end(w, n); j < end && !doubled; j++) {
        doubled = w[j] == w[j - 1] && Py_UNICODE_ISALPHA(w[j]) && sk_class(w[j]) != SK_VOWEL;
    }
    /* `_name_words`: the words, the articles after the first left out and the Arabic article
     * taken off the others; at most three. */
    Py_ssize_t word_at[4], word_len[4], count = 0, at = 0, len, start;
    for (int j = 0; (start = sk_next_word(w, n, &at, &len)) >= 0; j++) {
        if (j > 0) {
            int article = sk_is_article(b, w + start, len);
            if (article < 0) {
                return -1;
            }
            if (article) {
                continue;
            }
            Py_ssize_t cut = sk_article(w + start, len);
            start += cut;
            len -= cut;
        }
        if (count == 3) {
            return 0;
        }
        word_at[count] = start;
        word_len[count++] = len;
    }
    if (count == 0) {
        return 0;
    }
    if (sk_room((void **)&b->scratch, &b->scratch_cap, n + 1, sizeof(Py_UCS4)) < 0 ||
        sk_room((void **)&b->codes, &b->codes_cap, 2 * n + 1, 1) < 0) {
        return -1;
    }
    Py_ssize_t total = 0, first = 0, letters = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        memcpy(b->scratch, w + word_at[k], sizeof(Py_UCS4) * (size_t)word_len[k]);
        Py_ssize_t m = sk_skeleton(b->scratch, word_len[k], b->codes + total);
        if (m < 2) {
            return 0;
        }
        first = k == 0 ? m : first;
        total += m;
        letters += word_len[k];
    }
    if (total < least) {
        return 0;
    }
    /* `_ends_in_vowel` of the last word */
    const Py_UCS4 *last = w + word_at[count - 1];
    Py_ssize_t end = word_len[count - 1];
    if (end > 2 && (last[end - 1] == 'h' || last[end - 1] == 0x647) &&
        sk_class(last[end - 2]) == SK_VOWEL) {
        end--;
    }
    int vowel = end > 0 && sk_class(last[end - 1]) == SK_VOWEL;
    if (count > 1) {
        PyObject *skel = sk_letters(b->codes, first);
        int err = skel == NULL || PySet_Add(starts, skel) < 0;
        Py_XDECREF(skel);
        if (err || sk_keys_add(keys, SK_LATIN, b->codes, first, -1, 0) < 0) {
            return -1;
        }
    }
    if (sk_keys_add(keys, SK_LATIN, b->codes, total, -1, 0) < 0 ||
        sk_keys_add(keys, SK_NAME, b->codes, total, -1, 0) < 0 ||
        sk_keys_add(keys, SK_WHOLE, b->codes, total, vowel, 0) < 0 ||
        (doubled && sk_keys_add(keys, SK_WHOLE, b->codes, total, vowel, 1) < 0)) {
        return -1;
    }
    *longest = total > *longest ? total : *longest;
    PyObject *skel = sk_letters(b->codes, total);
    if (skel == NULL) {
        return -1;
    }
    PyObject *value = PyTuple_New(5);
    if (value != NULL) {
        PyObject *number = PyLong_FromSsize_t(entity), *count = PyLong_FromSsize_t(letters);
        PyTuple_SET_ITEM(value, 0, number);
        PyTuple_SET_ITEM(value, 1, Py_NewRef(alias));
        PyTuple_SET_ITEM(value, 2, count);
        PyTuple_SET_ITEM(value, 3, Py_NewRef(vowel ? Py_True : Py_False));
        PyTuple_SET_ITEM(value, 4, Py_NewRef(doubled ? Py_True : Py_False));
        if (number == NULL || count == NULL) {
            Py_CLEAR(value);
        }
        b_untracked(value); /* atoms only, as the table's tuples (see `b_untracked`) */
    }
    PyObject *names = value == NULL ? NULL : PyDict_GetItemWithError(index, skel);
    int err = value == NULL || (names == NULL && PyErr_Occurred());
    if (!err && names == NULL) {
        names = PyList_New(0);
        err = names == NULL || PyDict_SetItem(index, skel, names) < 0 ||
              PySet_Add(starts, skel) < 0;
        Py_XDECREF(names); /* the index holds it */
    }
    if (!err) {
        int known = PySequence_Contains(names, value);
        err = known < 0 || (!known && PyList_Append(names, value) < 0);
    }
    Py_DECREF(skel);
    Py_XDECREF(value);
    return err ? -1 : 0;
}

/* skeleton_index(entries, aliases, articles, common, least)
 *     -> (index, listed, skip, starts, longest, table)
 * skeleton.py's `Skeletons.build_py` in one call: `entries` are the matcher's (entity, alias,
 * role), `aliases` each entity's own aliases (a sequence of str), `articles` the words left out
 * of a name after its first, `common` the common words (folded), `least` the fewest classes of
 * a name's skeleton. `skip` is `common` and every word of a listed spelling. */
static PyObject *
skeleton_index(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyAnySet_Check(args[2]) || !PyAnySet_Check(args[3]) ||
        !PyLong_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError,
                        "skeleton_index(entries, aliases, articles, common, least)");
        return NULL;
    }
    if (bmp_table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "skeleton_index() before configure()");
        return NULL;
    }
    if (!sk_classes_ready) {
        sk_init_classes();
    }
    Py_ssize_t least = PyLong_AsSsize_t(args[4]);
    if (least == -1 && PyErr_Occurred()) {
        return NULL;
    }
    SkBuild b = {args[2], 0, NULL, NULL, 0, 0, NULL, 0};
    SkKeys keys;
    sk_keys_init(&keys);
    PyObject *entries = NULL, *aliases = NULL, *index = NULL, *listed = NULL, *skip = NULL;
    PyObject *starts = NULL, *table = NULL, *result = NULL, *iter = NULL, *item;
    Py_ssize_t longest = 0;
    /* The longest article: a longer word is none. */
    iter = PyObject_GetIter(args[2]);
    while (iter != NULL && (item = PyIter_Next(iter)) != NULL) {
        if (PyUnicode_Check(item) && PyUnicode_GET_LENGTH(item) > b.article_len) {
            b.article_len = PyUnicode_GET_LENGTH(item);
        }
        Py_DECREF(item);
    }
    if (iter == NULL || PyErr_Occurred()) {
        goto done;
    }
    entries = PySequence_Fast(args[0], "skeleton_index(): entries must be a sequence");
    aliases = PySequence_Fast(args[1], "skeleton_index(): aliases must be a sequence");
    index = PyDict_New();
    listed = PySet_New(NULL);
    skip = PyFrozenSet_New(args[3]);
    starts = PyFrozenSet_New(NULL);
    if (entries == NULL || aliases == NULL || index == NULL || listed == NULL || skip == NULL ||
        starts == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(entries); i++) {
        PyObject *entry = PySequence_Fast_GET_ITEM(entries, i);
        if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 3 ||
            !PyUnicode_Check(PyTuple_GET_ITEM(entry, 1))) {
            PyErr_SetString(PyExc_TypeError, "skeleton_index(): an entry is (entity, alias, role)");
            goto done;
        }
        if (sk_add_spelling(&b, PyTuple_GET_ITEM(entry, 1), listed, skip) < 0) {
            goto done;
        }
    }
    for (Py_ssize_t e = 0; e < PySequence_Fast_GET_SIZE(aliases); e++) {
        PyObject *own = PySequence_Fast(PySequence_Fast_GET_ITEM(aliases, e),
                                        "skeleton_index(): aliases are sequences of str");
        if (own == NULL) {
            goto done;
        }
        for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(own); k++) {
            PyObject *alias = PySequence_Fast_GET_ITEM(own, k);
            if (!PyUnicode_Check(alias)) {
                PyErr_SetString(PyExc_TypeError, "skeleton_index(): an alias is a str");
            }
            if (!PyUnicode_Check(alias) ||
                sk_add_name(&b, e, alias, least, index, starts, &keys, &longest) < 0) {
                Py_DECREF(own);
                goto done;
            }
        }
        Py_DECREF(own);
    }
    table = sk_keys_table(&keys);
    if (table != NULL) {
        result = Py_BuildValue("(OOOOnO)", index, listed, skip, starts, longest, table);
    }
done:
    Py_XDECREF(iter);
    Py_XDECREF(entries);
    Py_XDECREF(aliases);
    Py_XDECREF(index);
    Py_XDECREF(listed);
    Py_XDECREF(skip);
    Py_XDECREF(starts);
    Py_XDECREF(table);
    PyMem_Free(b.w);
    PyMem_Free(b.scratch);
    PyMem_Free(b.codes);
    PyMem_Free(keys.h);
    return result;
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
    {"find_phrases", (PyCFunction)(void (*)(void))find_phrases, METH_FASTCALL,
     "find_phrases(automaton, text, table, clitics, hit_type): see claims_text.py."},
    {"lower_fold", (PyCFunction)(void (*)(void))lower_fold, METH_FASTCALL,
     "lower_fold(text, table[, raw]): see claims_text.py."},
    {"has_digit", (PyCFunction)(void (*)(void))has_digit, METH_FASTCALL,
     "has_digit(text, start, end) -> bool: see counts.py."},
    {"has_any", (PyCFunction)(void (*)(void))has_any, METH_FASTCALL,
     "has_any(text, table, start, end) -> bool: see claims_text.py."},
    {"astral", astral, METH_O, "astral(text) -> bool: a code point above the BMP in text."},
    /* The build (compile_setup, compile_table): see the build section above. */
    {"compile_setup", (PyCFunction)(void (*)(void))compile_setup, METH_FASTCALL,
     "compile_setup(pattern, declensions, endings, endings_not_bare, proper_endings, "
     "proper_not_bare, bare, common): the tables the build shares with matching.py."},
    {"compile_table", (PyCFunction)(void (*)(void))compile_table, METH_FASTCALL,
     "compile_table(entries, bits) -> (keys, values): see matching.compile_table_py."},
    {"skeleton", (PyCFunction)skeleton, METH_O,
     "skeleton(word) -> str: the consonant classes of a folded word; see skeleton.py."},
    {"skeleton_table", (PyCFunction)skeleton_table, METH_O,
     "skeleton_table(keys) -> bytes: see skeleton.py."},
    {"skeleton_candidates", (PyCFunction)(void (*)(void))skeleton_candidates, METH_FASTCALL,
     "skeleton_candidates(text, table, skip, matches): see skeleton.py."},
    {"skeleton_index", (PyCFunction)(void (*)(void))skeleton_index, METH_FASTCALL,
     "skeleton_index(entries, aliases, articles, common, least): see skeleton.py."},
    {"typo_words", (PyCFunction)(void (*)(void))typo_words, METH_FASTCALL,
     "typo_words(text, matches) -> list of (start, end), or None: see typos.py."},
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
