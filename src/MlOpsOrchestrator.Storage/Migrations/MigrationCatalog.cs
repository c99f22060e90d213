using System.Globalization;
using System.Reflection;

namespace MlOpsOrchestrator.Storage.Migrations;

/// <summary>
/// The migration scripts embedded in this assembly, <c>Migrations/{engine}/{NNNN}_{name}.sql</c>. A script is never
/// edited once released: a change to the schema is a new, higher-numbered script for both engines.
/// </summary>
internal static class MigrationCatalog
{
    private const string Prefix = "MlOpsOrchestrator.Storage.Migrations.";

    public static IReadOnlyList<Migration> For(string engine)
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var relative = resource[Prefix.Length..].Replace('\\', '/');
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !string.Equals(relative[..slash], engine, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            migrations.Add(Load(assembly, resource, Path.GetFileNameWithoutExtension(relative[(slash + 1)..])));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"The {engine} migrations must be numbered 1, 2, 3… without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    private static Migration Load(Assembly assembly, string resource, string fileName)
    {
        var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0 || !int.TryParse(fileName[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Migration resource '{resource}' cannot be read.");
        using var reader = new StreamReader(stream);
        return new Migration(version, fileName[(underscore + 1)..], reader.ReadToEnd());
    }
}
