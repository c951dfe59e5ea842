namespace Switchboard;

/// <summary>
/// The small set every failure is classified into, once, where it happens. The category decides
/// retry, fallback and circuit breaking, and the status and error type the client sees.
/// </summary>
public enum ErrorCategory
{
    BadRequest,
    Authentication,
    NotFound,
    RateLimited,
    Timeout,
    Unavailable,
    ContextWindowExceeded,
    ContentPolicy,
}
