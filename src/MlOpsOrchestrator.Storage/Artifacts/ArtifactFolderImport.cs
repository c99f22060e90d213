using MlOpsOrchestrator.Stores;

namespace MlOpsOrchestrator.Storage.Artifacts;

/// <summary>
/// <c>mlops migrate-artifacts</c>: copies the files of a home's <c>artifacts</c> folder (written before the PostgreSQL
/// mode kept artifacts in the database) into the database under the same names. Idempotent: a name already stored with
/// the same bytes is skipped, so a second run copies nothing and an interrupted one simply runs again. The files stay.
/// </summary>
internal static class ArtifactFolderImport
{
    public static async Task<ArtifactImportReport> RunAsync(IArtifactStore target, string home, CancellationToken ct)
    {
        if (target is not PostgresArtifactStore database)
        {
            throw new InvalidOperationException(
                "the embedded mode keeps artifacts as files already; migrate-artifacts copies them into PostgreSQL: pass --postgres or set MLOPS_POSTGRES");
        }

        var folder = Path.Combine(Path.GetFullPath(home), MlOpsStorage.ArtifactsFolderName);
        var imported = new List<string>();
        var unchanged = 0;
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
                if (FileArtifactStore.IsTemporary(name))
                {
                    continue; // A temporary file of an interrupted file-store write, never an artifact.
                }

                var local = await PostgresArtifactStore.HashAsync(file, ct);
                if (await database.FindBlobAsync(name, ct) == local)
                {
                    unchanged++;
                    continue;
                }

                await database.ImportAsync(name, file, ct);
                imported.Add(name);
            }
        }

        return new ArtifactImportReport { Folder = folder, Imported = imported, AlreadyStored = unchanged };
    }
}
