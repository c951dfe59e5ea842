using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Providers;

namespace Switchboard.Execution;

/// <summary>Turns a provider's error response or failure into a <see cref="SwitchboardException"/>, keeping its status and message and hiding keys.</summary>
public static class UpstreamErrors
{
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>Reads an error response's body (bounded) and classifies it with the provider's adapter.</summary>
    public static async Task<SwitchboardException> ReadAsync(UpstreamResult result, CancellationToken cancellationToken)
    {
        var response = result.Response;
        // Pooled: a failing provider sends errors at the rate requests arrive, and each would be 64 KB of garbage.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxErrorBody);
        try
        {
            var length = 0;
            try
            {
                int read;
                while (length < MaxErrorBody && (read = await response.Body.ReadAsync(buffer.AsMemory(length, MaxErrorBody - length), cancellationToken)) > 0) length += read;
            }
            catch (IOException)
            {
                // A cut error body still has a status worth reporting.
            }
            return Classify(result, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static SwitchboardException Classify(UpstreamResult result, ReadOnlySpan<byte> body)
    {
        var response = result.Response;
        var provider = result.Target.Provider;
        var category = provider.Adapter!.Classify(response.StatusCode, body);
        var (message, code, param) = Describe(body);
        message ??= body.Length == 0 ? $"{provider.Descriptor.DisplayName} answered {response.StatusCode} with no body." : Encoding.UTF8.GetString(body.Length > 500 ? body[..500] : body);
        var keys = provider.Credentials;
        return new SwitchboardException(category, response.StatusCode, keys.Redact(message), Redact(keys, param), Redact(keys, code))
        {
            Attempts = result.Attempts,
            Provider = provider.Name,
            RetryAfter = response.RetryAfter,
            UpstreamStatus = response.StatusCode,
        };
    }

    private static string? Redact(CredentialPool keys, string? text) => text is null ? null : keys.Redact(text);

    /// <summary>A body that came back 2xx but is not what the dialect promises.</summary>
    public static SwitchboardException Malformed(ModelResolution target, int attempts, string what) =>
        new(ErrorCategory.Unavailable, 502, $"{target.Provider.Descriptor.DisplayName} sent a malformed response for model {target.Model}: {what}.", code: "upstream_malformed")
        {
            Attempts = attempts,
            Provider = target.Provider.Name,
        };

    /// <summary>The message, code and param of an error body in the common <c>{"error": {...}}</c> shape, or of <c>{"message": ...}</c>.</summary>
    private static (string? Message, string? Code, string? Param) Describe(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0) root = root[0];
            if (root.ValueKind != JsonValueKind.Object) return (null, null, null);
            var error = root.TryGetProperty("error", out var nested) ? nested : root;
            if (error.ValueKind == JsonValueKind.String) return (error.GetString(), null, null);
            if (error.ValueKind != JsonValueKind.Object) return (null, null, null);
            // Google's code is the HTTP status again; its status ("RESOURCE_EXHAUSTED") says more.
            var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            return (Text(error, "message"), code ?? Text(error, "status") ?? Text(error, "type") ?? Text(error, "code"), Text(error, "param"));
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
