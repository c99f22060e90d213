using System.Diagnostics;
using NUnit.Framework;

namespace MlOpsOrchestrator.Scheduling.Tests.Quartz;

/// <summary>Polls an outcome that a background service produces, failing with a description after a deadline.</summary>
internal static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Not within {timeout.TotalSeconds:F0} s: {what}");
            }

            await Task.Delay(100);
        }
    }

    public static Task That(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        Get(condition, ok => ok, timeout, what);
}
