using Npgsql;

namespace MlOpsOrchestrator.Storage.Keys;

/// <summary>
/// The ASP.NET Core data-protection key ring of a PostgreSQL cluster, one XML element per key, so a form or cookie one
/// <c>serve</c> signed is accepted by every other. Synchronous, because the key ring's repository contract is; the ring
/// is read once and then cached by ASP.NET Core, so this is not on a request's path.
/// </summary>
public sealed class DataProtectionKeyTable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly TimeProvider _time;

    internal DataProtectionKeyTable(NpgsqlDataSource dataSource, string schema, TimeProvider time)
    {
        _dataSource = dataSource;
        _schema = schema;
        _time = time;
    }

    /// <summary>Every stored key element, oldest first.</summary>
    public IReadOnlyList<string> GetAll()
    {
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand($"SELECT xml FROM {_schema}.data_protection_keys ORDER BY created_at, name", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<string>();
        while (reader.Read())
        {
            elements.Add(reader.GetString(0));
        }

        return elements;
    }

    /// <summary>Adds a key element; a name already stored (the same key written twice) keeps its first element.</summary>
    public void Store(string name, string xml)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(xml);
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand(
            $"INSERT INTO {_schema}.data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @at) ON CONFLICT (name) DO NOTHING", connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("xml", xml);
        command.Parameters.AddWithValue("at", _time.GetUtcNow());
        command.ExecuteNonQuery();
    }
}
