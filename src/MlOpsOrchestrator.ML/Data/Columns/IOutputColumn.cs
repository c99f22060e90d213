using System.Text;
using Microsoft.ML.Data;

namespace MlOpsOrchestrator.ML.Data.Columns;

/// <summary>A column as it is written to the <c>.idv</c> files, hashed and profiled, addressed by stored row index.</summary>
internal interface IOutputColumn
{
    string Name { get; }

    DataViewType ViewType { get; }

    /// <summary>A <c>ValueGetter&lt;T&gt;</c> of <see cref="ViewType"/>'s raw type that reads the row <paramref name="position"/> points at.</summary>
    Delegate MakeGetter(IRowPosition position);

    /// <summary>The value as canonical text (empty when missing), for the data hash and duplicate detection.</summary>
    void AppendCanonical(int row, StringBuilder text);

    /// <summary>The same text as <see cref="AppendCanonical"/>, into the data hash's reused line buffer.</summary>
    void WriteCanonical(int row, CanonicalText text);
}

/// <summary>The stored row a cursor is on.</summary>
internal interface IRowPosition
{
    int Row { get; }
}
