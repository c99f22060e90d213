using Microsoft.ML;

namespace MlOpsOrchestrator.ML.Steps.Slicing;

/// <summary>The evaluation rows of one slice: <paramref name="Slice"/> (<c>segment=south</c>, <c>0&lt;=temp&lt;10</c>, <c>temp missing</c>) of <paramref name="Column"/>.</summary>
internal sealed record RowSlice(string Column, string Slice, IDataView View, int Rows);
