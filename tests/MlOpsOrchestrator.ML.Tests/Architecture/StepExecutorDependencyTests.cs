using System.Reflection;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.Specs;
using MlOpsOrchestrator.Stores;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Architecture;

/// <summary>
/// Step executors take what they use in their constructors: none asks for a service locator or takes a service that
/// may be missing (a nullable parameter), and the per-step <see cref="StepContext"/> hands out no store or service,
/// so a service a step needs is either composed at start-up or the start fails.
/// </summary>
[TestFixture]
public sealed class StepExecutorDependencyTests
{
    private static readonly List<Type> Executors = typeof(TrainExecutor).Assembly.GetTypes()
        .Where(t => typeof(IStepExecutor).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
        .ToList();

    [Test]
    public void Executors_OneForEveryStepKind_AreFound()
    {
        Assert.That(Executors, Has.Count.EqualTo(Enum.GetValues<StepKind>().Length), string.Join(", ", Executors.Select(t => t.Name)));
    }

    [Test]
    public void ExecutorConstructors_TakeNoServiceProvider_AndNoNullableService()
    {
        var nullability = new NullabilityInfoContext();
        var problems = new List<string>();
        foreach (var type in Executors)
        {
            foreach (var parameter in type.GetConstructors().SelectMany(c => c.GetParameters()))
            {
                if (parameter.ParameterType == typeof(IServiceProvider) || parameter.ParameterType.Name.Contains("ServiceProvider", StringComparison.Ordinal))
                {
                    problems.Add($"{type.Name}({parameter.Name}): a service locator");
                }

                if (Nullable.GetUnderlyingType(parameter.ParameterType) is not null || nullability.Create(parameter).WriteState == NullabilityState.Nullable)
                {
                    problems.Add($"{type.Name}({parameter.Name}): nullable, so the executor could run without it");
                }
            }
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void StepContext_ExposesNoStoreNorService()
    {
        var services = StepContextMembers().Where(m => IsService(m.Type)).Select(m => $"{m.Name}: {m.Type.Name}").ToList();

        Assert.That(services, Is.Empty);
    }

    [Test]
    public void TheServiceCheck_RecognisesWhatAnExecutorTakes()
    {
        // What the executors take is what the context must not hand out: the check must see each kind of it.
        var taken = Executors.SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters())).Select(p => p.ParameterType).Distinct().ToList();

        Assert.That(taken.Where(IsService), Is.SupersetOf(new[]
        {
            typeof(IArtifactStore), typeof(IModelRegistry), typeof(IWatermarkStore), typeof(IEvaluationStore), typeof(IPredictionLog),
            typeof(TimeProvider), typeof(RunStarter),
        }));
    }

    private static IEnumerable<(string Name, Type Type)> StepContextMembers() =>
        typeof(StepContext).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (p.Name, p.PropertyType))
            .Concat(typeof(StepContext).GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => (f.Name, f.FieldType)));

    /// <summary>A store, the clock, a run service or a container: anything a step is given to act on the world with.</summary>
    private static bool IsService(Type type)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        return inner.Namespace == typeof(IArtifactStore).Namespace
            || inner == typeof(TimeProvider)
            || inner == typeof(IServiceProvider)
            || inner == typeof(RunStarter) || inner == typeof(RunControl) || inner == typeof(RunLauncher) || inner == typeof(IRunService) || inner == typeof(IRunDispatcher);
    }
}
