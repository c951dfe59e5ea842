using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Estimates the input tokens of an Anthropic Messages request for <c>/v1/messages/count_tokens</c>, without a
/// tokenizer (none is available for Claude): about four bytes of UTF-8 text per token over everything the model
/// reads, plus fixed costs for what is not text.
/// </summary>
/// <remarks>
/// Counted: every property name and string value under <c>system</c>, <c>messages</c> and <c>tools</c> (so tool
/// schemas count as the JSON the model is shown), numbers as their digits, <see cref="PerMessage"/> tokens for each
/// message's role and framing, and <see cref="PerMedia"/> tokens for each base64 image or document instead of its
/// data, which is what a picture of about a megapixel costs (Anthropic: tokens ≈ width × height / 750, at most
/// about 1,600 for images it does not shrink). English text runs 3.5 to 4 bytes per token, so the estimate is close
/// for prose and code; scripts of three bytes a character are underestimated.
/// </remarks>
internal static class AnthropicTokenEstimator
{
    /// <summary>Bytes of UTF-8 per token.</summary>
    public const int BytesPerToken = 4;

    /// <summary>Tokens for a message's role and the markers around it.</summary>
    public const int PerMessage = 4;

    /// <summary>Tokens for an image or document given as data (see the remarks).</summary>
    public const int PerMedia = 1600;

    public static int Estimate(ReadOnlySpan<byte> body)
    {
        if (body.Trim(" \t\r\n"u8).IsEmpty) throw SwitchboardException.BadRequest("The request body is empty. Send the messages to count, as for /v1/messages.");
        try
        {
            return Walk(body);
        }
        catch (JsonException e)
        {
            throw SwitchboardException.BadRequest($"The request body is not valid JSON: {ChatRequestScanner.Describe(e)}");
        }
    }

    private static int Walk(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
            throw SwitchboardException.BadRequest($"The request body must be a JSON object, not {ChatRequestScanner.Kind(reader.TokenType)}.");
        long bytes = 0, fixedTokens = 0;
        bool sawModel = false, sawMessages = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMessages = reader.ValueTextEquals("messages"u8);
            var counted = isMessages || reader.ValueTextEquals("system"u8) || reader.ValueTextEquals("tools"u8);
            sawModel |= reader.ValueTextEquals("model"u8);
            reader.Read();
            if (isMessages)
            {
                if (reader.TokenType != JsonTokenType.StartArray) throw ChatRequestScanner.WrongType("messages", "an array of messages", reader.TokenType);
                sawMessages = true;
            }
            if (!counted)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType == JsonTokenType.String)
            {
                bytes += reader.ValueSpan.Length;
                continue;
            }
            if (reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.StartObject))
            {
                reader.Skip();
                continue;
            }
            var depth = reader.CurrentDepth;
            var isData = false;
            while (reader.Read() && reader.CurrentDepth > depth)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject when isMessages && reader.CurrentDepth == depth + 1:
                        fixedTokens += PerMessage;
                        break;
                    case JsonTokenType.PropertyName:
                        isData = reader.ValueTextEquals("data"u8);
                        bytes += reader.ValueSpan.Length;
                        break;
                    case JsonTokenType.String when isData && reader.ValueSpan.Length > 256:
                        // Base64 data of an image or document: a fixed cost, not its characters.
                        fixedTokens += PerMedia;
                        break;
                    case JsonTokenType.String or JsonTokenType.Number:
                        bytes += reader.ValueSpan.Length;
                        break;
                }
                if (reader.TokenType != JsonTokenType.PropertyName) isData = false;
            }
        }
        reader.Read();
        if (!sawModel) throw SwitchboardException.BadRequest("'model' is required: name the model whose tokens to count, such as \"claude-sonnet-4-5\".", "model");
        if (!sawMessages) throw SwitchboardException.BadRequest("'messages' is required: send the messages to count, as for /v1/messages.", "messages");
        return (int)Math.Min(int.MaxValue, (bytes + BytesPerToken - 1) / BytesPerToken + fixedTokens);
    }
}
