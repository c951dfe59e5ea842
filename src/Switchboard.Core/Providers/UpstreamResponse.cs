using System.Net.Http.Headers;

namespace Switchboard.Providers;

/// <summary>A provider's answer with its headers read and its body still to be read, as a stream.</summary>
public sealed class UpstreamResponse : IDisposable
{
    private readonly HttpResponseMessage _message;
    private readonly string? _localContentType;

    public UpstreamResponse(HttpResponseMessage message, Stream body)
    {
        _message = message;
        Body = body;
    }

    /// <summary>
    /// An answer that did not come over HTTP, such as a local program's output: its outcome as an HTTP status
    /// (so errors are read and classified like any provider's) and its body.
    /// </summary>
    public UpstreamResponse(int statusCode, Stream body, string contentType)
    {
        // A headerless message keeps StatusCode, IsSuccess and Headers working the same for both kinds.
        _message = new HttpResponseMessage((System.Net.HttpStatusCode)statusCode);
        _localContentType = contentType;
        Body = body;
    }

    public int StatusCode => (int)_message.StatusCode;

    public bool IsSuccess => _message.IsSuccessStatusCode;

    public Stream Body { get; private set; }

    /// <summary>Puts bytes already read from the body (pooled; returned when read) back in front of it.</summary>
    internal void Prepend(byte[] pooled, int length) => Body = new PrefetchedStream(pooled, length, Body);

    public string? ContentType => _localContentType ?? _message.Content.Headers.ContentType?.MediaType;

    public long? ContentLength => _localContentType is null ? _message.Content.Headers.ContentLength : null;

    /// <summary>The provider's request id, useful when talking to its support.</summary>
    public string? RequestId => Header("x-request-id") ?? Header("request-id") ?? Header("x-amzn-RequestId");

    /// <summary>How long the provider asks us to wait, from <c>Retry-After</c> or <c>retry-after-ms</c>.</summary>
    public TimeSpan? RetryAfter
    {
        get
        {
            if (Header("retry-after-ms") is { } ms && double.TryParse(ms, System.Globalization.CultureInfo.InvariantCulture, out var milliseconds))
                return TimeSpan.FromMilliseconds(milliseconds);
            return _message.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - DateTimeOffset.UtcNow,
                _ => null,
            };
        }
    }

    public string? Header(string name) =>
        _message.Headers.NonValidated.TryGetValues(name, out var values) && values.Count > 0 ? values.ToString() : null;

    public HttpResponseHeaders Headers => _message.Headers;

    public void Dispose()
    {
        Body.Dispose();
        _message.Dispose();
    }
}
