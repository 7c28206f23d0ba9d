# Sums and means as numpy computes them, so that compiled rows equal the numpy rows the
# models were fitted on, bit for bit.
#
# numpy adds an array (`sum`, `mean`) pairwise: blocks of up to 128 values are summed in
# eight interleaved accumulators, longer runs are split in halves of a multiple of eight
# (numpy/_core/src/umath/loops_utils.h.src). A float32 array is summed in float32; its mean is
# that sum divided by the count in float64, then rounded to float32. `cumsum` adds in order.
# The tests compare each with numpy on generated arrays of every length up to a few hundred.

cdef enum:
    PAIRWISE_BLOCK = 128


cdef float _sum_f32(const float* a, Py_ssize_t n, Py_ssize_t stride) noexcept:
    """`a[::stride][:n].sum()` for float32, as numpy adds it."""
    cdef float r[8]
    cdef float res
    cdef Py_ssize_t i, k, n2
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[i * stride]
        return res
    if n <= PAIRWISE_BLOCK:
        for k in range(8):
            r[k] = a[k * stride]
        i = 8
        while i < n - (n % 8):
            for k in range(8):
                r[k] += a[(i + k) * stride]
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            res += a[i * stride]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return _sum_f32(a, n2, stride) + _sum_f32(a + n2 * stride, n - n2, stride)


cdef double _sum_f64(const double* a, Py_ssize_t n, Py_ssize_t stride) noexcept:
    """`a[::stride][:n].sum()` for float64, as numpy adds it."""
    cdef double r[8]
    cdef double res
    cdef Py_ssize_t i, k, n2
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[i * stride]
        return res
    if n <= PAIRWISE_BLOCK:
        for k in range(8):
            r[k] = a[k * stride]
        i = 8
        while i < n - (n % 8):
            for k in range(8):
                r[k] += a[(i + k) * stride]
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            res += a[i * stride]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return _sum_f64(a, n2, stride) + _sum_f64(a + n2 * stride, n - n2, stride)


cdef inline float _mean_f32(const float* a, Py_ssize_t n, Py_ssize_t stride) noexcept:
    """`a.mean()` of a float32 column: its float32 sum over the count, in float64."""
    return <float>((<double>_sum_f32(a, n, stride)) / <double>n)


cdef int _window_mean(const float* values, Py_ssize_t n, Py_ssize_t stride, int radius,
                      float* out, Py_ssize_t out_stride) except -1:
    """Each value's mean over the `radius` values each side of it (fewer at the ends), as
    features.window_mean computes it: float32 running sums read as float64, the page's
    float32 total past the end, the difference over the count in float64."""
    cdef float* running = <float*>malloc((n if n > 0 else 1) * sizeof(float))
    if running == NULL:
        raise MemoryError()
    cdef float acc
    cdef double total, hi, lo
    cdef Py_ssize_t i, upper, lower
    for i in range(n):
        # numpy's cumsum starts from the first value, not from 0 + it (-0.0 stays -0.0)
        acc = values[0] if i == 0 else acc + values[i * stride]
        running[i] = acc
    total = <double>_sum_f32(values, n, stride)
    for i in range(n):
        hi = <double>running[i + radius] if i + radius < n else total
        lo = <double>running[i - radius - 1] if i - radius - 1 >= 0 else 0.0
        upper = i + radius if i + radius < n - 1 else n - 1
        lower = i - radius if i - radius > 0 else 0
        out[i * out_stride] = <float>((hi - lo) / <double>(upper - lower + 1))
    free(running)
    return 0


def sum_float32(const float[::1] values):
    """numpy's float32 sum, compiled (for tests)."""
    return _sum_f32(&values[0] if values.shape[0] else NULL, values.shape[0], 1)


def sum_float64(const double[::1] values):
    """numpy's float64 sum, compiled (for tests)."""
    return _sum_f64(&values[0] if values.shape[0] else NULL, values.shape[0], 1)


def window_means(const float[::1] values, int radius):
    """`features.window_mean`, compiled (for tests)."""
    out = np.zeros(values.shape[0], dtype=np.float32)
    cdef float[::1] o = out
    if values.shape[0]:
        _window_mean(&values[0], values.shape[0], 1, radius, &o[0], 1)
    return out
