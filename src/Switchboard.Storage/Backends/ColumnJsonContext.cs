using System.Text.Json.Serialization;

namespace Switchboard.Storage.Backends;

/// <summary>The JSON of list and map columns (labels, allowed models, metadata), the same text on both backends.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ColumnJsonContext : JsonSerializerContext;
