using System.Numerics;

namespace OzonActors.Bench;

/// <summary>
/// A log-linear histogram of durations in nanoseconds: exact below 128 ns, then 64 buckets per power of two
/// (at most 1.6% apart). Recording is one array increment, so measuring a call allocates nothing.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 6;
    private const int SubBuckets = 1 << SubBits;
    private const int Linear = SubBuckets * 2;

    private readonly long[] _counts = new long[Linear + ((62 - SubBits) * SubBuckets)];

    public long Count
    {
        get
        {
            long total = 0;
            foreach (var count in _counts)
            {
                total += count;
            }

            return total;
        }
    }

    /// <summary>Records from one thread (each caller owns its histogram).</summary>
    public void Record(long nanoseconds) => _counts[Index(nanoseconds)]++;

    /// <summary>Records from any thread.</summary>
    public void RecordConcurrent(long nanoseconds) => Interlocked.Increment(ref _counts[Index(nanoseconds)]);

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
    }

    /// <summary>The value at quantile <paramref name="quantile"/> (0.5 = median), as its bucket's midpoint, in ns.</summary>
    public long Percentile(double quantile)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return (Lower(i) + Upper(i)) / 2;
            }
        }

        return Upper(_counts.Length - 1);
    }

    /// <summary>The upper bound of the highest non-empty bucket, in ns.</summary>
    public long Max()
    {
        for (var i = _counts.Length - 1; i >= 0; i--)
        {
            if (_counts[i] > 0)
            {
                return Upper(i);
            }
        }

        return 0;
    }

    private static int Index(long value)
    {
        if (value < Linear)
        {
            return (int)Math.Max(value, 0);
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - SubBits;
        return Linear + ((shift - 1) * SubBuckets) + (int)((value >> shift) - SubBuckets);
    }

    private static long Lower(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var shift = ((index - Linear) / SubBuckets) + 1;
        return (long)(SubBuckets + ((index - Linear) % SubBuckets)) << shift;
    }

    private static long Upper(int index) =>
        index < Linear ? index + 1 : Lower(index) + (1L << (((index - Linear) / SubBuckets) + 1));
}
