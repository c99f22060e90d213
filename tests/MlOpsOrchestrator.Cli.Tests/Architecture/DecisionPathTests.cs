using System.Reflection;
using System.Text.RegularExpressions;
using MlOpsOrchestrator.Cli.Runtime;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Dashboard;
using MlOpsOrchestrator.TestSupport;
using NUnit.Framework;

namespace MlOpsOrchestrator.Cli.Tests.Architecture;

/// <summary>
/// The API, the dashboard and the CLI start runs and decide on them only through <see cref="IRunService"/>: none of
/// their types (nor the lambdas, closures and async state machines compiled from them) takes, holds or declares a
/// <see cref="RunControl"/>, <see cref="RunStarter"/>, <see cref="RunLauncher"/> or <see cref="IRunDispatcher"/>; the
/// objects they get their services from do not hand those out; and their sources neither name them nor call what
/// only they offer (queue, launch, prepare a resume).
/// </summary>
[TestFixture]
public sealed partial class DecisionPathTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Type[] Bypasses = [typeof(RunControl), typeof(RunStarter), typeof(RunLauncher), typeof(IRunDispatcher)];

    private static readonly (Assembly Assembly, string Namespace, string Folder)[] FrontEnds =
    [
        (typeof(MlOpsRuntime).Assembly, "MlOpsOrchestrator.Cli.Api", "src/MlOpsOrchestrator.Cli/Api"),
        (typeof(MlOpsRuntime).Assembly, "MlOpsOrchestrator.Cli.Commands", "src/MlOpsOrchestrator.Cli/Commands"),
        (typeof(DashboardApplicationBuilderExtensions).Assembly, "MlOpsOrchestrator.Dashboard", "src/MlOpsOrchestrator.Dashboard"),
    ];

    [TestCaseSource(nameof(FrontEnds))]
    public void FrontEndTypes_DependOnNoWayAroundTheRunService((Assembly Assembly, string Namespace, string Folder) frontEnd)
    {
        var types = TypesIn(frontEnd.Assembly, frontEnd.Namespace);
        Assert.That(types, Is.Not.Empty);
        Assert.That(types.SelectMany(BypassesUsedBy), Is.Empty);
    }

    [Test]
    public void TheScan_FindsADependency_WhereThereIsOne()
    {
        // The run service itself holds a RunControl and a dispatcher: the scan must see them.
        var found = TypesIn(typeof(IRunService).Assembly, "MlOpsOrchestrator.Execution").SelectMany(BypassesUsedBy).ToList();
        Assert.That(found, Has.Some.Contains(nameof(RunControl)).And.Some.Contains(nameof(IRunDispatcher)));
    }

    [Test]
    public void WhatTheFrontEndsGetServicesFrom_OffersTheRunService_AndNothingAroundIt()
    {
        var dashboardServices = typeof(DashboardApplicationBuilderExtensions).Assembly.GetType("MlOpsOrchestrator.Dashboard.DashboardServices", throwOnError: true)!;
        foreach (var holder in new[] { typeof(MlOpsRuntime), dashboardServices })
        {
            var members = holder.GetProperties(Declared).Select(p => p.PropertyType).Concat(holder.GetFields(Declared).Select(f => f.FieldType)).ToList();
            Assert.That(members, Does.Contain(typeof(IRunService)), holder.Name);
            Assert.That(members.SelectMany(Flatten).Intersect(Bypasses), Is.Empty, holder.Name);
        }

        var api = TypesIn(typeof(MlOpsRuntime).Assembly, "MlOpsOrchestrator.Cli.Api").SelectMany(References).Select(r => r.Type);
        Assert.That(api, Does.Contain(typeof(IRunService)), "the API's decision and start endpoints take the run service");
    }

    [TestCaseSource(nameof(FrontEnds))]
    public void FrontEndSources_NameNoWayAroundTheRunService((Assembly Assembly, string Namespace, string Folder) frontEnd)
    {
        var folder = RepositoryPaths.Combine(frontEnd.Folder.Split('/'));
        var hits = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (File: Path.GetFileName(file), Line: i + 1, Text: line)))
            .Where(l => Bypass().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.That(hits, Is.Empty);
    }

    [GeneratedRegex(@"\b(RunControl|RunStarter|RunLauncher|IRunDispatcher|EnqueueAsync|LaunchAsync|PrepareResumeAsync)\b")]
    private static partial Regex Bypass();

    private static List<Type> TypesIn(Assembly assembly, string ns) =>
        assembly.GetTypes().Where(t => t.Namespace == ns).ToList();

    private static IEnumerable<string> BypassesUsedBy(Type type) =>
        References(type).SelectMany(r => Flatten(r.Type).Intersect(Bypasses).Select(b => $"{type.FullName} {r.Where}: {b.Name}"));

    /// <summary>Every type a type names in its signature, fields, properties, parameters, return types and local variables.</summary>
    private static IEnumerable<(string Where, Type Type)> References(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return ("base", baseType);
        }

        foreach (var face in type.GetInterfaces())
        {
            yield return ("interface", face);
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return ($"field {field.Name}", field.FieldType);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return ($"property {property.Name}", property.PropertyType);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                yield return ($"{method.Name} returns", info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return ($"{method.Name}({parameter.Name})", parameter.ParameterType);
            }

            foreach (var local in method.GetMethodBody()?.LocalVariables ?? [])
            {
                yield return ($"{method.Name} local {local.LocalIndex}", local.LocalType);
            }
        }
    }

    /// <summary>The type, what it is an array or reference of, and its generic arguments, all the way down.</summary>
    private static IEnumerable<Type> Flatten(Type type)
    {
        yield return type;
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var inner in Flatten(element))
            {
                yield return inner;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Flatten))
            {
                yield return inner;
            }
        }
    }
}
