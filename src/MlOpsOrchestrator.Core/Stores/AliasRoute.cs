using System.Globalization;

namespace MlOpsOrchestrator.Stores;

/// <summary>
/// The requests an alias answers besides the ones that name it: a canary answers <paramref name="Traffic"/> of the
/// requests to its model, chosen by a stable hash of the request's key (the row's <paramref name="Key"/> field, else the
/// <c>X-Request-Key</c> header, else the request itself). Stored with the alias and written in the same transaction as
/// its move, so serving never sees a version without its share.
/// </summary>
/// <param name="Traffic">The share of requests, more than 0 and less than 1.</param>
/// <param name="Key">The request row's field the split is sticky on; null for the header or the request.</param>
public sealed record AliasRoute(double Traffic, string? Key)
{
    /// <summary><c>10% by customer_id</c>, <c>10% by request key</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Traffic * 100:0.###}% by {Key ?? "request key"}");
}
