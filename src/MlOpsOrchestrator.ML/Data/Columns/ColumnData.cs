using System.Text;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>
/// One typed column being read: a value is first parsed into a staged slot, then committed when the whole row is
/// valid and kept (a row dropped for a missing value elsewhere leaves no trace). Values live in a typed array, not
/// in per-row objects. Missing values are counted over every row read, before any row is dropped.
/// </summary>
internal abstract class ColumnData(ColumnPlan plan) : IOutputColumn
{
    private const int MissingRowsKept = 5;
    private readonly List<(int Row, int Line)> _firstMissing = [];

    public ColumnPlan Plan => plan;

    public string Name => plan.Name;

    /// <summary>Committed rows.</summary>
    public abstract int Count { get; }

    public bool StagedMissing { get; private set; }

    /// <summary>Missing values among the rows read (before dropping), and the first few of their rows.</summary>
    public int MissingCount { get; private set; }

    public int ValueCount { get; private set; }

    public IReadOnlyList<(int Row, int Line)> FirstMissing => _firstMissing;

    public abstract DataViewType ViewType { get; }

    /// <summary>Parses <paramref name="raw"/> into the staged slot; returns what is wrong with it, or null.</summary>
    public string? Stage(ReadOnlySpan<char> raw)
    {
        StagedMissing = IsMissingText(raw);
        if (StagedMissing)
        {
            StageMissing();
            return null;
        }

        return StageValue(raw);
    }

    public void Tally(int row, int line)
    {
        if (!StagedMissing)
        {
            ValueCount++;
            return;
        }

        MissingCount++;
        if (_firstMissing.Count < MissingRowsKept)
        {
            _firstMissing.Add((row, line));
        }
    }

    public abstract void Commit();

    /// <summary>Makes room for <paramref name="rows"/> committed rows in all (an estimate, to avoid regrowing).</summary>
    public abstract void Reserve(int rows);

    public abstract bool IsMissing(int row);

    /// <summary>Fills missing values the stored type cannot represent (booleans, datetimes); numbers keep NaN for the model to impute.</summary>
    public virtual void Impute()
    {
    }

    public abstract Delegate MakeGetter(IRowPosition position);

    public abstract void AppendCanonical(int row, StringBuilder text);

    public abstract void WriteCanonical(int row, CanonicalText text);

    protected virtual bool IsMissingText(ReadOnlySpan<char> raw) => ValueText.IsMissing(raw);

    protected abstract void StageMissing();

    protected abstract string? StageValue(ReadOnlySpan<char> raw);

    /// <summary>A raw value quoted for a message, cut short when long.</summary>
    protected static string Quote(ReadOnlySpan<char> raw) => $"'{Echo.Value(raw, 40)}'";
}
