using System.IO.Compression;
using CsvHelper;
using CsvHelper.Configuration;

namespace Engine.Tests.Data;

/// <summary>
/// The loader (split on commas, fused integer parsing, decoding and converting on other threads) gives bit for bit
/// what a plain reading gives: CsvHelper's string fields, each through float.Parse.
/// </summary>
public sealed class CsvReferenceTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Every column but <paramref name="target"/> as floats, and the target column's text.</summary>
    private static (float[] Features, string[] Targets) Reference(string path, string target)
    {
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.Ordinal))
            stream = new GZipStream(stream, CompressionMode.Decompress);
        using var parser = new CsvParser(new StreamReader(stream, Encoding.UTF8), new CsvConfiguration(CultureInfo.InvariantCulture));
        Assert.True(parser.Read());
        int t = Array.IndexOf(parser.Record!, target);
        var features = new List<float>();
        var targets = new List<string>();
        while (parser.Read())
        {
            string[] record = parser.Record!;
            for (int j = 0; j < record.Length; j++)
            {
                if (j == t)
                    targets.Add(record[j]);
                else
                    features.Add(float.Parse(record[j], NumberStyles.Float, CultureInfo.InvariantCulture));
            }
        }
        return ([.. features], [.. targets]);
    }

    private static void AssertSame(string path, string target, bool? pipelined)
    {
        var (features, targets) = Reference(path, target);
        var data = CsvDataset.Load(path, new CsvLoadOptions { Target = target }, pipelined);
        Assert.Equal(features.Length, data.Features.Length);
        var actual = data.Features.AsSpan();
        for (int i = 0; i < features.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(features[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{path}: value {i} (row {i / data.Features.Cols}) is {actual[i]:R}, expected {features[i]:R}.");
        }
        Assert.Equal(targets.Length, data.Count);
        for (int i = 0; i < targets.Length; i++)
        {
            string label = data.Task == TaskKind.Classification ? data.ClassNames![(int)data.Targets[i, 0]] : targets[i];
            if (data.Task == TaskKind.Classification)
                Assert.Equal(Canonical(targets[i]), Canonical(label));
            else
                Assert.Equal(float.Parse(targets[i], CultureInfo.InvariantCulture), data.Targets[i, 0]);
        }
    }

    private static string Canonical(string label) =>
        double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? (v == 0 ? 0.0 : v).ToString("R", CultureInfo.InvariantCulture) : label;

    [Theory]
    [InlineData("iris.csv", "species", false)]
    [InlineData("iris.csv", "species", true)]
    [InlineData("wine.csv", "cultivar", false)]
    [InlineData("wine.csv", "cultivar", true)]
    [InlineData("breast_cancer.csv", "diagnosis", false)]
    [InlineData("breast_cancer.csv", "diagnosis", true)]
    [InlineData("digits.csv", "digit", false)]
    [InlineData("digits.csv", "digit", true)]
    [InlineData("diabetes.csv", "progression", false)]
    [InlineData("diabetes.csv", "progression", true)]
    public void Shipped_files_match_the_reference(string file, string target, bool pipelined) =>
        AssertSame(DataFiles.Small(file), target, pipelined);

    [RequiresDatasetFact("fashion-mnist-test.csv.gz")]
    public void Fashion_mnist_test_matches_the_reference() =>
        AssertSame(DataFiles.Shared("fashion-mnist-test.csv.gz")!, "label", pipelined: null);

    [Fact]
    public void Random_numbers_in_every_spelling_match_the_reference()
    {
        var rng = new Rng(11);
        var text = new StringBuilder("a,b,c,d,y\n");
        for (int i = 0; i < 3000; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double v = rng.NextNormal() * Math.Pow(10, rng.NextInt(12) - 6);
                string s = rng.NextInt(6) switch
                {
                    0 => ((int)(v * 1000)).ToString(CultureInfo.InvariantCulture),
                    1 => v.ToString("R", CultureInfo.InvariantCulture),
                    2 => v.ToString("E3", CultureInfo.InvariantCulture),
                    3 => ((long)(v * 1e9)).ToString(CultureInfo.InvariantCulture),
                    4 => "\"" + v.ToString("G9", CultureInfo.InvariantCulture) + "\"",
                    _ => rng.NextInt(3) == 0 ? "-0" : rng.NextInt(10_000_000).ToString("D7", CultureInfo.InvariantCulture),
                };
                text.Append(s).Append(',');
            }
            text.Append(rng.NextInt(3) == 0 ? "\"class, one\"" : "two").Append(rng.NextInt(4) == 0 ? "\r\n" : "\n");
        }
        string path = _temp.Write(text.ToString());
        AssertSame(path, "y", pipelined: false);
        AssertSame(path, "y", pipelined: true);
        string gz = _temp.Write(CsvInputTests.Gzip(Encoding.UTF8.GetBytes(text.ToString())), ".csv.gz");
        AssertSame(gz, "y", pipelined: null);
    }
}
