using System.Text.Json;

namespace Engine.Tests.Cli;

/// <summary>The mlp command on a table with text columns and missing values, as a user runs it.</summary>
public sealed class TabularCliTests() : TempDirectoryTests("engine-cli-tabular-")
{
    // 80 rows: size numeric with NA, city text, plan yes/no, code all distinct (identifier-like), price target (3 missing).
    private string WriteTable(string name = "homes.csv")
    {
        var text = new StringBuilder("size,city,plan,code,price\n");
        string[] cities = ["Davis", "Sacramento", "Elk Grove", "Folsom"];
        for (int i = 0; i < 80; i++)
        {
            string size = i % 9 == 4 ? "NA" : (50 + i).ToString(CultureInfo.InvariantCulture);
            string price = i is 5 or 17 or 60 ? "" : (1000 + 10 * i + 100 * (i % 4)).ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"{size},{cities[i % 4]},{(i % 2 == 0 ? "yes" : "no")},id-{i:D4},{price}\n");
        }
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void TrainShowsTheSchemaAndSkipsRowsWithoutATarget()
    {
        string csv = WriteTable(), model = Path.Combine(Dir, "homes.mlp");
        var (code, stdout, stderr) = CliTests.Mlp(Dir, "train", csv, "--epochs", "5", "--seed", "1", "--json", "--out", model);
        Assert.True(code == 0, stderr);
        Assert.Equal("mlp: 3 rows without a value in the target 'price' were skipped", stderr.TrimEnd());
        using var json = JsonDocument.Parse(stdout);
        var target = json.RootElement.GetProperty("target");
        Assert.Equal("regression", target.GetProperty("task").GetString());
        Assert.Equal(3, target.GetProperty("dropped_rows").GetInt32());
        var kinds = json.RootElement.GetProperty("schema").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
        Assert.Equal("numeric", kinds["size"].GetProperty("kind").GetString());
        Assert.Equal(9, kinds["size"].GetProperty("missing").GetInt32()); // rows 4, 13, …, 76 less none of the skipped
        Assert.Equal("categorical", kinds["city"].GetProperty("kind").GetString());
        Assert.Equal(4, kinds["city"].GetProperty("distinct").GetInt32());
        Assert.Equal("categorical", kinds["plan"].GetProperty("kind").GetString());
        Assert.Equal("dropped", kinds["code"].GetProperty("kind").GetString());
        Assert.StartsWith("identifier-like", kinds["code"].GetProperty("reason").GetString());
        Assert.Equal(77, json.RootElement.GetProperty("train_rows").GetInt32() + json.RootElement.GetProperty("test_rows").GetInt32());

        var table = CliTests.Mlp(Dir, "train", csv, "--epochs", "2", "--out", model);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("identifier-like", table.Stdout);
        Assert.DoesNotContain("\u001b[", table.Stdout); // no escape codes into a pipe
    }

    [Fact]
    public void PredictReadsColumnsByNameAndListsTheIgnoredOnes()
    {
        string csv = WriteTable(), model = Path.Combine(Dir, "homes.mlp");
        Assert.Equal(0, CliTests.Mlp(Dir, "train", csv, "--epochs", "5", "--seed", "2", "--out", model).ExitCode);
        var expected = CliTests.Mlp(Dir, "predict", model, csv);
        Assert.Equal(0, expected.ExitCode);
        Assert.Equal("mlp: ignored columns the model does not read: code", expected.Stderr.TrimEnd());

        // columns reordered, an extra one, the target gone, an unseen city and a missing plan
        var lines = File.ReadAllLines(csv).Select(l => l.Split(',')).ToArray();
        string other = Path.Combine(Dir, "other.csv");
        File.WriteAllLines(other, lines.Select((f, i) => i == 0 ? "note,plan,size,city" : $"n{i},{f[2]},{f[0]},{f[1]}")
            .Append("x,,70,Atlantis"));
        var reordered = CliTests.Mlp(Dir, "predict", model, other);
        Assert.True(reordered.ExitCode == 0, reordered.Stderr);
        Assert.Equal("mlp: ignored columns the model does not read: note", reordered.Stderr.TrimEnd());
        var got = reordered.Stdout.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(expected.Stdout.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')), got[..^1]);
        Assert.True(double.IsFinite(double.Parse(got[^1], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void AMissingFeatureColumnIsExitTwoNamingIt()
    {
        string csv = WriteTable(), model = Path.Combine(Dir, "homes.mlp");
        Assert.Equal(0, CliTests.Mlp(Dir, "train", csv, "--epochs", "2", "--out", model).ExitCode);
        string other = Path.Combine(Dir, "no-city.csv");
        File.WriteAllText(other, "size,plan,price\n60,yes,1000\n");
        foreach (string command in new[] { "predict", "evaluate" })
        {
            var (code, stdout, stderr) = CliTests.Mlp(Dir, command, model, other);
            Assert.Equal(2, code);
            Assert.Equal("", stdout);
            string line = Assert.Single(stderr.TrimEnd().Split('\n'));
            Assert.Contains("no-city.csv", line);
            Assert.Contains("'city'", line);
        }
    }

    [Theory]
    [InlineData("a,y\n1,\n2,NA\n", "y", null, "target")]                          // every target missing
    [InlineData("a,y\n1,2.5\n2,3.5\n3,oops\n", "y", "regression", "line 4")]     // text in a regression target
    public void AnUnusableTargetIsExitTwo(string content, string target, string? task, string expected)
    {
        string csv = Path.Combine(Dir, "t.csv");
        File.WriteAllText(csv, content);
        string[] args = task is null ? ["train", csv, "--target", target] : ["train", csv, "--target", target, "--task", task];
        var (code, stdout, stderr) = CliTests.Mlp(Dir, args);
        Assert.Equal(2, code);
        string line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("t.csv", line);
        Assert.Contains(expected, line);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void InspectDataShowsKindsWithoutTraining()
    {
        string csv = WriteTable();
        var (code, stdout, stderr) = CliTests.Mlp(Dir, "inspect-data", csv, "--json", "--categorical", "size");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var size = json.RootElement.GetProperty("schema").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "size");
        Assert.Equal("categorical", size.GetProperty("kind").GetString());
        Assert.Contains("Categorical", size.GetProperty("reason").GetString());
        Assert.Equal(77, json.RootElement.GetProperty("rows").GetInt32());
        Assert.Empty(Directory.GetFiles(Dir, "*.mlp"));
    }
}
