namespace Engine.Tests.Data;

/// <summary><see cref="MissingMarkers"/> and <see cref="TextColumn"/>: exact marker lookups, and pooled text values.</summary>
public class MissingMarkersTests
{
    [Fact]
    public void Null_means_the_default_list_and_matches_are_exact()
    {
        var markers = new MissingMarkers(null);
        foreach (string m in TableOptions.DefaultNaValues)
            Assert.True(markers.IsMissing(m.AsSpan()), m);
        Assert.Equal(["", "NA", "N/A", "NaN", "nan", "null", "None", "?"], TableOptions.DefaultNaValues);
        foreach (string other in new[] { "na", " NA", "NA ", "NULL", "none", "??", "0", "-999" })
            Assert.False(markers.IsMissing(other.AsSpan()), other);
        Assert.True(markers.IsMissing("x,NA,y".AsSpan(2, 2))); // a span of a record
        Assert.False(markers.LookNumeric);
    }

    [Fact]
    public void A_given_list_replaces_the_default()
    {
        var markers = new MissingMarkers(["-", "missing"]);
        Assert.True(markers.IsMissing("-"));
        Assert.True(markers.IsMissing("missing"));
        Assert.False(markers.IsMissing("NA"));
        Assert.False(markers.IsMissing(""));
        Assert.False(new MissingMarkers([]).IsMissing(""));
    }

    [Theory]
    [InlineData(false, "NA", "")]
    [InlineData(false, "NaN", "nan")]          // NaN parses, but is not a finite number
    [InlineData(false, "Infinity", "-inf")]
    [InlineData(false, "1e999", "x")]          // overflows double: infinite
    [InlineData(true, "NA", "-999")]
    [InlineData(true, "0", "")]
    [InlineData(true, "1.5e3", "?")]
    [InlineData(true, " 7", "?")]              // a number with spaces around, as double parsing takes it
    public void LookNumeric_when_a_marker_is_a_finite_number(bool numeric, string a, string b)
    {
        Assert.Equal(numeric, new MissingMarkers([a, b]).LookNumeric);
    }

    [Fact]
    public void Repeated_text_values_share_one_string()
    {
        var column = new TextColumn();
        char[] record = "red,blue,red".ToCharArray();
        column.Add(record.AsSpan(0, 3));
        column.Add(record.AsSpan(4, 4));
        column.Add(record.AsSpan(9, 3));
        column.AddMissing();
        column.AddMissing(2);
        column.AddMissing(0);
        Assert.Equal(["red", "blue", "red", null, null, null], column.Values);
        Assert.Same(column.Values[0], column.Values[2]);
        Assert.False(column.Quoted);
        column.Quoted = true;
        Assert.True(column.Quoted);
    }

    [Fact]
    public void Only_the_first_4096_distinct_values_are_pooled()
    {
        var column = new TextColumn();
        for (int i = 0; i < 4100; i++)
            column.Add(i.ToString(CultureInfo.InvariantCulture));
        column.Add("4095");
        column.Add("4096");
        column.Add("0");
        Assert.Equal(4103, column.Values.Count);
        Assert.Same(column.Values[4095], column.Values[4100]); // the 4096th distinct value: pooled
        Assert.NotSame(column.Values[4096], column.Values[4101]); // the 4097th: a new string each time
        Assert.Equal("4096", column.Values[4101]);
        Assert.Same(column.Values[0], column.Values[4102]);
    }
}
