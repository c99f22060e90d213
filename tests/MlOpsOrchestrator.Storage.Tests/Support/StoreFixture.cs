using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests.Support;

/// <summary>
/// The base of the store suites, which are written once and run against every engine (see
/// <see cref="StoreEngines"/>). One database per fixture; tests keep out of each other's way with unique names.
/// </summary>
public abstract class StoreFixture(StoreEngine engine)
{
    private StoreTarget? _target;
    private StorageSet? _stores;

    public StoreEngine Engine { get; } = engine;

    internal StoreTarget Target => _target ?? throw new InvalidOperationException("The fixture is not set up.");

    /// <summary>The stores every test of the fixture uses.</summary>
    protected StorageSet Stores => _stores ?? throw new InvalidOperationException("The fixture is not set up.");

    [OneTimeSetUp]
    public async Task OpenStores()
    {
        _target = await StoreTarget.CreateAsync(Engine);
        _stores = await _target.OpenAsync();
    }

    [OneTimeTearDown]
    public async Task CloseStores()
    {
        if (_target is not null)
        {
            await _target.DisposeAsync();
        }
    }

    /// <summary>A second set of stores on the same database, with its own connections: another process, as far as the database can tell.</summary>
    protected Task<StorageSet> OpenAnotherAsync() => Target.OpenAsync();
}
