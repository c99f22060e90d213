using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Data.Columns;
using MlOpsOrchestrator.ML.Serving;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.ML.Replay;

/// <summary>
/// Scores rows of a <see cref="ReplayTable"/> with one registered version, through the serving code
/// (<see cref="ModelScorer"/>): each row becomes the request a client would send, typed by the model's schema, so a
/// replayed prediction is the prediction <c>mlops predict</c> and the API give. A row the model cannot score (a
/// required value missing) is counted by the caller as not scored.
/// </summary>
public sealed class ReplayScorer
{
    private readonly ModelScorer _scorer;
    private readonly (int Source, string Name, ColumnType Type)[] _fields;
    private readonly int _label;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    private ReplayScorer(ModelScorer scorer, ReplayTable table)
    {
        _scorer = scorer;
        _fields = [.. scorer.Schema.Features
            .Where(f => scorer.Fields.Contains(f.Name) && table.Column(f.Name) >= 0)
            .Select(f => (table.Column(f.Name), f.Name, f.Type))];
        _label = table.Column(scorer.Schema.Label);
    }

    public MlTask Task => _scorer.Task;

    /// <summary>Loads <paramref name="version"/> for scoring the rows of <paramref name="table"/>.</summary>
    public static ReplayScorer Load(IArtifactStore artifacts, ModelVersion version, ReplayTable table) =>
        new(ModelScorer.Load(artifacts, version), table);

    /// <summary>The row's label and prediction as <see cref="PrequentialMetric"/> takes them; false when the row has no usable label or cannot be scored.</summary>
    public bool TryScore(string[] row, out ScoredRow scored)
    {
        scored = default;
        if (_label < 0 || ValueText.IsMissing(row[_label].AsSpan().Trim()))
        {
            return false;
        }

        Prediction prediction;
        try
        {
            using var document = JsonDocument.Parse(Request(row));
            prediction = _scorer.Score(document.RootElement)[0];
        }
        catch (ScoringInputException)
        {
            return false;
        }

        var label = row[_label].Trim();
        switch (Task)
        {
            case MlTask.Regression:
                if (!ValueText.TryNumber(label, out var y) || prediction.Score is not { } score)
                {
                    return false;
                }

                scored = new ScoredRow(y, score, null, null);
                return true;
            case MlTask.Binary:
                var positive = _scorer.Schema.Positive is { } p
                    ? string.Equals(label, p, StringComparison.Ordinal)
                    : ValueText.TryBoolean(label, out var flag) ? flag : (bool?)null;
                if (positive is not { } truth)
                {
                    return false;
                }

                var predicted = prediction.PredictedLabel switch
                {
                    bool b => b,
                    var other => string.Equals(Convert.ToString(other, CultureInfo.InvariantCulture), _scorer.Schema.Positive, StringComparison.Ordinal),
                };
                scored = new ScoredRow(truth ? 1 : 0, prediction.Probability ?? prediction.Score ?? (predicted ? 1 : 0), predicted ? "1" : "0", truth ? "1" : "0");
                return true;
            default:
                scored = new ScoredRow(0, 0, Convert.ToString(prediction.PredictedLabel, CultureInfo.InvariantCulture), label);
                return true;
        }
    }

    private ReadOnlyMemory<byte> Request(string[] row)
    {
        _buffer.Clear();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            foreach (var (source, name, type) in _fields)
            {
                var text = row[source].AsSpan().Trim();
                if (ValueText.IsMissing(text))
                {
                    json.WriteNull(name);
                    continue;
                }

                switch (type)
                {
                    case ColumnType.Float or ColumnType.Int when ValueText.TryNumber(text, out var number):
                        json.WriteNumber(name, number);
                        break;
                    case ColumnType.Float or ColumnType.Int:
                        json.WriteNull(name);
                        break;
                    case ColumnType.Boolean when ValueText.TryBoolean(text, out var flag):
                        json.WriteBoolean(name, flag);
                        break;
                    case ColumnType.Datetime when ValueText.TryDate(text, out var at):
                        json.WriteString(name, at.ToString("O", CultureInfo.InvariantCulture));
                        break;
                    default:
                        json.WriteString(name, text);
                        break;
                }
            }

            json.WriteEndObject();
        }

        return _buffer.WrittenMemory;
    }
}
