using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>Where generation stops: one string or several. Written back in the form it was read.</summary>
[JsonConverter(typeof(StopSequencesConverter))]
public sealed record StopSequences
{
    public StopSequences(IReadOnlyList<string> values, bool wasSingle = false) => (Values, WasSingle) = (values, wasSingle);

    public IReadOnlyList<string> Values { get; }

    /// <summary>True when the client sent one string rather than an array.</summary>
    public bool WasSingle { get; }
}
