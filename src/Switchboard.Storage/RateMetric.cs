using System.Text.Json.Serialization;

namespace Switchboard.Storage;

/// <summary>What a rate limit counts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RateMetric>))]
public enum RateMetric
{
    /// <summary>Requests per minute.</summary>
    [JsonStringEnumMemberName("requests")]
    Requests,

    /// <summary>Tokens per minute.</summary>
    [JsonStringEnumMemberName("tokens")]
    Tokens,
}
