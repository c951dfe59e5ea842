using Switchboard.Routing;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Estimates the input tokens of an Anthropic Messages request for <c>/v1/messages/count_tokens</c>, without a
/// tokenizer (none is available for Claude): about four bytes of UTF-8 text per token over everything the model
/// reads, plus fixed costs for what is not text.
/// </summary>
/// <remarks>
/// The walk is <see cref="PromptScanner"/>'s, shared with the routing's <see cref="PromptAnalyzer"/> so that a rule's
/// <c>tokens</c> and this endpoint agree; its remarks say what is counted. This class adds what the endpoint
/// requires of a request: a <c>model</c> and a <c>messages</c> array.
/// </remarks>
internal static class AnthropicTokenEstimator
{
    /// <summary>Tokens for an image or document given as data (see <see cref="PromptScanner"/>).</summary>
    public const int PerMedia = PromptScanner.PerMedia;

    public static int Estimate(ReadOnlySpan<byte> body)
    {
        var scan = PromptScanner.Scan(body, "The request body is empty. Send the messages to count, as for /v1/messages.");
        if (!scan.SawModel) throw SwitchboardException.BadRequest("'model' is required: name the model whose tokens to count, such as \"claude-sonnet-4-5\".", "model");
        if (!scan.SawMessages) throw SwitchboardException.BadRequest("'messages' is required: send the messages to count, as for /v1/messages.", "messages");
        return scan.EstimatedTokens;
    }
}
