using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlOpsOrchestrator.Cli.Views;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Serving;
using MlOpsOrchestrator.Security;
using MlOpsOrchestrator.Stores;
using MlOpsOrchestrator.Telemetry;
using MlOpsOrchestrator.Text;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// <c>GET /api/models[/{name}]</c> (the detail as <c>mlops models NAME --json</c>), the alias moves <c>POST
/// /api/models/{name}/promote</c> and <c>.../rollback</c>, and <c>POST /api/models/{name}/predict</c>. A move goes to the
/// model service (<see cref="IModelService"/>), which checks it and records it with the caller the access rule
/// established, as a decision on a run is.
/// </summary>
internal static class ModelEndpoints
{
    public const string ModelVersionHeader = "X-Model-Version";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/models", ListAsync);
        routes.MapGet("/api/models/{name}", GetAsync);
        routes.MapPost("/api/models/{name}/promote", (string name, HttpRequest request, IModelService models, AccessPolicy policy, CancellationToken ct) =>
            MoveAsync(name, promote: true, request, models, policy, ct));
        routes.MapPost("/api/models/{name}/rollback", (string name, HttpRequest request, IModelService models, AccessPolicy policy, CancellationToken ct) =>
            MoveAsync(name, promote: false, request, models, policy, ct));
        routes.MapPost("/api/models/{name}/predict", PredictAsync);
        routes.MapGet("/api/models/{name}/evaluations", EvaluationsAsync);
    }

    /// <summary>
    /// What the evaluation store holds for the model, as <c>mlops evals NAME --json</c>: <c>?version=</c> (a whole number
    /// of 1 or more) and <c>?slice=</c> (a column, <c>*</c> for the whole set) narrow it; 404 for an unknown model or version.
    /// </summary>
    private static async Task<IResult> EvaluationsAsync(string name, HttpRequest request, Evaluations.IEvaluationService evaluations, CancellationToken ct)
    {
        var query = request.Query;
        if (query.Keys.FirstOrDefault(k => k is not ("version" or "slice")) is { } unknown)
        {
            return ApiJson.BadRequest($"unknown query parameter '{unknown}'; use 'version' and 'slice'");
        }

        int? version = null;
        if (query.TryGetValue("version", out var text))
        {
            if (!int.TryParse(text.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return ApiJson.BadRequest($"'version': '{Echo.Value(text.ToString())}' is not a version; use a whole number of 1 or more");
            }

            version = number;
        }

        var slice = query.TryGetValue("slice", out var column) ? column.ToString() : null;
        try
        {
            var rows = await evaluations.ListAsync(name, version, slice, ct);
            return ApiJson.Ok(EvaluationsView.From(name, version, slice, rows));
        }
        catch (Evaluations.EvaluationQueryException ex)
        {
            return ex.NotFound ? ApiJson.NotFound(ex.Message) : ApiJson.BadRequest(ex.Message);
        }
    }

    private static async Task<IResult> ListAsync(IModelService models, CancellationToken ct) => ApiJson.Ok(await models.ListAsync(ct));

    private static async Task<IResult> GetAsync(string name, IModelService models, IModelRegistry registry, CancellationToken ct) =>
        await ModelsView.LoadAsync(models, name, ct) is { } view ? ApiJson.Ok(view) : await UnknownAsync(registry, name, ct);

    /// <summary>
    /// The move is recorded as the caller the access rule established (<see cref="AccessPolicy.Identify"/>), the
    /// body's <c>by</c> only a note after it; the answer is the move as the alias history records it.
    /// </summary>
    private static async Task<IResult> MoveAsync(string name, bool promote, HttpRequest request, IModelService models, AccessPolicy policy, CancellationToken ct)
    {
        var (json, jsonError) = await ApiBody.ReadAsync(request, ct);
        var (body, bodyError) = jsonError is null ? AliasMoveBody.Parse(json, promote) : (null, jsonError);
        if (body is null)
        {
            return ApiJson.BadRequest(bodyError!);
        }

        var caller = policy.Identify(request.HttpContext.Connection.RemoteIpAddress, request.Headers.Authorization, "api");
        var by = AccessPolicy.Actor(caller, body.By);
        try
        {
            var change = promote
                ? await models.PromoteAsync(name, body.Version, body.Alias, by, body.Reason, ct)
                : await models.RollbackAsync(name, body.Alias, by, body.Reason, ct);
            return ApiJson.Ok(change);
        }
        catch (ModelControlException ex)
        {
            return ex.NotFound ? ApiJson.NotFound(ex.Message) : ex.Field is { } field ? ApiJson.BadRequest($"'{field}': {ex.Message}") : ApiJson.Conflict(ex.Message);
        }
    }

    /// <summary>True for <c>POST /api/models/{name}/predict</c>, which request logging keeps quiet when it succeeds.</summary>
    public static bool IsPredict(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && request.Path.StartsWithSegments("/api/models", StringComparison.OrdinalIgnoreCase, out var rest)
        && rest.Value is { } tail && tail.EndsWith("/predict", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Scores one JSON object or an array of them with the version under <c>?alias=</c>, or, naming none, with
    /// production and the canary for its share (<see cref="PredictionAnswers"/>), while a shadow scores the same rows
    /// after the answer has gone (<see cref="ShadowScorer"/>). The hot path reads nothing from the store: the served
    /// versions come from <see cref="ScorerCache"/>'s memory and the predictions go to <see cref="PredictionLogWriter"/>'s queue.
    /// </summary>
    private static async Task<IResult> PredictAsync(
        string name, string? alias, HttpRequest request, ScorerCache scorers, IModelRegistry registry, PredictionLogWriter predictions, ShadowScorer shadows,
        OnlineRowFeatures features, TimeProvider time, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var result = await ScoreAsync(new PredictRequest(name, alias, request, scorers, registry, predictions, shadows, features, time, started), ct);
        var code = result is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status200OK;
        var outcome = code < StatusCodes.Status400BadRequest ? "ok" : code < StatusCodes.Status500InternalServerError ? "rejected" : "error";
        // Names that reached no model are not labels: a caller could otherwise make up a new series per request.
        var model = code == StatusCodes.Status404NotFound ? "unknown" : name;
        var answered = request.HttpContext.Response.Headers[PredictionAnswers.ModelAliasHeader].ToString();
        var served = code is StatusCodes.Status404NotFound or StatusCodes.Status409Conflict ? "unknown"
            : answered.Length > 0 ? answered
            : string.IsNullOrWhiteSpace(alias) ? PredictionRecord.DefaultAlias : alias;
        MlOpsTelemetry.Predicted(model, served, outcome, time.GetElapsedTime(started));
        return result;
    }

    private static async Task<IResult> ScoreAsync(PredictRequest call, CancellationToken ct)
    {
        var (name, request, time) = (call.Name, call.Request, call.Time);
        var (document, jsonError) = await ApiBody.ReadDocumentAsync(request, ct);
        if (jsonError is not null)
        {
            return ApiJson.BadRequest(jsonError);
        }

        if (document is null)
        {
            return ApiJson.BadRequest("send the rows to score: one JSON object, or an array of objects");
        }

        using (document)
        {
            var input = document.RootElement;
            var routed = string.IsNullOrWhiteSpace(call.Alias);
            var alias = routed ? PredictionRecord.DefaultAlias : call.Alias!;
            ServedRoutes? routes = null;
            PredictionAnswers? answers = null;
            try
            {
                if (routed)
                {
                    routes = await call.Scorers.GetRoutesAsync(name, ct);
                    if (routes.Production is not null || routes.Canary is not null)
                    {
                        answers = PredictionAnswers.Route(name, routes, input, request.Headers[PredictionAnswers.RequestKeyHeader].ToString(), time.GetUtcNow());
                    }
                }
                else if (await call.Scorers.GetAsync(name, alias, ct) is { } served)
                {
                    answers = PredictionAnswers.To(served, input, time.GetUtcNow());
                }
            }
            catch (InvalidDataException ex)
            {
                return ApiJson.Error(StatusCodes.Status500InternalServerError, $"model '{name}' cannot be served: {ex.Message}");
            }

            if (answers is null || answers.AnsweredBy.Contains(null))
            {
                return (await call.Registry.ListVersionsAsync(name, ct)).Count == 0
                    ? await UnknownAsync(call.Registry, name, ct)
                    : ApiJson.Conflict($"model '{name}' has no '{alias}' alias yet; 'mlops promote {name} VERSION --alias {alias}' sets it");
            }

            var enrichment = await call.Features.FillAsync([.. answers.AnsweredBy.OfType<ServedModel>().Distinct()], answers.Rows, input.ValueKind == JsonValueKind.Array, ct);
            if (enrichment.Problem is { } problem)
            {
                return ApiJson.Error(enrichment.Status ?? StatusCodes.Status409Conflict, problem);
            }

            using var filled = enrichment.Input;
            if (filled is not null)
            {
                input = filled.RootElement;
                answers = answers.WithInput(input);
            }

            try
            {
                var text = answers.Score(input, enrichment.Notes).ToJsonString(ApiJson.Options);
                answers.WriteHeaders(request.HttpContext.Response, ModelVersionHeader);
                Log(call, answers);
                if (routes?.Shadow is { } shadow && answers.Rows.Count > 0)
                {
                    call.Shadows.Add(new ShadowWork(shadow, time.GetUtcNow(), input.GetRawText(), answers.Ids, answers.Keys));
                }

                return Results.Text(text, "application/json; charset=utf-8");
            }
            catch (ScoringInputException ex)
            {
                return ApiJson.BadRequest(ex.Message, ex.Problems.Count > 1 ? ex.Problems : null);
            }
        }
    }

    /// <summary>One log record per answered row, with the alias that answered, the id the caller got and the routing key.</summary>
    private static void Log(PredictRequest call, PredictionAnswers answers)
    {
        var at = call.Time.GetUtcNow();
        var latency = call.Time.GetElapsedTime(call.Started).TotalMilliseconds;
        for (var i = 0; i < answers.Rows.Count; i++)
        {
            var served = answers.AnsweredBy[i]!;
            call.Predictions.Add(new PredictionRecord(
                served.Model, served.Version, at, answers.Rows[i].GetRawText(), answers.Answer(i), latency, served.Alias, answers.Ids[i], answers.Keys[i]));
        }
    }

    private sealed record PredictRequest(
        string Name, string? Alias, HttpRequest Request, ScorerCache Scorers, IModelRegistry Registry, PredictionLogWriter Predictions, ShadowScorer Shadows,
        OnlineRowFeatures Features, TimeProvider Time, long Started);

    private static async Task<IResult> UnknownAsync(IModelRegistry registry, string name, CancellationToken ct)
    {
        var names = await registry.ListNamesAsync(ct);
        return ApiJson.NotFound($"no model named '{Echo.Value(name)}'{(names.Count > 0 ? $"; models: {Echo.List(names)}" : "; a pipeline's deploy step registers one")}");
    }
}
