using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Switchboard.Routing;

/// <summary>
/// The routing fields a client sent in the body's <c>metadata</c> object (<c>priority</c>, <c>labels</c>,
/// <c>agent</c>, <c>stage</c>, <c>workflow</c>, <c>id</c>, <c>retry_count</c>), every metadata value as text for
/// <c>metadata['key']</c>, and the object without the routing fields to send on: providers refuse fields they
/// do not know in their own <c>metadata</c> (Anthropic takes only <c>user_id</c>; OpenAI only string values).
/// </summary>
public sealed class RoutingMetadata
{
    private static readonly string[] RoutingKeys = ["priority", "labels", "agent", "stage", "workflow", "id", "retry_count"];

    public double? Priority { get; set; }

    public IReadOnlyList<string> Labels { get; set; } = [];

    public string? Agent { get; set; }

    public string? Stage { get; set; }

    public string? Workflow { get; set; }

    public string? Id { get; set; }

    public string? User { get; set; }

    public int RetryCount { get; set; }

    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>The metadata object without the routing fields, or null when it had none of them.</summary>
    public byte[]? Stripped { get; private set; }

    /// <summary>
    /// The fields in a request body's <c>metadata</c> (none when it has none), telling the envelope what of the
    /// metadata to send on.
    /// </summary>
    internal static RoutingMetadata FromBody(ReadOnlySpan<byte> body, Chat.ChatRequestEnvelope envelope)
    {
        var index = envelope.IndexOf(body, "metadata"u8);
        if (index < 0) return new RoutingMetadata();
        var property = envelope.Properties[index];
        var fields = Read(body[property.ValueStart..property.End]);
        envelope.StrippedMetadata = fields.Stripped;
        return fields;
    }

    /// <summary>Reads a <c>metadata</c> value; anything but an object is left alone (the provider will say what it thinks).</summary>
    public static RoutingMetadata Read(ReadOnlySpan<byte> json)
    {
        var metadata = new RoutingMetadata();
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object) return metadata;
        var kept = new ArrayBufferWriter<byte>(json.Length);
        var stripped = false;
        using (var writer = new Utf8JsonWriter(kept))
        {
            writer.WriteStartObject();
            var any = false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                metadata.Values[property.Name] = Text(value);
                if (Array.IndexOf(RoutingKeys, property.Name) < 0)
                {
                    property.WriteTo(writer);
                    any = true;
                    if (property.Name is "user_id" or "user") metadata.User = Text(value);
                    continue;
                }
                stripped = true;
                metadata.Apply(property.Name, value);
            }
            writer.WriteEndObject();
            writer.Flush();
            if (stripped) metadata.Stripped = any ? kept.WrittenSpan.ToArray() : [];
        }
        return metadata;
    }

    /// <summary>
    /// Sets a routing field from text, as a header gives it (<c>labels</c> comma-separated); any other name is a
    /// plain metadata value for <c>metadata['name']</c>.
    /// </summary>
    public void Set(string field, string text)
    {
        Values[field] = text;
        switch (field)
        {
            case "priority":
                Priority = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var priority) ? priority : throw NotANumber(field, text);
                break;
            case "labels":
                Labels = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                break;
            case "retry_count":
                RetryCount = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : throw NotANumber(field, text);
                break;
            case "agent": Agent = text; break;
            case "stage": Stage = text; break;
            case "workflow": Workflow = text; break;
            case "id": Id = text; break;
            case "user": User = text; break;
        }
    }

    private void Apply(string field, JsonElement value)
    {
        if (field == "labels" && value.ValueKind == JsonValueKind.Array)
        {
            Labels = value.EnumerateArray().Select(Text).ToList();
            return;
        }
        if (value.ValueKind == JsonValueKind.Null) return;
        Set(field, Text(value));
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };

    private static SwitchboardException NotANumber(string field, string text) =>
        SwitchboardException.BadRequest($"The routing field {field} must be a number, not '{text}'. Send it in metadata.{field} or the x-switchboard-{field.Replace('_', '-')} header.", "metadata." + field);
}
