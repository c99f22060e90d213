using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Serving;

/// <summary>
/// What one thread needs to score rows with a model, built once and reused, as ML.NET's <c>PredictionEngine</c> does:
/// an input row, the model's row mapper bound to it, and the getters of the output columns. A prediction then only
/// writes the input values, advances the row and calls the getters; no schema, data view or cursor is built. Not
/// thread-safe: <see cref="ModelScorer"/> lends each session to one request at a time.
/// </summary>
internal sealed class ScoringSession
{
    private const string ScoreColumn = "Score";
    private const string PredictedLabelColumn = "PredictedLabel";
    private const string ProbabilityColumn = "Probability";

    private readonly ITransformer _model;
    private readonly MlTask _task;
    private readonly object _positive;
    private readonly object _negative;
    private readonly OutputGetters? _mapped;
    private VBuffer<float> _vector;
    private ReadOnlyMemory<char> _text;

    /// <summary>Multiclass: the class of each score, from the Score column's slot names (the label's key values), else the schema's classes.</summary>
    private IReadOnlyList<string>? _classes;

    public ScoringSession(
        ITransformer model, DataViewSchema inputSchema, MlTask task, object positive, object negative, JsonElement[] values, IReadOnlyList<string>? classes = null)
    {
        _model = model;
        _classes = classes;
        _task = task;
        _positive = positive;
        _negative = negative;
        Input = new ScoringRow(inputSchema);
        Values = values;
        if (model.IsRowToRowMapper)
        {
            var mapper = model.GetRowToRowMapper(inputSchema);
            var output = mapper.GetRow(Input, Needed(mapper.OutputSchema));
            _mapped = Getters(output);
        }
    }

    /// <summary>Where <see cref="ScoringInput.Read"/> writes a request's values.</summary>
    public ScoringRow Input { get; }

    /// <summary>The session's buffer for <see cref="ScoringInput.Read"/>.</summary>
    public JsonElement[] Values { get; }

    /// <summary>Scores the values last written to <see cref="Input"/>.</summary>
    public Prediction Predict()
    {
        Input.Advance();
        if (_mapped is { } getters)
        {
            return Read(getters);
        }

        // A chain that cannot map row by row: the one-row data view through Transform, as before sessions existed.
        using var cursor = ScoredCursor(_model.Transform(Input.ToDataView()), out var getters2);
        cursor.MoveNext();
        return Read(getters2);
    }

    /// <summary>Lets go of the last request's values before the session goes back to the pool.</summary>
    public void Release()
    {
        Input.Clear();
        Array.Clear(Values);
    }

    private Prediction Read(OutputGetters getters)
    {
        switch (_task)
        {
            case MlTask.Regression:
                var score = 0f;
                getters.Score(ref score);
                return Prediction.Of(_task, score);
            case MlTask.Binary:
                float margin = 0, probability = float.NaN;
                var label = false;
                getters.Score(ref margin);
                getters.Label!(ref label);
                getters.Probability?.Invoke(ref probability);
                return Prediction.Of(_task, margin, label ? _positive : _negative, probability);
            default:
                getters.Scores!(ref _vector);
                getters.Name!(ref _text);
                var scores = new double[_vector.Length];
                var i = 0;
                foreach (var value in _vector.DenseValues())
                {
                    scores[i++] = Number(value) ?? double.NaN;
                }

                return new Prediction
                {
                    Task = _task,
                    PredictedLabel = _text.ToString(),
                    Scores = scores,
                    Classes = _classes is { } classes && classes.Count == scores.Length ? classes : null,
                };
        }
    }

    private DataViewRowCursor ScoredCursor(IDataView scored, out OutputGetters getters)
    {
        var cursor = scored.GetRowCursor(Needed(scored.Schema));
        getters = Getters(cursor);
        return cursor;
    }

    private static List<DataViewSchema.Column> Needed(DataViewSchema schema) =>
        [.. new[] { schema.GetColumnOrNull(ScoreColumn), schema.GetColumnOrNull(PredictedLabelColumn), schema.GetColumnOrNull(ProbabilityColumn) }
            .OfType<DataViewSchema.Column>()];

    private OutputGetters Getters(DataViewRow row)
    {
        var schema = row.Schema;
        var score = schema[ScoreColumn];
        var predicted = schema.GetColumnOrNull(PredictedLabelColumn);
        var probability = schema.GetColumnOrNull(ProbabilityColumn);
        return _task switch
        {
            MlTask.Regression => new OutputGetters(row.GetGetter<float>(score), null, null, null, null),
            MlTask.Binary => new OutputGetters(
                row.GetGetter<float>(score), row.GetGetter<bool>(predicted!.Value), probability is { } p ? row.GetGetter<float>(p) : null, null, null),
            _ => MulticlassGetters(row, score, predicted!.Value),
        };
    }

    private OutputGetters MulticlassGetters(DataViewRow row, DataViewSchema.Column score, DataViewSchema.Column predicted)
    {
        if (score.HasSlotNames())
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            score.GetSlotNames(ref names);
            _classes = [.. names.DenseValues().Select(n => n.ToString())];
        }

        return new OutputGetters(null!, null, null, row.GetGetter<VBuffer<float>>(score), row.GetGetter<ReadOnlyMemory<char>>(predicted));
    }

    /// <summary>A float as the shortest double that prints like it (0.1f → 0.1, not 0.100000001490116); null when not finite.</summary>
    internal static double? Number(float value)
    {
        if (!float.IsFinite(value))
        {
            return null;
        }

        Span<char> text = stackalloc char[32];
        return value.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture)
            ? double.Parse(text[..written], CultureInfo.InvariantCulture)
            : double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private sealed record OutputGetters(
        ValueGetter<float> Score,
        ValueGetter<bool>? Label,
        ValueGetter<float>? Probability,
        ValueGetter<VBuffer<float>>? Scores,
        ValueGetter<ReadOnlyMemory<char>>? Name);
}
