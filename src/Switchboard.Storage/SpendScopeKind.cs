using System.Text.Json.Serialization;

namespace Switchboard.Storage;

/// <summary>What a spend ledger entry is kept for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SpendScopeKind>))]
public enum SpendScopeKind
{
    /// <summary>A virtual key, by id.</summary>
    [JsonStringEnumMemberName("key")]
    Key,

    /// <summary>A provider, by name.</summary>
    [JsonStringEnumMemberName("provider")]
    Provider,

    /// <summary>A model, by name.</summary>
    [JsonStringEnumMemberName("model")]
    Model,
}
