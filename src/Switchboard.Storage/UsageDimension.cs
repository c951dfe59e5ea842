using System.Text.Json.Serialization;

namespace Switchboard.Storage;

/// <summary>A column a usage report can be grouped by.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UsageDimension>))]
public enum UsageDimension
{
    /// <summary>The provider that answered.</summary>
    [JsonStringEnumMemberName("provider")]
    Provider,

    /// <summary>The concrete model that answered.</summary>
    [JsonStringEnumMemberName("model")]
    Model,

    /// <summary>The virtual key's id.</summary>
    [JsonStringEnumMemberName("key")]
    Key,

    /// <summary>The end user the client named.</summary>
    [JsonStringEnumMemberName("user")]
    User,

    /// <summary>The agent the request came from.</summary>
    [JsonStringEnumMemberName("agent")]
    Agent,

    /// <summary>The workflow stage.</summary>
    [JsonStringEnumMemberName("stage")]
    Stage,

    /// <summary>The route the request named.</summary>
    [JsonStringEnumMemberName("route")]
    Route,

    /// <summary>The UTC day the request arrived.</summary>
    [JsonStringEnumMemberName("day")]
    Day,
}
