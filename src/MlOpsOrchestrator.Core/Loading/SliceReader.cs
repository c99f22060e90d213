using System.Globalization;
using MlOpsOrchestrator.Specs;

namespace MlOpsOrchestrator.Loading;

/// <summary>
/// Reads <c>evaluate</c>'s <c>slices:</c> (<c>[season, { column: temp, bins: [0, 10, 20, 30] }]</c>) and
/// <c>slice_gates:</c> (<c>{ rmse: { max_increase: 0.15, min_rows: 50 } }</c>). What needs the rest of the pipeline
/// (the column exists, is not the label, the metric fits the task) is checked by <see cref="SliceRules"/>.
/// </summary>
internal sealed class SliceReader(ReadContext context)
{
    private static readonly string[] SliceGateKeys = ["max_increase", "max_decrease", "min_rows"];

    public List<SliceSpec> ReadSlices(Fields step)
    {
        var slices = new List<SliceSpec>();
        if (step.Sequence("slices") is not { } sequence)
        {
            return slices;
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var path = $"{step.PathOf("slices")}[{i}]";
            var item = sequence.Items[i];
            context.Marks.Record(path, item.Mark);
            switch (item)
            {
                case YScalar { IsNull: false } scalar:
                    context.Marks.Record($"{path}.column", scalar.Mark);
                    slices.Add(new SliceSpec(scalar.Value, null, scalar.Mark));
                    break;
                case YMapping:
                    if (context.Open(item, path, ["column", "bins"], "a slice") is { } fields && ReadSlice(fields) is { } slice)
                    {
                        slices.Add(slice);
                    }

                    break;
                default:
                    context.Errors.Add(item, path, $"expected a column name or {{ column: name, bins: [edges] }}, got {item.Describe()}");
                    break;
            }
        }

        return slices;
    }

    public List<SliceGateSpec> ReadSliceGates(Fields step)
    {
        var gates = new List<SliceGateSpec>();
        if (step.MappingOf("slice_gates") is not { } mapping)
        {
            return gates;
        }

        foreach (var (metric, node) in mapping.Entries)
        {
            var path = $"{step.PathOf("slice_gates")}.{metric.Value}";
            context.Marks.Record(path, metric.Mark);
            var gate = context.Open(node, path, SliceGateKeys, $"slice gate '{metric.Value}'");
            if (gate is null)
            {
                continue;
            }

            var minRows = (int)(gate.Integer("min_rows", min: 1, max: int.MaxValue) ?? SliceGateSpec.DefaultMinRows);
            var before = gates.Count;
            foreach (var (name, kind) in new[] { ("max_increase", GateKind.MaxIncrease), ("max_decrease", GateKind.MaxDecrease) })
            {
                if (gate.Number(name, min: 0) is { } value)
                {
                    gates.Add(new SliceGateSpec(metric.Value, kind, value, minRows, metric.Mark));
                }
            }

            if (gates.Count == before && !gate.Has("max_increase") && !gate.Has("max_decrease"))
            {
                context.Errors.Add(node, path, $"slice gate '{metric.Value}' needs max_increase or max_decrease (a slice is judged against production on the same slice), e.g. '{{ max_increase: 0.15, min_rows: 50 }}'");
            }
        }

        return gates;
    }

    private SliceSpec? ReadSlice(Fields fields)
    {
        var column = fields.String("column", required: true);
        if (column is null)
        {
            return null;
        }

        if (!fields.Has("bins"))
        {
            return new SliceSpec(column, null, fields.Mapping.Mark);
        }

        if (fields.Sequence("bins") is not { } sequence)
        {
            return null;
        }

        var bins = new List<double>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var path = $"{fields.PathOf("bins")}[{i}]";
            if (sequence.Items[i] is not YScalar scalar || !ScalarValues.TryNumber(scalar, out var edge) || !double.IsFinite(edge))
            {
                context.Errors.Add(sequence.Items[i], path, $"expected a number as a bin edge, got {Describe(sequence.Items[i])}");
                return null;
            }

            if (bins.Count > 0 && edge <= bins[^1])
            {
                context.Errors.Add(scalar, path, string.Create(CultureInfo.InvariantCulture,
                    $"bin edges must be strictly increasing; {edge} follows {bins[^1]}"));
                return null;
            }

            bins.Add(edge);
        }

        if (bins.Count == 0)
        {
            fields.Error("bins", "'bins' is empty; list at least one edge, e.g. 'bins: [0, 10, 20]', or remove 'bins' to slice by every value");
            return null;
        }

        return new SliceSpec(column, bins, fields.Mapping.Mark);
    }

    private static string Describe(YNode node) => node is YScalar { IsNull: false } scalar ? $"'{scalar.Shown}'" : node.Describe();
}
