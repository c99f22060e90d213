using Microsoft.Extensions.DependencyInjection;
using MlOpsOrchestrator.Scheduling.Quartz;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Quartz;

public sealed class SchedulerSettingsTests
{
    [Test]
    public void Validate_Defaults_NoProblems()
    {
        var settings = new SchedulerSettings();

        Assert.That(settings.Validate(), Is.Empty);
        Assert.That(settings.QualifiedTablePrefix, Is.EqualTo("qrtz_"));
        Assert.That(settings with { Schema = "quartz" }, Has.Property(nameof(SchedulerSettings.QualifiedTablePrefix)).EqualTo("quartz.qrtz_"));
    }

    [Test]
    public void Validate_EverythingWrong_ListsEveryProblemAtOnce()
    {
        var settings = new SchedulerSettings
        {
            PostgresConnectionString = " ",
            InstanceName = "",
            InstanceId = "",
            RescanInterval = TimeSpan.Zero,
            TablePrefix = "QRTZ-",
            Schema = "my schema",
            CheckinInterval = TimeSpan.FromSeconds(-1),
            MisfireThreshold = TimeSpan.Zero,
        };

        Assert.That(settings.Validate(), Has.Count.EqualTo(8));
        var thrown = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddMlOpsScheduler(settings));
        Assert.That(thrown!.Message, Does.Contain("TablePrefix 'QRTZ-'").And.Contain("Schema 'my schema'").And.Contain("RescanInterval"));
    }

    [Test]
    public void ToString_WithConnectionString_LeavesThePasswordOut()
    {
        var settings = new SchedulerSettings { PostgresConnectionString = "Host=db;Username=mlops;Password=s3cret" };

        Assert.That(settings.ToString(), Does.Not.Contain("s3cret").And.Contain("Store = postgres"));
    }
}
