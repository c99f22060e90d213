using System.Text;

namespace MlOpsOrchestrator.Cli.Api;

/// <summary>
/// Which requests a canary answers: a stable hash of (model, key) mapped to [0, 1) and compared with the share. The
/// same key always lands on the same side while the share is unchanged (sticky), on every serve node and after a
/// restart, and raising the share only moves keys from production to the canary, never back.
/// </summary>
internal static class TrafficSplit
{
    /// <summary>True when the request with this key belongs to the canary's <paramref name="traffic"/> share.</summary>
    public static bool ToCanary(string model, string key, double traffic) => Position(model, key) < traffic;

    /// <summary>The key's place in [0, 1): FNV-1a over the UTF-8 of model and key, then a 64-bit finalizer so that keys
    /// differing only in their last characters (customer-1, customer-2) spread evenly.</summary>
    public static double Position(string model, string key)
    {
        const ulong prime = 1099511628211;
        var hash = 14695981039346656037;
        Span<byte> buffer = stackalloc byte[256];
        foreach (var part in new[] { model, key })
        {
            var bytes = Encoding.UTF8.GetByteCount(part) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(part, buffer)] : Encoding.UTF8.GetBytes(part);
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * prime;
            }

            hash = (hash ^ 0xff) * prime; // separator: ("ab", "c") and ("a", "bc") differ
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53;
        hash ^= hash >> 33;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }
}
