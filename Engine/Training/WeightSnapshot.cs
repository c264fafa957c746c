using Engine.Layers;

namespace Engine.Training;

/// <summary>A copy of every parameter of a model, to restore the best or last good weights.</summary>
internal sealed class WeightSnapshot
{
    private readonly float[][] _values;

    private WeightSnapshot(float[][] values) => _values = values;

    public static WeightSnapshot Of(Sequential<float> model)
    {
        var snapshot = new WeightSnapshot([.. model.Parameters.Select(p => new float[p.Length])]);
        snapshot.CaptureFrom(model);
        return snapshot;
    }

    /// <summary>A snapshot holding copies of <paramref name="values"/> (e.g. from a checkpoint).</summary>
    public static WeightSnapshot FromArrays(float[][] values) => new([.. values.Select(v => (float[])v.Clone())]);

    /// <summary>Copies of the values, one array per parameter.</summary>
    public float[][] ToArrays() => [.. _values.Select(v => (float[])v.Clone())];

    public void CaptureFrom(Sequential<float> model)
    {
        for (int i = 0; i < _values.Length; i++)
            model.Parameters[i].Value.AsSpan().CopyTo(_values[i]);
    }

    public void RestoreTo(Sequential<float> model)
    {
        for (int i = 0; i < _values.Length; i++)
            _values[i].CopyTo(model.Parameters[i].Value.AsSpan());
    }
}
