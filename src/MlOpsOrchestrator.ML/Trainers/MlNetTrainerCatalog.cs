using System.Collections.Frozen;
using System.Reflection;
using MlOpsOrchestrator.Catalogs;

namespace MlOpsOrchestrator.ML.Trainers;

/// <summary>
/// The trainers pipelines can use, described from the real ML.NET options classes by reflection. Built once and
/// immutable afterwards, so <see cref="Default"/> is safe to share across threads.
/// </summary>
public sealed class MlNetTrainerCatalog : ITrainerCatalog
{
    private readonly FrozenDictionary<(MlTask Task, string Name), Entry> _entries;
    private readonly FrozenDictionary<MlTask, IReadOnlyList<string>> _names;

    private MlNetTrainerCatalog(IReadOnlyList<TrainerRegistration> registrations)
    {
        _entries = registrations.ToFrozenDictionary(r => (r.Task, r.Name), Entry.Create);
        _names = registrations
            .GroupBy(r => r.Task)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<string>)Array.AsReadOnly(g.Select(r => r.Name).ToArray()));
    }

    /// <summary>The catalog of every trainer the product supports.</summary>
    public static MlNetTrainerCatalog Default { get; } = new(TrainerRegistry.All);

    /// <inheritdoc />
    public IReadOnlyList<string> TrainerNames(MlTask task) => _names.TryGetValue(task, out var names) ? names : [];

    /// <inheritdoc />
    public TrainerDescriptor? Find(MlTask task, string name) => Lookup(task, name)?.Descriptor;

    /// <summary>
    /// The ML.NET options class for the trainer (e.g. <c>FastTreeRegressionTrainer.Options</c>), or null when
    /// <paramref name="task"/> has no trainer called <paramref name="name"/>.
    /// </summary>
    public Type? FindOptionsType(MlTask task, string name) => Lookup(task, name)?.Registration.OptionsType;

    /// <summary>
    /// A new instance of the trainer's options class with <paramref name="values"/> assigned, keyed by snake_case
    /// option name. Whole numbers widen to floating point, <c>long</c> narrows to <c>int</c> when in range, and
    /// enums are given by their snake_case value name.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The trainer is unknown, an option is unknown (the message lists the valid ones), or a value does not convert.
    /// </exception>
    public object CreateOptions(MlTask task, string name, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var entry = Lookup(task, name) ?? throw new ArgumentException(
            $"There is no {TaskName(task)} trainer '{name}'. Valid trainers: {string.Join(", ", TrainerNames(task))}.",
            nameof(name));

        var options = Activator.CreateInstance(entry.Registration.OptionsType)
            ?? throw new InvalidOperationException($"Could not create {entry.Registration.OptionsType.FullName}.");
        foreach (var (optionName, value) in values)
        {
            if (!entry.Members.TryGetValue(optionName, out var member))
            {
                throw new ArgumentException(
                    $"The {Describe(entry)} has no option '{optionName}'. Valid options: {string.Join(", ", entry.SortedNames)}.",
                    nameof(values));
            }

            if (OptionValueConverter.TryConvert(member, value, out var converted) is { } problem)
            {
                throw new ArgumentException($"Option '{optionName}' of {Describe(entry)} {problem}.", nameof(values));
            }

            try
            {
                member.SetValue(options, converted);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is { } rejection)
            {
                // Only a property setter can throw here; the converter has already matched the member's type.
                throw new ArgumentException(
                    $"Option '{optionName}' of {Describe(entry)} was rejected by ML.NET: {rejection.Message}", nameof(values), rejection);
            }
        }

        return options;
    }

    /// <summary>The ML.NET registration behind a name, for the code that builds trainers.</summary>
    internal TrainerRegistration? FindRegistration(MlTask task, string name) => Lookup(task, name)?.Registration;

    private Entry? Lookup(MlTask task, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _entries.TryGetValue((task, name), out var entry) ? entry : null;
    }

    private static string Describe(Entry entry) =>
        $"{TaskName(entry.Registration.Task)} trainer '{entry.Registration.Name}'";

    private static string TaskName(MlTask task) => task switch
    {
        MlTask.Binary => "binary",
        MlTask.Multiclass => "multiclass",
        MlTask.Regression => "regression",
        _ => task.ToString(),
    };

    private sealed record Entry(
        TrainerRegistration Registration,
        TrainerDescriptor Descriptor,
        FrozenDictionary<string, OptionMember> Members,
        IReadOnlyList<string> SortedNames)
    {
        public static Entry Create(TrainerRegistration registration)
        {
            var members = OptionReflector.Discover(registration.OptionsType)
                .ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
            var options = members.ToFrozenDictionary(p => p.Key, p => p.Value.Option, StringComparer.Ordinal);
            var descriptor = new TrainerDescriptor(registration.Name, registration.Task, options, registration.SupportsWarmStart);
            var sorted = Array.AsReadOnly(members.Keys.Order(StringComparer.Ordinal).ToArray());
            return new Entry(registration, descriptor, members, sorted);
        }
    }
}
