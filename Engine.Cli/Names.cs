namespace Engine.Cli;

/// <summary>The CLI's spellings of the library's choices, and small parsers for list options.</summary>
internal static class Names
{
    /// <summary>The activations' names, from the library's one list (<see cref="Engine.Initializers.Activations.Names"/>).</summary>
    public static readonly string[] Activations = [.. Engine.Initializers.Activations.Names];

    public static Activation ParseActivation(string name)
    {
        try
        {
            return Engine.Initializers.Activations.Parse(name);
        }
        catch (ArgumentException)
        {
            throw new UsageException($"--activation: unknown activation '{name}' (expected one of {string.Join(", ", Activations)}).");
        }
    }

    public static OptimizerKind ParseOptimizer(string name) => name switch
    {
        "sgd" => OptimizerKind.Sgd,
        "adam" => OptimizerKind.Adam,
        "adamw" => OptimizerKind.AdamW,
        _ => throw new UsageException($"--optimizer: unknown optimizer '{name}' (expected sgd, adam or adamw)."),
    };

    public static TaskKind? ParseTask(string? name) => name switch
    {
        null => null,
        "classification" => TaskKind.Classification,
        "regression" => TaskKind.Regression,
        _ => throw new UsageException($"--task: unknown task '{name}' (expected classification or regression)."),
    };

    /// <summary>"64,64" → [64, 64]; "none" or "" → [].</summary>
    public static int[] ParseHidden(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "none")
            return [];
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] <= 0)
                throw new UsageException($"--hidden: '{parts[i]}' is not a positive layer width (expected e.g. 64,64).");
        }
        return widths;
    }

    /// <summary>
    /// Refuses, before anything is allocated, a network whose size overflows or cannot fit in memory: exit 2 naming
    /// <paramref name="option"/> and the size in parameters and bytes. Training holds about six copies of the weights
    /// (weights, gradients, two optimizer moments, the last good and the best weights).
    /// </summary>
    public static void CheckNetworkSize(string option, string given, IReadOnlyList<int> hidden, int inputs, int outputs)
    {
        long[] widths = [inputs, .. hidden.Select(h => (long)h), outputs];
        double parameters = 0, largest = 0;
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            double weights = (double)widths[i] * widths[i + 1];
            largest = Math.Max(largest, weights);
            parameters += weights + widths[i + 1];
        }
        double bytes = parameters * sizeof(float), training = 6 * bytes;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        string size = $"{option} {given}: a network of {parameters:N0} parameters ({Bytes(bytes)} of weights, about {Bytes(training)} to train)";
        if (largest > Array.MaxLength)
            throw new UsageException($"{size} has a layer of {largest:N0} weights, more than one array can hold ({Array.MaxLength:N0}); use narrower layers.");
        if (available > 0 && training > available)
            throw new UsageException($"{size} does not fit in the {Bytes(available)} of memory available; use narrower or fewer layers.");
    }

    private static string Bytes(double bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (1L << 30):F1} GB",
        >= 1L << 20 => $"{bytes / (1L << 20):F1} MB",
        _ => $"{bytes / 1024:F1} KB",
    };

    public static string[]? SplitList(string? text) =>
        text is null ? null : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>data/iris.csv → iris.mlp in the current folder.</summary>
    public static string DefaultModelPath(string csvPath)
    {
        string name = Path.GetFileName(csvPath);
        foreach (string suffix in new[] { ".gz", ".csv" })
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                name = name[..^suffix.Length];
        }
        return name + ".mlp";
    }
}
