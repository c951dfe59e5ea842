namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Anthropic's error types (<c>{"type":"error","error":{"type","message"}}</c>) and the categories they fall into,
/// both ways: provider errors are classified into categories, and a category is written back to an Anthropic client
/// as the error type an Anthropic SDK expects for it.
/// </summary>
internal static class AnthropicErrors
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Billing = "billing_error";
    public const string Permission = "permission_error";
    public const string NotFound = "not_found_error";
    public const string RequestTooLarge = "request_too_large";
    public const string RateLimit = "rate_limit_error";
    public const string Api = "api_error";
    public const string Timeout = "timeout_error";
    public const string Overloaded = "overloaded_error";

    /// <summary>Classifies an Anthropic error response by its status, and a 400 by what its message says.</summary>
    public static ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body) => statusCode switch
    {
        401 or 402 or 403 => ErrorCategory.Authentication,
        404 => ErrorCategory.NotFound,
        408 or 504 => ErrorCategory.Timeout,
        429 => ErrorCategory.RateLimited,
        // 500 api_error, 529 overloaded_error, and whatever a proxy in front of Anthropic answers.
        >= 500 => ErrorCategory.Unavailable,
        _ when IsContextWindow(body) => ErrorCategory.ContextWindowExceeded,
        _ when Mentions(body, "content filtering policy"u8) => ErrorCategory.ContentPolicy,
        _ => ErrorCategory.BadRequest,
    };

    /// <summary>The category of an error type, for an <c>error</c> event in a stream, which has no status code.</summary>
    public static ErrorCategory CategoryOf(string? type, string? message) => type switch
    {
        InvalidRequest when message is not null && IsContextWindow(System.Text.Encoding.UTF8.GetBytes(message)) => ErrorCategory.ContextWindowExceeded,
        InvalidRequest or RequestTooLarge => ErrorCategory.BadRequest,
        Authentication or Permission or Billing => ErrorCategory.Authentication,
        NotFound => ErrorCategory.NotFound,
        RateLimit => ErrorCategory.RateLimited,
        Timeout => ErrorCategory.Timeout,
        _ => ErrorCategory.Unavailable,
    };

    /// <summary>The error type an Anthropic client gets for a failure; the status tells apart the types that share a category.</summary>
    public static string TypeFor(SwitchboardException error) => error.Category switch
    {
        ErrorCategory.Authentication => error.StatusCode switch
        {
            403 => Permission,
            402 => Billing,
            _ => Authentication,
        },
        ErrorCategory.NotFound => NotFound,
        ErrorCategory.RateLimited => RateLimit,
        ErrorCategory.Timeout => Timeout,
        // 503 and 529 say "try again shortly", which is what overloaded_error means to Anthropic's SDKs and Claude Code.
        ErrorCategory.Unavailable => error.StatusCode is 503 or 529 ? Overloaded : Api,
        _ => error.StatusCode == 413 ? RequestTooLarge : InvalidRequest,
    };

    private static bool IsContextWindow(ReadOnlySpan<byte> body) =>
        // "prompt is too long: 208310 tokens > 200000 maximum", and the older
        // "input length and `max_tokens` exceed context limit: ...".
        Mentions(body, "prompt is too long"u8) || Mentions(body, "exceed context limit"u8) || Mentions(body, "context window"u8);

    private static bool Mentions(ReadOnlySpan<byte> body, ReadOnlySpan<byte> text) => body.IndexOf(text) >= 0;
}
