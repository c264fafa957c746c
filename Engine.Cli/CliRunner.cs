using System.CommandLine;
using Engine.Data;
using Engine.Serialization;

namespace Engine.Cli;

/// <summary>Parses, runs, and turns failures into exit codes and one readable line.</summary>
internal static class CliRunner
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130; // 128 + SIGINT, as shells report a Ctrl-C

    public static int Run(RootCommand root, string[] args)
    {
        // Tables are drawn 80 columns wide when stdout is not a terminal; give them room.
        if (Console.IsOutputRedirected)
            Spectre.Console.AnsiConsole.Profile.Width = 160;
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"mlp: {OneLine(parse.Errors[0].Message)} (see 'mlp --help')");
            return BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Console.Error.WriteLine($"mlp: {OneLine(Describe(e))}");
            return BadInput;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"mlp: unexpected error: {e.GetType().Name}: {OneLine(e.Message)}");
            return Failure;
        }
    }

    // ArgumentException appends "(Parameter 'x')" and ArgumentOutOfRangeException "Actual value was …" on
    // lines of their own; our messages already name the parameter and the value.
    private static string Describe(Exception e) => e switch
    {
        ArgumentOutOfRangeException a when a.ParamName is not null => a.Message.Split('\n')[0].Replace($" (Parameter '{a.ParamName}')", "", StringComparison.Ordinal),
        ArgumentException a when a.ParamName is not null => a.Message.Replace($" (Parameter '{a.ParamName}')", "", StringComparison.Ordinal),
        _ => e.Message,
    };

    /// <summary>A message on one line: line breaks and tabs become single spaces.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Errors the user can fix: a bad file, a bad value, a missing file.</summary>
    public static bool IsBadInput(Exception e) => e is DataFormatException or ModelFormatException
        or ArgumentException or FileNotFoundException or DirectoryNotFoundException or UsageException;
}

/// <summary>A usage error found after parsing (e.g. two options that exclude each other).</summary>
internal sealed class UsageException(string message) : Exception(message);
