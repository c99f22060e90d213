using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// The API speaks the JSON of the <c>--json</c> outputs (<see cref="CliJson"/>: camelCase, ISO 8601 UTC times), so a
/// script can switch between <c>mlops show --json</c> and <c>GET /api/runs/{id}</c> without changing a field name.
/// </summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(CliJson.Options) { WriteIndented = false };

    public static IResult Ok<T>(T value) => Results.Json(value, Options);

    public static IResult Status<T>(T value, int statusCode) => Results.Json(value, Options, statusCode: statusCode);

    /// <summary>An error a client can act on: <c>{ "error": "..." }</c>, with <c>details</c> when there are several problems.</summary>
    public static IResult Error(int statusCode, string message, IReadOnlyList<string>? details = null) =>
        Results.Json(new ApiError(message, details), Options, statusCode: statusCode);

    public static IResult BadRequest(string message, IReadOnlyList<string>? details = null) => Error(StatusCodes.Status400BadRequest, message, details);

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, message);

    public static IResult Conflict(string message) => Error(StatusCodes.Status409Conflict, message);
}
