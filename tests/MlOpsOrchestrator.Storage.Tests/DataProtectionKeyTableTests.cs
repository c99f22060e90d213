using MlOpsOrchestrator.Storage.Tests.Support;
using NUnit.Framework;

namespace MlOpsOrchestrator.Storage.Tests;

/// <summary>The shared data-protection key ring of the PostgreSQL mode, read by another "process" than the one that wrote it.</summary>
public sealed class DataProtectionKeyTableTests
{
    [Test]
    public async Task Store_KeyWrittenByOneProcess_AnotherReadsItAndASecondWriteOfTheSameKeyKeepsTheFirst()
    {
        await using var target = await StoreTarget.CreateAsync(StoreEngine.Postgres);
        var first = await target.OpenAsync();
        var second = await target.OpenAsync();

        first.DataProtectionKeys!.Store("key-1", "<key id=\"1\"><v>a</v></key>");
        first.DataProtectionKeys.Store("key-1", "<key id=\"1\"><v>b</v></key>");
        second.DataProtectionKeys!.Store("key-2", "<key id=\"2\" />");

        Assert.That(second.DataProtectionKeys.GetAll(), Is.EqualTo(new[] { "<key id=\"1\"><v>a</v></key>", "<key id=\"2\" />" }));
    }

    [Test]
    public async Task DataProtectionKeys_Embedded_IsNullBecauseTheOneServeKeepsThemInTheHome()
    {
        await using var target = await StoreTarget.CreateAsync(StoreEngine.Sqlite);

        Assert.That((await target.OpenAsync()).DataProtectionKeys, Is.Null);
    }
}
