using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using MlOpsOrchestrator.ML.Data.Columns;

namespace MlOpsOrchestrator.ML.Steps.DataPrep;

/// <summary>
/// The data hash (SHA-256 of the prepared rows' canonical text: a header of names and types, then one line per
/// row in source order, then the test source's rows) and the duplicate count of the main rows, in one pass. Lines
/// are encoded into one block that is hashed when full, not one hash call per row.
/// </summary>
internal sealed class RowDigest
{
    private const int BlockSize = 1 << 16;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly CanonicalText _line = new();
    private byte[] _block = new byte[BlockSize];
    private int _used;

    public int Duplicates { get; private set; }

    /// <summary>The first stored row that repeats an earlier one, and that earlier row.</summary>
    public (int Row, int Of)? FirstDuplicate { get; private set; }

    public void AddHeader(string header)
    {
        _line.Clear();
        _line.Append(header);
        Append();
    }

    /// <summary>Hashes <paramref name="rows"/> rows of <paramref name="columns"/>; counts duplicates when asked.</summary>
    public void AddRows(IReadOnlyList<IOutputColumn> columns, int rows, bool countDuplicates)
    {
        var seen = countDuplicates ? new Dictionary<ulong, int>(rows) : null;
        var array = columns.ToArray();
        for (var row = 0; row < rows; row++)
        {
            _line.Clear();
            for (var c = 0; c < array.Length; c++)
            {
                if (c > 0)
                {
                    _line.Append('\t');
                }

                array[c].WriteCanonical(row, _line);
            }

            var key = Append();
            if (seen is not null && !seen.TryAdd(key, row))
            {
                Duplicates++;
                FirstDuplicate ??= (row, seen[key]);
            }
        }
    }

    public string Finish()
    {
        Flush();
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    /// <summary>Adds the line and a newline to the hash; returns its 64-bit key for duplicate detection (collisions are ~1e-8 at a million rows).</summary>
    private ulong Append()
    {
        _line.Append('\n');
        var text = _line.Span;
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_used + length > _block.Length)
        {
            Flush();
            if (length > _block.Length)
            {
                _block = new byte[length];
            }
        }

        var bytes = _block.AsSpan(_used, Encoding.UTF8.GetBytes(text, _block.AsSpan(_used)));
        _used += bytes.Length;
        return Key(bytes);
    }

    /// <summary>A 64-bit hash of a line, eight bytes at a step (FNV-1a's constants, each word mixed before it is folded in).</summary>
    private static ulong Key(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL ^ (ulong)bytes.Length;
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (var word in words)
        {
            hash = (hash ^ Mix(word)) * 1099511628211UL;
        }

        ulong tail = 0;
        foreach (var b in bytes[(words.Length * sizeof(ulong))..])
        {
            tail = (tail << 8) | b;
        }

        return Mix((hash ^ Mix(tail)) * 1099511628211UL);
    }

    /// <summary>MurmurHash3's finalizer: every input bit affects every output bit.</summary>
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 33)) * 0xff51afd7ed558ccdUL;
        value = (value ^ (value >> 33)) * 0xc4ceb9fe1a85ec53UL;
        return value ^ (value >> 33);
    }

    private void Flush()
    {
        _hash.AppendData(_block, 0, _used);
        _used = 0;
    }
}
