using MlOpsOrchestrator.Sources;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.ML.Tests.Data;

/// <summary>
/// A source type the product does not have (<c>type: memory</c>): rows held in memory, as a test registers it. It
/// is the whole of what adding a source type takes, besides its registration.
/// </summary>
internal sealed class MemorySourceReader(string[] columns, string[][] rows) : ISourceReader
{
    public const string TypeName = "memory";

    public string Type => TypeName;

    public SourceKeys Keys { get; } = new(TypeName, [], []);

    /// <summary>How many sources were opened, and with which watermark the last time.</summary>
    public int Opened { get; private set; }

    public DateTimeOffset? LastWatermark { get; private set; }

    public string DisplayName(SourceSpec source) => "the memory table";

    public Task<SourceOpening> OpenAsync(SourceRequest request, CancellationToken ct)
    {
        Opened++;
        LastWatermark = request.Watermark;
        return Task.FromResult(SourceOpening.Opened(new Table(DisplayName(request.Source), columns, rows)));
    }

    private sealed class Table(string name, string[] columns, string[][] rows) : IRecordSource
    {
        public string DisplayName => name;

        public IReadOnlyList<string> Columns => columns;

        public bool HasLines => false;

        public bool FiltersByWatermark => false;

        public string NoRows => $"{name} has no rows";

        public IRecordCursor OpenRecords() => new Cursor(rows);

        public void Dispose()
        {
        }
    }

    private sealed class Cursor(string[][] rows) : IRecordCursor
    {
        private int _next;

        public SourceRecord Record { get; } = new();

        public double FractionRead => rows.Length == 0 ? 1 : (double)_next / rows.Length;

        public bool Read()
        {
            if (_next == rows.Length)
            {
                return false;
            }

            Record.Clear();
            Record.Line = _next + 1;
            foreach (var value in rows[_next])
            {
                var start = Record.Length;
                Record.Append(value);
                Record.EndField(start);
            }

            _next++;
            return true;
        }

        public void Dispose()
        {
        }
    }
}
