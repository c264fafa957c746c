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
        // Tables are drawn 80 columns wide when stdout is not a terminal; give them room, and write no escape
        // codes into a file or pipe (nor anywhere when NO_COLOR is set, as no-color.org asks).
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = 160;
        if (Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
        {
            AnsiConsole.Profile.Capabilities.Ansi = false;
            AnsiConsole.Profile.Capabilities.ColorSystem = ColorSystem.NoColors;
        }
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
            // Not the user's doing: a bug in mlp or the library. Say so, and how to help.
            Console.Error.WriteLine($"mlp: unexpected error: {OneLine(e.Message)} — this is a bug in mlp; please report it with the command you ran.");
            return Failure;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        UnauthorizedAccessException => $"permission denied: {e.Message}",
        _ => e.Message,
    };

    /// <summary>A message on one line: line breaks and tabs become single spaces.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>
    /// Errors the user can fix, by cause: a bad or unsuitable data or model file, a bad option value, a missing or
    /// unreadable file. Everything else (an <see cref="ArgumentException"/> from deep inside included) is a bug.
    /// </summary>
    public static bool IsBadInput(Exception e) => e is DataFormatException or ModelFormatException or IncompatibleDataException
        or UsageException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException;
}
