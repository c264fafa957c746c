using System.IO.Compression;
using CsCheck;

namespace Engine.Tests.Data;

/// <summary>
/// The inputs of <see cref="CsvFuzzTests"/>: a table of cell texts (what a CSV means), how it is written out
/// (encoding, line endings, quoting, blank lines, gzip) and which API reads it, with an independent reference
/// of what a correct load gives: every feature through <c>float.Parse</c> (invariant culture), the class labels
/// or regression targets, or "refused".
/// </summary>
internal static class CsvFuzzCases
{
    public sealed record Table(string[] Header, string[][] Rows, int Target);

    public enum Api
    {
        Load, // the target is the last column, no options
        LoadByName,
        LoadByIndex,
        LoadFeatures,
    }

    public enum TextEncoding
    {
        Utf8,
        Utf8Bom,
        Utf16LeBom,
        Utf16BeBom,
        Utf32LeBom,
    }

    public enum LineEnds
    {
        Lf,
        CrLf,
        Cr,
        Mixed,
    }

    public sealed record Layout(TextEncoding Encoding, LineEnds LineEnds, bool QuoteAll, bool BlankLines, bool FinalNewline, bool Gzip, int Noise);

    /// <summary>One input: a table, how it is written, which API reads it, and whether decoding is pipelined (null: as the loader chooses).</summary>
    public sealed record Case(Table Table, Layout Layout, Api Api, int[] Features, bool? Pipelined)
    {
        public override string ToString() =>
            $"{Api} target {Table.Target} features [{string.Join(",", Features)}] pipelined {Pipelined?.ToString() ?? "auto"} {Layout}";
    }

    /// <summary>What a correct load gives; null members of a refused load.</summary>
    public sealed record Expected(string[] FeatureNames, float[] Values, int Rows, string[]? Labels, TaskKind? Task);

    // ---------------------------------------------------------------- generators

    private static readonly string[] Odd =
    [
        "-0", "0", "+3", ".5", "5.", "1e5", "1E-3", "-1e-3", "1e-50", "-1e-50", "340282356779733661637539395458142568447",
        "340282346638528859811704183484516925440", "-340282346638528859811704183484516925440", "3.4028235e38", "1.4e-45", "1e-46", "7e-46",
        "1.17549435e-38", "12345678", "-12345678", "99999999", "00000001", "0000000", "9999999", "-9999999",
        "0.1000000000000000055511151231257827021181583404541015625", "1.00000005960464477539062499", "16777217", "2147483648",
        " 7", "7 ", " 7 ", "\t8", "1.5e+2", "1e0010",
    ];

    // Spellings float.Parse refuses, or that overflow float32.
    private static readonly string[] Invalid =
    [
        "1e39", "-1e39", "340282356779733661637539395458142568448", "1e400", "NaN", "Infinity", "-Infinity", "∞", "0x10", "1_0", "1e", "e5",
        "--1", "1.2.3", "", " ", "1,000", "٣", "- 1", "1 2", "abc",
    ];

    private static readonly Gen<string> Integer = Gen.Int[-9_999_999, 9_999_999].Select(i => i.ToString(CultureInfo.InvariantCulture));
    private static readonly Gen<string> SmallInteger = Gen.Int[-99, 255].Select(i => i.ToString(CultureInfo.InvariantCulture));

    private static readonly Gen<string> AnyFloat = Gen.Select(Gen.UInt, Gen.OneOf("R", "E9", "G9", "F3", "E3"), (bits, format) =>
    {
        float f = BitConverter.UInt32BitsToSingle(bits);
        return float.IsFinite(f) ? f.ToString(format, CultureInfo.InvariantCulture) : "0";
    });

    private static readonly Gen<string> Decimal = Gen.Double[-1e6, 1e6].Select(d => d.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>A feature cell: almost always a valid spelling, rarely an invalid one.</summary>
    public static Gen<string> Number(bool valid) => Gen.Frequency(
        (40, SmallInteger), (20, Integer), (15, AnyFloat), (15, Decimal), (8, Gen.OneOf(Odd)), (valid ? 0 : 1, Gen.OneOf(Invalid)));

    private static readonly string[] Words =
    [
        "setosa", "versicolor", "virginica", "a b", "x,y", "q\"uote", "line\nbreak", "cr\rret", "crlf\r\nx", "é", "名前", "  padded  ", "\"\"",
        "0", "1", "2", "1.0", "-1", "01", " 1", "NaN", "1e400", ",", "'",
    ];

    private static Gen<string> Label(int kind, bool valid) => kind switch
    {
        0 => Gen.OneOf(Words),
        1 => Gen.Int[0, 3].Select(i => i.ToString(CultureInfo.InvariantCulture)),
        _ => Gen.Frequency((8, Decimal), (2, SmallInteger), (valid ? 0 : 1, Gen.OneOf("1e39", "")), (1, Gen.OneOf(Odd))),
    };

    private static readonly string[] NamePrefixes = ["x", "feature_", "é", "名", "a,b", "q\"", "sp ace", " lead", "nl\n", "", "target", "y"];

    /// <summary>Tables of 2 to <paramref name="maxColumns"/> columns and 1 to <paramref name="maxRows"/> rows; <paramref name="valid"/>: no invalid spellings.</summary>
    public static Gen<Table> Tables(int maxColumns, int maxRows, bool valid = false) =>
        Gen.Select(Gen.Int[2, maxColumns], Gen.Int[1, maxRows], Gen.Int[0, 2]).SelectMany(t =>
        {
            var (columns, rows, kind) = t;
            return Gen.Select(Gen.OneOf(NamePrefixes).Array[columns], Number(valid).Array[rows * (columns - 1)], Label(kind, valid).Array[rows], Gen.Int[0, columns - 1],
                (prefixes, cells, labels, target) =>
                {
                    string[] header = [.. prefixes.Select((p, j) => p + j.ToString(CultureInfo.InvariantCulture))];
                    var table = new string[rows][];
                    for (int i = 0; i < rows; i++)
                    {
                        var row = new string[columns];
                        int k = 0;
                        for (int j = 0; j < columns; j++)
                            row[j] = j == target ? labels[i] : cells[(i * (columns - 1)) + k++];
                        table[i] = row;
                    }
                    return new Table(header, table, target);
                });
        });

    public static readonly Gen<Layout> Layouts = Gen.Select(
        Gen.Frequency((6, Gen.Const(TextEncoding.Utf8)), (2, Gen.Const(TextEncoding.Utf8Bom)), (1, Gen.Const(TextEncoding.Utf16LeBom)), (1, Gen.Const(TextEncoding.Utf16BeBom)), (1, Gen.Const(TextEncoding.Utf32LeBom))),
        Gen.Enum<LineEnds>(), Gen.Int[0, 9].Select(i => i == 0), Gen.Int[0, 4].Select(i => i == 0), Gen.Int[0, 4].Select(i => i != 0),
        Gen.Int[0, 5].Select(i => i == 0), Gen.Int,
        (encoding, ends, quoteAll, blank, final, gzip, noise) => new Layout(encoding, ends, quoteAll, blank, final, gzip, noise));

    public static Gen<Case> Cases(int maxColumns, int maxRows, bool valid = false) =>
        Gen.Select(Tables(maxColumns, maxRows, valid), Layouts, Gen.Int[0, 3], Gen.UInt, Gen.Int[0, 2], (table, layout, api, shuffle, pipelined) =>
        {
            int columns = table.Header.Length;
            var chosen = (Api)api;
            if (chosen == Api.Load && table.Target != columns - 1)
                chosen = Api.LoadByName;
            int[] features = [];
            if (chosen == Api.LoadFeatures)
            {
                var rng = new Random((int)shuffle);
                int[] others = [.. Enumerable.Range(0, columns).Where(j => j != table.Target)];
                rng.Shuffle(others);
                features = others[..rng.Next(1, others.Length + 1)];
            }
            return new Case(table, layout, chosen, features, pipelined switch { 0 => null, 1 => false, _ => true });
        });

    // ---------------------------------------------------------------- writing a table out

    public static byte[] Write(Table table, Layout layout)
    {
        var rng = new Random(layout.Noise);
        var text = new StringBuilder();
        string End() => layout.LineEnds switch
        {
            LineEnds.Lf => "\n",
            LineEnds.CrLf => "\r\n",
            LineEnds.Cr => "\r",
            _ => rng.Next(3) switch { 0 => "\n", 1 => "\r\n", _ => "\r" },
        };
        void Line(string[] fields, bool last)
        {
            for (int j = 0; j < fields.Length; j++)
            {
                if (j > 0)
                    text.Append(',');
                string f = fields[j];
                bool quote = layout.QuoteAll || f.AsSpan().IndexOfAny(",\"\r\n") >= 0 || rng.Next(16) == 0;
                text.Append(quote ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f);
            }
            if (!last || layout.FinalNewline)
                text.Append(End());
            if (!last && layout.BlankLines && rng.Next(4) == 0)
                text.Append(End());
        }
        if (layout.BlankLines && rng.Next(4) == 0)
            text.Append(End());
        Line(table.Header, table.Rows.Length == 0);
        for (int i = 0; i < table.Rows.Length; i++)
            Line(table.Rows[i], i == table.Rows.Length - 1);
        string s = text.ToString();
        byte[] bytes = layout.Encoding switch
        {
            TextEncoding.Utf8 => Encoding.UTF8.GetBytes(s),
            TextEncoding.Utf8Bom => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(s)],
            TextEncoding.Utf16LeBom => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(s)],
            TextEncoding.Utf16BeBom => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(s)],
            _ => [0xFF, 0xFE, 0, 0, .. Encoding.UTF32.GetBytes(s)],
        };
        return layout.Gzip ? Gzip(bytes) : bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(bytes);
        return memory.ToArray();
    }

    /// <summary>The bytes a gzip file inflates to (the file itself when it is not gzip); throws InvalidDataException when it is corrupt.</summary>
    public static byte[] Inflate(byte[] bytes, int limit = 64 << 20)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b)
            return bytes;
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[1 << 16];
        int n;
        while ((n = gzip.Read(buffer)) > 0 && output.Length < limit)
            output.Write(buffer, 0, n);
        return output.ToArray();
    }

    // ---------------------------------------------------------------- the reference

    public static string Canonical(string label) =>
        double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? (v == 0 ? 0.0 : v).ToString("R", CultureInfo.InvariantCulture) // −0 is the class "0"
            : label;

    private static bool TryFloat(string text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);

    /// <summary>What loading <paramref name="c"/> must give; null when it must be refused.</summary>
    public static Expected? Reference(Case c)
    {
        var table = c.Table;
        if (table.Rows.Length == 0)
            return null;
        int[] features = c.Api == Api.LoadFeatures ? c.Features : [.. Enumerable.Range(0, table.Header.Length).Where(j => j != table.Target)];
        var values = new float[table.Rows.Length * features.Length];
        for (int i = 0; i < table.Rows.Length; i++)
        {
            for (int k = 0; k < features.Length; k++)
            {
                if (!TryFloat(table.Rows[i][features[k]], out values[(i * features.Length) + k]))
                    return null;
            }
        }
        string[] names = [.. features.Select(j => table.Header[j])];
        if (c.Api == Api.LoadFeatures)
            return new Expected(names, values, table.Rows.Length, null, null);
        string[] labels = [.. table.Rows.Select(r => r[table.Target])];
        if (labels.Any(l => l.Length == 0))
            return null;
        TaskKind task;
        var parsed = labels.Select(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : (double?)null).ToArray();
        if (parsed.Any(v => v is null))
            task = TaskKind.Classification;
        else if (parsed.Any(v => v != Math.Floor(v!.Value)))
            task = TaskKind.Regression;
        else
            task = parsed.Distinct().Count() <= CsvDataset.MaxAutoClasses ? TaskKind.Classification : TaskKind.Regression;
        if (task == TaskKind.Classification && labels.Select(Canonical).Distinct(StringComparer.Ordinal).Count() < 2)
            return null;
        if (task == TaskKind.Regression && labels.Any(l => !TryFloat(l, out _)))
            return null;
        return new Expected(names, values, table.Rows.Length, labels, task);
    }

    /// <summary>Whether row <paramref name="i"/>'s target in <paramref name="data"/> is <paramref name="label"/>.</summary>
    public static bool SameLabel(Dataset data, int i, string label)
    {
        float y = data.Targets[i, 0];
        if (data.Task == TaskKind.Regression)
            return TryFloat(label, out float v) && BitConverter.SingleToInt32Bits(v) == BitConverter.SingleToInt32Bits(y);
        return data.ClassNames![(int)y] == Canonical(label);
    }
}
