namespace Switchboard.Storage;

/// <summary>
/// The store could not be opened or migrated. The message names the store with its password replaced by
/// <c>***</c>; an inner exception whose text contained the password is left out rather than passed on.
/// </summary>
public sealed class StoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreException()
    {
    }

    /// <summary>Creates the exception with a message that must carry no secret.</summary>
    public StoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception, neither of which may carry a secret.</summary>
    public StoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
