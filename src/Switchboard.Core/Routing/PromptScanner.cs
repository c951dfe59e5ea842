using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>
/// Reads a chat request, in the OpenAI chat completions shape or the Anthropic Messages shape, in one
/// <see cref="Utf8JsonReader"/> pass and estimates its input tokens on the way, without a tokenizer: about four
/// bytes of UTF-8 text per token over everything the model reads, plus fixed costs for what is not text. The
/// same pass gathers what <see cref="PromptAnalyzer"/> scores, and answers <c>/v1/messages/count_tokens</c>.
/// </summary>
/// <remarks>
/// Counted: every property name and string value under <c>system</c>, <c>messages</c> and <c>tools</c> (so tool
/// schemas count as the JSON the model is shown), numbers as their digits, <see cref="PerMessage"/> tokens for each
/// message's role and framing, and <see cref="PerMedia"/> tokens for each base64 image or document (a long
/// <c>data</c> string, or a <c>data:</c> URL as OpenAI's <c>image_url</c> carries one) instead of its data, which is
/// what a picture of about a megapixel costs (Anthropic: tokens ≈ width × height / 750, at most about 1,600 for
/// images it does not shrink). English text runs 3.5 to 4 bytes per token, so the estimate is close for prose and
/// code; scripts of three bytes a character are underestimated, and an image given by an https URL counts only as
/// the text of its URL.
/// </remarks>
internal static class PromptScanner
{
    /// <summary>Bytes of UTF-8 per token.</summary>
    public const int BytesPerToken = 4;

    /// <summary>Tokens for a message's role and the markers around it.</summary>
    public const int PerMessage = 4;

    /// <summary>Tokens for an image or document given as data (see the remarks).</summary>
    public const int PerMedia = 1600;

    // Shorter "data" strings are text (a document's plain-text source, a tiny icon), not worth a picture's cost.
    private const int MediaMinBytes = 256;

    /// <summary>
    /// Reads <paramref name="body"/>; throws a 400 <see cref="SwitchboardException"/> saying <paramref name="whenEmpty"/>
    /// for an empty body, and one that says where the mistake is for a body that is not a JSON object.
    /// </summary>
    public static PromptScan Scan(ReadOnlySpan<byte> body, string whenEmpty)
    {
        if (body.Trim(" \t\r\n"u8).IsEmpty) throw SwitchboardException.BadRequest(whenEmpty);
        try
        {
            return Walk(body);
        }
        catch (JsonException e)
        {
            throw SwitchboardException.BadRequest($"The request body is not valid JSON: {ChatRequestScanner.Describe(e)}");
        }
    }

    private static PromptScan Walk(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
            throw SwitchboardException.BadRequest($"The request body must be a JSON object, not {ChatRequestScanner.Kind(reader.TokenType)}.");
        var scan = new PromptScan();
        var tally = new Tally();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("messages"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray) throw ChatRequestScanner.WrongType("messages", "an array of messages", reader.TokenType);
                scan.SawMessages = true;
                ReadMessages(ref reader, ref tally, ref scan);
            }
            else if (reader.ValueTextEquals("tools"u8) || reader.ValueTextEquals("system"u8))
            {
                var isTools = reader.ValueTextEquals("tools"u8);
                reader.Read();
                // A bare number or boolean here is no prompt text; only strings and containers are counted.
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.StartArray or JsonTokenType.StartObject)
                {
                    var entries = Count(ref reader, ref tally, Payload.None);
                    if (isTools && reader.TokenType == JsonTokenType.EndArray) scan.Tools = entries;
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8) || reader.ValueTextEquals("max_output_tokens"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var max)) scan.MaxTokens = Math.Max(scan.MaxTokens, max);
                reader.Skip();
            }
            else
            {
                scan.SawModel |= reader.ValueTextEquals("model"u8);
                reader.Read();
                reader.Skip();
            }
        }
        // One more read proves nothing but whitespace follows the object.
        reader.Read();
        scan.EstimatedTokens = (int)Math.Min(int.MaxValue, (tally.Bytes + BytesPerToken - 1) / BytesPerToken + tally.Fixed);
        return scan;
    }

    /// <summary>Reads the messages array the reader is on, up to its end.</summary>
    private static void ReadMessages(ref Utf8JsonReader reader, ref Tally tally, ref PromptScan scan)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Count(ref reader, ref tally, Payload.None);
                continue;
            }
            tally.Fixed += PerMessage;
            var text = new TextSignals();
            var role = Role.Other;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                tally.Bytes += reader.ValueSpan.Length;
                var isRole = reader.ValueTextEquals("role"u8);
                var isContent = !isRole && reader.ValueTextEquals("content"u8);
                var payload = PayloadOf(ref reader);
                reader.Read();
                if (isRole && reader.TokenType == JsonTokenType.String) role = RoleOf(ref reader);
                if (isContent && reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadParts(ref reader, ref tally, ref text);
                    continue;
                }
                if (isContent && reader.TokenType == JsonTokenType.String) text.Add(reader.ValueSpan);
                Count(ref reader, ref tally, payload);
            }
            if (role != Role.System) scan.Turns++;
            // An Anthropic user turn of only tool results is the loop going on, not a new task; OpenAI sends those as role "tool".
            if (role == Role.User && text.TextBytes > 0) scan.Task = text;
        }
    }

    /// <summary>Reads a content array (OpenAI parts or Anthropic blocks); only a part's own <c>text</c> is the message's text.</summary>
    private static void ReadParts(ref Utf8JsonReader reader, ref Tally tally, ref TextSignals text)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Count(ref reader, ref tally, Payload.None);
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                tally.Bytes += reader.ValueSpan.Length;
                var isText = reader.ValueTextEquals("text"u8);
                var payload = PayloadOf(ref reader);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String) text.Add(reader.ValueSpan);
                Count(ref reader, ref tally, payload);
            }
        }
    }

    /// <summary>
    /// Counts the value the reader is on and leaves it on the value's last token; <paramref name="payload"/> says
    /// what the property holding it is called. Returns how many entries a container has.
    /// </summary>
    private static int Count(ref Utf8JsonReader reader, ref Tally tally, Payload payload)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                tally.AddString(reader.ValueSpan, payload);
                return 0;
            case JsonTokenType.Number:
                tally.Bytes += reader.ValueSpan.Length;
                return 0;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                break;
            default:
                return 0;
        }
        var depth = reader.CurrentDepth;
        var entries = 0;
        payload = Payload.None;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            var token = reader.TokenType;
            if (reader.CurrentDepth == depth + 1 && token is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray)) entries++;
            switch (token)
            {
                case JsonTokenType.PropertyName:
                    tally.Bytes += reader.ValueSpan.Length;
                    payload = PayloadOf(ref reader);
                    continue;
                case JsonTokenType.String:
                    tally.AddString(reader.ValueSpan, payload);
                    break;
                case JsonTokenType.Number:
                    tally.Bytes += reader.ValueSpan.Length;
                    break;
            }
            payload = Payload.None;
        }
        return entries;
    }

    private static Payload PayloadOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("data"u8) ? Payload.Data : reader.ValueTextEquals("url"u8) ? Payload.Url : Payload.None;

    private static Role RoleOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("user"u8) ? Role.User
        : reader.ValueTextEquals("system"u8) || reader.ValueTextEquals("developer"u8) ? Role.System
        : Role.Other;

    /// <summary>What the property holding a string is called, for telling base64 media from text.</summary>
    private enum Payload
    {
        None,
        Data,
        Url,
    }

    private enum Role
    {
        Other,
        User,
        System,
    }

    private struct Tally
    {
        public long Bytes;
        public long Fixed;

        public void AddString(ReadOnlySpan<byte> value, Payload payload)
        {
            var media = value.Length > MediaMinBytes
                && (payload == Payload.Data || (payload == Payload.Url && value.StartsWith("data:"u8)));
            if (media) Fixed += PerMedia;
            else Bytes += value.Length;
        }
    }
}
