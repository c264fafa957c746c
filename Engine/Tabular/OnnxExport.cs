using Engine.Serialization;

namespace Engine.Tabular;

/// <summary>ONNX export of a <see cref="TabularModel"/> (see <see cref="OnnxExporter"/> for the graph it writes).</summary>
public static class OnnxExport
{
    /// <summary>
    /// Writes the model as an ONNX file (atomically) that ONNX Runtime runs on raw columns: one input per feature
    /// column, named as in the CSV (numeric: float [N, 1], NaN for missing; text: string [N, 1], "" for missing), with
    /// the imputation, scaling and one-hot encoding in the graph; outputs <c>label</c> and <c>probabilities</c>
    /// (classification) or <c>variable</c> (regression, in the target's units).
    /// </summary>
    public static void ExportOnnx(this TabularModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        OnnxExporter.Save(path, model.Network, model.Metadata);
    }
}
