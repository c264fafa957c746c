namespace Engine;

/// <summary>
/// The engine's random generator: xoshiro256** (Blackman &amp; Vigna 2018) seeded through SplitMix64.
/// Explicit and seeded, with its state readable and restorable (<see cref="GetState"/>/<see cref="SetState"/>),
/// so initial weights and shuffles are reproducible bit for bit; there is no global generator.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    /// <summary>A generator whose whole sequence is fixed by <paramref name="seed"/>.</summary>
    public Rng(ulong seed) => Reseed(seed);

    /// <summary>
    /// Restarts the generator as <c>new Rng(seed)</c> would start, without allocating one: the four state words
    /// are four SplitMix64 outputs from <paramref name="seed"/> (Vigna's recommended seeding, which also keeps
    /// close seeds apart); the cached normal is dropped.
    /// </summary>
    internal void Reseed(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
        _spareNormal = 0;
        _hasSpare = false;
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong range = (ulong)maxExclusive;
        while (true)
        {
            UInt128 product = (UInt128)NextUInt64() * range;
            ulong low = (ulong)product;
            if (low >= range || low >= (0UL - range) % range)
                return (int)(product >> 64);
        }
    }

    /// <summary>Standard normal sample (Marsaglia's polar method; the second value is kept for the next call).</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * f;
        _hasSpare = true;
        return u * f;
    }

    /// <summary>Normal sample with the given mean and standard deviation.</summary>
    public double NextNormal(double mean, double std) => mean + std * NextNormal();

    /// <summary>Fisher–Yates shuffle of <paramref name="items"/> in place.</summary>
    public void Shuffle<TItem>(Span<TItem> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// The full state (the four xoshiro words and the cached normal sample), to continue the sequence later with
    /// <see cref="SetState"/>. Checkpoints do not store it: shuffles are re-seeded from (seed, epoch) instead.
    /// </summary>
    public RngState GetState() => new(_s0, _s1, _s2, _s3, _spareNormal, _hasSpare);

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState(RngState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw new ArgumentException("An all-zero xoshiro256** state is invalid.", nameof(state));
        (_s0, _s1, _s2, _s3, _spareNormal, _hasSpare) = (state.S0, state.S1, state.S2, state.S3, state.SpareNormal, state.HasSpare);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The complete state of an <see cref="Rng"/>.</summary>
public readonly record struct RngState(ulong S0, ulong S1, ulong S2, ulong S3, double SpareNormal, bool HasSpare);
