using System.Reflection;
using MlOpsOrchestrator.Loading;
using NUnit.Framework;

namespace MlOpsOrchestrator.Tests;

/// <summary>
/// Core holds the rules and contracts; ML.NET, schedulers and database drivers live in the projects around it.
/// This keeps the layering honest: a using that drags one in fails here, not in a review months later.
/// </summary>
[TestFixture]
public sealed class CoreDependenciesTests
{
    private static readonly string[] Forbidden = ["Microsoft.ML", "Quartz", "Hangfire", "Npgsql", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "System.Data.SQLite"];

    [Test]
    public void ReferencedAssemblies_Core_NoInfrastructure()
    {
        var referenced = typeof(PipelineLoader).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(referenced, Is.Not.Empty);
            Assert.That(referenced.Where(IsForbidden), Is.Empty);
        });
    }

    [Test]
    public void ReferencedAssemblies_CoreAndWhatItLoads_NoInfrastructure()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([typeof(PipelineLoader).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var name in assembly.GetReferencedAssemblies().Where(n => seen.Add(n.Name!) && !IsFramework(n.Name!)))
            {
                pending.Push(Assembly.Load(name));
            }
        }

        Assert.That(seen.Where(IsForbidden), Is.Empty);
    }

    private static bool IsForbidden(string name) =>
        Forbidden.Any(f => name.Equals(f, StringComparison.OrdinalIgnoreCase) || name.StartsWith(f + ".", StringComparison.OrdinalIgnoreCase))
        || name.Contains("sqlite", StringComparison.OrdinalIgnoreCase);

    private static bool IsFramework(string name) =>
        name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib";
}
