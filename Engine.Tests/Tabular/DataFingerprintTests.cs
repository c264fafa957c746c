using System.Buffers.Binary;
using System.IO.Hashing;

namespace Engine.Tests.Tabular;

/// <summary>
/// <see cref="DataFingerprint"/> against its definition (the shape, and a CRC-32 of the little-endian float32
/// numeric values, the int32 level codes, then the targets, laid out byte by byte here): any change to a value, a
/// code or a target changes it; a dataset and the all-numeric table holding it have the same one. And
/// <see cref="RowTable"/>'s level codes, row by row and column by column, against the rows written by hand.
/// </summary>
public class DataFingerprintTests
{
    // 3 rows, numeric a and b (one missing), categorical k and m (one missing), targets 10, 20, 30
    private static DataTable Sample() => TableEncoderReferenceTests.Table(
        ["a", "b"], [[1, 2, 3], [0.5f, float.NaN, -4]], ["k", "m"], [[0, 1, 0], [2, -1, 1]], [["p", "q"], ["u", "v", "w"]],
        targets: [10, 20, 30]);

    private static uint Crc(DataTable t, bool withTargets)
    {
        var bytes = new List<byte>();
        void Float(float f) { var b = new byte[4]; BinaryPrimitives.WriteSingleLittleEndian(b, f); bytes.AddRange(b); }
        for (int i = 0; i < t.Count; i++)
        {
            for (int j = 0; j < t.Numeric.Cols; j++)
                Float(t.Numeric[i, j]);
        }
        foreach (int code in t.Codes)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, code);
            bytes.AddRange(b);
        }
        if (withTargets)
        {
            for (int i = 0; i < t.Count; i++)
                Float(t.Targets![i, 0]);
        }
        return Crc32.HashToUInt32([.. bytes]);
    }

    [Fact]
    public void ATablesFingerprintIsItsShapeAndTheCrcOfItsValuesCodesAndTargets()
    {
        var table = Sample();
        var f = DataFingerprint.Of(table);
        Assert.Equal(new DataFingerprint(3, 4, Crc(table, withTargets: true)), f);

        var unlabelled = TableEncoderReferenceTests.Table(["a", "b"], [[1, 2, 3], [0.5f, float.NaN, -4]], ["k", "m"], [[0, 1, 0], [2, -1, 1]], [["p", "q"], ["u", "v", "w"]]);
        Assert.Equal(new DataFingerprint(3, 4, Crc(unlabelled, withTargets: false)), DataFingerprint.Of(unlabelled));
    }

    [Fact]
    public void AnyChangedValueCodeOrTargetChangesTheFingerprint()
    {
        var original = DataFingerprint.Of(Sample());
        var changes = new Action<DataTable>[]
        {
            t => t.Numeric[2, 1] = -4.0001f,
            t => t.Numeric[1, 1] = 0,       // a missing value filled in
            t => t.Codes[5] = 2,            // the last row's m
            t => t.Codes[0] = 1,
            t => t.Targets![1, 0] = 21,
        };
        foreach (var change in changes)
        {
            var table = Sample();
            change(table);
            Assert.NotEqual(original, DataFingerprint.Of(table));
        }
        Assert.Equal(original, DataFingerprint.Of(Sample())); // and the same data, the same fingerprint
    }

    [Fact]
    public void ADatasetAndTheTableHoldingItHaveTheSameFingerprint()
    {
        var data = Samples.Blobs(40, 3, center: 1);
        var f = DataFingerprint.Of(data);
        Assert.Equal(DataFingerprint.Of(DataTable.FromDataset(data)), f);
        Assert.Equal((40, 2), (f.Rows, f.Columns));
        var bytes = new byte[4 * (data.Features.AsSpan().Length + data.Targets.AsSpan().Length)];
        int at = 0;
        foreach (float v in data.Features.AsSpan().ToArray().Concat(data.Targets.AsSpan().ToArray()))
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), v);
            at += 4;
        }
        Assert.Equal(Crc32.HashToUInt32(bytes), f.Crc32);

        var other = Samples.Blobs(40, 3, center: 1);
        other.Targets[39, 0] = 1 - other.Targets[39, 0];
        Assert.NotEqual(f, DataFingerprint.Of(other));
        Assert.Throws<ArgumentNullException>(() => DataFingerprint.Of((Dataset)null!));
        Assert.Throws<ArgumentNullException>(() => DataFingerprint.Of((DataTable)null!));
    }

    [Fact]
    public void RowTableCodesEachRowsLevelsInItsOwnSlots()
    {
        var encoding = new TableEncoding(
        [
            new ColumnEncoding("x", ColumnKind.Numeric, 0),
            new ColumnEncoding("k", ColumnKind.Categorical, Levels: ["p"]),
            new ColumnEncoding("m", ColumnKind.Categorical, Levels: ["u"]),
        ], 1);
        IReadOnlyList<IReadOnlyDictionary<string, object?>> rows =
        [
            new Dictionary<string, object?> { ["x"] = 1.5, ["k"] = "q", ["m"] = "u" },
            new Dictionary<string, object?> { ["x"] = null, ["k"] = "p", ["m"] = "w" },
            new Dictionary<string, object?> { ["x"] = "2", ["k"] = "q", ["m"] = null },
            new Dictionary<string, object?> { ["x"] = 4, ["k"] = null, ["m"] = 7 },
        ];
        var table = RowTable.From(rows, encoding, "rows");
        Assert.Equal("rows", table.Source);
        Assert.Equal(4, table.Count);
        Assert.Equal(["x"], table.NumericColumns.Select(c => c.Name));
        Assert.Equal(["k", "m"], table.CategoricalColumns.Select(c => c.Name));
        Assert.Equal([1.5f, float.NaN, 2, 4], table.Numeric.AsSpan().ToArray());
        // levels in order of first appearance per column; codes row by row, k then m
        Assert.Equal(["q", "p"], table.Levels[0]);
        Assert.Equal(["u", "w", "7"], table.Levels[1]);
        Assert.Equal([0, 0, 1, 1, 0, -1, -1, 2], table.Codes);
        Assert.Null(table.Targets);

        // a character is text, not a number
        var e = Assert.Throws<IncompatibleDataException>(() => RowTable.From([new Dictionary<string, object?> { ["x"] = 'a', ["k"] = "p", ["m"] = "u" }], encoding, "rows"));
        Assert.Equal("rows: row 0, column 'x': 'a' is not a number, and the model reads this column as numbers.", e.Message);
    }
}
