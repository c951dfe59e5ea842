using System.Text.Json.Serialization;

namespace Switchboard.Catalog;

/// <summary>The shape of the shipped <c>catalog.json</c>.</summary>
internal sealed record CatalogFile
{
    /// <summary>The date the prices and limits were taken from the providers' pages.</summary>
    [JsonPropertyName("prices_taken")] public string PricesTaken { get; init; } = "";

    [JsonPropertyName("sources")] public Dictionary<string, string> Sources { get; init; } = [];

    [JsonPropertyName("models")] public List<CatalogModel> Models { get; init; } = [];
}
