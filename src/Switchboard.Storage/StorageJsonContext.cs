using System.Text.Json.Serialization;

namespace Switchboard.Storage;

/// <summary>
/// Source-generated JSON for the store's report and key shapes, in the gateway's wire style: snake_case,
/// absent values left out, enums as lower-case words.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UsageReport))]
[JsonSerializable(typeof(VirtualKey))]
[JsonSerializable(typeof(IReadOnlyList<VirtualKey>))]
[JsonSerializable(typeof(PeriodSpend))]
[JsonSerializable(typeof(RateWindow))]
public sealed partial class StorageJsonContext : JsonSerializerContext;
