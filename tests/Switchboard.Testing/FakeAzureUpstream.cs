using System.Collections.Immutable;

namespace Switchboard.Testing;

/// <summary>
/// A fake Azure OpenAI resource for integration tests: real Kestrel on <c>127.0.0.1</c> and a free port. It serves
/// <c>POST /openai/deployments/{deployment}/chat/completions?api-version=...</c> for <see cref="Deployments"/> and the
/// versionless <c>POST /openai/v1/chat/completions</c>, answering exactly as <see cref="FakeOpenAIUpstream"/> does
/// (same texts, tool calls, streams and usage), and records every request.
/// </summary>
/// <remarks>
/// Azure's own answers: no <c>api-version</c> on a deployment path (or any other path) is its 404 <c>Resource not found</c>;
/// no <c>api-key</c> header is its 401 "Access denied ..."; an unknown deployment is its 404 <c>DeploymentNotFound</c>.
/// Faults render 401, 404 and 429 in Azure's shape and the rest as OpenAI's; enqueue
/// <c>UpstreamFault.Status(400, body: FakeAzureUpstream.ContentFilterError)</c> for a prompt the content filter refuses.
/// </remarks>
public sealed class FakeAzureUpstream : IAsyncDisposable
{
    /// <summary>Azure's 400 for a prompt its content filter refuses: code <c>content_filter</c>, inner code <c>ResponsibleAIPolicyViolation</c>.</summary>
    public const string ContentFilterError = AzurePayloads.ContentFilter;

    private readonly FakeUpstreamHost _host;

    private FakeAzureUpstream(FakeUpstreamHost host)
    {
        _host = host;
        Endpoint = new Uri(host.Origin.AbsoluteUri.TrimEnd('/'));
    }

    /// <summary>The deployments the resource has.</summary>
    public static ImmutableArray<string> Deployments { get; } = ["gpt-4o-mini", "prod-gpt-4o"];

    /// <summary>The resource's endpoint, as <c>AZURE_OPENAI_ENDPOINT</c> or <c>base_url</c>: <c>http://127.0.0.1:port</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>A snapshot of every request received so far, in arrival order, with the path and query as sent.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _host.Requests;

    /// <summary>Starts a fake on a free loopback port.</summary>
    public static async Task<FakeAzureUpstream> StartAsync(CancellationToken cancellationToken = default)
    {
        var host = await FakeUpstreamHost.StartAsync(new AzureDialect(), TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return new FakeAzureUpstream(host);
    }

    /// <summary>Queues <paramref name="fault"/> for a later request; each request takes the oldest queued fault.</summary>
    public void Enqueue(UpstreamFault fault) => _host.Enqueue(fault);

    /// <summary>Makes the next streamed response send its first chunk and wait until the returned gate is released.</summary>
    public StreamGate HoldStream() => _host.HoldStream();

    /// <summary>Releases held streams, ends in-flight requests and stops the server.</summary>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
