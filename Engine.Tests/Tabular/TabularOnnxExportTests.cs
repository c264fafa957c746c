namespace Engine.Tests.Tabular;

/// <summary><see cref="OnnxExport.ExportOnnx"/> writes what <see cref="OnnxExporter"/> writes for the model's network and metadata.</summary>
public sealed class TabularOnnxExportTests() : TempDirectoryTests("engine-tab-onnx-")
{
    [Fact]
    public void TheExportIsTheExportersFileOfTheNetworkAndMetadata()
    {
        var model = TabularModel.Fit(Samples.Blobs(30, 2, center: 1), new FitOptions { Hidden = [3], Epochs = 1, Seed = 1 }).Model;
        string viaModel = Path.Combine(Dir, "model.onnx"), direct = Path.Combine(Dir, "direct.onnx");
        model.ExportOnnx(viaModel);
        OnnxExporter.Save(direct, model.Network, model.Metadata);
        Assert.Equal(File.ReadAllBytes(direct), File.ReadAllBytes(viaModel));
        Assert.Throws<ArgumentNullException>(() => ((TabularModel)null!).ExportOnnx(Path.Combine(Dir, "null.onnx")));
        Assert.False(File.Exists(Path.Combine(Dir, "null.onnx")));
    }
}
