using System.Buffers;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Relays an Anthropic Messages stream to an Anthropic client as it arrives, whole lines at a time, reading the
/// usage from <c>message_start</c> and <c>message_delta</c> and noticing <c>message_stop</c> on the way. Each data
/// line is parsed once; a line split across reads waits for its end; an event that is not JSON stops the relay
/// before it reaches the client.
/// </summary>
/// <remarks>
/// An <c>error</c> event is the provider's own answer in the client's own dialect, so it is forwarded as it came and
/// closed with its blank line at once, so the client reads a whole event; the relay stops there with
/// <see cref="Malformed"/> naming the error (the stream did not end well) and <see cref="ErrorForwarded"/> set,
/// telling the gateway the client has already been told and needs no second error event.
/// </remarks>
internal sealed class AnthropicStreamTap : IStreamRelay
{
    private readonly LineSplitter _lines = new();
    private AnthropicUsageCounts _usage;
    private string? _errorMessage;

    public bool Done { get; private set; }

    public string? Malformed { get; private set; }

    public long Forwarded { get; private set; }

    public TokenUsage? Usage => _usage.Seen ? _usage.ToTokenUsage() : null;

    /// <summary>True when the stream ended with the provider's <c>error</c> event, which the client has already received.</summary>
    public bool ErrorForwarded { get; private set; }

    /// <summary>The <c>error.type</c> of the provider's <c>error</c> event, such as <c>overloaded_error</c>, or null.</summary>
    public string? ErrorType { get; private set; }

    public void Relay(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        if (Malformed is not null) return;
        var rest = bytes;
        int consumed = 0, runStart = 0;
        while (_lines.TryRead(ref rest, out var line))
        {
            var lineStart = consumed;
            consumed = bytes.Length - rest.Length;
            if (!Accept(line))
            {
                // The good lines before the one that stops the relay still go out; so does the provider's error event, closed.
                Forward(bytes[runStart..lineStart], output);
                if (ErrorForwarded)
                {
                    Forward(line, output);
                    Forward("\n"u8, output);
                }
                return;
            }
            // A line finished from an earlier read is not part of this read's contiguous run: it goes out on its own.
            if (line.Length != consumed - lineStart)
            {
                Forward(line, output);
                runStart = consumed;
            }
        }
        // The whole lines of one read are contiguous: they go out in one write.
        Forward(bytes[runStart..consumed], output);
    }

    public int Events { get; private set; }

    public void Dispose() => _lines.Dispose();

    /// <summary>Reads one line (newline included); false when the relay must stop at it.</summary>
    private bool Accept(ReadOnlySpan<byte> line)
    {
        line = line.TrimEnd("\r\n"u8);
        if (!line.StartsWith("data:"u8)) return true;
        Events++;
        var payload = line[5..].TrimStart((byte)' ');
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("an event is not an object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) reader.Skip();
                    else if (reader.ValueTextEquals("message_stop"u8)) Done = true;
                    else if (reader.ValueTextEquals("error"u8)) ErrorForwarded = true;
                }
                else if (reader.ValueTextEquals("message"u8))
                {
                    // message_start: the usage is inside the message.
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName) ReadUsageOrSkip(ref reader);
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject) ReadError(ref reader);
                    else reader.Skip();
                }
                else ReadUsageOrSkip(ref reader);
            }
            reader.Read();
        }
        catch (JsonException)
        {
            ErrorForwarded = false;
            Malformed = "the provider sent a stream event that is not valid JSON";
            return false;
        }
        if (!ErrorForwarded) return true;
        Malformed = $"the provider ended the stream with {ErrorType ?? AnthropicErrors.Api}: {_errorMessage ?? "no message"}";
        return false;
    }

    /// <summary>Reads a <c>usage</c> property's object into the counts; skips any other property.</summary>
    private void ReadUsageOrSkip(ref Utf8JsonReader reader)
    {
        var isUsage = reader.ValueTextEquals("usage"u8);
        reader.Read();
        if (isUsage && reader.TokenType == JsonTokenType.StartObject) _usage.Read(ref reader);
        else reader.Skip();
    }

    private void ReadError(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isMessage = reader.ValueTextEquals("message"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String) ErrorType = reader.GetString();
            else if (isMessage && reader.TokenType == JsonTokenType.String) _errorMessage = reader.GetString();
            else reader.Skip();
        }
    }

    private void Forward(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        if (bytes.IsEmpty) return;
        output.Write(bytes);
        Forwarded += bytes.Length;
    }
}
