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

    public static int Run(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"mlp: {parse.Errors[0].Message} (see 'mlp --help')");
            return BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Console.Error.WriteLine($"mlp: {e.Message}");
            return BadInput;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"mlp: unexpected error: {e.GetType().Name}: {e.Message}");
            return Failure;
        }
    }

    /// <summary>Errors the user can fix: a bad file, a bad value, a missing file.</summary>
    public static bool IsBadInput(Exception e) => e is DataFormatException or ModelFormatException
        or ArgumentException or FileNotFoundException or DirectoryNotFoundException or UsageException;
}

/// <summary>A usage error found after parsing (e.g. two options that exclude each other).</summary>
internal sealed class UsageException(string message) : Exception(message);
