using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Kernels;
using Engine.Layers;

namespace Engine.Optimizers;

/// <summary>
/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, following
/// PyTorch's torch.optim.SGD (dampening 0):
/// g = ∇ + λ·w (λ only for parameters with WeightDecay); v = μ·v + g (v = g on the first step);
/// update = g + μ·v with Nesterov, else v; w = w − lr·update.
/// </summary>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _velocity;
    private readonly T[][] _scratch;

    /// <summary>Creates the optimizer.</summary>
    public Sgd(IEnumerable<Parameter<T>> parameters, double learningRate = 0.01, double momentum = 0,
        bool nesterov = false, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        Momentum = CheckFraction(momentum, nameof(momentum));
        WeightDecay = CheckNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
            throw new ArgumentException("Nesterov momentum needs momentum > 0.", nameof(nesterov));
        Nesterov = nesterov;
        _velocity = [.. Parameters.Select(p => momentum > 0 ? new T[p.Length] : [])];
        _scratch = [.. Parameters.Select(p => (weightDecay > 0 && momentum == 0) || nesterov ? new T[p.Length] : [])];
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<T[]> StateBuffers => _velocity;

    /// <inheritdoc/>
    public override void Step()
    {
        T lr = T.CreateChecked(LearningRate), mu = T.CreateChecked(Momentum), wd = T.CreateChecked(WeightDecay);
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            Span<T> w = p.Value.AsSpan();
            ReadOnlySpan<T> g = p.Grad.AsSpan();
            bool decays = WeightDecay > 0 && p.WeightDecay;
            if (Momentum > 0 && !Nesterov)
            {
                // The common case in one pass over w, v and ∇ instead of three; a large parameter in two halves on two
                // threads (each element sees the same operations either way).
                if (w.Length >= ParallelMinLength && KernelOptions.MaxThreads > 1)
                    MomentumStepParallel(w, _velocity[i], g, decays ? wd : T.Zero, mu, -lr, first: StepCount == 0);
                else
                    MomentumStep(w, _velocity[i], g, decays ? wd : T.Zero, mu, -lr, first: StepCount == 0);
                continue;
            }
            if (decays)
            {
                // g = ∇ + λ·w
                Span<T> s = _scratch[i];
                TensorPrimitives.MultiplyAdd(w, wd, g, s);
                g = s;
            }
            if (Momentum > 0)
            {
                Span<T> v = _velocity[i];
                if (StepCount == 0)
                    g.CopyTo(v);
                else
                    TensorPrimitives.MultiplyAdd(v, mu, g, v); // v = μ·v + g
                Span<T> s = _scratch[i];
                TensorPrimitives.MultiplyAdd(v, mu, g, s); // Nesterov: g + μ·v
                g = s;
            }
            TensorPrimitives.MultiplyAdd(g, -lr, w, w); // w = w − lr·g
        }
        StepCount++;
    }

    /// <summary>Parameters of at least this many elements are updated on two threads.</summary>
    internal static int ParallelMinLength { get; set; } = 1 << 16;

    private unsafe struct MomentumJob
    {
        public T* W, V, G;
        public int Length;
        public T Wd, Mu, MinusLr;
        public bool First;
    }

    private static unsafe void MomentumStepParallel(Span<T> w, Span<T> v, ReadOnlySpan<T> grad, T wd, T mu, T minusLr, bool first)
    {
        fixed (T* pw = w, pv = v, pg = grad)
        {
            var job = new MomentumJob { W = pw, V = pv, G = pg, Length = w.Length, Wd = wd, Mu = mu, MinusLr = minusLr, First = first };
            GemmWorkers.Run(&MomentumPart, &job, 2, KernelOptions.MaxThreads);
        }
    }

    // Half `part` of the job, split at a multiple of 64 elements.
    private static unsafe void MomentumPart(void* state, int part)
    {
        ref readonly MomentumJob job = ref *(MomentumJob*)state;
        int half = job.Length / 2 / 64 * 64;
        int start = part == 0 ? 0 : half, length = part == 0 ? half : job.Length - half;
        MomentumStep(new Span<T>(job.W + start, length), new Span<T>(job.V + start, length), new ReadOnlySpan<T>(job.G + start, length),
            job.Wd, job.Mu, job.MinusLr, job.First);
    }

    /// <summary>
    /// Per element: g = ∇ + λ·w (when λ ≠ 0); v = g on the first step, else μ·v + g; w = w − lr·v. Multiplies
    /// and adds are separate (no FMA), in the same order as the TensorPrimitives passes they replace, so the
    /// result is bit-identical to them.
    /// </summary>
    private static void MomentumStep(Span<T> w, Span<T> v, ReadOnlySpan<T> grad, T wd, T mu, T minusLr, bool first)
    {
        int n = w.Length, i = 0;
        bool decay = wd != T.Zero;
        ref T pw = ref MemoryMarshal.GetReference(w);
        ref T pv = ref MemoryMarshal.GetReference(v);
        ref T pg = ref MemoryMarshal.GetReference(grad);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var wi = Vector512.LoadUnsafe(ref pw, (nuint)i);
                var gi = Vector512.LoadUnsafe(ref pg, (nuint)i);
                if (decay)
                    gi = wi * wd + gi;
                var vi = first ? gi : Vector512.LoadUnsafe(ref pv, (nuint)i) * mu + gi;
                vi.StoreUnsafe(ref pv, (nuint)i);
                (vi * minusLr + wi).StoreUnsafe(ref pw, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var wi = Vector256.LoadUnsafe(ref pw, (nuint)i);
                var gi = Vector256.LoadUnsafe(ref pg, (nuint)i);
                if (decay)
                    gi = wi * wd + gi;
                var vi = first ? gi : Vector256.LoadUnsafe(ref pv, (nuint)i) * mu + gi;
                vi.StoreUnsafe(ref pv, (nuint)i);
                (vi * minusLr + wi).StoreUnsafe(ref pw, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T wi = Unsafe.Add(ref pw, i), gi = Unsafe.Add(ref pg, i);
            if (decay)
                gi = wi * wd + gi;
            T vi = first ? gi : Unsafe.Add(ref pv, i) * mu + gi;
            Unsafe.Add(ref pv, i) = vi;
            Unsafe.Add(ref pw, i) = vi * minusLr + wi;
        }
    }
}
