namespace Switchboard;

/// <summary>
/// A failure with everything the client needs: a message that says what to fix, the status code,
/// the category, and the parameter at fault. Never carries a secret.
/// </summary>
public sealed class SwitchboardException : Exception
{
    public SwitchboardException(ErrorCategory category, int statusCode, string message, string? param = null, string? code = null, Exception? inner = null)
        : base(message, inner)
    {
        Category = category;
        StatusCode = statusCode;
        Param = param;
        Code = code;
    }

    public ErrorCategory Category { get; }

    public int StatusCode { get; }

    /// <summary>The request field at fault, in the client's terms, when there is one.</summary>
    public string? Param { get; }

    /// <summary>A stable machine-readable code such as <c>model_not_found</c>.</summary>
    public string? Code { get; }

    /// <summary>How many upstream calls were made before this failure.</summary>
    public int Attempts { get; init; }

    /// <summary>The provider involved, when one was chosen.</summary>
    public string? Provider { get; init; }

    /// <summary>How long the provider asked the client to wait, passed on as <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The status the provider answered with, when this is the provider's own error.</summary>
    public int? UpstreamStatus { get; init; }

    /// <summary>Every upstream call the request made before it failed, for <c>x-switchboard-attempts</c>.</summary>
    public Execution.AttemptLog? AttemptLog { get; internal set; }

    public static SwitchboardException BadRequest(string message, string? param = null, string? code = null) =>
        new(ErrorCategory.BadRequest, 400, message, param, code);
}
