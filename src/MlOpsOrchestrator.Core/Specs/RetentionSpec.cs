namespace MlOpsOrchestrator.Specs;

/// <summary>
/// What garbage collection keeps of a pipeline's model versions and run history (<c>retention:</c>): the newest
/// <see cref="KeepVersions"/> versions, every version an alias points to or pointed to within
/// <see cref="KeepAliasedFor"/>, and the runs of the last <see cref="KeepRunsFor"/> (plus those that produced a kept version).
/// </summary>
public sealed record RetentionSpec
{
    public const int DefaultKeepVersions = 20;

    public static readonly TimeSpan DefaultKeepAliasedFor = TimeSpan.FromDays(90);

    public static readonly TimeSpan DefaultKeepRunsFor = TimeSpan.FromDays(30);

    /// <summary>The defaults: 20 versions, aliases of the last 90 days, runs of the last 30 days.</summary>
    public static RetentionSpec Default { get; } = new();

    public int KeepVersions { get; init; } = DefaultKeepVersions;

    public TimeSpan KeepAliasedFor { get; init; } = DefaultKeepAliasedFor;

    public TimeSpan KeepRunsFor { get; init; } = DefaultKeepRunsFor;
}
