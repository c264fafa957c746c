using Engine.Data;
using Engine.Layers;
using Engine.Losses;

namespace Engine.Training;

/// <summary>Runs a model over a whole dataset in chunks and computes its metrics.</summary>
public static class Evaluator
{
    /// <summary>Rows per forward pass when predicting; bounds the memory of the activations.</summary>
    public const int ChunkRows = 1024;

    /// <summary>The model's outputs for every row of <paramref name="features"/> (logits for classification).</summary>
    public static Matrix<float> Predict(Sequential<float> model, Matrix<float> features)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        int n = features.Rows;
        Matrix<float>? chunk = null;
        Matrix<float>? result = null;
        for (int start = 0; start < n; start += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, n - start);
            var x = Matrix<float>.Reuse(ref chunk, rows, features.Cols);
            features.AsSpan().Slice(start * features.Cols, rows * features.Cols).CopyTo(x.AsSpan());
            var y = model.Forward(x);
            result ??= new Matrix<float>(n, y.Cols);
            y.AsSpan().CopyTo(result.AsSpan()[(start * y.Cols)..]);
        }
        return result ?? new Matrix<float>(0, model.OutputFeatures(features.Cols));
    }

    /// <summary>Loss and metrics of <paramref name="model"/> on <paramref name="data"/>.</summary>
    public static Evaluation Evaluate(Sequential<float> model, Loss<float> loss, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(data);
        var output = Predict(model, data.Features);
        double value = loss.Forward(output, data.Targets);
        return data.Task == TaskKind.Classification
            ? new Evaluation(value, Accuracy: Metrics.Accuracy(output, data.Targets))
            : new Evaluation(value, Rmse: Metrics.Rmse(output, data.Targets), Mae: Metrics.Mae(output, data.Targets), R2: Metrics.R2(output, data.Targets));
    }
}
