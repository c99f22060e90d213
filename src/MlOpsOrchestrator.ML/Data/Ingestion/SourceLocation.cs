using System.Globalization;

namespace MlOpsOrchestrator.ML.Data.Ingestion;

/// <summary>
/// How messages point at a row: <c>row 17 (line 18)</c> for a file (the 1-based data row and the file line, which
/// differ by the header and by quoted newlines), <c>row 17</c> for a query result; test-source rows say so.
/// </summary>
internal sealed class SourceLocation(string? prefix, bool hasLines)
{
    public string Row(int row, int line) => hasLines
        ? string.Create(CultureInfo.InvariantCulture, $"{prefix}row {row} (line {line})")
        : string.Create(CultureInfo.InvariantCulture, $"{prefix}row {row}");

    /// <summary>
    /// A short list without the prefix (the message already names the source): <c>rows 3, 9 (lines 4, 10)</c>, or
    /// <c>rows 3, 9, … (lines 4, 10, …)</c> when there are <paramref name="more"/>.
    /// </summary>
    public string Rows(IReadOnlyList<(int Row, int Line)> rows, bool more)
    {
        var etc = more ? ", …" : "";
        var numbers = string.Join(", ", rows.Select(r => r.Row.ToString(CultureInfo.InvariantCulture))) + etc;
        var lines = string.Join(", ", rows.Select(r => r.Line.ToString(CultureInfo.InvariantCulture))) + etc;
        var noun = rows.Count == 1 ? "row" : "rows";
        return hasLines ? $"{noun} {numbers} ({(rows.Count == 1 ? "line" : "lines")} {lines})" : $"{noun} {numbers}";
    }
}
