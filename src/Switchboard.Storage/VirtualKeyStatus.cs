using System.Text.Json.Serialization;

namespace Switchboard.Storage;

/// <summary>Whether a virtual key may be used now, and if not, why.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VirtualKeyStatus>))]
public enum VirtualKeyStatus
{
    /// <summary>The key may be used.</summary>
    [JsonStringEnumMemberName("active")]
    Active,

    /// <summary>The key was revoked.</summary>
    [JsonStringEnumMemberName("revoked")]
    Revoked,

    /// <summary>The key's expiry has passed.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,
}
