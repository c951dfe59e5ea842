namespace Switchboard.Chat;

/// <summary>
/// The changes to make to a request body on its way upstream: the model always, and sometimes
/// parameters removed, renamed or added from defaults. Everything else is copied as bytes.
/// </summary>
internal sealed class RequestBodyEdits
{
    public RequestBodyEdits(byte[] encodedModel) => EncodedModel = encodedModel;

    /// <summary>These edits and more to come, without touching the shared model-only edits.</summary>
    public RequestBodyEdits Copy()
    {
        var copy = new RequestBodyEdits(EncodedModel);
        copy.Removed.AddRange(Removed);
        copy.Renamed.AddRange(Renamed);
        copy.Replaced.AddRange(Replaced);
        copy.Added.AddRange(Added);
        return copy;
    }

    /// <summary>The upstream model as a JSON string value, quotes included.</summary>
    public byte[] EncodedModel { get; }

    /// <summary>Top-level properties to leave out, by name.</summary>
    public List<string> Removed { get; } = [];

    /// <summary>Top-level properties to write under another name, value unchanged.</summary>
    public List<(string From, string To)> Renamed { get; } = [];

    /// <summary>Top-level properties whose value is replaced, each new value as raw JSON.</summary>
    public List<(string Name, byte[] Json)> Replaced { get; } = [];

    /// <summary>Properties to add, each value as raw JSON, when the body does not have them.</summary>
    public List<(string Name, byte[] Json)> Added { get; } = [];
}
