using System.Security.Cryptography;
using System.Text;

namespace MlOpsOrchestrator.ML.Data;

/// <summary>
/// The data hash (SHA-256 of the prepared rows' canonical text: a header of names and types, then one line per
/// row in source order, then the test source's rows) and the duplicate count of the main rows, in one pass.
/// </summary>
internal sealed class RowDigest
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly StringBuilder _line = new();
    private byte[] _bytes = new byte[256];

    public int Duplicates { get; private set; }

    /// <summary>The first stored row that repeats an earlier one, and that earlier row.</summary>
    public (int Row, int Of)? FirstDuplicate { get; private set; }

    public void AddHeader(string header) => Append(header);

    /// <summary>Hashes <paramref name="rows"/> rows of <paramref name="columns"/>; counts duplicates when asked.</summary>
    public void AddRows(IReadOnlyList<IOutputColumn> columns, int rows, bool countDuplicates)
    {
        var seen = countDuplicates ? new Dictionary<ulong, int>(rows) : null;
        for (var row = 0; row < rows; row++)
        {
            _line.Clear();
            for (var c = 0; c < columns.Count; c++)
            {
                if (c > 0)
                {
                    _line.Append('\t');
                }

                columns[c].AppendCanonical(row, _line);
            }

            var key = Append(_line);
            if (seen is not null && !seen.TryAdd(key, row))
            {
                Duplicates++;
                FirstDuplicate ??= (row, seen[key]);
            }
        }
    }

    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>Hashes one line and returns its 64-bit FNV-1a, the duplicate key (collisions are ~1e-8 at a million rows).</summary>
    private ulong Append(StringBuilder line)
    {
        line.Append('\n');
        var length = Encoding.UTF8.GetMaxByteCount(line.Length);
        if (length > _bytes.Length)
        {
            _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
        }

        var written = 0;
        foreach (var chunk in line.GetChunks())
        {
            written += Encoding.UTF8.GetBytes(chunk.Span, _bytes.AsSpan(written));
        }

        var bytes = _bytes.AsSpan(0, written);
        _hash.AppendData(bytes);
        var fnv = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            fnv = (fnv ^ b) * 1099511628211UL;
        }

        return fnv;
    }

    private void Append(string text)
    {
        _line.Clear().Append(text);
        Append(_line);
    }
}
