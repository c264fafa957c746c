namespace Engine.Tests.Cli;

/// <summary>Messages in the user's words: the option as typed, no .NET type names, hints for common mistakes, no raw control bytes.</summary>
public sealed class MessageTests(TinyModelFixture tiny) : TempDirectoryTests("engine-cli-messages-"), IClassFixture<TinyModelFixture>
{
    [Theory]
    [InlineData("'fit' is not a command; the commands are train, evaluate, predict", "fit", "{csv}")]
    [InlineData("--epochs is given 2 times; give it once.", "train", "{csv}", "--epochs", "1", "--epochs", "2")]
    [InlineData("--lr: 'inf' is not a number", "train", "{csv}", "--lr", "inf")]
    [InlineData("--seed: '-1' is not a whole number ≥ 0.", "train", "{csv}", "--seed", "-1")]
    [InlineData("--warmup must be a number of epochs ≥ 0, got NaN.", "train", "{csv}", "--warmup", "NaN")]
    [InlineData("give --test-file or --test-fraction, not both", "train", "{csv}", "--test-file", "{csv}", "--test-fraction", "0.3")]
    [InlineData("is a directory, not a CSV file.", "train", "{dir}")]
    [InlineData("is a directory, not an Engine checkpoint.", "train", "--resume", "{dir}")]
    [InlineData("is a training checkpoint, not a model file", "predict", "{ckpt}", "{csv}")]
    [InlineData("nope.mlp: model file not found", "inspect", "nope.mlp", "{csv}")]
    [InlineData("the header has 1 column — is the file separated by ';'?", "train", "{semicolon}")]
    [InlineData("the header has 1 column — is the file separated by tabs?", "train", "{tab}")]
    [InlineData("is Excel's separator line", "train", "{sep}")]
    [InlineData("line 3, column 'b': '1e400': it is outside the float32 range.", "train", "{huge}")]
    [InlineData("'\\x1B[31mred' is not a number", "train", "{ansi}", "--numeric", "b")]
    public void AMistakeIsOneLineInTheUsersWords(string expected, params string[] args)
    {
        string ckpt = Path.Combine(Dir, "m.mlp.ckpt");
        File.WriteAllBytes(ckpt, [.. "ENGNCKPT"u8, .. new byte[32]]);
        Write("semicolon.csv", "a;b;label\n1;2;x\n");
        Write("tab.csv", "a\tb\tlabel\n1\t2\tx\n");
        Write("sep.csv", "sep=;\na;b\n1;2\n");
        Write("huge.csv", "a,b,label\n1,2,x\n3,1e400,y\n");
        Write("ansi.csv", "a,b,label\n1,2,x\n3,\u001b[31mred,y\n");
        string[] resolved = [.. args.Select(a => a switch
        {
            "{csv}" => tiny.Csv, "{dir}" => Dir, "{ckpt}" => ckpt,
            "{semicolon}" or "{tab}" or "{sep}" or "{huge}" or "{ansi}" => Path.Combine(Dir, a[1..^1] + ".csv"),
            _ => a,
        })];
        var (code, stdout, stderr) = CliTests.Mlp(Dir, args[0] == "train" ? [.. resolved, "--out", Path.Combine(Dir, "out.mlp")] : resolved);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("mlp: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("System.", line);
        Assert.DoesNotContain('\u001b', stderr);
        Assert.False(File.Exists(Path.Combine(Dir, "out.mlp")));
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(Dir, name), text);

    [Fact]
    public void ControlCharactersAreEscapedAndUnauthorizedAccessIsBadInput()
    {
        Assert.Equal("a\\x1B[31mb\\0c", Engine.Cli.CliRunner.Escape("a\u001b[31mb\0c"));
        Assert.Equal("x \\u202Ey", Engine.Cli.CliRunner.OneLine("x\n\u202Ey"));
        Assert.True(Engine.Cli.CliRunner.IsBadInput(new UnauthorizedAccessException("denied")));
    }

    [Fact]
    public void EvaluateJsonWritesNullForANonFiniteMetric()
    {
        var metrics = Engine.Cli.TrainingReport.MetricsJson(new Evaluation(double.PositiveInfinity, Accuracy: double.NaN));
        Assert.Equal("{\"accuracy\":null,\"loss\":null}", metrics.ToJsonString());
    }
}

/// <summary>Valid numbers at the edges of float32 train.</summary>
public sealed class NumberEdgeTests
{
    [Fact]
    public void SubnormalValuesWithMinMaxScalingGiveFiniteScales()
    {
        var x = new Matrix<float>(3, 2);
        x[0, 0] = 1e-40f;
        x[1, 0] = 3e-40f;
        x[2, 0] = 2e-41f;
        x[0, 1] = 1;
        x[1, 1] = 2;
        x[2, 1] = 3;
        var scaler = new MinMaxScaler();
        scaler.Fit(x);
        scaler.Transform(x);
        Assert.All(x.AsSpan().ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1f, x[2, 1]);
    }
}
