using System.CommandLine;
using Engine.Cli;

namespace Engine.Tests.Cli;

/// <summary>Errors by cause: a user's mistake is exit 2 in the user's words, a bug is exit 1 and says so.</summary>
public sealed class CliErrorTests() : TempDirectoryTests("engine-cli-errors-")
{
    [Theory]
    [InlineData("--epochs must be at least 1, got 0.", "--epochs", "0")]
    [InlineData("--batch-size must be at least 1, got -2.", "--batch-size", "-2")]
    [InlineData("--lr must be a positive number, got NaN.", "--lr", "NaN")]
    [InlineData("--validation-fraction must be in [0, 1), got 1.5.", "--validation-fraction", "1.5")]
    [InlineData("--test-fraction must be in (0, 1), got 0.", "--test-fraction", "0")]
    [InlineData("--patience must be at least 1, got 0.", "--patience", "0")]
    [InlineData("--momentum must be in [0, 1), got 1.", "--optimizer", "sgd", "--momentum", "1")]
    [InlineData("--warmup must be a number of epochs ≥ 0, got -1.", "--warmup", "-1")]
    [InlineData("--label-smoothing must be in [0, 1), got 1.", "--label-smoothing", "1")]
    [InlineData("--clip-grad-norm must be a positive number, got 0.", "--clip-grad-norm", "0")]
    public void ARefusedOptionValueIsNamedAsTheUserTypedIt(string message, params string[] options)
    {
        string model = Path.Combine(Dir, "m.mlp");
        var (code, stdout, stderr) = CliTests.Mlp(Dir, ["train", TestData.DataFile("iris.csv"), "--out", model, .. options]);
        Assert.Equal(2, code);
        Assert.Equal($"mlp: {message}", stderr.TrimEnd());
        Assert.Equal("", stdout);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void AnInternalErrorIsExitOneAndAskedToBeReported()
    {
        var root = new RootCommand("test");
        var boom = new Command("boom");
        boom.SetAction(new Func<ParseResult, int>(_ => throw new ArgumentException("index 7 is outside the buffer")));
        root.Subcommands.Add(boom);
        var saved = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        int code;
        try
        {
            code = CliRunner.Run(root, ["boom"]);
        }
        finally
        {
            Console.SetError(saved);
        }
        Assert.Equal(CliRunner.Failure, code);
        string line = captured.ToString().TrimEnd();
        Assert.StartsWith("mlp: unexpected error: index 7 is outside the buffer", line);
        Assert.Contains("bug", line);
        Assert.DoesNotContain("ArgumentException", line);
    }
}
