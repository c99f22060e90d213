using System.Diagnostics;
using System.Text;

namespace MlOpsOrchestrator.Bench;

/// <summary>
/// A small HTTP load generator for loopback: the same JSON body POSTed over a fixed number of keep-alive connections.
/// Open loop: requests are due at a fixed rate whatever the answers (a pacing thread wakes every millisecond and sends
/// what is due; at most <c>maxInFlight</c> outstanding, beyond that a request is dropped and counted). Closed loop: a
/// fixed number of callers, each sending its next request when the last one is answered.
/// </summary>
internal static class HttpLoad
{
    public static HttpClient Client(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Sends <paramref name="requests"/> requests, <paramref name="concurrency"/> at a time; throws on the first failure.</summary>
    public static async Task<string> WarmUpAsync(HttpClient client, Uri uri, string body, int requests, int concurrency, CancellationToken ct)
    {
        var last = "";
        var left = requests;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(uri, content, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"POST {uri} answered {(int)response.StatusCode}: {text}");
                }

                last = text;
            }
        }));
        return last;
    }

    public static async Task<Result> OpenLoopAsync(HttpClient client, Uri uri, string body, int rate, TimeSpan duration, int maxInFlight, CancellationToken ct)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latency = new double[total];
        var lag = new double[total];
        var ok = new bool[total];
        var sent = new bool[total];
        var tasks = new List<Task>(total);
        var inFlight = 0;
        var ticksPerRequest = Stopwatch.Frequency / (double)rate;
        var start = Stopwatch.GetTimestamp();

        async Task SendAsync(int index, long due)
        {
            var begun = Stopwatch.GetTimestamp();
            lag[index] = Milliseconds(begun - due);
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(uri, content, ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                ok[index] = response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                ok[index] = false;
            }
            finally
            {
                latency[index] = Milliseconds(Stopwatch.GetTimestamp() - begun);
                Interlocked.Decrement(ref inFlight);
            }
        }

        var pacer = new Thread(() =>
        {
            for (var i = 0; i < total && !ct.IsCancellationRequested;)
            {
                var due = start + (long)(i * ticksPerRequest);
                if (Stopwatch.GetTimestamp() < due)
                {
                    Thread.Sleep(1);
                    continue;
                }

                if (Volatile.Read(ref inFlight) < maxInFlight)
                {
                    Interlocked.Increment(ref inFlight);
                    sent[i] = true;
                    tasks.Add(SendAsync(i, due));
                }

                i++;
            }
        })
        {
            IsBackground = true,
            Name = "open-loop pacer",
        };
        pacer.Start();
        await Task.Run(pacer.Join, ct);
        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var answered = Enumerable.Range(0, total).Where(i => sent[i]).ToList();
        return new Result(
            answered.Where(i => ok[i]).Select(i => latency[i]).ToList(),
            answered.Select(i => lag[i]).ToList(),
            total,
            answered.Count(i => !ok[i]),
            total - answered.Count,
            elapsed);
    }

    public static async Task<Result> ClosedLoopAsync(HttpClient client, Uri uri, string body, int concurrency, TimeSpan duration, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var callers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var latencies = new List<double>();
            var failed = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var begun = Stopwatch.GetTimestamp();
                try
                {
                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    using var response = await client.PostAsync(uri, content, ct);
                    await response.Content.ReadAsByteArrayAsync(ct);
                    if (response.IsSuccessStatusCode)
                    {
                        latencies.Add(Milliseconds(Stopwatch.GetTimestamp() - begun));
                    }
                    else
                    {
                        failed++;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    failed++;
                }
            }

            return (latencies, failed);
        }));
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var all = callers.SelectMany(c => c.latencies).ToList();
        var failures = callers.Sum(c => c.failed);
        return new Result(all, [], all.Count + failures, failures, 0, elapsed);
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <param name="LatencyMs">Answered requests, from the moment each was handed to the client to its whole answer read.</param>
    /// <param name="LagMs">Open loop only: how late the pacing thread handed each request over (the generator's own delay).</param>
    /// <param name="Requests">Requests due (open loop) or sent (closed loop).</param>
    /// <param name="Failed">Errors and non-2xx answers.</param>
    /// <param name="Dropped">Open loop: due but not sent, because too many were outstanding.</param>
    /// <param name="Seconds">From the first request due to the last answer.</param>
    public sealed record Result(List<double> LatencyMs, List<double> LagMs, int Requests, int Failed, int Dropped, double Seconds)
    {
        /// <summary>Successful answers per second.</summary>
        public double Throughput => LatencyMs.Count / Seconds;
    }
}
