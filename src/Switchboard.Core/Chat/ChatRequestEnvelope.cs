namespace Switchboard.Chat;

/// <summary>
/// What the gateway needs to know of an OpenAI-shaped request without deserializing it: the model,
/// whether it streams, what it contains, and where each top-level property sits so the body can be
/// forwarded as bytes with only some properties changed.
/// </summary>
internal sealed class ChatRequestEnvelope
{
    public required string Model { get; init; }

    public bool Stream { get; init; }

    /// <summary>The client's <c>stream_options.include_usage</c>, or null when it did not say.</summary>
    public bool? IncludeUsage { get; init; }

    public bool HasTools { get; init; }

    public bool HasImages { get; init; }

    public int MessageCount { get; init; }

    /// <summary>
    /// The body's <c>metadata</c> without the routing fields Switchboard read from it (empty when nothing else was
    /// in it), or null when there was nothing to take out: providers reject fields they do not know there.
    /// </summary>
    public byte[]? StrippedMetadata { get; set; }

    /// <summary>The top-level properties in body order.</summary>
    public required List<JsonPropertySpan> Properties { get; init; }

    public int IndexOf(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < Properties.Count; i++)
        {
            if (Properties[i].NameIs(body, name)) return i;
        }
        return -1;
    }
}
