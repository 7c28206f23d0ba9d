/* QuickScorer: a tree ensemble scored feature by feature instead of tree by tree.
 *
 * Lucchese, Nardini, Orlando, Perego, Tonellotto and Venturini, "QuickScorer: a fast
 * algorithm to rank documents with additive ensembles of regression trees" (SIGIR 2015),
 * with the vectorised form of their later papers (V-QuickScorer): eight rows at once in AVX2.
 *
 * Each tree has at most 32 leaves, numbered left to right; a row's state for a tree is a bit
 * per leaf still reachable. A split node whose test the row fails (value > threshold: the row
 * goes right) makes its left subtree's leaves unreachable, so its mask clears their bits.
 * The nodes of each feature are sorted by threshold: for a row's value, the failed nodes are
 * a prefix of that list, and the scan stops at the first node the value does not exceed.
 * When every feature is done, each tree's exit leaf is its lowest set bit (the leftmost leaf
 * still reachable), which is the leaf the usual walk from the root reaches.
 *
 * The totals add the trees' leaf values in tree order, in a double, as LightGBM's predictor
 * does, so the scores equal its scores bit for bit; the caller maps NaN and values within
 * +-kZeroThreshold to 0 first and rounds each double threshold down to a float (which splits
 * every float as the double does).
 */
#ifndef CLEANER_QUICKSCORER_H
#define CLEANER_QUICKSCORER_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int32_t n_features;      /* features the nodes read (the row may have more columns) */
    int32_t n_trees;
    const int32_t *offsets;  /* n_features + 1: feature f's nodes are [offsets[f], offsets[f+1]) */
    const float *thresholds; /* per node, ascending within a feature */
    const int32_t *trees;    /* per node: its tree */
    const uint32_t *masks;   /* per node: every bit but its left subtree's leaves */
    const uint32_t *start;   /* per tree: a bit for each of its leaves */
    const double *leaves;    /* per tree, 32 slots: its leaf values, left to right */
} qs_forest;

#define QS_LANES 8

static void qs_scalar(const qs_forest *f, const float *rows, Py_ssize_t n_rows,
                      Py_ssize_t n_cols, uint32_t *state, double *totals)
{
    Py_ssize_t r;
    int32_t t, feature, k, end;
    for (r = 0; r < n_rows; r++) {
        const float *x = rows + r * n_cols;
        double total = 0.0;
        memcpy(state, f->start, (size_t)f->n_trees * sizeof(uint32_t));
        for (feature = 0; feature < f->n_features; feature++) {
            float value = x[feature];
            end = f->offsets[feature + 1];
            for (k = f->offsets[feature]; k < end && value > f->thresholds[k]; k++)
                state[f->trees[k]] &= f->masks[k];
        }
        for (t = 0; t < f->n_trees; t++)
            total += f->leaves[(Py_ssize_t)t * 32 + __builtin_ctz(state[t])];
        totals[r] = total;
    }
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define QS_HAVE_AVX2_PATH 1

/* Eight rows side by side: one compare of a threshold against eight values, and the masks
 * applied to the lanes that fail it. A tail of fewer than eight rows repeats its last row in
 * the spare lanes, whose results are not written. */
__attribute__((target("avx2")))
static void qs_avx2(const qs_forest *f, const float *rows, Py_ssize_t n_rows,
                    Py_ssize_t n_cols, __m256i *state, double *totals)
{
    const __m256i ones = _mm256_set1_epi32(-1);
    float column[QS_LANES];
    uint32_t lanes[QS_LANES];
    double total[QS_LANES];
    Py_ssize_t r, row;
    int32_t t, feature, k, end, lane, used;
    for (r = 0; r < n_rows; r += QS_LANES) {
        used = n_rows - r < QS_LANES ? (int32_t)(n_rows - r) : QS_LANES;
        for (t = 0; t < f->n_trees; t++)
            state[t] = _mm256_set1_epi32((int32_t)f->start[t]);
        for (feature = 0; feature < f->n_features; feature++) {
            for (lane = 0; lane < QS_LANES; lane++) {
                row = r + (lane < used ? lane : used - 1);
                column[lane] = rows[row * n_cols + feature];
            }
            __m256 values = _mm256_loadu_ps(column);
            end = f->offsets[feature + 1];
            for (k = f->offsets[feature]; k < end; k++) {
                __m256 fails = _mm256_cmp_ps(values, _mm256_set1_ps(f->thresholds[k]),
                                             _CMP_GT_OQ);
                if (_mm256_testz_ps(fails, fails))
                    break;
                __m256i keep = _mm256_xor_si256(_mm256_castps_si256(fails), ones);
                __m256i mask = _mm256_or_si256(_mm256_set1_epi32((int32_t)f->masks[k]), keep);
                state[f->trees[k]] = _mm256_and_si256(state[f->trees[k]], mask);
            }
        }
        for (lane = 0; lane < QS_LANES; lane++)
            total[lane] = 0.0;
        for (t = 0; t < f->n_trees; t++) {
            const double *values = f->leaves + (Py_ssize_t)t * 32;
            _mm256_storeu_si256((__m256i *)lanes, state[t]);
            for (lane = 0; lane < QS_LANES; lane++)
                total[lane] += values[__builtin_ctz(lanes[lane])];
        }
        for (lane = 0; lane < used; lane++)
            totals[r + lane] = total[lane];
    }
}

static int qs_avx2_checked = 0, qs_avx2_present = 0;

static int qs_use_avx2(void)
{
    if (!qs_avx2_checked) {
        __builtin_cpu_init();
        qs_avx2_present = __builtin_cpu_supports("avx2") ? 1 : 0;
        qs_avx2_checked = 1;
    }
    return qs_avx2_present;
}
#endif

/* 0: the vectorised path where the CPU has it, 1: the scalar path always (for tests). */
static int qs_force_scalar = 0;

/* The raw totals (before the sigmoid) of each row; -1 when memory runs out. */
static int qs_totals(const qs_forest *f, const float *rows, Py_ssize_t n_rows,
                     Py_ssize_t n_cols, double *totals)
{
    void *state;
    if (n_rows <= 0)
        return 0;
#ifdef QS_HAVE_AVX2_PATH
    if (!qs_force_scalar && qs_use_avx2()) {
        state = aligned_alloc(32, ((size_t)f->n_trees * 32 + 31) / 32 * 32 + 32);
        if (state == NULL)
            return -1;
        qs_avx2(f, rows, n_rows, n_cols, (__m256i *)state, totals);
        free(state);
        return 0;
    }
#endif
    state = malloc((size_t)f->n_trees * sizeof(uint32_t) + 1);
    if (state == NULL)
        return -1;
    qs_scalar(f, rows, n_rows, n_cols, (uint32_t *)state, totals);
    free(state);
    return 0;
}

#endif
