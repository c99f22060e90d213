namespace MlOpsOrchestrator.Bench;

/// <summary>A benchmark's working folder: a fresh temporary folder, removed when the measurement ends, however it ends.</summary>
internal static class BenchRoot
{
    public static async Task<T> UseAsync<T>(string prefix, Func<string, Task<T>> measure)
    {
        var root = Directory.CreateTempSubdirectory(prefix).FullName;
        try
        {
            return await measure(root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
