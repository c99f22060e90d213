using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace MlOpsOrchestrator.Cli.Tests.Notifications;

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 standing in for a Slack or Teams incoming webhook: it records every request's
/// path and JSON body and answers each with the next status of <c>answers</c> (then 200).
/// </summary>
internal sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<HttpStatusCode> _answers;
    private readonly Task _loop;

    public WebhookListener(params HttpStatusCode[] answers)
    {
        _answers = new ConcurrentQueue<HttpStatusCode>(answers);
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    /// <summary>A Slack-like webhook address: the path is the secret.</summary>
    public string Url(string secretPath = "services/T000/B000/XXXXsecretXXXX") => $"http://127.0.0.1:{Port}/{secretPath}";

    /// <summary>Every request received, in order, with the status it was answered.</summary>
    public ConcurrentQueue<(string Path, JsonObject Body, HttpStatusCode Answer)> Received { get; } = new();

    /// <summary>The bodies answered 2xx: what was delivered.</summary>
    public IReadOnlyList<JsonObject> Delivered => Received.Where(r => (int)r.Answer < 300).Select(r => r.Body).ToList();

    /// <summary>A port nothing listens on: a webhook that is down.</summary>
    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var text = await reader.ReadToEndAsync();
            var answer = _answers.TryDequeue(out var next) ? next : HttpStatusCode.OK;
            Received.Enqueue((context.Request.Url!.AbsolutePath, JsonNode.Parse(text)!.AsObject(), answer));
            context.Response.StatusCode = (int)answer;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _ = _loop;
    }
}
